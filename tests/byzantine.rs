//! The Byzantine generals against the paper: OM(1) with three generals and one traitor breaks;
//! with four it never does; OM(m) keeps IC1 and IC2 whenever n > 3m and can break when not;
//! SM(m) keeps them with up to m traitors for any n; the simulator's message counts equal the
//! closed form; a CRC catches corrupted packets but not a well-formed lie; bad settings are
//! typed errors.

use std::rc::Rc;

use faultline::Error;
use faultline::byzantine::checksum::{Packet, corruption_experiment};
use faultline::byzantine::search::{Algorithm, placements, search};
use faultline::byzantine::strategy::{AlwaysLie, Honest, SplitVote};
use faultline::byzantine::{Generals, Order, om_message_count};

#[test]
fn three_generals_one_traitor_some_strategy_breaks_agreement() {
    let out = search(Algorithm::Oral, 3, 1, 1, 1).unwrap();
    println!("n=3 OM(1) one traitor: {out:?}");
    assert!(out.broken > 0, "{out:?}");
    // The classic case: a loyal commander orders Attack; lieutenant 2 relays Retreat.
    let run = Generals::new(3, 1)
        .unwrap()
        .order(Order::Attack)
        .traitors(&[2])
        .unwrap();
    let run = run.run_oral(Rc::new(AlwaysLie), 1).unwrap();
    assert!(!run.ic2());
}

#[test]
fn four_generals_one_traitor_no_strategy_breaks_agreement() {
    let out = search(Algorithm::Oral, 4, 1, 1, 1).unwrap();
    println!("n=4 OM(1) one traitor: {out:?}");
    assert_eq!(out.broken, 0, "{out:?}");
    assert_eq!(out.runs, 4 * 2 * (4 + 3));
}

#[test]
fn om_keeps_ic1_and_ic2_when_n_exceeds_3m_and_can_break_otherwise() {
    for (n, m) in [(4, 1), (5, 1), (6, 1), (7, 2)] {
        let out = search(Algorithm::Oral, n, m, m, 7).unwrap();
        println!("n={n} OM({m}) {m} traitors: broken {} of {}", out.broken, out.runs);
        assert_eq!(out.broken, 0, "n={n}, m={m}: {out:?}");
    }
    for (n, m, t) in [(4, 1, 2), (6, 2, 2)] {
        let out = search(Algorithm::Oral, n, m, t, 7).unwrap();
        println!("n={n} OM({m}) {t} traitors: broken {} of {}", out.broken, out.runs);
        assert!(out.broken > 0, "n={n}, m={m}, t={t}: {out:?}");
    }
}

#[test]
fn sm_keeps_ic1_and_ic2_with_up_to_m_traitors_for_any_n() {
    for n in 3..=6 {
        for t in 1..=n - 2 {
            let out = search(Algorithm::Signed, n, t, t, 3).unwrap();
            assert_eq!(out.broken, 0, "SM({t}) n={n}: {out:?}");
        }
    }
    // The same settings under OM break.
    assert!(search(Algorithm::Oral, 3, 1, 1, 3).unwrap().broken > 0);
}

#[test]
fn a_traitor_cannot_forge_a_signed_order() {
    let g = Generals::new(3, 1)
        .unwrap()
        .order(Order::Attack)
        .traitors(&[2])
        .unwrap();
    let run = g.run_signed(Rc::new(AlwaysLie), 1).unwrap();
    assert_eq!(run.rejected, 1, "lieutenant 1 rejects the changed value");
    assert!(run.agreed());
    assert_eq!(run.decision(1), Some(Order::Attack));
}

#[test]
fn message_counts_equal_the_closed_form() {
    for (n, m) in [(3, 1), (4, 1), (5, 2), (7, 2), (10, 3), (13, 4)] {
        let g = Generals::new(n, m).unwrap().traitors(&[1]).unwrap();
        let honest = g.run_oral(Rc::new(Honest), 1).unwrap().sent() as u64;
        let lying = g.run_oral(Rc::new(SplitVote), 1).unwrap().sent() as u64;
        let expected = om_message_count(n, m).unwrap();
        println!("OM({m}) n={n}: {honest} messages, closed form {expected}");
        assert_eq!(honest, expected, "n={n}, m={m}");
        assert_eq!(lying, expected, "n={n}, m={m}");
    }
}

