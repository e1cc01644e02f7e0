//! The etcd lab against a real etcd 3.4 on loopback (client ports 12379, 22379, 32379; peers
//! one above): a cluster comes up with a leader, a paused leader is replaced with a higher term,
//! a paused lock holder's stale write is accepted by a naive storage and rejected by a fenced
//! transaction, and nothing is left behind (processes or data). Every request shape the lab
//! sends is checked against the server here, since etcd ignores unknown fields silently.
//!
//! Outcomes only, no timings: CI machines are small and loaded; every wait is bounded.
//! Outside CI, with etcd missing, one line says how to install it and the tests pass vacuously;
//! with `CI` set they fail.

mod common;

use faultline::etcd::{self, Client, Cluster, ClusterConfig, Compare, CompareOp, EtcdError, OpReply, Txn, TxnOp};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The tests share their ports: one cluster at a time.
static PORTS: Mutex<()> = Mutex::new(());

const PORTS_3: [u16; 3] = [12379, 22379, 32379];

fn ports() -> MutexGuard<'static, ()> {
    PORTS.lock().unwrap_or_else(|e| e.into_inner())
}

fn have_etcd() -> bool {
    common::have_etcd()
}

#[test]
fn non_loopback_addresses_are_refused() {
    for bad in ["10.1.2.3:2379", "http://192.168.0.7:2379", "example.com:2379"] {
        let err = Client::new(bad, Duration::from_millis(100)).unwrap_err();
        assert!(matches!(err, EtcdError::NotLoopback { .. }), "{bad}: {err}");
    }
}

#[test]
fn a_three_member_cluster_elects_a_leader_and_answers_every_request_shape() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let cluster = Cluster::start(&ClusterConfig::with_ports(&PORTS_3)).expect("cluster starts");
    let (leader, status) = cluster.leader().expect("a leader after start");
    assert!(status.is_leader() && status.raft_term >= 2, "{status:?}");
    let ids: Vec<u64> = (0..3).map(|i| cluster.member_id(i).unwrap()).collect();
    assert!(ids.iter().all(|&id| id != 0) && ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    assert_eq!(cluster.index_of(status.member_id), Some(leader));
    for (i, &id) in ids.iter().enumerate() {
        let s = cluster.status(i).unwrap();
        assert_eq!(s.member_id, id);
        assert!(s.version.starts_with("3."), "{s:?}");
    }

    let c = cluster.client(1).unwrap();
    // put and get: the value comes back (a misspelt field would store an empty one).
    let rev = c.put("lab/key", "hello", 0).unwrap();
    let got = c.get("lab/key", false).unwrap();
    let kv = got.kv.expect("the key exists");
    assert_eq!(kv.value_str(), "hello");
    assert_eq!((kv.create_revision, kv.mod_revision, kv.version), (rev, rev, 1));
    assert!(c.get("lab/missing", false).unwrap().kv.is_none());
    assert_eq!(c.get("lab/key", true).unwrap().kv.unwrap().value_str(), "hello");

    // Leases: the granted TTL, a key attached to it, keep-alive, time to live, revoke.
    let lease = c.lease_grant(5).unwrap();
    assert!(lease.id > 0 && lease.ttl_s >= 5, "{lease:?}");
    c.put("lab/leased", "x", lease.id).unwrap();
    assert_eq!(c.get("lab/leased", false).unwrap().kv.unwrap().lease, lease.id);
    assert!(c.lease_keepalive(lease.id).unwrap() >= 5);
    let ttl = c.lease_time_to_live(lease.id).unwrap();
    assert!(ttl.ttl_s > 0 && ttl.granted_ttl_s >= 5, "{ttl:?}");
    c.lease_revoke(lease.id).unwrap();
    assert!(
        c.get("lab/leased", false).unwrap().kv.is_none(),
        "revoking deletes the lease's keys"
    );
    assert_eq!(c.lease_time_to_live(lease.id).unwrap().ttl_s, -1);
    assert_eq!(c.lease_keepalive(lease.id).unwrap(), 0, "an expired lease renews to 0");
    assert!(matches!(
        c.put("lab/k", "v", lease.id),
        Err(EtcdError::Server { code: 5, .. })
    ));

    // Transactions: each compare target, both branches.
    let take = |who: &str| {
        Txn::new()
            .when(Compare::create_revision("lab/lock", CompareOp::Equal, 0))
            .then(TxnOp::put("lab/lock", who))
            .otherwise(TxnOp::get("lab/lock"))
    };
    let first = c.txn(&take("A")).unwrap();
    assert!(first.succeeded && first.replies == vec![OpReply::Put]);
    let second = c.txn(&take("B")).unwrap();
    assert!(!second.succeeded, "the failure branch ran");
    let Some(OpReply::Get(Some(holder))) = second.replies.first() else {
        panic!("{second:?}")
    };
    assert_eq!(
        (holder.value_str().as_str(), holder.create_revision),
        ("A", first.revision)
    );
    let t = Txn::new()
        .when(Compare::value("lab/lock", CompareOp::Equal, "A"))
        .when(Compare::mod_revision("lab/lock", CompareOp::Less, first.revision + 1))
        .when(Compare::new(
            "lab/lock",
            CompareOp::Greater,
            etcd::CompareTarget::Version(0),
        ))
        .then(TxnOp::delete("lab/lock"));
    let r = c.txn(&t).unwrap();
    assert!(r.succeeded && r.replies == vec![OpReply::Delete(1)], "{r:?}");
    let wrong = Txn::new()
        .when(Compare::value("lab/key", CompareOp::Equal, "HELLO"))
        .then(TxnOp::put("lab/key", "changed"));
    assert!(!c.txn(&wrong).unwrap().succeeded, "value compares are byte-wise");
    common::stop_and_check_clean(cluster);
}

