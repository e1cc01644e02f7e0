//! Failure detectors against the ground truth of the heartbeat simulator.

use faultline::Error;
use faultline::detect::{
    AdaptiveTimeout, Detector, FixedTimeout, HeartbeatConfig, KMissed, PhiAccrual, evaluate, load_rtts, suspicions,
    synthetic_rtts_ms,
};
use faultline::sim::{Dist, Estimate, replicate};

fn config(delay: Dist, loss: f64, crash_at: Option<f64>, until: f64) -> HeartbeatConfig {
    HeartbeatConfig {
        interval_s: 1.0,
        delay_s: delay,
        loss,
        pauses: vec![],
        crash_at_s: crash_at,
        until_s: until,
    }
}

#[test]
fn a_perfect_link_gives_periodic_arrivals_and_exact_detection_time() {
    let c = config(Dist::constant(0.05).unwrap(), 0.0, Some(10.3), 30.0);
    let t = c.simulate(1).unwrap();
    // Sends at 0, 1, …, 10 (the crash at 10.3 stops the one at 11): 11 arrivals.
    assert_eq!(t.arrivals.len(), 11);
    for (i, a) in t.arrivals.iter().enumerate() {
        assert!((a - (i as f64 + 0.05)).abs() < 1e-12);
    }
    // Last heartbeat arrives at 10.05; a 2 s timeout suspects at 12.05: 1.75 s after the crash,
    // and never wrongly before.
    let q = evaluate(&t, &mut FixedTimeout { timeout: 2.0 });
    assert_eq!(q.mistakes, 0);
    assert!((q.detection_time.unwrap() - 1.75).abs() < 1e-12);
    // The k-missed rule with k = 3 and 0.1 s grace: 10.05 + 3.1 − 10.3.
    let q = evaluate(
        &t,
        &mut KMissed {
            interval: 1.0,
            k: 3,
            grace: 0.1,
        },
    );
    assert!((q.detection_time.unwrap() - 2.85).abs() < 1e-12);
}

#[test]
fn a_pause_longer_than_the_timeout_is_a_mistake_and_ends_with_the_next_heartbeat() {
    let mut c = config(Dist::constant(0.01).unwrap(), 0.0, None, 60.0);
    c.pauses = vec![(20.5, 5.0)]; // silent from 20.5 to 25.5, then a heartbeat at once
    let t = c.simulate(2).unwrap();
    let q = evaluate(&t, &mut FixedTimeout { timeout: 2.0 });
    // Last heartbeat before the pause arrives at 20.01; suspected from 22.01 to 25.51.
    assert_eq!(q.mistakes, 1);
    assert!((q.mistaken_time - 3.5).abs() < 1e-9, "{q:?}");
    assert_eq!(q.detection_time, None);
    // A timeout longer than the pause makes no mistake.
    assert_eq!(evaluate(&t, &mut FixedTimeout { timeout: 6.0 }).mistakes, 0);
}

#[test]
fn faults_at_time_zero_come_before_the_first_heartbeat() {
    // A crash at 0 stops the very first heartbeat.
    let t = config(Dist::constant(0.1).unwrap(), 0.0, Some(0.0), 10.0)
        .simulate(1)
        .unwrap();
    assert_eq!((t.sent, t.arrivals.len(), t.crash_at_s), (0, 0, Some(0.0)));
    // A pause from 0 to 2.5: the first heartbeat goes at 2.5, then the schedule (3, 4, …).
    let mut c = config(Dist::constant(0.1).unwrap(), 0.0, None, 5.5);
    c.pauses = vec![(0.0, 2.5)];
    let t = c.simulate(1).unwrap();
    let want = [2.6, 3.1, 4.1, 5.1];
    assert_eq!(t.arrivals.len(), want.len(), "{:?}", t.arrivals);
    for (a, w) in t.arrivals.iter().zip(want) {
        assert!((a - w).abs() < 1e-12, "{:?}", t.arrivals);
    }
    assert_eq!(t.pauses, [(0.0, 2.5)]);
}

#[test]
fn the_trace_is_the_worlds_ground_truth() {
    let mut c = config(Dist::exponential(0.5).unwrap(), 0.2, Some(150.0), 200.0);
    c.pauses = vec![(30.0, 4.0), (500.0, 1.0)];
    let t = c.simulate(3).unwrap();
    // Sends at 0, 1, …, 149; the slots at 30..=33 fall in the pause and are sent once at 34.
    assert_eq!(t.sent, 146);
    assert!(t.lost > 10 && t.lost < 50, "{t:?}");
    // Some heartbeats are overtaken by later ones (delays of mean 0.5 s): stale, not listed.
    assert!((t.arrivals.len() as u64) < t.sent - t.lost, "{t:?}");
    assert!(t.arrivals.windows(2).all(|w| w[0] <= w[1]));
    // Only what happened by `until`: the pause at 500 s did not.
    assert_eq!(t.pauses, [(30.0, 4.0)]);
    assert_eq!(t.crash_at_s, Some(150.0));
    let late = config(Dist::constant(0.1).unwrap(), 0.0, Some(300.0), 200.0)
        .simulate(1)
        .unwrap();
    assert_eq!(late.crash_at_s, None);
}

