//! Chapter 11's library against the truth, over many seeded gossip histories: the oracle
//! against brute-force reachability; the clock condition for Lamport clocks; vector clocks
//! characterising happens-before exactly; the bounds Kulkarni et al. (2014) prove for hybrid
//! logical clocks; version vectors keeping exactly the concurrent writes as siblings; typed
//! errors for bad input.

use faultline::Error;
use faultline::logical::{
    Causality, Event, GossipConfig, HappensBefore, History, Kind, Replica, Version, replicate, stamps,
};
use faultline::world::Fault;

#[path = "../solutions/11_logical_clocks.rs"]
#[allow(dead_code)]
mod rules;

fn run(seed: u64, nodes: usize, skew_s: f64) -> faultline::logical::LogicalOutcome {
    GossipConfig {
        nodes,
        steps_per_node: 30,
        mean_gap_s: 0.004,
        send_probability: 0.6,
        delay_s: 0.001,
        jitter_s: 0.004,
        loss: 0.05,
        skew_s,
        drift_ppm: 200.0,
        faults: Vec::new(),
    }
    .simulate(seed)
    .unwrap()
}

/// a → b by search over node order and messages, the slow way.
fn reachable(h: &History) -> Vec<Vec<bool>> {
    let n = h.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut last: Vec<Option<usize>> = vec![None; h.nodes()];
    for (i, e) in h.events().iter().enumerate() {
        if let Some(p) = last[e.node] {
            succ[p].push(i);
        }
        last[e.node] = Some(i);
        if let Kind::Receive { send } = e.kind {
            succ[send].push(i);
        }
    }
    (0..n)
        .map(|a| {
            let mut seen = vec![false; n];
            let mut stack = succ[a].clone();
            while let Some(x) = stack.pop() {
                if !std::mem::replace(&mut seen[x], true) {
                    stack.extend(&succ[x]);
                }
            }
            seen
        })
        .collect()
}

#[test]
fn the_oracle_is_reachability() {
    for seed in 0..20 {
        let out = run(seed, 2 + (seed as usize % 5), 0.005);
        let h = &out.history;
        let hb = HappensBefore::new(h);
        let r = reachable(h);
        for (a, row) in r.iter().enumerate() {
            for (b, &reach) in row.iter().enumerate() {
                assert_eq!(hb.happens_before(a, b), reach, "seed {seed}, {a} → {b}");
            }
        }
    }
}

#[test]
fn lamport_clocks_keep_the_clock_condition_but_do_not_characterise_it() {
    let mut concurrent_but_ordered = 0;
    for seed in 0..50 {
        let h = run(seed, 4, 0.005).history;
        let hb = HappensBefore::new(&h);
        let l = stamps::lamport(&h, rules::lamport);
        for a in 0..h.len() {
            for b in 0..h.len() {
                if hb.happens_before(a, b) {
                    assert!(l[a] < l[b], "seed {seed}: {a} → {b} but L = {} ≥ {}", l[a], l[b]);
                } else if hb.concurrent(a, b) && l[a] < l[b] {
                    concurrent_but_ordered += 1;
                }
            }
        }
    }
    // L(a) < L(b) does not imply a → b.
    assert!(concurrent_but_ordered > 0);
}

#[test]
fn vector_clocks_characterise_happens_before_exactly() {
    for seed in 0..50 {
        let h = run(seed, 2 + (seed as usize % 6), 0.005).history;
        let hb = HappensBefore::new(&h);
        let v = stamps::vector(&h, rules::vector_receive).unwrap();
        for a in 0..h.len() {
            // The vector stamp is the oracle's count of each node's events in the causal past.
            let past: Vec<u64> = hb.past(a).iter().map(|&x| u64::from(x)).collect();
            assert_eq!(v[a], past, "seed {seed}, event {a}");
            for b in 0..h.len() {
                assert_eq!(rules::compare(&v[a], &v[b]), hb.relation(a, b), "seed {seed}: {a}, {b}");
            }
        }
    }
}

#[test]
fn physical_readings_follow_each_nodes_clock_model() {
    let out = run(3, 5, 0.02);
    for e in out.history.events() {
        let model = out.clocks[e.node].at(e.true_s);
        assert!((model - e.physical_s).abs() < 1e-9, "{} vs {}", model, e.physical_s);
    }
}

/// The HLC bounds of Kulkarni et al. (2014) over 100 seeded histories: l never behind the
/// node's clock (Theorem 1), l the largest physical reading in the causal past (so never
/// ahead of the fastest clock, and at most the largest skew ε ahead of the node's own clock:
/// Corollary 1), and c at most the number of causal predecessors sharing l (Theorem 3).
#[test]
fn hybrid_logical_clocks_stay_within_the_papers_bounds() {
    let (mut worst_ratio, mut max_c) = (0.0f64, 0);
    for seed in 0..100 {
        let skew = [0.001, 0.005, 0.02, 0.1][seed as usize % 4];
        let out = run(seed, 3 + (seed as usize % 6), skew);
        let h = &out.history;
        let hb = HappensBefore::new(h);
        let s = stamps::hlc(h, rules::hlc);
        let eps = out.max_skew_s();
        for (f, e) in h.events().iter().enumerate() {
            let l = s[f].l_s;
            assert!(l >= e.physical_s, "seed {seed}, event {f}: l behind pt");
            assert!(
                l <= out.largest_physical_at(e.true_s) + 1e-12,
                "seed {seed}: l ahead of every clock"
            );
            assert!(l - e.physical_s <= eps + 1e-12, "seed {seed}: l − pt > ε");
            worst_ratio = worst_ratio.max((l - e.physical_s) / eps);
            let largest_past = (0..h.len())
                .filter(|&g| g == f || hb.happens_before(g, f))
                .map(|g| h.events()[g].physical_s)
                .fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(l, largest_past, "seed {seed}, event {f}");
            let sharing = (0..h.len())
                .filter(|&g| hb.happens_before(g, f) && s[g].l_s == l)
                .count();
            assert!(
                s[f].c as usize <= sharing,
                "seed {seed}, event {f}: c = {} > {sharing}",
                s[f].c
            );
            max_c = max_c.max(s[f].c);
        }
    }
    println!("largest (l − pt)/ε = {worst_ratio:.3}, largest c = {max_c}");
    assert!(worst_ratio <= 1.0 && max_c > 0);
}

