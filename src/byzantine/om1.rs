//! One OM(1) run as a value, and every such run of a small army.
//!
//! With at most one traitor, what the traitor does in OM(1) is fully described by *whom it lies
//! to*: a loyal general in its seat would send every lieutenant the same value (the commander's
//! order, or, relaying, the order it heard from the loyal commander), so a traitor's every
//! message is either that value or its opposite. An [`Om1Schedule`] is therefore: the number of
//! generals, the commander's order, the traitor (if any) and the set of lieutenants it lies to.
//!
//! * The shrinker ([`crate::shrink`]) makes a failing schedule smaller: fewer generals, no
//!   traitor, fewer lies ([`Shrink::candidates`]).
//! * [`every_case`] lists every schedule of n generals in order of size (no traitor, then one
//!   traitor by the number of its lies): every assignment of what a traitor commander sends to
//!   each lieutenant and of what a traitor lieutenant relays to each other lieutenant, under
//!   both orders. [`check`] runs them all on the world and stops at the first that breaks IC1
//!   or IC2, which is then a smallest one.
//!
//! ```
//! use faultline::byzantine::{Om1Schedule, Order, om1};
//! // Four generals, the traitorous commander lies to lieutenant 1 only.
//! let s = Om1Schedule { n: 4, order: Order::Retreat, traitor: Some(0), lies: vec![1] };
//! let (run, _) = s.run(None, 1, false)?;
//! assert!(run.agreed()); // OM(1)'s vote outvotes the lie
//! // Trusting the commander does not.
//! let (run, _) = s.run(Some(|said, _| said), 1, false)?;
//! assert!(!run.ic1());
//! // Every case of four generals: 2 without a traitor, 2 × (8 + 3 × 4) with one.
//! assert_eq!(om1::every_case(4).len(), 42);
//! assert!(om1::check(None, 4..=4, 1)?.first_broken.is_none());
//! # Ok::<(), faultline::Error>(())
//! ```

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::oral::{self, Oral};
use super::strategy::LiesTo;
use super::{Generals, Om1Decide, Order, Run};
use crate::error::{Error, Result};
use crate::shrink::{Shrink, without_chunks};
use crate::world::{NodeId, Outcome};

/// The most generals a replayed OM(1) run may have (a hand-made code cannot make it huge).
pub const MAX_GENERALS: usize = 16;

/// One OM(1) run: everything it depends on besides the seed and the lieutenants' rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Om1Schedule {
    /// Generals, the commander (0) included.
    pub n: usize,
    /// The commander's order (what a loyal commander sends, and what a traitor's lies are the
    /// opposite of).
    #[serde(rename = "o")]
    pub order: Order,
    /// The traitor, if any (0 is the commander).
    #[serde(rename = "t")]
    pub traitor: Option<NodeId>,
    /// The lieutenants the traitor lies to, sorted.
    #[serde(rename = "l")]
    pub lies: Vec<NodeId>,
}

/// The size of one run, as a report states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Om1Size {
    /// Generals.
    #[serde(rename = "g")]
    pub generals: usize,
    /// Traitors.
    #[serde(rename = "t")]
    pub traitors: usize,
    /// Messages a traitor sent that differ from what a loyal general would have sent (or that
    /// it did not send, where a loyal general would have sent Attack).
    #[serde(rename = "l")]
    pub lies: usize,
    /// Messages sent.
    #[serde(rename = "m")]
    pub messages: usize,
    /// Events the world handled.
    #[serde(rename = "e")]
    pub events: u64,
}

impl std::fmt::Display for Om1Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |k: usize| if k == 1 { "" } else { "s" };
        write!(
            f,
            "{} generals, {} traitor{}, {} lie{}, {} message{}, {} events",
            self.generals,
            self.traitors,
            s(self.traitors),
            self.lies,
            s(self.lies),
            self.messages,
            s(self.messages),
            self.events
        )
    }
}

