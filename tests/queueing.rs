//! The queue simulators against the closed forms in `faultline::queueing::theory`.
//!
//! Tolerances: every comparison runs independent replications (one seed each, in parallel),
//! takes the mean of the per-replication estimates and its standard error (SE) from their
//! spread, and accepts when theory lies within 4 SE (a false alarm about once in 16 000 per
//! comparison if the simulator is right). So that "within 4 SE" cannot hide a useless,
//! noisy estimate, each test also requires the SE itself to be small against the value
//! (the `precision` argument, stated per test). The queue starts empty; the first `WARMUP`
//! customers of each replication are discarded, far more than the relaxation time at
//! ρ = 0.9 (about 1/(1 − √ρ)² ≈ 380 service times).

use faultline::Error;
use faultline::queueing::theory::{Mm1, erlang_c, md1_mean_wait, mg1_mean_wait, mm1k_blocking, mmc_mean_wait};
use faultline::queueing::{
    Network, RunOptions, Station, latency_at, lindley_mean_wait, lindley_waits, lindley_waits_from, sweep,
};
use faultline::sim::{Dist, Estimate, quantile};

const WARMUP: usize = 20_000;
const K_SE: f64 = 4.0;

fn agree(what: &str, per_rep: &[f64], theory: f64, precision: f64) {
    let e = Estimate::of(per_rep);
    eprintln!(
        "{what}: sim {:.5} ± {:.5} (SE, {:.2}%), theory {theory:.5}, {:.2} SE apart",
        e.mean,
        e.se,
        100.0 * e.se / theory.abs(),
        (e.mean - theory).abs() / e.se
    );
    assert!(
        e.se <= precision * theory.abs(),
        "{what}: SE {} is over {}% of {theory}: too few customers for a meaningful test",
        e.se,
        precision * 100.0
    );
    assert!(
        e.agrees_with(theory, K_SE),
        "{what}: simulated {} ± {} (SE, {} reps), theory {theory}: {:.1} SE apart",
        e.mean,
        e.se,
        e.n,
        (e.mean - theory).abs() / e.se
    );
}

fn mean_wait_after_warmup(interarrival: &Dist, service: &Dist, n: usize, seed: u64) -> f64 {
    let w = lindley_waits(interarrival, service, (n + WARMUP) as u64, seed).unwrap();
    w[WARMUP..].iter().sum::<f64>() / n as f64
}