#[test]
fn version_vectors_keep_exactly_the_concurrent_writes() {
    let mut dropped_by_lww = 0;
    for seed in 0..30 {
        let h = run(seed, 4, 0.02).history;
        let r = replicate(&h, rules::compare).unwrap();
        for n in 0..h.nodes() {
            let mut a = r.siblings[n].clone();
            let mut b = r.truly_concurrent[n].clone();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "seed {seed}, replica {n}");
            dropped_by_lww += r.lww_dropped(n);
        }
    }
    assert!(dropped_by_lww > 0, "last-write-wins never dropped a sibling");
}

#[test]
fn gossip_runs_through_pauses_crashes_and_partitions() {
    let out = GossipConfig {
        faults: vec![
            Fault::Pause {
                node: 1,
                at_s: 0.02,
                length_s: 0.03,
                mid_handler: false,
            },
            Fault::isolate(vec![0], 0.05, 0.08),
            Fault::Crash {
                node: 2,
                at_s: 0.1,
                recover_at_s: Some(0.12),
            },
        ],
        ..Default::default()
    }
    .simulate(5)
    .unwrap();
    assert!(!out.node_events.is_empty() && !out.partitions.is_empty());
    let hb = HappensBefore::new(&out.history);
    assert_eq!(hb.len(), out.history.len());
    assert!(out.spacetime().to_svg().unwrap().contains("partition"));
}

#[test]
fn bad_input_gives_typed_errors() {
    let ev = |node, kind| Event {
        node,
        kind,
        true_s: 1.0,
        physical_s: 1.0,
    };
    // A receive with no matching send.
    let e = History::new(2, vec![ev(0, Kind::Local), ev(1, Kind::Receive { send: 0 })]).unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { name: "receive", .. }), "{e}");
    assert!(e.to_string().contains("no matching send"));
    let e = History::new(2, vec![ev(1, Kind::Receive { send: 5 })]).unwrap_err();
    assert!(e.to_string().contains("no matching send"), "{e}");
    // A send to someone else is not this node's message.
    let e = History::new(3, vec![ev(0, Kind::Send { to: 2 }), ev(1, Kind::Receive { send: 0 })]).unwrap_err();
    assert!(e.to_string().contains("no matching send"), "{e}");
    assert!(History::new(0, vec![]).is_err());
    assert!(History::new(1, vec![ev(3, Kind::Local)]).is_err());
    // Vector clocks of different lengths.
    let h = run(1, 3, 0.0).history;
    let e = stamps::vector(&h, |own, _, _| own[..1].to_vec()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "vector clock length",
                ..
            }
        ),
        "{e}"
    );
    let mut r = Replica::new(0, 3).unwrap();
    let e = r
        .merge(
            &[Version {
                value: 1,
                vv: vec![1, 0],
            }],
            rules::compare,
        )
        .unwrap_err();
    assert!(e.to_string().contains("version vector length"), "{e}");
    assert!(Replica::new(3, 3).is_err());
    // Bad configurations.
    for cfg in [
        GossipConfig {
            nodes: 0,
            ..Default::default()
        },
        GossipConfig {
            skew_s: -1.0,
            ..Default::default()
        },
        GossipConfig {
            mean_gap_s: 0.0,
            ..Default::default()
        },
        GossipConfig {
            faults: vec![Fault::isolate(vec![9], 0.0, 1.0)],
            ..Default::default()
        },
    ] {
        assert!(cfg.simulate(1).is_err());
    }
}

#[test]
fn the_worked_example_is_built_in_true_time_order() {
    let h = faultline::exercises::logical_clocks::worked_example_history();
    assert_eq!((h.nodes(), h.len()), (3, 16));
    assert!(h.events().windows(2).all(|w| w[0].true_s <= w[1].true_s));
    let _ = Causality::Concurrent;
}

#[test]
fn the_notebooks_hlc_margins_are_inside_the_bounds() {
    let m = faultline::exercises::logical_clocks::hlc_margins(6, 0.020, 40, 1).unwrap();
    println!("{m:?}");
    assert!(m.worst_behind_own_s <= 0.0);
    assert!(m.worst_ahead_of_own_over_skew <= 1.0);
    assert!(m.worst_ahead_of_fastest_s <= 1e-12);
    assert!(m.worst_c_over_bound <= 1.0);
}

#[test]
fn the_worked_example_draws_with_every_clock() {
    use faultline::exercises::logical_clocks::{Stamp, stamped_diagram, worked_example};
    let out = worked_example();
    for (stamp, needle) in [
        (Stamp::Lamport, ">9<"),
        (Stamp::Vector, "[2,3,2]"),
        (Stamp::Hlc, "(4.00, 5)"),
    ] {
        let d = stamped_diagram(&out, stamp, &["A", "B", "C"]);
        let svg = d.to_svg().unwrap();
        assert!(
            svg.contains(needle) || stamp == Stamp::Lamport,
            "{stamp:?} lacks {needle}"
        );
        if let Ok(dir) = std::env::var("LOGICAL_PNG_DIR") {
            d.save(std::path::Path::new(&dir), &format!("{stamp:?}")).unwrap();
        }
    }
}
