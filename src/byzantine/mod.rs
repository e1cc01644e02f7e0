//! Byzantine faults: generals who lie.
//!
//! Lamport, Shostak and Pease's Byzantine generals (1982) as processes on the [`crate::world`]:
//! the commander is node 0, the lieutenants are nodes 1..n; every order and every relay is a
//! message on the wire, carrying the value and the path it was relayed along.
//!
//! * [`oral`]: the oral-messages algorithm OM(m). A lieutenant relays what it heard for m
//!   rounds and decides by nested majority votes. It keeps the two interactive-consistency
//!   conditions when n > 3m, and no more.
//! * [`signed`]: the signed-messages algorithm SM(m). Signatures are simulated as unforgeable
//!   (keyed hashes; each node holds only its own key): a traitor may drop or relay what it
//!   received, and a changed value fails verification. It keeps agreement with up to m traitors
//!   for any n.
//! * [`strategy`]: what a traitor sends, as a [`Strategy`] trait with several built in.
//! * [`mod@search`]: every placement of t traitors × both orders × every built-in strategy, counting
//!   the runs that broke IC1 or IC2.
//! * [`oral_diagram`], [`signed_diagram`]: the space-time diagram of one run, each arrow
//!   labelled with the value it carries and its relay path or signatures.
//! * [`checksum`]: the weak form of lying: a corrupted packet, caught by a CRC-32, and a
//!   well-formed lie that no checksum can catch.
//!
//! The two conditions, for the loyal generals only:
//!
//! * **IC1** (agreement): every loyal lieutenant decides the same order;
//! * **IC2** (validity): if the commander is loyal, every loyal lieutenant decides its order.
//!
//! ```
//! use std::rc::Rc;
//! use faultline::byzantine::{Generals, Order, strategy::AlwaysLie};
//! // Three generals, lieutenant 2 a traitor who reverses every order it relays.
//! let run = Generals::new(3, 1)?.order(Order::Attack).traitors(&[2])?.run_oral(Rc::new(AlwaysLie), 1)?;
//! assert_eq!(run.decision(1), Some(Order::Retreat)); // a 1–1 tie: the default
//! assert!(!run.ic2()); // the loyal commander said Attack
//! // Four generals: the same traitor is outvoted.
//! let run = Generals::new(4, 1)?.order(Order::Attack).traitors(&[2])?.run_oral(Rc::new(AlwaysLie), 1)?;
//! assert!(run.ic1() && run.ic2());
//! assert_eq!(run.sent(), 9); // 3 orders + 3·2 relays
//! # Ok::<(), faultline::Error>(())
//! ```

pub mod checksum;
mod diagram;
pub mod om1;
pub mod oral;
pub mod search;
pub mod signed;
pub mod strategy;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::world::{MessageRecord, NodeId};

pub use diagram::{oral_diagram, signed_diagram};
pub use om1::{Om1Schedule, Om1Size};
pub use search::{Algorithm, SearchOutcome, search};
pub use strategy::Strategy;

/// An order: what the generals must agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Order {
    /// Attack.
    #[serde(rename = "A")]
    Attack,
    /// Retreat: also the default a lieutenant decides when a vote is tied or a message is
    /// missing.
    #[serde(rename = "R")]
    Retreat,
}

impl Order {
    /// What a lieutenant assumes when it heard nothing or a vote is tied: retreat.
    pub const DEFAULT: Order = Order::Retreat;

    /// The other order.
    pub fn flip(self) -> Order {
        match self {
            Order::Attack => Order::Retreat,
            Order::Retreat => Order::Attack,
        }
    }

    /// One letter, for diagrams: `A` or `R`.
    pub fn letter(self) -> char {
        match self {
            Order::Attack => 'A',
            Order::Retreat => 'R',
        }
    }
}

/// The most messages one run may send (OM(m) grows like n^(m+1)).
pub const MAX_MESSAGES: u64 = 5_000_000;

/// Seconds one round of OM or SM lasts (messages travel within a round).
pub const ROUND_S: f64 = 0.001;

/// A vote over the values heard: `Some(rule)` replaces the library's majority (a notebook or a
/// grader plugs in a learner's function).
pub type Vote = fn(&[Order]) -> Order;

/// A lieutenant's OM(1) decision from the order the commander sent it and the orders the other
/// lieutenants relayed to it (in order of their ids; a message that never came counts as
/// [`Order::DEFAULT`]): chapter 10's `om1_decide`.
pub type Om1Decide = fn(commander_said: Order, relayed: &[Order]) -> Order;

/// One setting of the generals' problem: n generals (commander 0), m rounds of relaying, the
/// commander's order, which generals are traitors.
#[derive(Debug, Clone)]
pub struct Generals {
    /// Generals, the commander included (≥ 1).
    pub n: usize,
    /// Rounds of relaying, the m of OM(m) and SM(m) (< n).
    pub m: usize,
    /// What the commander orders (what a loyal commander sends).
    pub order: Order,
    /// The traitors' ids, sorted, each < n.
    pub traitors: Vec<NodeId>,
    /// Record every message's value and path as its label (for diagrams).
    pub label_messages: bool,
    /// The vote OM uses at every level; `None`: majority with [`Order::DEFAULT`] on ties.
    pub vote: Option<Vote>,
    /// OM(1) only: the rule every loyal lieutenant decides by, inside the simulated
    /// lieutenants; `None`: the vote above.
    pub decide: Option<Om1Decide>,
}

