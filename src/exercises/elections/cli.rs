//! The flags of `exercise-9` and what the binary simulates and plots.

use super::Answers;
use super::figures::{election_cdf_figure, split_vote_figure};
use super::real::{self, Setting};
use crate::error::Result;
use crate::grade::attempt;
use crate::quorum::{ElectionConfig, VoteRule, reference_rule, simulate_with};
use crate::world::{Fault, Partition};
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-9` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct ElectionArgs {
    /// Nodes in the cluster (the split-brain demo).
    #[arg(long, default_value_t = 5)]
    pub nodes: usize,
    /// Votes a candidate needs (default: a majority).
    #[arg(long)]
    pub quorum: Option<usize>,
    /// Nodes cut off from the rest from 2 s to 8 s, comma-separated (e.g. `0,1`).
    #[arg(long, value_delimiter = ',', default_value = "0,1")]
    pub partition: Vec<usize>,
    /// Seeded elections per curve of the election-time plot (1–20000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=20000))]
    pub runs: u64,
    /// Also run a real three-member etcd cluster on loopback (etcd 3.4 must be installed):
    /// pause its leader again and again, time each failover, plot it beside the simulator's
    /// prediction, and show a stale read on the resumed old leader (about a minute).
    #[arg(long)]
    pub real: bool,
    /// With --real: leader pauses per setting (1–30).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=30))]
    pub pauses: u64,
    /// With --real: heartbeat/election-timeout settings in ms, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "50/250,100/500,100/1000", value_parser = Setting::parse)]
    pub settings: Vec<Setting>,
    /// With --real: the members' client ports, comma-separated (each peer port is one above).
    #[arg(long, value_delimiter = ',', default_value = "42379,52379,62379")]
    pub etcd_ports: Vec<u16>,
}

/// Runs the chapter's simulation with the learner's vote rule (the library's while it is still
/// `todo!()`) under the partition, with quorums and deciding alone, and writes plots; with
/// `--real`, also the failover measured on a real etcd cluster ([`real::run`]).
pub fn simulate(a: &Answers, args: &ElectionArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let cfg = ElectionConfig {
        quorum: args.quorum.unwrap_or(args.nodes / 2 + 1),
        ..ElectionConfig::with_nodes(args.nodes)
    };
    cfg.validate()?;
    let cut = Fault::Partition(Partition::isolate(args.partition.clone(), 2.0, 8.0));
    cut.validate(cfg.nodes)?;
    let rule: VoteRule = match attempt(|| (a.grant_vote)(1, None, 0, 1)) {
        Ok(_) => a.grant_vote,
        Err(_) => reference_rule(),
    };
    // The same partition with quorums and with every node deciding alone: both must run.
    let faults = [cut];
    simulate_with(&cfg, rule, &faults, seed)?;
    simulate_with(&cfg.decide_alone(), rule, &faults, seed)?;
    let mut files = Vec::new();
    files.extend(split_vote_figure(seed)?.save(out, "split-vote")?);
    files.extend(election_cdf_figure(args.runs as usize, seed)?.save(out, "election-time-cdf")?);
    if args.real {
        files.extend(real::run(
            &args.settings,
            &args.etcd_ports,
            args.pauses as usize,
            2000,
            seed,
            out,
        )?);
    }
    Ok(files)
}
