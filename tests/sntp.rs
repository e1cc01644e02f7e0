//! The SNTP client over real UDP sockets on loopback: against fake servers that misbehave in
//! one way each, and against a real chronyd started for the test on 127.0.0.1:11123.
//!
//! Every query has a timeout, so no test here can hang on a silent peer.

mod common;

use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use faultline::Error;
use faultline::ntp::sntp::{self, MODE_CLIENT, MODE_SERVER, Packet, TEST_PORT, now_unix, unix_to_ntp};

/// θ from the four timestamps: the library keeps its own (the chapter's answer) private.
fn theta(t: &faultline::ntp::Timestamps) -> f64 {
    ((t.t2 - t.t1) + (t.t3 - t.t4)) / 2.0
}

/// δ from the four timestamps.
fn delta(t: &faultline::ntp::Timestamps) -> f64 {
    (t.t4 - t.t1) - (t.t3 - t.t2)
}

const TIMEOUT: Duration = Duration::from_millis(500);

/// A one-shot server on an ephemeral loopback port: it reads one request and answers with
/// whatever `reply` makes of it (nothing, for `None`).
fn fake_server(reply: impl FnOnce(Packet) -> Option<Vec<u8>> + Send + 'static) -> String {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    thread::spawn(move || {
        let mut buf = [0u8; 1024];
        if let Ok((n, from)) = socket.recv_from(&mut buf) {
            let request = Packet::parse(&buf[..n]).expect("our client sends valid requests");
            if let Some(bytes) = reply(request) {
                let _ = socket.send_to(&bytes, from);
            }
        }
    });
    addr
}

/// An honest-looking reply whose clock reads `skew` seconds ahead of this machine.
fn answer(request: Packet, skew: f64) -> Packet {
    let now = now_unix() + skew;
    Packet {
        leap: 0,
        version: 4,
        mode: MODE_SERVER,
        stratum: 2,
        poll: 6,
        precision: -20,
        root_delay: 0,
        root_dispersion: 0,
        reference_id: *b"TEST",
        reference: unix_to_ntp(now - 10.0),
        origin: request.transmit,
        receive: unix_to_ntp(now),
        transmit: unix_to_ntp(now_unix() + skew),
    }
}

#[test]
fn a_server_five_seconds_ahead_is_measured_within_half_the_delay() {
    let addr = fake_server(|req| Some(answer(req, 5.0).encode().to_vec()));
    let reply = sntp::query(&addr, TIMEOUT).unwrap();
    // Both clocks are this machine's, the fake one shifted by exactly 5 s: |θ − 5| ≤ δ/2,
    // with 10 µs for the rounding of f64 Unix seconds and of 32.32 timestamps.
    assert!(
        (theta(&reply.stamps) - 5.0).abs() <= delta(&reply.stamps) / 2.0 + 1e-5,
        "θ = {}, δ = {}",
        theta(&reply.stamps),
        delta(&reply.stamps)
    );
}

#[test]
fn wrong_mode_is_a_packet_error() {
    let addr = fake_server(|req| {
        let mut p = answer(req, 0.0);
        p.mode = MODE_CLIENT;
        Some(p.encode().to_vec())
    });
    let err = sntp::query(&addr, TIMEOUT).unwrap_err();
    assert!(matches!(err, Error::Packet { .. }), "{err}");
    assert!(err.to_string().contains("mode 3"), "{err}");
}

#[test]
fn stratum_zero_is_a_kiss_of_death() {
    let addr = fake_server(|req| {
        let mut p = answer(req, 0.0);
        p.stratum = 0;
        p.reference_id = *b"RATE";
        Some(p.encode().to_vec())
    });
    match sntp::query(&addr, TIMEOUT) {
        Err(Error::KissOfDeath { code, .. }) => assert_eq!(code, "RATE"),
        other => panic!("expected a kiss-o'-death, got {other:?}"),
    }
}

#[test]
fn a_truncated_reply_is_a_packet_error() {
    let addr = fake_server(|req| Some(answer(req, 0.0).encode()[..20].to_vec()));
    let err = sntp::query(&addr, TIMEOUT).unwrap_err();
    assert!(err.to_string().contains("20 bytes"), "{err}");
}

#[test]
fn a_reply_to_someone_else_is_rejected() {
    let addr = fake_server(|req| {
        let mut p = answer(req, 0.0);
        p.origin ^= 1;
        Some(p.encode().to_vec())
    });
    let err = sntp::query(&addr, TIMEOUT).unwrap_err();
    assert!(err.to_string().contains("origin"), "{err}");
}

#[test]
fn a_silent_server_times_out_without_hanging() {
    let addr = fake_server(|_| None);
    let start = Instant::now();
    let err = sntp::query(&addr, TIMEOUT).unwrap_err();
    assert!(matches!(err, Error::NoResponse { .. }), "{err}");
    assert!(start.elapsed() < TIMEOUT + Duration::from_secs(2));
}

