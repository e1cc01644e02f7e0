//! Chapter 12's library: the checkers find planted violations at the right event and raise no
//! false alarm, reject empty and malformed histories with typed errors, and the simulations
//! show what the chapter claims: a term-based election is safe under every timing model but
//! elects nobody while delays exceed its timeouts, and elects soon after GST; primary–backup,
//! which trusts its timeouts, has two leaders at once when delays are unbounded.

use faultline::lease::{self, AppliedWrite, LeaseConfig, Policies};
use faultline::logical::{GossipConfig, History, stamps};
use faultline::models::check::{self, HistoryError, LeaderEvent};
use faultline::models::election::{self, PrimaryBackupConfig};
use faultline::models::liveness::{self, Judged, Request};
use faultline::models::{FailureModel, SystemModel, TimingModel};
use faultline::quorum::ElectionConfig;

fn lead(node: usize, term: u64, at_s: f64) -> LeaderEvent {
    LeaderEvent {
        node,
        term: Some(term),
        at_s,
        begins: true,
    }
}

#[test]
fn one_leader_per_term_finds_the_first_second_leader() {
    let h = [
        lead(0, 1, 0.1),
        lead(0, 1, 0.2),
        lead(1, 2, 0.3),
        lead(2, 2, 0.4),
        lead(3, 2, 0.5),
    ];
    let v = check::one_leader_per_term(&h).unwrap().expect("term 2 has two leaders");
    assert_eq!(v.index, 3);
    assert_eq!(v.prefix(&h).len(), 4);
    assert!(check::one_leader_per_term(&h[..3]).unwrap().is_none());
    assert_eq!(
        check::one_leader_per_term(&[]),
        Err(HistoryError::Empty { what: "leaderships" })
    );
    let backwards = [lead(0, 1, 0.5), lead(1, 2, 0.1)];
    assert!(matches!(
        check::one_leader_per_term(&backwards),
        Err(HistoryError::Malformed { index: 1, .. })
    ));
    let nan = [lead(0, 1, f64::NAN)];
    assert!(matches!(
        check::one_leader_per_term(&nan),
        Err(HistoryError::Malformed { index: 0, .. })
    ));
}

fn write(token: u64, accepted: bool, at_s: f64) -> AppliedWrite {
    AppliedWrite {
        client: 2,
        token,
        at_s,
        accepted,
    }
}

#[test]
fn fencing_checker_allows_equal_tokens_and_ignores_rejected_writes() {
    let clean = [
        write(1, true, 0.0),
        write(1, true, 1.0),
        write(3, false, 2.0),
        write(2, true, 3.0),
    ];
    assert!(check::fencing_in_order(&clean).unwrap().is_none());
    let stale = [write(2, true, 0.0), write(1, true, 1.0), write(1, true, 2.0)];
    assert_eq!(check::fencing_in_order(&stale).unwrap().unwrap().index, 1);
    assert!(check::fencing_in_order(&[]).is_err());
}

#[test]
fn fencing_checker_agrees_with_the_lease_world() {
    let cfg = LeaseConfig::default();
    for seed in 0..6 {
        let without = lease::simulate_with(&cfg, Policies::no_fencing(), seed).unwrap();
        let first = check::fencing_in_order(&without.writes).unwrap().map(|v| v.index);
        assert_eq!(first, without.stale().first().copied(), "seed {seed}");
        let with = lease::simulate_with(&cfg, Policies::fencing(), seed).unwrap();
        assert!(check::fencing_in_order(&with.writes).unwrap().is_none(), "seed {seed}");
    }
}

#[test]
fn clock_condition_holds_for_lamport_and_fails_without_the_plus_one() {
    let out = GossipConfig::default().simulate(3).unwrap();
    let h: &History = &out.history;
    let good = stamps::lamport(h, |own, m| own.max(m.unwrap_or(0)) + 1);
    assert!(check::clock_condition(h, &good).unwrap().is_none());
    let bad = stamps::lamport(h, |own, m| match m {
        Some(m) => own.max(m),
        None => own + 1,
    });
    let v = check::clock_condition(h, &bad)
        .unwrap()
        .expect("a receive ties with its send");
    // The witness is the first receive whose stamp does not exceed its send's.
    assert!(v.index > 0 && v.index < h.len());
    assert!(matches!(
        check::clock_condition(h, &good[1..]),
        Err(HistoryError::Malformed { .. })
    ));
}