#[test]
fn om_with_no_traitors_obeys_the_commander() {
    for n in 1..=6 {
        for m in 0..n.min(3) {
            for order in [Order::Attack, Order::Retreat] {
                let run = Generals::new(n, m)
                    .unwrap()
                    .order(order)
                    .run_oral(Rc::new(Honest), 1)
                    .unwrap();
                assert!(run.loyal_lieutenants().iter().all(|&i| run.decision(i) == Some(order)));
            }
        }
    }
}

#[test]
fn placements_are_every_subset_of_the_size() {
    assert_eq!(placements(4, 2).len(), 6);
    assert_eq!(placements(5, 0), vec![Vec::<usize>::new()]);
    assert!(placements(2, 3).is_empty());
}

#[test]
fn crc_catches_corruption_but_not_a_well_formed_lie() {
    let out = corruption_experiment(b"ATTACK at dawn, lieutenant 2", 10_000, 0.5, 1).unwrap();
    println!("{out:?}");
    assert!(out.corrupted > 4000);
    assert_eq!(out.caught, out.corrupted);
    let lie = Packet::new(b"RETREAT at dawn".to_vec());
    assert!(lie.intact());
    let mut hit = Packet::new(b"ATTACK at dawn".to_vec());
    hit.payload[0] ^= 0x20;
    assert!(!hit.intact());
}

#[test]
fn bad_settings_are_typed_errors() {
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } => name,
        e => panic!("{e}"),
    };
    assert_eq!(name(Generals::new(0, 0).unwrap_err()), "n");
    assert_eq!(name(Generals::new(4, 4).unwrap_err()), "m");
    assert_eq!(name(Generals::new(4, 7).unwrap_err()), "m");
    assert_eq!(
        name(Generals::new(4, 1).unwrap().traitors(&[4]).unwrap_err()),
        "traitor"
    );
    assert_eq!(name(om_message_count(0, 0).unwrap_err()), "n");
    assert_eq!(name(search(Algorithm::Oral, 3, 1, 4, 1).unwrap_err()), "traitors");
    assert_eq!(name(search(Algorithm::Oral, 3, 3, 1, 1).unwrap_err()), "m");
    let big = Generals::new(30, 8).unwrap();
    assert_eq!(name(big.run_oral(Rc::new(Honest), 1).unwrap_err()), "m");
    assert!(corruption_experiment(b"", 10, 0.5, 1).is_err());
    assert!(corruption_experiment(b"x", 10, 1.5, 1).is_err());
}

#[test]
fn a_rule_that_trusts_the_commander_fails_with_the_broken_condition_named() {
    use faultline::exercises::byzantine::{check_min_generals, check_om1_decide};
    use faultline::grade::Status;
    let r = check_om1_decide(|said, _| said);
    let t = &r.tasks[0];
    println!("{}", t.detail);
    assert_eq!(t.status, Status::Fail);
    assert!(t.note.as_deref().unwrap_or("").contains("IC"), "{t:?}");
    let r = check_min_generals(|f, signed| if signed { f + 2 } else { 2 * f + 1 });
    let t = &r.tasks[0];
    println!("{}", t.detail);
    assert!(t.detail.contains("broke IC1 or IC2"), "{}", t.detail);
}

#[test]
fn diagrams_label_values_paths_and_rejected_forgeries() {
    use faultline::byzantine::{oral_diagram, signed_diagram};
    let g = Generals::new(4, 1).unwrap().traitors(&[0]).unwrap();
    let svg = oral_diagram(&g, Rc::new(SplitVote), 1).unwrap().to_svg().unwrap();
    assert!(svg.contains("A 0→2") && svg.contains("commander 0 (traitor)") && svg.contains("decides Retreat"));
    let g = Generals::new(3, 1).unwrap().traitors(&[2]).unwrap();
    let svg = signed_diagram(&g, Rc::new(AlwaysLie), 1).unwrap().to_svg().unwrap();
    assert!(svg.contains("R 0:2 ✗") && svg.contains("decides Attack"), "{svg}");
}
