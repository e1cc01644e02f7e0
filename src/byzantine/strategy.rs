//! What a traitor sends. A [`Strategy`] is asked once per message a loyal general in its place
//! would send, and answers with the order to send, or `None` to send nothing.
//!
//! The same strategy plays both algorithms. Under OM a traitor says what it likes. Under SM
//! it can sign any order it *commands*, but when it relays it can only pass on the signed
//! order it received (an answer equal to [`Sending::honest`]), drop it (`None`), or change the
//! value, which breaks the signatures so that loyal receivers reject the message.

use std::fmt::Debug;
use std::rc::Rc;

use rand::Rng;

use super::Order;
use crate::sim::SimRng;
use crate::world::NodeId;

/// One message a traitor is about to send.
#[derive(Debug, Clone, Copy)]
pub struct Sending<'a> {
    /// The traitor.
    pub me: NodeId,
    /// The general the message goes to.
    pub to: NodeId,
    /// Generals in all.
    pub n: usize,
    /// The relay path the traitor heard the value along (empty when it commands).
    pub path: &'a [NodeId],
    /// What a loyal general would send: its order when it commands, else the value it heard.
    pub honest: Order,
    /// Every traitor (traitors may collude).
    pub traitors: &'a [NodeId],
}

/// A traitor's behaviour.
pub trait Strategy: Debug {
    /// A short name for tables and plots.
    fn name(&self) -> String;
    /// What to send in `s` (`None`: nothing). `rng` is the traitor's own random stream.
    fn send(&self, s: &Sending<'_>, rng: &mut SimRng) -> Option<Order>;
}

/// Reverses every order it sends.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlwaysLie;

impl Strategy for AlwaysLie {
    fn name(&self) -> String {
        "always lie".into()
    }
    fn send(&self, s: &Sending<'_>, _: &mut SimRng) -> Option<Order> {
        Some(s.honest.flip())
    }
}

/// Tells different lieutenants different things: Attack to even ids, Retreat to odd ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct SplitVote;

impl Strategy for SplitVote {
    fn name(&self) -> String {
        "split vote".into()
    }
    fn send(&self, s: &Sending<'_>, _: &mut SimRng) -> Option<Order> {
        Some(if s.to.is_multiple_of(2) {
            Order::Attack
        } else {
            Order::Retreat
        })
    }
}

/// The traitors gang up on one lieutenant: they tell the victim to attack and everyone else
/// to retreat, so that the victim attacks alone.
#[derive(Debug, Clone, Copy)]
pub struct Collude {
    /// The lieutenant they single out.
    pub victim: NodeId,
}

impl Strategy for Collude {
    fn name(&self) -> String {
        format!("collude against {}", self.victim)
    }
    fn send(&self, s: &Sending<'_>, _: &mut SimRng) -> Option<Order> {
        Some(if s.to == self.victim {
            Order::Attack
        } else {
            Order::Retreat
        })
    }
}

/// Sends a random order each time, from the traitor's seeded stream.
#[derive(Debug, Clone, Copy, Default)]
pub struct Random;

impl Strategy for Random {
    fn name(&self) -> String {
        "random".into()
    }
    fn send(&self, _: &Sending<'_>, rng: &mut SimRng) -> Option<Order> {
        Some(if rng.random_bool(0.5) {
            Order::Attack
        } else {
            Order::Retreat
        })
    }
}

/// Sends nothing at all (a traitor that plays dead; loyal receivers assume the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Strategy for Silent {
    fn name(&self) -> String {
        "silent".into()
    }
    fn send(&self, _: &Sending<'_>, _: &mut SimRng) -> Option<Order> {
        None
    }
}

/// Lies to the generals in `to` (sends them the opposite of what a loyal general would) and
/// tells everyone else the truth: a traitor's behaviour written out, as the exhaustive OM(1)
/// check enumerates it and a shrunk run keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiesTo {
    /// The generals lied to.
    pub to: Vec<NodeId>,
}

impl Strategy for LiesTo {
    fn name(&self) -> String {
        match self.to.as_slice() {
            [] => "tells the truth".into(),
            to => {
                let to: Vec<String> = to.iter().map(|i| format!("L{i}")).collect();
                format!("lies to {}", to.join(", "))
            }
        }
    }
    fn send(&self, s: &Sending<'_>, _: &mut SimRng) -> Option<Order> {
        Some(if self.to.contains(&s.to) {
            s.honest.flip()
        } else {
            s.honest
        })
    }
}

/// Loyal behaviour, as a strategy: sends what a loyal general would.
#[derive(Debug, Clone, Copy, Default)]
pub struct Honest;

impl Strategy for Honest {
    fn name(&self) -> String {
        "honest".into()
    }
    fn send(&self, s: &Sending<'_>, _: &mut SimRng) -> Option<Order> {
        Some(s.honest)
    }
}

/// The built-in strategies for n generals: always lie, split vote, random, silent, and
/// collude against each lieutenant (4 + n − 1 of them).
pub fn standard(n: usize) -> Vec<Rc<dyn Strategy>> {
    let mut all: Vec<Rc<dyn Strategy>> = vec![Rc::new(AlwaysLie), Rc::new(SplitVote), Rc::new(Random), Rc::new(Silent)];
    all.extend((1..n).map(|victim| Rc::new(Collude { victim }) as Rc<dyn Strategy>));
    all
}

/// A traitor's part in a run: its strategy and who its fellow traitors are.
#[derive(Debug, Clone)]
pub(crate) struct Traitor {
    pub strategy: Rc<dyn Strategy>,
    pub all: Rc<[NodeId]>,
}

impl Traitor {
    /// What traitor `me` sends `to`, having heard `honest` along `path`.
    pub fn send(
        &self,
        me: NodeId,
        to: NodeId,
        n: usize,
        path: &[NodeId],
        honest: Order,
        rng: &mut SimRng,
    ) -> Option<Order> {
        let s = Sending {
            me,
            to,
            n,
            path,
            honest,
            traitors: &self.all,
        };
        self.strategy.send(&s, rng)
    }
}
