//! Speed of chapter 11's truth and clocks on a history of about 10⁵ events over 16 nodes (a
//! gossip world: 4200 steps per node, half of them sends):
//!
//! * the happens-before oracle: events per second to build it from the record;
//! * vector clocks: events per second to stamp the history (the solution's rule), and pairs
//!   of stamps compared per second (the solution's `compare`, 10⁶ random pairs), with the
//!   stamps as one `Vec` each and laid out flat in one array;
//! * oracle queries (`relation`) per second, the same pairs.
//!
//! Each measurement is the median of several runs:
//!
//!     cargo bench --bench logical
//!
//! Output, one line each: `logical-<what> n=N seconds=S per_second=X` (n events, or pairs).

use std::time::Instant;

use faultline::logical::{GossipConfig, HappensBefore, stamps};
use rand::Rng;

#[path = "../solutions/11_logical_clocks.rs"]
#[allow(dead_code)]
mod solution;

const REPEATS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn timed<T>(f: impl Fn() -> T) -> f64 {
    median(
        (0..REPEATS)
            .map(|_| {
                let t0 = Instant::now();
                std::hint::black_box(f());
                t0.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn report(what: &str, n: usize, s: f64) {
    println!("logical-{what} n={n} seconds={s:.4} per_second={:.3e}", n as f64 / s);
}

fn main() {
    let cfg = GossipConfig {
        nodes: 16,
        steps_per_node: 4200,
        mean_gap_s: 0.01,
        send_probability: 0.5,
        ..Default::default()
    };
    let t0 = Instant::now();
    let out = cfg.simulate(1).expect("valid config");
    let h = &out.history;
    let n = h.len();
    report("gossip-world", n, t0.elapsed().as_secs_f64());
    report("oracle", n, timed(|| HappensBefore::new(h).len()));
    report(
        "vector-stamps",
        n,
        timed(|| stamps::vector(h, solution::vector_receive).expect("lengths").len()),
    );
    let v = stamps::vector(h, solution::vector_receive).expect("lengths");
    let hb = HappensBefore::new(h);
    let mut rng = faultline::sim::rng(7);
    let pairs: Vec<(usize, usize)> = (0..1_000_000)
        .map(|_| (rng.random_range(0..n), rng.random_range(0..n)))
        .collect();
    report(
        "vector-compare-pairs",
        pairs.len(),
        timed(|| {
            pairs
                .iter()
                .filter(|&&(a, b)| solution::compare(&v[a], &v[b]) == faultline::logical::Causality::Concurrent)
                .count()
        }),
    );
    // The same comparisons on the stamps laid out in one flat array (one allocation, no pointer
    // to chase per stamp).
    let k = h.nodes();
    let flat: Vec<u64> = v.iter().flatten().copied().collect();
    report(
        "vector-compare-pairs-flat",
        pairs.len(),
        timed(|| {
            pairs
                .iter()
                .filter(|&&(a, b)| {
                    solution::compare(&flat[a * k..a * k + k], &flat[b * k..b * k + k])
                        == faultline::logical::Causality::Concurrent
                })
                .count()
        }),
    );
    report(
        "oracle-relation-pairs",
        pairs.len(),
        timed(|| {
            pairs
                .iter()
                .filter(|&&(a, b)| hb.relation(a, b) == faultline::logical::Causality::Concurrent)
                .count()
        }),
    );
}
