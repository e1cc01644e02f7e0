//! The flags of `exercise-10` and what the binary simulates and plots.

use std::path::{Path, PathBuf};

use clap::Args;

use super::Answers;
use super::figures::{breaks_figure, messages_figure};
use std::rc::Rc;

use crate::byzantine::strategy::SplitVote;
use crate::byzantine::{Generals, oral_diagram};
use crate::error::{Error, Result};

/// Flags of `exercise-10` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct ByzantineArgs {
    /// Generals in the space-time diagram, the commander included (1–10); the first
    /// `--traitors` of them, commander first, lie by splitting their votes.
    #[arg(long, default_value_t = 4)]
    pub n: usize,
    /// Rounds of relaying, the m of OM(m) and SM(m) (0–2; less than n).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=2))]
    pub m: u64,
    /// Traitors placed every possible way in the search plot (0–3).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=3))]
    pub traitors: u64,
}

/// Runs the chapter's simulations with the learner's code and writes its plots under `out`.
/// Errors: n = 0 or m ≥ n (from [`Generals::new`]), n > 10.
pub fn simulate(a: &Answers, args: &ByzantineArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let m = args.m as usize;
    Generals::new(args.n, m)?;
    if args.n > 10 {
        return Err(Error::invalid("n", args.n, "at most 10 generals fit in the diagram"));
    }
    // breaks_figure runs it, and says so in its title when it is still todo!().
    let om1 = Some(a.om1_decide);
    let mut files = Vec::new();
    files.extend(messages_figure(seed)?.save(out, "om-messages")?);
    files.extend(breaks_figure(m, args.traitors as usize, om1, seed)?.save(out, "broken-runs")?);
    // The space-time diagram: the commander and then the first lieutenants lie, splitting
    // their votes.
    let traitors: Vec<usize> = (0..args.n.min(args.traitors as usize)).collect();
    let g = Generals::new(args.n, m)?.traitors(&traitors)?;
    files.extend(oral_diagram(&g, Rc::new(SplitVote), seed)?.save(out, "om-space-time")?);
    Ok(files)
}