#[test]
fn pausing_the_leader_elects_a_new_leader_with_a_higher_term() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let cfg = ClusterConfig::with_ports(&PORTS_3).timing(0.1, 0.5);
    let mut cluster = Cluster::start(&cfg).expect("cluster starts");
    let (old, status) = cluster.leader().expect("a leader after start");
    cluster.pause(old).unwrap();
    assert_eq!(cluster.state(old).unwrap(), etcd::MemberState::Paused);
    // Generous: a loaded CI machine may take a few election timeouts.
    let (new, term) = cluster
        .wait_for_leader(Some(status.raft_term), Duration::from_secs(30))
        .expect("a new leader");
    assert_ne!(new, old);
    assert!(term > status.raft_term);
    // The cluster works without the old leader, which catches up once resumed.
    cluster.client(new).unwrap().put("lab/after", "1", 0).unwrap();
    cluster.resume(old).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let caught_up = cluster
            .client(old)
            .and_then(|c| c.get("lab/after", false))
            .is_ok_and(|r| r.kv.is_some());
        if caught_up {
            break;
        }
        assert!(Instant::now() < deadline, "the resumed member never served the new key");
        std::thread::sleep(Duration::from_millis(50));
    }
    common::stop_and_check_clean(cluster);
}

#[test]
fn without_a_quorum_there_is_no_leader_within_the_bound() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let mut cluster = Cluster::start(&ClusterConfig::with_ports(&PORTS_3).timing(0.05, 0.25)).unwrap();
    let (leader, status) = cluster.leader().unwrap();
    let others: Vec<usize> = (0..3).filter(|&i| i != leader).collect();
    cluster.kill(others[0]).unwrap();
    cluster.kill(others[1]).unwrap();
    let err = cluster
        .wait_for_leader(Some(status.raft_term), Duration::from_secs(2))
        .unwrap_err();
    assert!(matches!(err, EtcdError::NoLeader { .. }), "{err}");
    common::stop_and_check_clean(cluster);
}

#[test]
fn a_taken_port_is_a_clear_error_and_leaves_nothing() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let squatter = std::net::TcpListener::bind(("127.0.0.1", 22380)).unwrap();
    let cfg = ClusterConfig::with_ports(&PORTS_3);
    let err = Cluster::start(&cfg).unwrap_err();
    assert!(matches!(err, EtcdError::PortInUse { port: 22380, .. }), "{err}");
    assert!(err.to_string().contains("peer port of member n2"), "{err}");
    drop(squatter);
}

