//! The chapter's figures.

use crate::error::Result;
use crate::plot::{Figure, SpaceTime};
use crate::quorum::failover::{FailoverConfig, failover_times};
use crate::quorum::{self, ElectionConfig, ElectionOp};
use crate::sim::Seed;

/// Cumulative distribution of the time to elect a leader from a cold start, 5 nodes, for
/// several spreads of the election timeout above 150 ms (the Raft paper's §9.3 measurement),
/// `runs` seeded elections each. Runs that elect nobody within 10 s sit at 10 s.
pub fn election_cdf_figure(runs: usize, seed: u64) -> Result<Figure> {
    let base = ElectionConfig::default();
    let mut fig = Figure::new(format!(
        "Time to elect a leader, 5 nodes, timeouts from 150 ms, {runs} seeded elections each"
    ))
    .x_label("election time (s, log scale), cut at 10 s")
    .y_label("fraction of elections done")
    .log_x();
    for spread_ms in [1.0, 5.0, 25.0, 50.0, 150.0] {
        let cfg = ElectionConfig {
            timeout_max_s: base.timeout_min_s + spread_ms / 1000.0,
            ..base
        };
        let times: Vec<f64> = quorum::election_times(&cfg, quorum::reference_rule(), runs, seed)?
            .into_iter()
            .map(|t| t.unwrap_or(cfg.until_s))
            .collect();
        fig = fig.cdf(format!("150–{} ms", 150.0 + spread_ms), &times);
    }
    Ok(fig)
}

/// The leader failover of a three-member cluster, simulated and measured: for each setting,
/// the CDF of the time from pausing the leader to a new leader's win in `runs` seeded runs of
/// the chapter's election world with etcd's timers ([`crate::quorum::failover`]), dashed,
/// beside the times `measured` on a real etcd cluster with the same heartbeat and election
/// timeout (a staircase in the same colour; leave a list empty to plot the prediction alone).
pub fn failover_cdf_figure(measured: &[(FailoverConfig, Vec<f64>)], runs: usize, seed: u64) -> Result<Figure> {
    let mut fig = Figure::new(format!(
        "Leader failover, 3 members: etcd measured vs simulated ({runs} seeded runs each)"
    ))
    .x_label("time from pausing the leader to a new leader (s)")
    .y_label("fraction of failovers done");
    for (cfg, times) in measured {
        let setting = format!(
            "{:.0}/{:.0} ms",
            cfg.heartbeat_s * 1000.0,
            cfg.election_timeout_s * 1000.0
        );
        let sim = failover_times(cfg, runs, seed)?;
        let n = sim.len() as f64;
        let curve: Vec<(f64, f64)> = sim.iter().enumerate().map(|(i, &x)| (x, (i + 1) as f64 / n)).collect();
        fig = fig.dashed(format!("{setting}: simulated"), curve);
        if !times.is_empty() {
            fig = fig
                .cdf(format!("{setting}: etcd, {} pauses", times.len()), times)
                .paired();
        }
    }
    Ok(fig)
}

/// The first seed (from `seed`) whose cold-start election with timeouts 150–155 ms has a split
/// vote: the first leader wins term 2 or later.
fn split_seed(cfg: &ElectionConfig, seed: u64) -> Result<u64> {
    for k in 0..500 {
        let s = Seed(seed).child(k).0;
        let o = quorum::simulate(cfg, &[], s)?;
        if o.reigns.first().is_some_and(|r| r.term >= 2 && r.from_s < 1.0) {
            return Ok(s);
        }
    }
    Ok(seed)
}

/// Space-time diagram of one election with a split vote: five nodes, timeouts 150–155 ms,
/// every message of the election drawn, the winner of each term marked.
pub fn split_vote_figure(seed: u64) -> Result<SpaceTime> {
    let cfg = ElectionConfig {
        timeout_max_s: 0.155,
        until_s: 1.5,
        ..Default::default()
    }
    .first_election();
    let s = split_seed(&cfg, seed)?;
    let (out, world) = quorum::simulate_traced(&cfg, quorum::reference_rule(), &[], s)?;
    let end = out.first_leader_s().unwrap_or(cfg.until_s) + 0.03;
    let mut fig = SpaceTime::from_outcome(&world)
        .title(format!(
            "A split vote: 5 nodes, timeouts 150–155 ms, true time (seed {s})"
        ))
        .node_names((0..cfg.nodes).map(|i| format!("node {i}")))
        .until(end)
        .width(1200)
        .label_messages(|m| {
            m.label
                .as_deref()
                .filter(|l| l.contains("granted: true"))
                .map(short_label)
        });
    let mut stood = Vec::new();
    for m in &world.messages {
        if let Some(l) = m.label.as_deref().filter(|l| l.starts_with("RequestVote")) {
            let key = (m.from, short_label(l));
            if !stood.contains(&key) {
                fig = fig.label_event(m.from, m.sent_at_s, format!("stands: {}", key.1.replace("vote? ", "")));
                stood.push(key);
            }
        }
    }
    for op in &out.history {
        let ElectionOp::Lead { term } = op.op;
        fig = fig.label_event(op.node, op.invoked_at_s, format!("leads term {term}"));
    }
    Ok(fig)
}

/// "RequestVote { term: 2, .. }" → "vote? t2", "Vote { term: 2, granted: true, .. }" → "yes t2".
pub(super) fn short_label(debug: &str) -> String {
    let term: String = debug
        .split("term: ")
        .nth(1)
        .map(|t| t.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    let what = match debug.split(' ').next().unwrap_or("") {
        "RequestVote" => "vote?",
        "Vote" if debug.contains("granted: true") => "yes",
        "Vote" => "no",
        "Heartbeat" => "hb",
        "Ack" => "ack",
        other => other,
    };
    format!("{what} t{term}")
}