#[test]
fn nothing_listening_is_one_clear_error() {
    // Bind to learn a free port, then let it go: nothing listens there any more.
    let port = UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let start = Instant::now();
    let err = sntp::query(&format!("127.0.0.1:{port}"), TIMEOUT).unwrap_err();
    assert!(matches!(err, Error::NoResponse { .. }), "{err}");
    assert_eq!(err.to_string().lines().count(), 1);
    assert!(start.elapsed() < TIMEOUT + Duration::from_secs(2));
    assert!(sntp::query("127.0.0.1:1", Duration::ZERO).is_err());
}

/// chronyd, started for one test with its own configuration, stopped by pid when dropped
/// (so also when the test fails).
struct Chronyd {
    child: Child,
    dir: PathBuf,
}

impl Chronyd {
    /// Starts `chronyd -d -x -f <conf>` serving on 127.0.0.1:11123 (foreground, so this
    /// process owns it; `-x`: never touches the system clock).
    fn start(binary: &PathBuf) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("faultline-chronyd-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // chronyd started as root drops to its own user; let it write its pid and drift files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let conf = dir.join("chrony.conf");
        std::fs::write(
            &conf,
            format!(
                "port {TEST_PORT}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\ncmdport 0\n\
                 pidfile {}\ndriftfile {}\n",
                dir.join("chronyd.pid").display(),
                dir.join("chrony.drift").display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.join("chronyd.log")).unwrap();
        let child = Command::new(binary)
            .args(["-d", "-x", "-f"])
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        Chronyd { child, dir }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("chronyd.log")).unwrap_or_default()
    }
}

impl Drop for Chronyd {
    fn drop(&mut self) {
        // SIGTERM by pid, a moment to exit cleanly, then SIGKILL.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        for _ in 0..20 {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn find_chronyd() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|d| d.join("chronyd"))
        .find(|p| p.is_file())
}

#[test]
fn sntp_against_a_real_chronyd_on_loopback() {
    let Some(binary) = common::program_or_skip(find_chronyd(), "chronyd", "apt-get install -y chrony") else {
        return;
    };
    let server = format!("127.0.0.1:{TEST_PORT}");
    // The test must talk to its own chronyd, not one left running (say, from the notebook).
    if let Ok(r) = sntp::query(&server, Duration::from_millis(200)) {
        panic!(
            "something already answers NTP on {server} (stratum {}): stop it (a chronyd started by hand?); this test starts its own",
            r.packet.stratum
        );
    }
    let mut chronyd = Chronyd::start(&binary);
    // chronyd answers within milliseconds of starting; allow it two seconds.
    let deadline = Instant::now() + Duration::from_secs(2);
    let reply = loop {
        match sntp::query(&server, Duration::from_millis(200)) {
            Ok(r) => break r,
            Err(e) if Instant::now() > deadline => {
                panic!("chronyd did not answer: {e}\nchronyd log:\n{}", chronyd.log())
            }
            Err(_) => thread::sleep(Duration::from_millis(100)),
        }
    };
    assert!(
        matches!(chronyd.child.try_wait(), Ok(None)),
        "our chronyd exited:\n{}",
        chronyd.log()
    );
    assert_eq!(reply.packet.stratum, 8, "local stratum 8 in our config");
    assert_eq!(reply.packet.mode, MODE_SERVER);
    // chronyd reads the same system clock as we do: the true offset is 0, so θ must lie within
    // δ/2 of it. 10 µs of slack for chronyd's randomised bits below its precision and the
    // rounding of f64 Unix seconds.
    for _ in 0..5 {
        let r = sntp::query(&server, TIMEOUT).unwrap();
        assert!(
            theta(&r.stamps).abs() <= delta(&r.stamps) / 2.0 + 1e-5,
            "θ = {} s, δ = {} s",
            theta(&r.stamps),
            delta(&r.stamps)
        );
        assert!(
            delta(&r.stamps) >= -1e-5 && delta(&r.stamps) < 0.1,
            "δ = {}",
            delta(&r.stamps)
        );
    }
    // The exercise's --measure line, against the same server.
    let line = faultline::exercises::ntp::measure(&server, TIMEOUT, |t| theta(&t)).unwrap();
    assert!(line.contains("stratum 8"), "{line}");
    drop(chronyd);
    // Stopped: nothing answers any more.
    assert!(sntp::query(&server, Duration::from_millis(300)).is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever bytes come back over a real socket, `query` returns (never panics): a typed
    /// error, or a reply only if the bytes form an acceptable answer to our request.
    #[test]
    fn arbitrary_replies_over_udp_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120)) {
        let echo = bytes.clone();
        let addr = fake_server(move |_| Some(echo));
        match sntp::query(&addr, TIMEOUT) {
            Ok(_) => proptest::prop_assert!(false, "random bytes were accepted as an answer to our request"),
            Err(Error::Packet { .. } | Error::KissOfDeath { .. }) => {}
            Err(e) => proptest::prop_assert!(false, "unexpected error kind: {}", e),
        }
    }
}