/// A lock holder whose lease ran out while it was paused (it stopped renewing), and a newer
/// holder: the naive storage (a plain put) takes the old holder's write over the newer one; a
/// write fenced on the lock key's create revision, or on a stored highest token, is rejected.
#[test]
fn a_stale_holder_is_accepted_by_a_naive_storage_and_rejected_by_fencing() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let cluster = Cluster::start(&ClusterConfig::with_ports(&PORTS_3)).unwrap();
    let c = cluster.client(0).unwrap();
    let acquire = |who: &str, lease: i64| {
        c.txn(
            &Txn::new()
                .when(Compare::create_revision("lab/lock", CompareOp::Equal, 0))
                .then(TxnOp::put("lab/lock", who).with_lease(lease)),
        )
        .unwrap()
    };
    let lease_a = c.lease_grant(2).unwrap();
    let a = acquire("A", lease_a.id);
    assert!(a.succeeded);
    let token_a = a.revision;
    // A is paused: it renews nothing. Its key goes when the lease expires (bounded wait).
    let deadline = Instant::now() + Duration::from_secs(15);
    while c.get("lab/lock", false).unwrap().kv.is_some() {
        assert!(Instant::now() < deadline, "the 2 s lease never expired");
        std::thread::sleep(Duration::from_millis(50));
    }
    let lease_b = c.lease_grant(10).unwrap();
    let b = acquire("B", lease_b.id);
    assert!(b.succeeded);
    let token_b = b.revision;
    assert!(token_b > token_a, "a newer holder has a higher create revision");
    c.put("lab/data", format!("B with token {token_b}"), 0).unwrap();
    c.put("lab/highest", format!("{token_b:020}"), 0).unwrap();

    // A resumes and writes. Naive storage: accepted, B's data overwritten.
    c.put("lab/naive", format!("B with token {token_b}"), 0).unwrap();
    c.put("lab/naive", format!("A with token {token_a}"), 0).unwrap();
    assert_eq!(
        c.get("lab/naive", false).unwrap().kv.unwrap().value_str(),
        format!("A with token {token_a}")
    );

    // Fenced on the lock key: A's token is no longer the lock's create revision.
    let fenced = c
        .txn(
            &Txn::new()
                .when(Compare::create_revision("lab/lock", CompareOp::Equal, token_a))
                .then(TxnOp::put("lab/data", format!("A with token {token_a}"))),
        )
        .unwrap();
    assert!(!fenced.succeeded, "the fenced write was rejected");
    // Fenced on a stored highest token (zero-padded: value compares are byte-wise).
    let highest = c
        .txn(
            &Txn::new()
                .when(Compare::value(
                    "lab/highest",
                    CompareOp::Less,
                    format!("{:020}", token_a + 1),
                ))
                .then(TxnOp::put("lab/data", format!("A with token {token_a}"))),
        )
        .unwrap();
    assert!(!highest.succeeded);
    assert_eq!(
        c.get("lab/data", false).unwrap().kv.unwrap().value_str(),
        format!("B with token {token_b}")
    );
    // B's own fenced write still goes through.
    let ok = c
        .txn(
            &Txn::new()
                .when(Compare::create_revision("lab/lock", CompareOp::Equal, token_b))
                .then(TxnOp::put("lab/data", "B again")),
        )
        .unwrap();
    assert!(ok.succeeded);
    common::stop_and_check_clean(cluster);
}

#[test]
fn a_dropped_cluster_stops_its_members_even_after_a_panic() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let mut seen = (Vec::new(), std::path::PathBuf::new());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut cluster = Cluster::start(&ClusterConfig::with_ports(&PORTS_3)).unwrap();
        seen = (cluster.pids(), cluster.dir().to_path_buf());
        cluster.pause(0).unwrap();
        panic!("learner code panicked");
    }));
    assert!(result.is_err());
    let (pids, dir) = seen;
    assert_eq!(pids.len(), 3);
    for pid in pids {
        assert!(!etcd::process_exists(pid), "etcd pid {pid} survived the panic");
    }
    assert!(!dir.exists());
}