/// `L1, L2, L4`.
pub fn lieutenants(ids: &[NodeId]) -> String {
    let l: Vec<String> = ids.iter().map(|i| format!("L{i}")).collect();
    l.join(", ")
}

impl std::fmt::Display for Om1Schedule {
    /// The case in one line: "4 generals, the commander a traitor: Attack to L1, Retreat to the
    /// others".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (o, lie) = (self.order, self.order.flip());
        match self.traitor {
            None => write!(f, "{} generals, no traitor, the commander orders {o:?}", self.n),
            Some(0) if self.lies.is_empty() => {
                write!(f, "{} generals, the commander a traitor sending {o:?} to all", self.n)
            }
            Some(0) => write!(
                f,
                "{} generals, the commander a traitor sending {lie:?} to {} and {o:?} to the others",
                self.n,
                lieutenants(&self.lies)
            ),
            Some(t) if self.lies.is_empty() => write!(
                f,
                "{} generals, the commander orders {o:?}, L{t} a traitor relaying it truly",
                self.n
            ),
            Some(t) => write!(
                f,
                "{} generals, the commander orders {o:?}, L{t} a traitor relaying {lie:?} to {}",
                self.n,
                lieutenants(&self.lies)
            ),
        }
    }
}

impl Om1Schedule {
    /// The setting it runs.
    pub fn generals(&self) -> Result<Generals> {
        Generals::new(self.n, 1)?
            .order(self.order)
            .traitors(self.traitor.as_slice())
    }

    /// Checks every field (a schedule may come from a hand-edited replay code): 2 ≤ n ≤ 16, the
    /// traitor a general, the lies to distinct lieutenants other than the traitor, none without
    /// a traitor.
    pub fn validate(&self) -> Result<()> {
        if !(2..=MAX_GENERALS).contains(&self.n) {
            return Err(Error::invalid("n", self.n, "an OM(1) run has 2 to 16 generals"));
        }
        if let Some(t) = self.traitor.filter(|&t| t >= self.n) {
            return Err(Error::invalid("traitor", t, "is not a general (ids run 0..n)"));
        }
        let ok = |&l: &NodeId| l >= 1 && l < self.n && Some(l) != self.traitor;
        if let Some(bad) = self.lies.iter().find(|l| !ok(l)) {
            return Err(Error::invalid(
                "lie",
                bad,
                "must go to a lieutenant other than the traitor",
            ));
        }
        if !self.lies.windows(2).all(|w| w[0] < w[1]) {
            return Err(Error::invalid(
                "lies",
                self.lies.len(),
                "must name each lieutenant once, in order",
            ));
        }
        if self.traitor.is_none() && !self.lies.is_empty() {
            return Err(Error::invalid("lies", self.lies.len(), "only a traitor lies"));
        }
        Ok(())
    }

    /// Runs it on the world: every loyal lieutenant decides by `decide` (`None`: OM(1)'s
    /// vote); `label` records each message's value and path for a diagram.
    pub fn run(&self, decide: Option<Om1Decide>, seed: u64, label: bool) -> Result<(Run, Outcome<Oral>)> {
        let mut g = self.generals()?;
        if let Some(d) = decide {
            g = g.deciding_by(d);
        }
        if label {
            g = g.labelled();
        }
        oral::run_world(&g, Rc::new(LiesTo { to: self.lies.clone() }), seed)
    }

    /// The schedule of a run with at most one traitor, whatever its strategy: the lieutenants
    /// who heard from the traitor the opposite of the commander's order (a message never sent
    /// counts as [`Order::DEFAULT`], as the lieutenants count it). It replays the same
    /// decisions. Errors: a run with two traitors or more, or of OM(m) for m ≠ 1.
    pub fn from_run(run: &Run) -> Result<Self> {
        let g = &run.generals;
        if g.traitors.len() > 1 || g.m != 1 {
            return Err(Error::invalid(
                "traitors",
                g.traitors.len(),
                "an OM(1) schedule has one traitor at most",
            ));
        }
        let traitor = g.traitors.first().copied();
        let path: Vec<NodeId> = match traitor {
            Some(0) => vec![0],
            Some(t) => vec![0, t],
            None => Vec::new(),
        };
        let lies = (1..g.n)
            .filter(|&i| traitor.is_some_and(|t| t != i))
            .filter(|&i| run.heard(i, &path).unwrap_or(Order::DEFAULT) != g.order)
            .collect();
        Ok(Om1Schedule {
            n: g.n,
            order: g.order,
            traitor,
            lies,
        })
    }

