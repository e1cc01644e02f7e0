//! Task 3 as a run: a sender sends numbered messages 0, 1, 2, … one per millisecond over a
//! link that loses, duplicates and delays them; the receiver hands the learner's
//! `deliver_in_order` everything that has arrived each time something arrives, and hands the
//! application what it returns. The link's faults are a value ([`LinkSchedule`]: every
//! message's fate), drawn from a seed ([`draw_run`]), shrunk ([`crate::shrink`]) and carried by
//! a replay code.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check};
use crate::grade::{Panicked, attempt};
use crate::shrink::{MsgFate, Shrink, without_chunks};
use crate::sim::{Dist, Limits, Seed};
use crate::world::{Ctx, Handled, LinkConfig, Node, NodeError, NodeId, Outcome, Plain, World};

/// The one-way delay of a message the schedule says nothing about, seconds.
pub const BASE_DELAY_S: f64 = 0.005;
/// Seconds between two sends.
pub const GAP_S: f64 = 0.001;

/// One message's fate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SeqFault {
    /// The message's number.
    #[serde(rename = "q")]
    pub seq: u64,
    /// What the link did with it.
    #[serde(rename = "x")]
    pub fate: MsgFate,
}

/// Everything a run of the link depends on besides the learner's function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkSchedule {
    /// Messages sent, numbered 0, 1, …, one every [`GAP_S`].
    #[serde(rename = "n")]
    pub messages: u64,
    /// Every message whose fate is not a plain delivery after [`BASE_DELAY_S`].
    #[serde(rename = "w")]
    pub wire: Vec<SeqFault>,
}

/// The learner's function: what to hand over, given every arrival so far.
pub type Deliver = fn(&[u64]) -> Vec<u64>;

/// Numbered messages; the sender's timer says which to send.
pub(super) type Numbered = Plain<u64, u64>;

/// The sender (node 0) sends `0..n`; the receiver (node 1) runs the learner's function.
pub(super) struct Ends {
    send: u64,
    deliver: Option<Deliver>,
    /// Every arrival: (true time, number).
    pub(super) arrivals: Vec<(f64, u64)>,
    /// What the learner's function returned after each arrival.
    pub(super) handed: Vec<Vec<u64>>,
    /// Set when the function returned something other than in-order delivery allows.
    pub(super) broke: bool,
    /// What the function panicked with (`None` inside for a `todo!()`).
    pub(super) panicked: Option<Option<String>>,
}

impl Node<Numbered> for Ends {
    fn start(&mut self, ctx: &mut Ctx<'_, Numbered>) -> Handled {
        for i in 0..self.send {
            ctx.set_timer(i as f64 * GAP_S, i);
        }
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Numbered>, seq: u64) -> Handled {
        ctx.send(1, seq, 100);
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, Numbered>, _: NodeId, seq: u64) -> Handled {
        let Some(deliver) = self.deliver else { return Ok(()) };
        self.arrivals.push((ctx.monotonic_s(), seq));
        let arrived: Vec<u64> = self.arrivals.iter().map(|a| a.1).collect();
        match attempt(|| deliver(&arrived)) {
            Ok(out) => {
                let ok = out == in_order(&arrived);
                self.handed.push(out);
                if ok {
                    Ok(())
                } else {
                    self.broke = true;
                    Err(NodeError::new("deliver_in_order broke in-order delivery"))
                }
            }
            Err(p) => {
                self.panicked = Some(match p {
                    Panicked::Todo => None,
                    Panicked::Other(m) => Some(m),
                });
                Err(NodeError::new("deliver_in_order panicked"))
            }
        }
    }
}

/// What a receiver that delivers in order hands over after `arrivals`: 0, 1, … up to the
/// first number that has not arrived.
pub(super) fn in_order(arrivals: &[u64]) -> Vec<u64> {
    let seen: std::collections::HashSet<u64> = arrivals.iter().copied().collect();
    (0..).take_while(|i| seen.contains(i)).collect()
}

/// A run: the receiver, and the world's records (message `i` is number `i`).
pub(super) struct LinkRun {
    pub(super) receiver: Ends,
    pub(super) world: Outcome<Numbered>,
}

