//! Chapter 8's library: leases, pauses and fencing tokens on the world simulator, over many
//! seeded pause schedules.

use faultline::lease::{LeaseConfig, LeaseOp, Policies, simulate, simulate_with};
use faultline::world::NodeEvent;

const SEEDS: u64 = 40;

#[test]
fn without_fencing_stale_writes_corrupt_data() {
    let cfg = LeaseConfig::default();
    let mut stale = 0;
    for seed in 0..SEEDS {
        let out = simulate_with(&cfg, Policies::no_fencing(), seed).unwrap();
        assert!(out.writes.iter().all(|w| w.accepted));
        stale += out.stale_accepted();
    }
    assert!(stale > 0, "no stale write in {SEEDS} schedules");
}

#[test]
fn with_fencing_no_stale_write_is_accepted_and_no_valid_write_rejected() {
    let cfg = LeaseConfig::default();
    let (mut rejected, mut writes) = (0, 0);
    for seed in 0..SEEDS {
        let out = simulate(&cfg, seed).unwrap();
        assert_eq!(out.stale_accepted(), 0, "seed {seed}");
        assert_eq!(out.valid_rejected(), 0, "seed {seed}");
        rejected += out.writes.iter().filter(|w| !w.accepted).count();
        writes += out.writes.len();
        // Tokens only grow, one per grant, and leases never overlap at the lock service.
        for (k, g) in out.grants.iter().enumerate() {
            assert_eq!(g.token, k as u64 + 1);
            if k > 0 {
                assert!(g.from_s >= out.grants[k - 1].until_s);
            }
        }
    }
    assert!(writes > 1000, "{writes}");
    assert!(rejected > 0, "fencing never had to reject anything");
}

#[test]
fn the_same_schedules_make_the_same_stale_writes_rejected() {
    // Fencing turns exactly the stale writes into rejections: runs agree until the first
    // stale write, whose rejection then shows in the fenced run.
    for seed in 0..SEEDS {
        let bare = simulate_with(&LeaseConfig::default(), Policies::no_fencing(), seed).unwrap();
        let fenced = simulate(&LeaseConfig::default(), seed).unwrap();
        if let Some(&first) = bare.stale().first() {
            assert_eq!(bare.writes[..first], fenced.writes[..first]);
            assert!(!fenced.writes[first].accepted, "seed {seed}");
        } else {
            assert_eq!(bare.writes, fenced.writes);
        }
    }
}

#[test]
fn pauses_fall_between_check_and_write() {
    let out = simulate(&LeaseConfig::default(), 3).unwrap();
    let mids = out
        .node_events
        .iter()
        .filter(|e| matches!(e, NodeEvent::Paused { mid_handler: true, .. }))
        .count();
    assert_eq!(mids, 9);
    // Some write's clock reading was taken before a pause, its true time after it.
    let paused_writes: usize = (0..SEEDS)
        .map(|seed| {
            simulate(&LeaseConfig::default(), seed)
                .unwrap()
                .history
                .iter()
                .filter(|op| {
                    matches!(op.op, LeaseOp::Write { .. }) && op.invoked_at_s - op.invoked_local.monotonic > 2.0
                })
                .count()
        })
        .sum();
    assert!(paused_writes > 0);
}

#[test]
fn a_lease_timed_on_a_slow_clock_without_a_margin_expires_late_in_true_time() {
    let cfg = LeaseConfig {
        lease_s: 60.0,
        max_pause_s: 0.0,
        drift_ppm: 200.0,
        slowest_clocks: true,
        link_delay_s: 0.0,
        until_s: 600.0,
        ..Default::default()
    };
    let out = simulate(&cfg, 1).unwrap();
    let overruns = out.belief_overrun_s();
    assert!(overruns.len() >= 5);
    for (_, late) in &overruns {
        // 60 s on a clock 200 ppm slow: 60 / (1 − 2e-4) − 60 ≈ 12 ms late.
        assert!((late - 0.012).abs() < 2e-4, "{late}");
    }
    // With a margin for the drift, the belief ends in time.
    let safe = LeaseConfig {
        assumed_drift_ppm: 200.0,
        ..cfg
    };
    let out = simulate(&safe, 1).unwrap();
    assert!(out.belief_overrun_s().iter().all(|(_, late)| *late <= 0.0));
    assert_eq!(out.late_accepted(), 0);
}

#[test]
fn a_margin_for_pause_and_drift_keeps_every_write_inside_its_lease() {
    for seed in 0..SEEDS {
        let cfg = LeaseConfig {
            max_pause_s: 3.0,
            assumed_pause_s: 3.0,
            assumed_drift_ppm: 200.0,
            ..Default::default()
        };
        let out = simulate_with(&cfg, Policies::no_fencing(), seed).unwrap();
        assert_eq!(out.late_accepted(), 0, "seed {seed}");
        assert_eq!(out.stale_accepted(), 0, "seed {seed}");
    }
}

#[test]
fn bad_parameters_are_typed_errors() {
    let bad = [
        LeaseConfig {
            lease_s: -1.0,
            ..Default::default()
        },
        LeaseConfig {
            lease_s: f64::NAN,
            ..Default::default()
        },
        LeaseConfig {
            max_pause_s: f64::NAN,
            ..Default::default()
        },
        LeaseConfig {
            max_pause_s: -2.0,
            ..Default::default()
        },
        LeaseConfig {
            clients: 0,
            ..Default::default()
        },
    ];
    for cfg in bad {
        let e = simulate(&cfg, 1).unwrap_err().to_string();
        assert!(
            e.contains("lease_s") || e.contains("max_pause_s") || e.contains("clients"),
            "{e}"
        );
    }
}

#[test]
fn the_timeline_shows_a_stale_write_without_fencing_and_its_rejection_with() {
    use faultline::exercises::leases::lease_timeline_figure;
    let bare = lease_timeline_figure(false, 2026).unwrap().to_svg().unwrap();
    let fenced = lease_timeline_figure(true, 2026).unwrap().to_svg().unwrap();
    assert!(bare.contains("STALE write") && !bare.contains("rejected token"));
    assert!(fenced.contains("rejected token") && !fenced.contains("STALE write"));
}
