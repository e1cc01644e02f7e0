//! The election world: at most one leader per term with majority quorums, whatever the faults;
//! split brain when nodes decide alone; a wrong vote rule caught on a seeded schedule; the
//! election time against the spread of the timeouts.

use faultline::quorum::{ElectionConfig, election_times, find_two_leaders, reference_rule, simulate, simulate_with};
use faultline::world::Fault;

fn mean(xs: &[Option<f64>], cap: f64) -> f64 {
    xs.iter().map(|x| x.unwrap_or(cap)).sum::<f64>() / xs.len() as f64
}

#[test]
fn at_most_one_leader_per_term_under_chaos() {
    let cfg = ElectionConfig::default();
    let found = find_two_leaders(&cfg, reference_rule(), 300, 11).unwrap();
    assert!(found.is_none(), "{}", found.unwrap());
    // and the faults did make new terms: leaders come and go
    let o = simulate(&cfg, &cfg.chaos(3), 3).unwrap();
    assert!(o.reigns.len() >= 2, "{:?}", o.reigns);
}

#[test]
fn deciding_alone_splits_the_brain_under_a_partition() {
    let cfg = ElectionConfig::default();
    let cut = [Fault::isolate(vec![0, 1], 2.0, 8.0)];
    let alone = simulate(&cfg.decide_alone(), &cut, 5).unwrap();
    let quorum = simulate(&cfg, &cut, 5).unwrap();
    assert!(alone.split_brain_s() > 4.0, "alone: {}", alone.split_brain_s());
    assert!(quorum.split_brain_s() < 0.5, "quorum: {}", quorum.split_brain_s());
}

#[test]
fn voting_twice_in_a_term_elects_two_leaders_on_some_schedule() {
    let twice: faultline::quorum::VoteRule = |my, _, _, t| t >= my;
    let found = find_two_leaders(&ElectionConfig::default(), twice, 200, 11).unwrap();
    let found = found.expect("a schedule with two leaders in a term");
    assert!(found.leaders.len() >= 2);
    // the schedule replays
    let o = simulate_with(&ElectionConfig::default(), twice, &found.faults, found.seed).unwrap();
    assert!(o.terms_with_two_leaders().iter().any(|(t, _)| *t == found.term));
}

#[test]
fn narrow_timeout_spread_makes_elections_slower() {
    let base = ElectionConfig::default();
    let mut times = Vec::new();
    for spread in [0.0, 0.001, 0.005, 0.025, 0.150] {
        let cfg = ElectionConfig {
            timeout_max_s: base.timeout_min_s + spread,
            ..base
        };
        let t = election_times(&cfg, reference_rule(), 300, 2).unwrap();
        times.push(mean(&t, cfg.until_s));
    }
    eprintln!("mean election times: {times:?}");
    assert!(times[0] > 2.0 * times[4], "{times:?}");
    assert!(times[1] > times[3], "{times:?}");
}

#[test]
fn ten_thousand_elections_are_the_same_on_any_thread_count() {
    let cfg = ElectionConfig::default();
    let on = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| election_times(&cfg, reference_rule(), 10_000, 9).unwrap())
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert!(one.iter().all(|t| t.is_some()));
}

#[test]
fn bad_input_is_a_typed_error() {
    let zero = ElectionConfig {
        nodes: 0,
        ..Default::default()
    };
    assert!(simulate(&zero, &[], 1).unwrap_err().to_string().contains("nodes"));
    let big = ElectionConfig {
        quorum: 6,
        ..Default::default()
    };
    assert!(simulate(&big, &[], 1).unwrap_err().to_string().contains("quorum"));
    let unknown = [Fault::isolate(vec![7], 1.0, 2.0)];
    let e = simulate(&ElectionConfig::default(), &unknown, 1).unwrap_err();
    assert!(e.to_string().contains("node"), "{e}");
}

#[test]
fn the_grader_shows_the_schedule_with_two_leaders() {
    use faultline::exercises::elections::check_grant_vote;
    let report = check_grant_vote(|my, _, _, t| t >= my);
    let text = report.render(false);
    assert!(!report.passed());
    assert!(
        text.contains("seed") && text.contains("had leaders") && text.contains("partition"),
        "{text}"
    );
    eprintln!("{text}");
}

#[test]
fn bully_and_ring_message_counts_match_their_formulas() {
    use faultline::quorum::classic::{bully, ring};
    for n in 2..=12 {
        let b = bully(n).unwrap();
        assert_eq!(b.messages, (n - 1) * (n - 1) + n - 2, "bully, n = {n}");
        assert!(b.leaders[..n - 1].iter().all(|l| *l == Some(n - 2)), "{:?}", b.leaders);
        let worst = ring(n, false).unwrap();
        assert_eq!(worst.messages, n * (n + 1) / 2 + n, "ring worst, n = {n}");
        let best = ring(n, true).unwrap();
        assert_eq!(best.messages, 2 * n - 1 + n, "ring best, n = {n}");
        assert!(worst.leaders.iter().all(|l| *l == Some(n - 1)));
    }
    assert!(bully(0).is_err() && ring(0, true).is_err());
}
