//! OM(m), the oral-messages algorithm, as processes exchanging messages.
//!
//! Round 0: the commander sends its order to every lieutenant. In round k = 1..m each
//! lieutenant, in its own time slot (a timer), relays every value it heard along a path of k
//! generals, with its own id appended, to every lieutenant not yet on the path. (The slots
//! keep the rounds synchronous and the space-time diagram readable.) At the end of round m
//! each lieutenant decides bottom-up: the value
//! of a path of m + 1 generals is what it heard; the value of a shorter path is the vote of
//! what it heard directly and the values of that path extended by each other lieutenant. A
//! message that never came counts as [`Order::DEFAULT`].

use std::collections::BTreeMap;
use std::rc::Rc;

use super::strategy::{Strategy, Traitor};
use super::{Generals, MAX_MESSAGES, Om1Decide, Order, ROUND_S, Run, Vote, om_message_count};
use crate::error::{Error, Result};
use crate::sim::Limits;
use crate::world::{Ctx, Handled, LinkConfig, Node, NodeId, Outcome, Plain, World};

/// An oral message: a value and the generals it passed through (commander first, the sender
/// last). Its `Debug` is what diagrams show, e.g. `A 0→2`.
#[derive(Clone, PartialEq, Eq)]
pub struct OralMsg {
    /// The relay path.
    pub path: Vec<NodeId>,
    /// The order it carries.
    pub value: Order,
}

impl std::fmt::Debug for OralMsg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path: Vec<String> = self.path.iter().map(|p| p.to_string()).collect();
        write!(f, "{} {}", self.value.letter(), path.join("→"))
    }
}

/// A lieutenant's timers: its relay slot in round k, and the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OralTimer {
    /// Relay what was heard along paths of k generals.
    Relay(usize),
    /// Decide.
    Decide,
}

/// The world's protocol for OM: oral messages, relay and decision timers.
pub type Oral = Plain<OralMsg, OralTimer>;

/// Seconds a message travels: under a third of a round, so that every slot's relays arrive
/// before the next round.
const PROPAGATION_S: f64 = 0.3 * ROUND_S;

/// When lieutenant `me` of `n` relays in round `k`: its slot in the 0.65 of the round left.
fn slot_s(k: usize, me: NodeId, n: usize) -> f64 {
    k as f64 * ROUND_S + (me - 1) as f64 * 0.65 * ROUND_S / (n - 1).max(1) as f64
}

/// When lieutenants decide in OM(m): after the last round's relays have arrived.
pub(crate) fn decide_s(m: usize) -> f64 {
    (m + 1) as f64 * ROUND_S
}

const MSG_BYTES: u64 = 64;

/// The commander, node 0.
pub struct Commander {
    order: Order,
    traitor: Option<Traitor>,
}

impl Node<Oral> for Commander {
    fn start(&mut self, ctx: &mut Ctx<'_, Oral>) -> Handled {
        let n = ctx.nodes();
        for to in 1..n {
            let value = match &self.traitor {
                None => Some(self.order),
                Some(t) => t.send(0, to, n, &[], self.order, ctx.rng),
            };
            if let Some(value) = value {
                ctx.send(to, OralMsg { path: vec![0], value }, MSG_BYTES);
            }
        }
        Ok(())
    }
    fn receive(&mut self, _: &mut Ctx<'_, Oral>, _: NodeId, _: OralMsg) -> Handled {
        Ok(())
    }
}

/// A lieutenant: relays for m rounds, then decides.
pub struct Lieutenant {
    me: NodeId,
    m: usize,
    traitor: Option<Traitor>,
    vote: Option<Vote>,
    decide: Option<Om1Decide>,
    heard: BTreeMap<Vec<NodeId>, Order>,
    decision: Option<Order>,
}

impl Lieutenant {
    /// Its decision (`None` before it decided, or for a traitor).
    pub fn decision(&self) -> Option<Order> {
        self.decision
    }

    fn vote(&self, values: &[Order]) -> Order {
        match self.vote {
            Some(v) => v(values),
            None => crate::byzantine::oral::majority(values),
        }
    }

    /// The value of `path` for this lieutenant (the recursion of OM, evaluated bottom-up).
    fn value(&self, path: &mut Vec<NodeId>, n: usize) -> Order {
        let direct = self.heard.get(path.as_slice()).copied().unwrap_or(Order::DEFAULT);
        if path.len() > self.m {
            return direct;
        }
        let mut values = vec![direct];
        for k in 1..n {
            if k != self.me && !path.contains(&k) {
                path.push(k);
                values.push(self.value(path, n));
                path.pop();
            }
        }
        self.vote(&values)
    }
}

impl Node<Oral> for Lieutenant {
    fn start(&mut self, ctx: &mut Ctx<'_, Oral>) -> Handled {
        for k in 1..=self.m {
            ctx.set_timer(slot_s(k, self.me, ctx.nodes()), OralTimer::Relay(k));
        }
        ctx.set_timer(decide_s(self.m), OralTimer::Decide);
        Ok(())
    }