    /// Without lieutenant `gone` (≥ 1): the generals above it move down one id.
    fn without_lieutenant(&self, gone: NodeId) -> Self {
        let shift = |i: NodeId| if i > gone { i - 1 } else { i };
        Om1Schedule {
            n: self.n - 1,
            order: self.order,
            traitor: self.traitor.map(shift),
            lies: self.lies.iter().filter(|&&l| l != gone).map(|&l| shift(l)).collect(),
        }
    }

    /// The fewest generals with which OM(1) must keep IC1 and IC2: 4 with a traitor (n > 3m),
    /// 2 without.
    fn min_generals(&self) -> usize {
        if self.traitor.is_some() { 4 } else { 2 }
    }
}

impl Shrink for Om1Schedule {
    /// Fewer generals (never below what OM(1) is sure to handle: a smaller army would break
    /// with any rule), no traitor, fewer lies, and for a lying commander the same messages with
    /// the other order when that makes fewer of them lies.
    fn candidates(&self) -> Vec<Self> {
        let mut out = Vec::new();
        if self.n > self.min_generals() {
            // Loyal lieutenants the traitor does not lie to first, the last first.
            let mut gone: Vec<NodeId> = (1..self.n).filter(|&i| Some(i) != self.traitor).collect();
            gone.sort_by_key(|i| (self.lies.contains(i), std::cmp::Reverse(*i)));
            out.extend(gone.into_iter().map(|i| self.without_lieutenant(i)));
        }
        if self.traitor.is_some() {
            out.push(Om1Schedule {
                traitor: None,
                lies: Vec::new(),
                ..self.clone()
            });
        }
        for lies in without_chunks(&self.lies) {
            out.push(Om1Schedule { lies, ..self.clone() });
        }
        if self.traitor == Some(0) {
            let flipped: Vec<NodeId> = (1..self.n).filter(|i| !self.lies.contains(i)).collect();
            if flipped.len() < self.lies.len() {
                out.push(Om1Schedule {
                    order: self.order.flip(),
                    lies: flipped,
                    ..self.clone()
                });
            }
        }
        out
    }
}

/// Every OM(1) schedule of `n` generals (2–16), in order of size: no traitor, then one traitor
/// lying to 0, 1, 2, … lieutenants (the commander's seat first, then the lieutenants'), each
/// under both orders. Every assignment of what a traitor commander sends each lieutenant and of
/// what a traitor lieutenant relays to each other lieutenant appears once per order.
pub fn every_case(n: usize) -> Vec<Om1Schedule> {
    let n = n.clamp(2, MAX_GENERALS);
    let mut out = Vec::new();
    let orders = [Order::Attack, Order::Retreat];
    for order in orders {
        out.push(Om1Schedule {
            n,
            order,
            traitor: None,
            lies: Vec::new(),
        });
    }
    for k in 0..n {
        for traitor in 0..n {
            let others: Vec<NodeId> = (1..n).filter(|&i| i != traitor).collect();
            for lies in super::search::placements(others.len(), k) {
                for order in orders {
                    out.push(Om1Schedule {
                        n,
                        order,
                        traitor: Some(traitor),
                        lies: lies.iter().map(|&j| others[j]).collect(),
                    });
                }
            }
        }
    }
    out
}

/// The traitor strategies of `n` generals with one traitor: 2^(n−1) for a traitor commander,
/// 2^(n−2) for each of the n − 1 lieutenants.
pub fn strategies(n: usize) -> usize {
    let n = n.clamp(2, MAX_GENERALS);
    (1 << (n - 1)) + (n - 1) * (1 << (n - 2))
}