#[test]
fn phi_reaches_its_threshold_exactly_at_the_deadline() {
    let c = config(Dist::lognormal(0.1, 0.05).unwrap(), 0.01, None, 200.0);
    let t = c.simulate(3).unwrap();
    let mut d = PhiAccrual::new(100, 8.0, 0.01, 3.0).unwrap();
    let mut last_deadline = 0.0;
    for &a in &t.arrivals {
        last_deadline = d.heartbeat(a);
    }
    let (mean, sd) = d.model().unwrap();
    assert!((mean - 1.0).abs() < 0.05, "mean gap {mean}");
    assert!(
        (d.phi(last_deadline) - 8.0).abs() < 1e-9,
        "φ = {}",
        d.phi(last_deadline)
    );
    assert!(d.phi(last_deadline - 0.01) < 8.0);
    // φ = 1 when one gap in ten is longer: mean + 1.2816 sd.
    let last = *t.arrivals.last().unwrap();
    assert!((d.phi(last + mean + 1.281_551_565_545 * sd) - 1.0).abs() < 1e-9);
}

#[test]
fn longer_timeouts_trade_mistakes_for_detection_time() {
    // Heavy-tailed delays with 2% loss. 32 replications of 2000 s with a crash at 1900 s; the
    // ordering must hold for the means of both metrics, each by more than 3 SE of the difference.
    let c = config(Dist::lognormal(0.2, 0.3).unwrap(), 0.02, Some(1900.5), 2000.0);
    let timeouts = [1.2, 2.0, 3.0];
    let per_rep: Vec<Vec<(f64, f64)>> = replicate(32, 7, |s| {
        let t = c.simulate(s).unwrap();
        timeouts
            .iter()
            .map(|&to| {
                let q = evaluate(&t, &mut FixedTimeout { timeout: to });
                (q.mistake_rate(), q.detection_time.unwrap())
            })
            .collect()
    });
    for i in 0..timeouts.len() - 1 {
        let d_mistakes: Vec<f64> = per_rep.iter().map(|r| r[i].0 - r[i + 1].0).collect();
        let d_detect: Vec<f64> = per_rep.iter().map(|r| r[i + 1].1 - r[i].1).collect();
        let (m, d) = (Estimate::of(&d_mistakes), Estimate::of(&d_detect));
        assert!(
            m.mean > 3.0 * m.se,
            "mistakes do not fall from {} s to {} s: {m:?}",
            timeouts[i],
            timeouts[i + 1]
        );
        assert!(d.mean > 3.0 * d.se, "detection does not slow: {d:?}");
    }
}

