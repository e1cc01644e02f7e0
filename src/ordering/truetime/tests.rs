use super::*;
use crate::ordering::can_commit;

#[test]
fn intervals_contain_true_time_when_the_drift_bound_holds() {
    // 200 nodes with crystals within ±150 ppm under a 200 ppm bound, read every 0.7 s for
    // 5 minutes: true time is inside every interval.
    for seed in 0..200 {
        let osc = OscillatorConfig {
            offset_ppm: -150.0 + 1.5 * seed as f64,
            tempco_ppm_per_c2: 0.0,
            ..Default::default()
        };
        let mut tt = TrueTime::new(TrueTimeConfig::default(), osc, seed).unwrap();
        for k in 0..430 {
            tt.advance_to(0.7 * k as f64).unwrap();
            assert!(tt.now().contains(tt.true_unix()), "seed {seed}, t {}", 0.7 * k as f64);
        }
    }
    // A crystal beyond the bound breaks the promise: 500 ppm against 200.
    let osc = OscillatorConfig {
        offset_ppm: 500.0,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    };
    let mut tt = TrueTime::new(TrueTimeConfig::default(), osc, 1).unwrap();
    tt.advance_to(29.0).unwrap();
    assert!(!tt.now().contains(tt.true_unix()));
}

#[test]
fn commit_wait_orders_by_real_time_in_every_trial_and_costs_two_epsilon() {
    for seed in 0..20 {
        let out = with_commit_wait(&CommitWaitConfig::default(), seed).unwrap();
        assert!(out.intervals_held, "seed {seed}");
        assert_eq!((out.violations, out.gave_up), (0, 0), "seed {seed}");
        // Waiting until earliest > s takes 2ε/(1 − bound) plus at most one poll step.
        let (w, e) = (out.mean_wait(), out.mean_epsilon());
        assert!(
            w >= 2.0 * e * 0.999 && w <= 2.0 * e * 1.01 + 1e-4,
            "seed {seed}: wait {w}, ε {e}"
        );
    }
}

#[test]
fn without_commit_wait_skewed_clocks_order_against_real_time() {
    let total: usize = (0..10)
        .map(|seed| {
            simulate(&CommitWaitConfig::default(), |_, _| true, seed)
                .unwrap()
                .violations
        })
        .sum();
    assert!(total > 0);
}

#[test]
fn negative_drift_bound_is_an_error() {
    let cfg = TrueTimeConfig {
        drift_bound_ppm: -1.0,
        ..Default::default()
    };
    let err = TrueTime::new(cfg, OscillatorConfig::default(), 0).unwrap_err();
    assert!(err.to_string().contains("drift_bound_ppm"), "{err}");
    assert!(
        simulate(
            &CommitWaitConfig {
                nodes: 1,
                ..Default::default()
            },
            can_commit,
            0
        )
        .is_err()
    );
}
