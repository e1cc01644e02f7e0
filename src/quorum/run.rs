//! Running election worlds: one run ([`simulate`] and its variants), many seeded runs in
//! parallel ([`election_times`]), and the search for two leaders in one term
//! ([`find_two_leaders`]).

use super::*;

/// Runs an election world with the library's vote rule and `faults` (checked against the nodes).
pub fn simulate(cfg: &ElectionConfig, faults: &[Fault], seed: u64) -> Result<ElectionOutcome> {
    simulate_with(cfg, reference_rule(), faults, seed)
}

/// Runs an election world whose nodes grant votes by `rule`.
pub fn simulate_with(cfg: &ElectionConfig, rule: VoteRule, faults: &[Fault], seed: u64) -> Result<ElectionOutcome> {
    simulate_traced_with(cfg, rule, faults, seed, false).map(|(o, _)| o)
}

/// Runs an election world and returns the world's own outcome too, its messages labelled (for
/// a space-time diagram).
pub fn simulate_traced(
    cfg: &ElectionConfig,
    rule: VoteRule,
    faults: &[Fault],
    seed: u64,
) -> Result<(ElectionOutcome, Outcome<Quorum>)> {
    simulate_traced_with(cfg, rule, faults, seed, true)
}

/// [`simulate_traced`] with the messages labelled only when `label` (labels cost a string a
/// message; a shrinker running hundreds of worlds needs only their outcomes and sizes).
pub fn simulate_traced_with(
    cfg: &ElectionConfig,
    rule: VoteRule,
    faults: &[Fault],
    seed: u64,
    label: bool,
) -> Result<(ElectionOutcome, Outcome<Quorum>)> {
    cfg.validate()?;
    for f in faults {
        f.validate(cfg.nodes)?;
    }
    let mut world = World::<Quorum>::new(seed);
    world.label_messages(label);
    let mut link = LinkConfig::reliable(cfg.link_delay_s, 1e9)?;
    if cfg.jitter_s > 0.0 {
        link.jitter_s = Dist::exponential(cfg.jitter_s)?;
    }
    world.set_link(link)?;
    run_voters(world, cfg, faults.to_vec(), seed, |_| rule)
}

/// Adds `cfg.nodes` voters to `world` (node `i` with vote rule `rule_of(i)`, each on its own
/// clock drifting up to `cfg.drift_ppm`, drawn from `seed`), injects `faults`, runs until
/// `cfg.until_s` and reads the leaderships from the history. Shared by chapter 9's runs and
/// chapter 12's runs under a system model, which set up the world's links first.
pub(crate) fn run_voters(
    mut world: World<Quorum>,
    cfg: &ElectionConfig,
    faults: Vec<Fault>,
    seed: u64,
    rule_of: impl Fn(usize) -> VoteRule,
) -> Result<(ElectionOutcome, Outcome<Quorum>)> {
    let mut rng = Seed(seed).stream(3);
    for i in 0..cfg.nodes {
        let ppm = rng.random_range(-1.0..=1.0) * cfg.drift_ppm;
        world.add_node_with_clock(Voter::new(cfg, rule_of(i)), ClockConfig::drifting(ppm));
    }
    world.add_faults(faults.iter().cloned());
    let out = world.run(Limits {
        until: cfg.until_s,
        ..Default::default()
    })?;
    if let Some(f) = &out.failure {
        return Err(Error::invalid("election world", f, "a node failed"));
    }
    let end_s = out.run.now;
    let reigns = out
        .history
        .iter()
        .map(|op| {
            let ElectionOp::Lead { term } = op.op;
            Reign {
                node: op.node,
                term,
                from_s: op.invoked_at_s,
                to_s: op.completed_at_s.unwrap_or(end_s.max(op.invoked_at_s)),
            }
        })
        .collect();
    let o = ElectionOutcome {
        reigns,
        history: out.history.clone(),
        node_events: out.node_events.clone(),
        messages: out.messages.len(),
        faults,
        end_s,
    };
    Ok((o, out))
}

/// Times `runs` first elections from a cold start (every node's timer starts at true time 0),
/// run `k` on seed `Seed(seed).child(k)`, in parallel; `None` for a run that elected nobody
/// within `until_s`. The same on any number of threads.
pub fn election_times(cfg: &ElectionConfig, rule: VoteRule, runs: usize, seed: u64) -> Result<Vec<Option<f64>>> {
    cfg.validate()?;
    let cfg = cfg.first_election();
    (0..runs as u64)
        .into_par_iter()
        .map(|k| simulate_with(&cfg, rule, &[], Seed(seed).child(k).0).map(|o| o.first_leader_s()))
        .collect()
}

/// Runs `runs` worlds under [`ElectionConfig::chaos`] schedules (run `k` on seed
/// `Seed(seed).child(k)`), in parallel, and returns the first run with two leaders in one term:
/// its seed, faults and the offending term with its leaders.
pub fn find_two_leaders(cfg: &ElectionConfig, rule: VoteRule, runs: usize, seed: u64) -> Result<Option<TwoLeaders>> {
    cfg.validate()?;
    let found: Result<Vec<Option<TwoLeaders>>> = (0..runs as u64)
        .into_par_iter()
        .map(|k| {
            let s = Seed(seed).child(k).0;
            let faults = cfg.chaos(s);
            let o = simulate_with(cfg, rule, &faults, s)?;
            Ok(o.terms_with_two_leaders()
                .into_iter()
                .next()
                .map(|(term, leaders)| TwoLeaders {
                    seed: s,
                    faults,
                    term,
                    leaders,
                }))
        })
        .collect();
    Ok(found?.into_iter().flatten().next())
}

/// A schedule on which one term had two leaders.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoLeaders {
    /// The world's seed.
    pub seed: u64,
    /// Its faults.
    pub faults: Vec<Fault>,
    /// The term.
    pub term: u64,
    /// Its leaders.
    pub leaders: Vec<NodeId>,
}

impl std::fmt::Display for TwoLeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seed {}: term {} had leaders {:?}; faults:",
            self.seed, self.term, self.leaders
        )?;
        for fault in &self.faults {
            match fault {
                Fault::Partition(p) => {
                    write!(f, " partition {:?} | rest {:.2}–{:.2} s;", p.groups, p.start_s, p.end_s)?
                }
                Fault::Crash {
                    node,
                    at_s,
                    recover_at_s,
                } => write!(
                    f,
                    " crash node {node} at {at_s:.2} s (back {:.2} s);",
                    recover_at_s.unwrap_or(f64::NAN)
                )?,
                Fault::Pause {
                    node, at_s, length_s, ..
                } => write!(f, " pause node {node} at {at_s:.2} s for {length_s:.2} s;")?,
                other => write!(f, " {other:?};")?,
            }
        }
        Ok(())
    }
}
