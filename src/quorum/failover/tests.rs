//! The failover world against the closed form of the module doc.

use super::*;

/// The three settings the lab measures on etcd: (heartbeat, election timeout), seconds.
const SETTINGS: [(f64, f64); 3] = [(0.050, 0.250), (0.100, 0.500), (0.100, 1.000)];

const RUNS: usize = 1000;

#[test]
fn every_failover_elects_a_new_leader_of_a_higher_term_no_sooner_than_t_minus_h() {
    for (h, t) in SETTINGS {
        let cfg = FailoverConfig::loopback(h, t);
        for f in failovers(&cfg, RUNS, 9).unwrap() {
            let (Some(new), Some(term), Some(fo)) = (f.new_leader, f.new_term, f.failover_s) else {
                panic!(
                    "h = {h}, T = {t}: nobody won after the pause at {} s: {f:?}",
                    f.paused_at_s
                );
            };
            assert_ne!(new, f.old_leader, "{f:?}");
            assert!(term > f.old_term, "{f:?}");
            // A follower heard the leader at most one heartbeat before the pause and waits ≥ T.
            assert!(fo > t - h, "h = {h}, T = {t}: failover {fo} s ≤ T − h: {f:?}");
        }
    }
}

#[test]
fn the_simulated_distribution_is_the_closed_form() {
    for (h, t) in SETTINGS {
        let cfg = FailoverConfig::loopback(h, t);
        let times = failover_times(&cfg, RUNS, 2026).unwrap();
        // Kolmogorov–Smirnov: under the closed form, sup |F_n − F| exceeds 1.63/√n with
        // probability 1 %; the seeds are fixed, so this either always passes or never does.
        let n = times.len() as f64;
        let ks = times
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = predicted_cdf(&cfg, x);
                (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
            })
            .fold(0.0, f64::max);
        assert!(
            ks <= 1.63 / n.sqrt(),
            "h = {h}, T = {t}: KS distance {ks:.4} from the closed form (1 % bound {:.4})",
            1.63 / n.sqrt()
        );
        // The median, with its own tolerance: 4 standard errors of a sample median,
        // 1 / (2 f(m) √n), the density f of min(U₁, U₂) at its median being √2/T.
        let median = crate::sim::quantile_sorted(&times, 0.5);
        let want = predicted_median_s(&cfg);
        let se = t / (2.0 * std::f64::consts::SQRT_2 * n.sqrt());
        assert!(
            (median - want).abs() <= 4.0 * se,
            "h = {h}, T = {t}: median {median:.4} s, closed form {want:.4} s (± {:.4})",
            4.0 * se
        );
    }
}

#[test]
fn the_median_is_near_1_29_t_minus_half_a_heartbeat() {
    for (h, t) in SETTINGS {
        let cfg = FailoverConfig::loopback(h, t);
        let rough = (2.0 - std::f64::consts::FRAC_1_SQRT_2) * t - h / 2.0 + 3.0 * cfg.trip_s();
        let exact = predicted_median_s(&cfg);
        // Averaging over the phase S is a shift by h/2 up to the curvature of the CDF of the
        // minimum: a few per cent of h.
        assert!(
            (exact - rough).abs() <= 0.05 * h,
            "h = {h}, T = {t}: exact {exact:.5} s, rough {rough:.5} s"
        );
        assert!(predicted_cdf(&cfg, t - h) == 0.0 && predicted_cdf(&cfg, 2.0 * t + 0.01) == 1.0);
    }
}

#[test]
fn the_same_seed_gives_the_same_failovers() {
    let cfg = FailoverConfig::loopback(0.05, 0.25);
    assert_eq!(failovers(&cfg, 20, 3).unwrap(), failovers(&cfg, 20, 3).unwrap());
}

#[test]
fn bad_configs_are_errors() {
    let ok = FailoverConfig::loopback(0.1, 1.0);
    for bad in [
        FailoverConfig { members: 2, ..ok },
        FailoverConfig { heartbeat_s: 0.0, ..ok },
        FailoverConfig {
            election_timeout_s: 0.1,
            ..ok
        },
        FailoverConfig {
            election_timeout_s: f64::NAN,
            ..ok
        },
        FailoverConfig {
            link_delay_s: -1.0,
            ..ok
        },
    ] {
        assert!(simulate_failover(&bad, 1).is_err(), "{bad:?}");
    }
}