/// What an exhaustive OM(1) check found.
#[derive(Debug, Clone)]
pub struct Om1Check {
    /// The armies checked, by their number of generals.
    pub generals: Vec<usize>,
    /// Traitor strategies in all (see [`strategies`]).
    pub strategies: usize,
    /// Cases run (up to and including the first broken one).
    pub cases: usize,
    /// Cases within the bound, had none broken.
    pub bound_cases: usize,
    /// The first case that broke IC1 or IC2, in order of size, and its run.
    pub first_broken: Option<(Om1Schedule, Run)>,
}

impl Om1Check {
    /// The bound, for a report: "n = 4 and 5, no traitor or 1, every one of 52 traitor
    /// strategies under both orders".
    pub fn bound(&self) -> String {
        let ns: Vec<String> = self.generals.iter().map(usize::to_string).collect();
        format!(
            "OM(1) with n = {} generals, no traitor or one, every one of {} traitor strategies under both orders: {} of {} cases run, in order of size",
            ns.join(" and "),
            self.strategies,
            self.cases,
            self.bound_cases
        )
    }
}

/// Runs every case of [`every_case`] for each n in `generals`, smallest army first, with the
/// loyal lieutenants deciding by `decide` (`None`: OM(1)'s vote), and stops at the first run
/// that breaks IC1 or IC2. Errors: as [`Om1Schedule::run`].
pub fn check(decide: Option<Om1Decide>, generals: std::ops::RangeInclusive<usize>, seed: u64) -> Result<Om1Check> {
    let ns: Vec<usize> = generals.map(|n| n.clamp(2, MAX_GENERALS)).collect();
    let mut out = Om1Check {
        strategies: ns.iter().map(|&n| strategies(n)).sum(),
        bound_cases: ns.iter().map(|&n| every_case(n).len()).sum(),
        generals: ns.clone(),
        cases: 0,
        first_broken: None,
    };
    for n in ns {
        for case in every_case(n) {
            out.cases += 1;
            let (run, _) = case.run(decide, seed, false)?;
            if !run.agreed() {
                out.first_broken = Some((case, run));
                return Ok(out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byzantine::strategy;

    #[test]
    fn om1_keeps_ic_from_four_generals_and_three_lose_to_one_traitor() {
        assert!(check(None, 4..=6, 1).unwrap().first_broken.is_none());
        let three = check(None, 3..=3, 1).unwrap();
        let (case, run) = three.first_broken.expect("three generals cannot beat one traitor");
        assert_eq!((case.n, case.lies.len()), (3, 1), "{case:?}");
        assert!(!run.agreed());
        assert_eq!(every_case(3).len(), 2 + 2 * strategies(3));
        assert_eq!(every_case(5).len(), 2 + 2 * strategies(5));
    }

    #[test]
    fn a_run_of_any_strategy_has_a_schedule_that_replays_its_decisions() {
        for s in strategy::standard(6) {
            for t in 0..6 {
                let g = Generals::new(6, 1)
                    .unwrap()
                    .order(Order::Attack)
                    .traitors(&[t])
                    .unwrap();
                let run = g.run_oral(s.clone(), 7).unwrap();
                let sch = Om1Schedule::from_run(&run).unwrap();
                sch.validate().unwrap();
                let (again, _) = sch.run(None, 7, false).unwrap();
                assert_eq!(again.decisions, run.decisions, "{s:?} {t}");
            }
        }
    }

    #[test]
    fn candidates_are_smaller_and_valid() {
        let s = Om1Schedule {
            n: 6,
            order: Order::Attack,
            traitor: Some(0),
            lies: vec![1, 2, 4, 5],
        };
        for c in s.candidates() {
            c.validate().unwrap();
            assert!(c.n < s.n || c.lies.len() < s.lies.len() || c.traitor.is_none(), "{c:?}");
        }
    }
}