#[test]
fn requests_are_answered_after_the_heal_only_with_retries() {
    let with = liveness::requests_through_partition(0.2, Some(0.5), 1.0, 3.0, 8.0, 1).unwrap();
    assert_eq!(liveness::answered_within(&with, 3.0, 1.0, 8.0).unwrap(), Judged::Holds);
    let without = liveness::requests_through_partition(0.2, None, 1.0, 3.0, 8.0, 1).unwrap();
    assert!(matches!(
        liveness::answered_within(&without, 3.0, 1.0, 8.0).unwrap(),
        Judged::Late { .. }
    ));
    let short = [Request {
        sent_s: 7.5,
        answered_s: None,
    }];
    assert_eq!(
        liveness::answered_within(&short, 3.0, 1.0, 8.0).unwrap(),
        Judged::Undecided { pending: 1 }
    );
    assert!(liveness::answered_within(&[], 3.0, 1.0, 8.0).is_err());
}

#[test]
fn term_election_is_safe_in_every_timing_model_and_live_after_gst() {
    let cfg = ElectionConfig::default();
    for timing in [
        TimingModel::synchronous(),
        TimingModel::partially_synchronous(3.0),
        TimingModel::asynchronous(),
    ] {
        for failure in [FailureModel::None, FailureModel::CrashStop, FailureModel::CrashRecovery] {
            for seed in 0..5 {
                let run = election::elect(&cfg, &SystemModel::new(timing, failure), seed).unwrap();
                let ev = election::leader_events(&run.election);
                if ev.is_empty() {
                    continue;
                }
                assert!(
                    check::one_leader_per_term(&ev).unwrap().is_none(),
                    "{} {} seed {seed}",
                    timing.name(),
                    failure.name()
                );
            }
        }
    }
    for seed in 0..10 {
        let run = election::elect(
            &cfg,
            &SystemModel::new(TimingModel::partially_synchronous(3.0), FailureModel::None),
            seed,
        )
        .unwrap();
        let first = run.election.first_leader_s().expect("a leader after GST");
        assert!(first > 3.0 && first < 5.0, "seed {seed}: first leader at {first} s");
    }
}

#[test]
fn a_lying_voter_gives_a_term_two_leaders() {
    let cfg = ElectionConfig {
        timeout_max_s: 0.155,
        ..Default::default()
    };
    let model = SystemModel::new(TimingModel::synchronous(), FailureModel::Byzantine);
    let broken = (0..200).any(|seed| {
        let run = election::elect(&cfg, &model, seed).unwrap();
        check::one_leader_per_term(&election::leader_events(&run.election))
            .unwrap()
            .is_some()
    });
    assert!(broken, "majorities of 2f + 1 do not survive one liar");
}

#[test]
fn primary_backup_is_safe_when_synchronous_and_splits_when_asynchronous() {
    let cfg = PrimaryBackupConfig::default();
    for seed in 0..10 {
        let sync = SystemModel::new(TimingModel::synchronous(), FailureModel::None);
        let (ev, _) = election::primary_backup(&cfg, &sync, seed).unwrap();
        assert!(check::one_leader_at_a_time(&ev).unwrap().is_none(), "seed {seed}");
        let crash = SystemModel::new(TimingModel::synchronous(), FailureModel::CrashStop);
        let (ev, _) = election::primary_backup(&cfg, &crash, seed).unwrap();
        assert!(check::one_leader_at_a_time(&ev).unwrap().is_none(), "seed {seed}");
        assert_eq!(
            ev.iter().filter(|e| e.begins).count(),
            2,
            "the backup takes over after the crash"
        );
    }
    let asyn = SystemModel::new(TimingModel::asynchronous(), FailureModel::None);
    let (ev, _) = election::primary_backup(&cfg, &asyn, 1).unwrap();
    let v = check::one_leader_at_a_time(&ev)
        .unwrap()
        .expect("a late heartbeat: two leaders");
    assert!(v.event.node > 0);
}

#[test]
fn the_link_change_at_gst_applies_to_messages_sent_after_it() {
    let model = SystemModel::new(TimingModel::partially_synchronous(2.0), FailureModel::None);
    let cfg = ElectionConfig {
        until_s: 4.0,
        ..Default::default()
    };
    let run = election::elect(&cfg, &model, 3).unwrap();
    let (mut before, mut after) = (0, 0);
    for m in &run.world.messages {
        let Some(t) = m.delivered_at_s() else { continue };
        let d = t - m.sent_at_s;
        if m.sent_at_s < 2.0 {
            assert!((0.5..=1.0 + 1e-6).contains(&d), "sent at {} s took {d} s", m.sent_at_s);
            before += 1;
        } else if m.sent_at_s > 2.0 {
            assert!(d <= 0.01, "sent at {} s took {d} s", m.sent_at_s);
            after += 1;
        }
    }
    assert!(before > 10 && after > 10, "{before} before GST, {after} after");
}