impl Generals {
    /// n generals, m rounds, no traitors, the order Attack. Errors: n = 0; m ≥ n.
    pub fn new(n: usize, m: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::invalid(
                "n",
                n,
                "there must be at least one general, the commander",
            ));
        }
        if m >= n {
            return Err(Error::invalid("m", m, "must be less than n, the number of generals"));
        }
        Ok(Generals {
            n,
            m,
            order: Order::Attack,
            traitors: Vec::new(),
            label_messages: false,
            vote: None,
            decide: None,
        })
    }

    /// The commander's order.
    pub fn order(mut self, order: Order) -> Self {
        self.order = order;
        self
    }

    /// Makes these generals traitors (0 is the commander). Errors: an id ≥ n.
    pub fn traitors(mut self, ids: &[NodeId]) -> Result<Self> {
        if let Some(&bad) = ids.iter().find(|&&i| i >= self.n) {
            return Err(Error::invalid("traitor", bad, "is not a general (ids run 0..n)"));
        }
        let mut t = ids.to_vec();
        t.sort_unstable();
        t.dedup();
        self.traitors = t;
        Ok(self)
    }

    /// Labels every message with its value and path (for space-time diagrams).
    pub fn labelled(mut self) -> Self {
        self.label_messages = true;
        self
    }

    /// Uses `vote` instead of the library's majority.
    pub fn with_vote(mut self, vote: Vote) -> Self {
        self.vote = Some(vote);
        self
    }

    /// In OM(1), every loyal lieutenant decides by `decide` (run inside the simulated
    /// lieutenant at the end of the relay round) instead of the vote.
    pub fn deciding_by(mut self, decide: Om1Decide) -> Self {
        self.decide = Some(decide);
        self
    }

    /// Whether general `id` is a traitor.
    pub fn is_traitor(&self, id: NodeId) -> bool {
        self.traitors.binary_search(&id).is_ok()
    }
}

/// OM(m)'s message count with n generals when everyone sends everything:
/// Σ_{k=1}^{m+1} (n−1)(n−2)…(n−k). Errors as [`Generals::new`].
///
/// ```
/// use faultline::byzantine::om_message_count;
/// assert_eq!(om_message_count(4, 1)?, 9);
/// assert_eq!(om_message_count(7, 2)?, 6 + 6 * 5 + 6 * 5 * 4);
/// # Ok::<(), faultline::Error>(())
/// ```
pub fn om_message_count(n: usize, m: usize) -> Result<u64> {
    Generals::new(n, m)?;
    let mut total: u64 = 0;
    let mut level: u64 = 1;
    for k in 1..=m as u64 + 1 {
        level = level.saturating_mul((n as u64).saturating_sub(k));
        total = total.saturating_add(level);
    }
    Ok(total)
}

/// What one run of OM(m) or SM(m) did: the decisions, the messages, and what each lieutenant
/// heard.
#[derive(Debug, Clone)]
pub struct Run {
    /// The setting it ran.
    pub generals: Generals,
    /// The traitors' strategy, by name.
    pub strategy: String,
    /// Each general's decision, by id: `None` for the commander and for traitors.
    pub decisions: Vec<Option<Order>>,
    /// Every message the world carried, in order of sending.
    pub messages: Vec<MessageRecord>,
    /// Signed messages that failed verification (a traitor changed a signed value).
    pub rejected: usize,
    /// Oral: what each lieutenant heard, by relay path (commander first, the sender last).
    heard: Vec<BTreeMap<Vec<NodeId>, Order>>,
}

impl Run {
    /// Messages sent.
    pub fn sent(&self) -> usize {
        self.messages.len()
    }

    /// Lieutenant `id`'s decision (`None` for the commander, a traitor or no such general).
    pub fn decision(&self, id: NodeId) -> Option<Order> {
        self.decisions.get(id).copied().flatten()
    }

    /// The loyal lieutenants' ids.
    pub fn loyal_lieutenants(&self) -> Vec<NodeId> {
        (1..self.generals.n).filter(|&i| !self.generals.is_traitor(i)).collect()
    }

    /// IC1: every loyal lieutenant decided the same order.
    pub fn ic1(&self) -> bool {
        let d: Vec<Option<Order>> = self.loyal_lieutenants().iter().map(|&i| self.decision(i)).collect();
        d.windows(2).all(|w| w[0] == w[1])
    }

    /// IC2: if the commander is loyal, every loyal lieutenant decided its order.
    pub fn ic2(&self) -> bool {
        self.generals.is_traitor(0)
            || self
                .loyal_lieutenants()
                .iter()
                .all(|&i| self.decision(i) == Some(self.generals.order))
    }

    /// Both conditions held.
    pub fn agreed(&self) -> bool {
        self.ic1() && self.ic2()
    }

    /// What lieutenant `id` heard along relay `path` (OM only): `path` starts with the commander
    /// and ends with the sender, e.g. `[0]` for the commander's order, `[0, 2]` for lieutenant
    /// 2's relay of it.
    pub fn heard(&self, id: NodeId, path: &[NodeId]) -> Option<Order> {
        self.heard.get(id)?.get(path).copied()
    }
}