    fn receive(&mut self, _: &mut Ctx<'_, Oral>, from: NodeId, msg: OralMsg) -> Handled {
        let p = &msg.path;
        let well_formed = p.first() == Some(&0)
            && p.last() == Some(&from)
            && p.len() <= self.m + 1
            && !p.contains(&self.me)
            && (1..p.len()).all(|i| !p[..i].contains(&p[i]));
        if well_formed && !self.heard.contains_key(p) {
            self.heard.insert(msg.path, msg.value);
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Oral>, timer: OralTimer) -> Handled {
        let n = ctx.nodes();
        match timer {
            OralTimer::Relay(k) => {
                for (p, &heard) in self.heard.iter().filter(|(p, _)| p.len() == k) {
                    let mut path = p.clone();
                    path.push(self.me);
                    for to in (1..n).filter(|&to| to != self.me && !p.contains(&to)) {
                        let value = match &self.traitor {
                            None => Some(heard),
                            Some(t) => t.send(self.me, to, n, p, heard, ctx.rng),
                        };
                        if let Some(value) = value {
                            ctx.send(
                                to,
                                OralMsg {
                                    path: path.clone(),
                                    value,
                                },
                                MSG_BYTES,
                            );
                        }
                    }
                }
            }
            OralTimer::Decide if self.traitor.is_none() => {
                self.decision = Some(match self.decide {
                    Some(decide) if self.m == 1 => {
                        let heard = |p: &[NodeId]| self.heard.get(p).copied().unwrap_or(Order::DEFAULT);
                        let relayed: Vec<Order> = (1..n).filter(|&k| k != self.me).map(|k| heard(&[0, k])).collect();
                        decide(heard(&[0]), &relayed)
                    }
                    _ => self.value(&mut vec![0], n),
                });
            }
            OralTimer::Decide => {}
        }
        Ok(())
    }
}

/// The majority of `values`, or [`Order::DEFAULT`] when neither order has more than half.
pub(crate) fn majority(values: &[Order]) -> Order {
    let attack = values.iter().filter(|&&v| v == Order::Attack).count();
    let retreat = values.len() - attack;
    if attack > retreat {
        Order::Attack
    } else if retreat > attack {
        Order::Retreat
    } else {
        Order::DEFAULT
    }
}

/// Runs OM(m) once; traitors follow `strategy`; `seed` drives their random streams. Errors:
/// a setting whose message count exceeds [`MAX_MESSAGES`].
pub fn run(g: &Generals, strategy: Rc<dyn Strategy>, seed: u64) -> Result<Run> {
    run_world(g, strategy, seed).map(|(run, _)| run)
}

/// [`run`], also returning the world's outcome (for a space-time diagram).
pub fn run_world(g: &Generals, strategy: Rc<dyn Strategy>, seed: u64) -> Result<(Run, Outcome<Oral>)> {
    let count = om_message_count(g.n, g.m)?;
    if count > MAX_MESSAGES {
        return Err(Error::invalid(
            "m",
            g.m,
            "OM(m) with these n would send more than 5 million messages",
        ));
    }
    let all: Rc<[NodeId]> = g.traitors.clone().into();
    let traitor = |id| {
        g.is_traitor(id).then(|| Traitor {
            strategy: strategy.clone(),
            all: all.clone(),
        })
    };
    let mut world = World::<Oral>::new(seed);
    world.set_link(LinkConfig::reliable(PROPAGATION_S, 1e9)?)?;
    world.label_messages(g.label_messages);
    world.add_node(Commander {
        order: g.order,
        traitor: traitor(0),
    });
    for me in 1..g.n {
        world.add_node(Lieutenant {
            me,
            m: g.m,
            traitor: traitor(me),
            vote: g.vote,
            decide: g.decide,
            heard: BTreeMap::new(),
            decision: None,
        });
    }
    let out = world.run(Limits::default())?;
    if let Some(f) = &out.failure {
        return Err(Error::invalid("run", f, "a general failed"));
    }
    let mut decisions = vec![None];
    let mut heard = vec![BTreeMap::new()];
    for i in 1..g.n {
        let l = out.node::<Lieutenant>(i).expect("node i is a lieutenant");
        decisions.push(l.decision);
        heard.push(l.heard.clone());
    }
    let run = Run {
        generals: g.clone(),
        strategy: strategy.name(),
        decisions,
        messages: out.messages.clone(),
        rejected: 0,
        heard,
    };
    Ok((run, out))
}

impl Generals {
    /// Runs OM(m) (see [`run`]).
    pub fn run_oral(&self, strategy: Rc<dyn Strategy>, seed: u64) -> Result<Run> {
        run(self, strategy, seed)
    }
}