#[test]
fn adaptive_and_phi_detectors_follow_a_slower_network() {
    // A slower, more variable path (delay mean 0.6 s, sd 0.5 s) than the 1.3 s fixed timeout
    // was chosen for. The adaptive detectors set their deadlines from the gaps they observe, so
    // they make far fewer mistakes than the fixed timeout.
    let slow = config(Dist::lognormal(0.6, 0.5).unwrap(), 0.0, None, 3000.0);
    let t = slow.simulate(9).unwrap();
    let fixed = evaluate(&t, &mut FixedTimeout { timeout: 1.3 });
    let mut adaptive = AdaptiveTimeout::new(200, 0.99, 0.1, 3.0).unwrap();
    let mut phi = PhiAccrual::new(200, 3.0, 0.05, 3.0).unwrap();
    let a = evaluate(&t, &mut adaptive);
    let p = evaluate(&t, &mut phi);
    assert!(
        fixed.mistakes > 5 * (a.mistakes + 1),
        "fixed {} vs adaptive {}",
        fixed.mistakes,
        a.mistakes
    );
    assert!(
        fixed.mistakes > 5 * (p.mistakes + 1),
        "fixed {} vs phi {}",
        fixed.mistakes,
        p.mistakes
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// The adaptive timeout keeps its window in order as gaps come and go; its deadline is
    /// always the nearest-rank percentile of the last `window` gaps, sorted afresh, plus the
    /// margin: repeated gaps (a constant delay), windows of 1 and windows longer than the run.
    #[test]
    fn adaptive_timeout_is_the_percentile_of_its_window(
        steps in proptest::collection::vec(0u8..6, 1..300),
        window in 1usize..40,
        percentile in 0.01f64..=1.0,
    ) {
        let mut d = AdaptiveTimeout::new(window, percentile, 0.25, 3.0).unwrap();
        let mut now = 0.0;
        let mut arrivals: Vec<f64> = Vec::new();
        for s in steps {
            now += 0.25 * f64::from(s) + 0.5;
            arrivals.push(now);
            let deadline = d.heartbeat(now);
            let gaps: Vec<f64> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
            let mut recent = gaps[gaps.len().saturating_sub(window)..].to_vec();
            recent.sort_by(f64::total_cmp);
            let expected = if recent.len() < 2 {
                now + 3.0
            } else {
                let rank = (percentile * recent.len() as f64).ceil() as usize;
                now + recent[rank.clamp(1, recent.len()) - 1] + 0.25
            };
            proptest::prop_assert_eq!(deadline, expected);
        }
    }
}

#[test]
fn suspicion_intervals_are_between_arrivals() {
    let s = suspicions(&[0.0, 1.0, 5.0, 5.5], &mut FixedTimeout { timeout: 2.0 }, 10.0);
    assert_eq!(s, [(3.0, 5.0), (7.5, 10.0)]);
}

#[test]
fn the_same_seed_gives_the_same_trace() {
    let c = config(Dist::exponential(0.1).unwrap(), 0.1, Some(50.0), 100.0);
    assert_eq!(c.simulate(5).unwrap(), c.simulate(5).unwrap());
    assert_ne!(c.simulate(5).unwrap(), c.simulate(6).unwrap());
}

#[test]
fn bad_parameters_are_typed_errors() {
    let mut c = config(Dist::constant(0.1).unwrap(), 0.0, None, 10.0);
    c.interval_s = 0.0;
    assert!(matches!(c.simulate(1), Err(Error::InvalidParameter { .. })));
    let c = config(Dist::normal(0.1, 0.5).unwrap(), 0.0, None, 10.0);
    assert!(matches!(c.simulate(1), Err(Error::InvalidParameter { .. })));
    let c = config(Dist::constant(0.1).unwrap(), 1.5, None, 10.0);
    assert!(c.simulate(1).is_err());
    let mut c = config(Dist::constant(0.1).unwrap(), 0.0, None, 10.0);
    c.pauses = vec![(1.0, f64::INFINITY)];
    assert!(matches!(c.simulate(1), Err(Error::InvalidParameter { .. })));
    assert!(PhiAccrual::new(1, 8.0, 0.1, 1.0).is_err());
    assert!(PhiAccrual::new(10, -1.0, 0.1, 1.0).is_err());
    assert!(AdaptiveTimeout::new(0, 0.99, 0.0, 1.0).is_err());
    assert!(AdaptiveTimeout::new(10, 1.5, 0.0, 1.0).is_err());
}

#[test]
fn malformed_rtt_files_are_typed_errors_naming_the_line() {
    let dir = std::env::temp_dir().join(format!("faultline-rtt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let bad = write("bad.csv", "seq,rtt_ms\n1,20.5\n2,abc\n");
    let e = load_rtts(&bad).unwrap_err();
    assert!(matches!(e, Error::Data { line: 3, .. }), "{e}");
    let neg = write("neg.csv", "seq,rtt_ms\n1,20.5\n2,-3\n");
    let e = load_rtts(&neg).unwrap_err();
    assert!(matches!(e, Error::Data { line: 3, .. }), "{e}");
    assert!(e.to_string().contains("rtt_ms"), "{e}");
    let empty = write("empty.csv", "seq,rtt_ms\n");
    assert!(matches!(load_rtts(&empty), Err(Error::Data { .. })));
    assert!(load_rtts(&dir.join("missing.csv")).is_err());
    std::fs::remove_dir_all(&dir).ok();
}

/// `data/rtt.csv` is synthetic: this test regenerates it from the model in
/// `faultline::detect::synthetic_rtts_ms` and checks the committed file matches. To rewrite it
/// after changing the model: `FAULTLINE_REGENERATE_DATA=1 cargo test --test detect rtt_csv`.
#[test]
fn rtt_csv_is_what_the_generator_makes() {
    let rtts = synthetic_rtts_ms(RTT_ROWS, RTT_SEED);
    let mut body = String::from(
        "# Synthetic round-trip times, generated by faultline::detect::synthetic_rtts_ms(2000, 4):\n\
         # 20 ms propagation + lognormal queueing (mean 4 ms, sd 6 ms) + 200 ms retransmission w.p. 1%.\n\
         # Regenerate with FAULTLINE_REGENERATE_DATA=1 cargo test --test detect rtt_csv.\n\
         seq,rtt_ms\n",
    );
    for (i, r) in rtts.iter().enumerate() {
        body.push_str(&format!("{},{:.3}\n", i + 1, r));
    }
    let path = faultline::data::data_dir().join("rtt.csv");
    if std::env::var_os("FAULTLINE_REGENERATE_DATA").is_some() {
        std::fs::write(&path, &body).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == body,
        "data/rtt.csv differs from its generator; see this test's doc"
    );
    let loaded = load_rtts(&path).unwrap();
    assert_eq!(loaded.len(), RTT_ROWS);
}

const RTT_ROWS: usize = 2000;
const RTT_SEED: u64 = 4;
