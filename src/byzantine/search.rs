//! Exhaustive search: every placement of t traitors among n generals, both orders, every
//! built-in strategy ([`super::strategy::standard`]); how many runs broke IC1 or IC2.

use super::{Generals, Order, Run, strategy};
use crate::error::{Error, Result};
use crate::sim::Seed;
use crate::world::NodeId;

/// Which algorithm to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// OM(m), oral messages.
    Oral,
    /// SM(m), signed messages.
    Signed,
}

/// One run of a search, named.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The traitors.
    pub traitors: Vec<NodeId>,
    /// The commander's order.
    pub order: Order,
    /// The traitors' strategy.
    pub strategy: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchOutcome {
    /// Runs made.
    pub runs: usize,
    /// Runs in which loyal lieutenants disagreed.
    pub broke_ic1: usize,
    /// Runs in which a loyal commander was not obeyed by every loyal lieutenant.
    pub broke_ic2: usize,
    /// Runs that broke either condition.
    pub broken: usize,
    /// The first run that broke a condition.
    pub first_broken: Option<Case>,
    /// Messages sent, summed over the runs.
    pub messages: usize,
}

/// Every way to choose `t` of `0..n`, in lexicographic order.
pub fn placements(n: usize, t: usize) -> Vec<Vec<NodeId>> {
    fn go(start: usize, n: usize, t: usize, cur: &mut Vec<NodeId>, out: &mut Vec<Vec<NodeId>>) {
        if cur.len() == t {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            if n - i < t - cur.len() {
                break;
            }
            cur.push(i);
            go(i + 1, n, t, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if t <= n {
        go(0, n, t, &mut Vec::new(), &mut out);
    }
    out
}

/// Runs `algorithm` with n generals, m rounds and `traitors` traitors over every placement,
/// both orders and every built-in strategy; run k uses `Seed(seed).child(k)`. Errors: as
/// [`Generals::new`], and `traitors > n`.
pub fn search(algorithm: Algorithm, n: usize, m: usize, traitors: usize, seed: u64) -> Result<SearchOutcome> {
    search_with(algorithm, n, m, traitors, seed, |_| {})
}

/// [`search`], calling `each` with every run.
pub fn search_with(
    algorithm: Algorithm,
    n: usize,
    m: usize,
    traitors: usize,
    seed: u64,
    mut each: impl FnMut(&Run),
) -> Result<SearchOutcome> {
    let base = Generals::new(n, m)?;
    if traitors > n {
        return Err(Error::invalid(
            "traitors",
            traitors,
            "cannot exceed n, the number of generals",
        ));
    }
    let mut out = SearchOutcome::default();
    for place in placements(n, traitors) {
        for order in [Order::Attack, Order::Retreat] {
            for s in strategy::standard(n) {
                let g = base.clone().order(order).traitors(&place)?;
                let run_seed = Seed(seed).child(out.runs as u64).0;
                let run = match algorithm {
                    Algorithm::Oral => g.run_oral(s, run_seed)?,
                    Algorithm::Signed => g.run_signed(s, run_seed)?,
                };
                out.runs += 1;
                out.messages += run.sent();
                let (ic1, ic2) = (run.ic1(), run.ic2());
                out.broke_ic1 += usize::from(!ic1);
                out.broke_ic2 += usize::from(!ic2);
                if !(ic1 && ic2) {
                    out.broken += 1;
                    if out.first_broken.is_none() {
                        out.first_broken = Some(Case {
                            traitors: place.clone(),
                            order,
                            strategy: run.strategy.clone(),
                        });
                    }
                }
                each(&run);
            }
        }
    }
    Ok(out)
}