#[test]
fn lindley_and_event_engine_give_the_same_waits_for_the_same_seed() {
    let services = [
        Dist::exponential(1.0).unwrap(),
        Dist::lognormal(1.0, 2.0).unwrap(),
        Dist::constant(1.0).unwrap(),
        Dist::pareto(0.4, 2.5).unwrap(),
    ];
    for (i, service) in services.iter().enumerate() {
        let interarrival = Dist::exponential(service.mean() / 0.85).unwrap();
        let seed = 100 + i as u64;
        let fast = lindley_waits(&interarrival, service, 50_000, seed).unwrap();
        let net = Network::new(interarrival, vec![Station::single(*service)]).unwrap();
        let slow = net.run(50_000, seed, &RunOptions::default()).unwrap();
        assert_eq!(slow.stations[0].waits.len(), fast.len());
        for (n, (a, b)) in fast.iter().zip(&slow.stations[0].waits).enumerate() {
            // The engine works in absolute times, the recursion in differences: rounding only.
            assert!(
                (a - b).abs() <= 1e-9 * (1.0 + slow.now),
                "{service:?}, customer {n}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn lindley_recursion_on_given_sequences() {
    let gaps = [0.0, 1.0, 1.0, 10.0];
    let svc = [2.0, 2.0, 0.5, 1.0];
    assert_eq!(lindley_waits_from(&gaps, &svc), [0.0, 1.0, 2.0, 0.0]);
}

#[test]
fn mm1_mean_wait_matches_theory_at_several_utilisations() {
    // 16 replications of 1M customers: at ρ = 0.9 the asymptotic variance of the mean wait is
    // ≈ 3.6·10⁴/n (Daley), so SE ≈ 0.05 against W_q = 9: 0.5%. Precision required: 1%.
    for rho in [0.3, 0.5, 0.8, 0.9] {
        let theory = Mm1::new(rho, 1.0).unwrap();
        let ia = Dist::exponential(1.0 / rho).unwrap();
        let sv = Dist::exponential(1.0).unwrap();
        let per_rep = sweep(16, 11, |s| mean_wait_after_warmup(&ia, &sv, 1_000_000, s));
        agree(&format!("M/M/1 W_q at ρ = {rho}"), &per_rep, theory.mean_wait(), 0.01);
    }
}

#[test]
fn mm1_response_time_percentiles_match_the_exponential_tail() {
    // Response time of M/M/1 is Exp(μ − λ): p-quantile −ln(1 − p)/(μ − λ). 16 replications of
    // 1M customers. Near saturation consecutive responses are strongly correlated, so at
    // ρ = 0.9 a replication holds far fewer than 1M independent values: the measured SEs there
    // are about 0.3% (p50), 1.2% (p99) and 2.9% (p99.9). Required precision: 1.5%, 2%, 5%.
    for rho in [0.5, 0.8, 0.9] {
        let theory = Mm1::new(rho, 1.0).unwrap();
        let sv = Dist::exponential(1.0).unwrap();
        let per_rep = sweep(16, 12, |s| latency_at(rho, &sv, 1_000_000, WARMUP as u64, s).unwrap());
        for (name, p, prec, pick) in [
            (
                "p50",
                0.5,
                0.015,
                (|l: &faultline::queueing::Latency| l.p50) as fn(&_) -> f64,
            ),
            ("p99", 0.99, 0.02, |l| l.p99),
            ("p99.9", 0.999, 0.05, |l| l.p999),
        ] {
            let xs: Vec<f64> = per_rep.iter().map(pick).collect();
            agree(
                &format!("M/M/1 response {name} at ρ = {rho}"),
                &xs,
                theory.response_quantile(p).unwrap(),
                prec,
            );
        }
        let means: Vec<f64> = per_rep.iter().map(|l| l.mean).collect();
        agree(&format!("M/M/1 W at ρ = {rho}"), &means, theory.mean_response(), 0.01);
    }
}

#[test]
fn event_engine_tail_percentiles_match_theory() {
    // The same tail check through the general engine, at ρ = 0.8 (16 × 200k customers).
    let theory = Mm1::new(0.8, 1.0).unwrap();
    let net = Network::mm1(0.8, 1.0).unwrap();
    let per_rep = sweep(16, 13, |s| {
        let mut r = net.run(200_000, s, &RunOptions::default()).unwrap().responses;
        r.drain(..WARMUP);
        [quantile(&mut r, 0.5), quantile(&mut r, 0.99)]
    });
    for (i, p) in [0.5, 0.99].into_iter().enumerate() {
        let xs: Vec<f64> = per_rep.iter().map(|q| q[i]).collect();
        agree(
            &format!("engine p{}", p * 100.0),
            &xs,
            theory.response_quantile(p).unwrap(),
            0.02,
        );
    }
}

#[test]
fn pollaczek_khinchine_for_general_service() {
    // M/D/1, M/G/1 with uniform and with lognormal (C² = 4) service, at ρ = 0.5 and 0.8.
    // 16 × 1M customers; the lognormal's heavier tail makes its estimate the noisiest, hence
    // the 2% precision.
    for rho in [0.5, 0.8] {
        let cases = [
            ("M/D/1", Dist::constant(1.0).unwrap(), md1_mean_wait(rho, 1.0).unwrap()),
            ("M/U/1", Dist::uniform(0.5, 1.5).unwrap(), f64::NAN),
            ("M/LN/1", Dist::lognormal(1.0, 2.0).unwrap(), f64::NAN),
        ];
        for (name, sv, closed) in cases {
            let theory = mg1_mean_wait(rho, &sv).unwrap();
            if closed.is_finite() {
                assert!((closed - theory).abs() < 1e-12);
            }
            let ia = Dist::exponential(1.0 / rho).unwrap();
            let per_rep = sweep(16, 14, |s| mean_wait_after_warmup(&ia, &sv, 1_000_000, s));
            agree(&format!("{name} W_q at ρ = {rho}"), &per_rep, theory, 0.02);
        }
    }
}

#[test]
fn erlang_c_for_multi_server_stations() {
    // M/M/3 at ρ = 0.6 and 0.85: P(wait) and W_q from the event engine, 16 × 300k customers.
    for rho in [0.6, 0.85] {
        let (c, mu) = (3u32, 1.0);
        let lambda = rho * f64::from(c) * mu;
        let station = Station {
            servers: c,
            capacity: None,
            service: Dist::exponential(1.0 / mu).unwrap(),
        };
        let net = Network::new(Dist::exponential(1.0 / lambda).unwrap(), vec![station]).unwrap();
        let per_rep = sweep(16, 15, |s| {
            let out = net.run(300_000, s, &RunOptions::default()).unwrap();
            let w = &out.stations[0].waits[WARMUP..];
            let waited = w.iter().filter(|&&x| x > 0.0).count() as f64 / w.len() as f64;
            (w.iter().sum::<f64>() / w.len() as f64, waited)
        });
        let waits: Vec<f64> = per_rep.iter().map(|r| r.0).collect();
        let waited: Vec<f64> = per_rep.iter().map(|r| r.1).collect();
        agree(
            &format!("M/M/3 W_q at ρ = {rho}"),
            &waits,
            mmc_mean_wait(c, lambda, mu).unwrap(),
            0.02,
        );
        agree(
            &format!("M/M/3 P(wait) at ρ = {rho}"),
            &waited,
            erlang_c(c, lambda, mu).unwrap(),
            0.02,
        );
    }
}

#[test]
fn finite_buffer_blocking_matches_mm1k() {
    // A switch port with room for K = 8 packets: drop fraction against (1−ρ)ρ^K/(1−ρ^{K+1}),
    // under light, heavy and over-load (a finite buffer is stable at any ρ). By PASTA, the
    // fraction of arrivals that find the station full is the time-fraction it is full.
    for rho in [0.7, 0.95, 1.3] {
        let station = Station {
            servers: 1,
            capacity: Some(8),
            service: Dist::exponential(1.0).unwrap(),
        };
        let net = Network::new(Dist::exponential(1.0 / rho).unwrap(), vec![station]).unwrap();
        let per_rep = sweep(16, 16, |s| {
            let out = net
                .run(
                    300_000,
                    s,
                    &RunOptions {
                        record: false,
                        limits: None,
                    },
                )
                .unwrap();
            assert_eq!(out.completed + out.dropped(), 300_000);
            out.stations[0].drop_fraction()
        });
        agree(
            &format!("M/M/1/8 blocking at ρ = {rho}"),
            &per_rep,
            mm1k_blocking(rho, 1.0, 8).unwrap(),
            0.03,
        );
    }
}

#[test]
fn tandem_queues_add_up_and_servers_are_busy_rho_of_the_time() {
    // Two exponential stations in a chain (Burke: the output of M/M/1 is Poisson), so the mean
    // response is 1/(μ₁ − λ) + 1/(μ₂ − λ). And each server is busy a fraction ρ of the time
    // (Little's law applied to the servers).
    let lambda = 0.6;
    let net = Network::new(
        Dist::exponential(1.0 / lambda).unwrap(),
        vec![
            Station::single(Dist::exponential(1.0).unwrap()),
            Station::single(Dist::exponential(1.0 / 1.5).unwrap()),
        ],
    )
    .unwrap();
    let per_rep = sweep(16, 17, |s| {
        let out = net.run(300_000, s, &RunOptions::default()).unwrap();
        let r = &out.responses[WARMUP..];
        (
            r.iter().sum::<f64>() / r.len() as f64,
            out.stations[1].busy_time / out.now,
        )
    });
    let resp: Vec<f64> = per_rep.iter().map(|r| r.0).collect();
    let busy: Vec<f64> = per_rep.iter().map(|r| r.1).collect();
    agree("tandem W", &resp, 1.0 / (1.0 - lambda) + 1.0 / (1.5 - lambda), 0.01);
    agree("station 2 busy fraction", &busy, lambda / 1.5, 0.01);
}

#[test]
fn streaming_mean_equals_stored_mean_and_runs_are_reproducible() {
    let ia = Dist::exponential(1.0 / 0.9).unwrap();
    let sv = Dist::exponential(1.0).unwrap();
    let w = lindley_waits(&ia, &sv, 100_000, 3).unwrap();
    let m = lindley_mean_wait(&ia, &sv, 100_000, 3).unwrap();
    assert!((w.iter().sum::<f64>() / w.len() as f64 - m).abs() < 1e-9);
    let net = Network::mm1(0.9, 1.0).unwrap();
    assert_eq!(
        net.run(10_000, 5, &RunOptions::default()).unwrap(),
        net.run(10_000, 5, &RunOptions::default()).unwrap()
    );
}

#[test]
fn bad_input_is_rejected_with_a_typed_error() {
    let e = |m: f64| Dist::exponential(m).unwrap();
    assert!(matches!(Network::mm1(1.0, 1.0), Err(Error::Unstable { .. })));
    assert!(matches!(Network::mm1(-1.0, 1.0), Err(Error::InvalidParameter { .. })));
    assert!(matches!(Network::new(e(1.0), vec![]), Err(Error::Empty { .. })));
    let zero_servers = Station {
        servers: 0,
        capacity: None,
        service: e(0.5),
    };
    assert!(matches!(
        Network::new(e(1.0), vec![zero_servers]),
        Err(Error::InvalidParameter { .. })
    ));
    let zero_buffer = Station {
        servers: 1,
        capacity: Some(0),
        service: e(0.5),
    };
    assert!(matches!(
        Network::new(e(1.0), vec![zero_buffer]),
        Err(Error::InvalidParameter { .. })
    ));
    let negative = Station::single(Dist::normal(0.5, 0.1).unwrap());
    assert!(matches!(
        Network::new(e(1.0), vec![negative]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        lindley_waits(&e(1.0), &e(1.5), 10, 1),
        Err(Error::Unstable { .. })
    ));
    assert!(lindley_waits(&e(1.0), &e(0.5), 0, 1).is_err());
    // A finite buffer may be overloaded: that is what drops are for.
    let full = Station {
        servers: 1,
        capacity: Some(4),
        service: e(2.0),
    };
    assert!(Network::new(e(1.0), vec![full]).is_ok());
}

#[test]
fn limits_bound_every_run() {
    let net = Network::mm1(0.5, 1.0).unwrap();
    let out = net
        .run(
            100_000,
            1,
            &RunOptions {
                record: false,
                limits: Some(faultline::sim::Limits {
                    until: 100.0,
                    max_events: u64::MAX,
                }),
            },
        )
        .unwrap();
    assert_eq!(out.stop, faultline::sim::Stop::TimeLimit);
    assert!(out.now <= 100.0 && out.completed < 100_000);
}