fn run_with(
    n: u64,
    deliver: Deliver,
    seed: u64,
    mut fate: impl FnMut(u64) -> Option<MsgFate> + 'static,
) -> Result<LinkRun> {
    let mut world = World::<Numbered>::new(seed);
    world.set_link(LinkConfig::reliable(BASE_DELAY_S, 1e8)?)?;
    let ends = |send, deliver| Ends {
        send,
        deliver,
        arrivals: Vec::new(),
        handed: Vec::new(),
        broke: false,
        panicked: None,
    };
    world.add_node(ends(n, None));
    world.add_node(ends(0, Some(deliver)));
    world.plan_wire(Box::new(move |_, _, seq| fate(*seq).map(MsgFate::wire)));
    let mut out = world.run(Limits::default())?;
    let receiver = out
        .take_node::<Ends>(1)
        .ok_or_else(|| Error::invalid("nodes", 2, "lost track of the receiver"))?;
    Ok(LinkRun { receiver, world: out })
}

/// The settings a seeded run of the grader draws: how many messages, how lossy, duplicating
/// and jittery the link is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dice {
    /// Messages sent.
    pub messages: u64,
    /// Probability a message is lost.
    pub loss: f64,
    /// Probability a message is delivered twice.
    pub duplicate: f64,
    /// Mean extra delay of a copy, seconds (exponential).
    pub jitter_s: f64,
}

/// The seeded run the grader meets: every message's fate drawn from `seed` as `dice` say and
/// written down, so that the schedule returned replays exactly this run.
pub(super) fn draw_run(dice: Dice, deliver: Deliver, seed: u64) -> Result<(LinkSchedule, LinkRun)> {
    let mut rng = Seed(seed).stream(78);
    let jitter = Dist::exponential(dice.jitter_s)?;
    let drawn = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&drawn);
    let run = run_with(dice.messages, deliver, seed, move |seq| {
        let fate = MsgFate::draw(&mut rng, dice.loss, dice.duplicate, BASE_DELAY_S, &jitter);
        log.borrow_mut().push(SeqFault { seq, fate });
        Some(fate)
    })?;
    let schedule = LinkSchedule {
        messages: dice.messages,
        wire: drawn.borrow().clone(),
    };
    Ok((schedule, run))
}

impl LinkSchedule {
    /// Runs it on `seed` with the receiver running `deliver`.
    pub(super) fn run(&self, deliver: Deliver, seed: u64) -> Result<LinkRun> {
        self.validate()?;
        let plan: std::collections::HashMap<u64, MsgFate> = self.wire.iter().map(|w| (w.seq, w.fate)).collect();
        run_with(self.messages, deliver, seed, move |seq| plan.get(&seq).copied())
    }

    /// Checks every field (a schedule may come from a hand-edited replay code).
    pub fn validate(&self) -> Result<()> {
        check::at_least_one("messages", self.messages)?;
        if self.messages > 10_000 || self.wire.len() > 10_000 {
            return Err(Error::invalid(
                "messages",
                self.messages,
                "at most 10000 in a replayed run",
            ));
        }
        for w in &self.wire {
            w.fate.validate()?;
        }
        Ok(())
    }

    fn with_messages(&self, n: u64) -> Self {
        LinkSchedule {
            messages: n,
            wire: self.wire.iter().filter(|w| w.seq < n).copied().collect(),
        }
    }
}

impl Shrink for LinkSchedule {
    fn candidates(&self) -> Vec<Self> {
        let mut out = Vec::new();
        let n = self.messages;
        for fewer in [n / 2, (n * 4) / 5, n - 1] {
            if fewer >= 1 && fewer < n && !out.iter().any(|s: &LinkSchedule| s.messages == fewer) {
                out.push(self.with_messages(fewer));
            }
        }
        for wire in without_chunks(&self.wire) {
            out.push(LinkSchedule { messages: n, wire });
        }
        for (i, w) in self.wire.iter().enumerate() {
            for fate in w.fate.simpler(BASE_DELAY_S) {
                let mut s = self.clone();
                s.wire[i].fate = fate;
                out.push(s);
            }
        }
        out
    }
}
