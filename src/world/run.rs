//! Building a world and running it on the event queue ([`super::runner`] runs it).

use std::collections::{HashMap, VecDeque};

use rand::Rng;

use crate::error::{Error, Result};
use crate::sim::{Limits, Seed};

use super::config::{ClockConfig, LinkConfig};
use super::ctx::Effects;
use super::event::Ev;
use super::fault::Fault;
use super::plan::WirePlan;
use super::queue::Queue;
use super::record::{MessageCounts, Outcome};
use super::runner::{Link, NodeState, Runner};
use super::timers::Timers;
use super::{Node, NodeId, Protocol};

/// A world to build and then run once: nodes (each with its clock), links, faults.
///
/// Randomness comes from the seed one way: the wire (loss, duplication, jitter) draws from
/// stream 0, node `i`'s [`Ctx::rng`] from stream `1 + i`, node `i`'s oscillator noise from
/// stream `1_000_000 + i`.
pub struct World<P: Protocol> {
    seed: Seed,
    nodes: Vec<Box<dyn Node<P>>>,
    clocks: Vec<ClockConfig>,
    link: LinkConfig,
    links: HashMap<(NodeId, NodeId), LinkConfig>,
    faults: Vec<Fault>,
    label_messages: bool,
    record_messages: bool,
    wire_plan: Option<WirePlan<P>>,
    /// Whether timers may be held back ([`super::timers::Timers::hold`]; off only in tests,
    /// which compare the two).
    pub(super) hold_timers: bool,
}

impl<P: Protocol> World<P> {
    /// An empty world: no nodes, every link [`LinkConfig::default`], no faults.
    pub fn new(seed: impl Into<Seed>) -> Self {
        World {
            seed: seed.into(),
            nodes: Vec::new(),
            clocks: Vec::new(),
            link: LinkConfig::default(),
            links: HashMap::new(),
            faults: Vec::new(),
            label_messages: false,
            record_messages: true,
            wire_plan: None,
            hold_timers: true,
        }
    }

    /// Adds a node with a perfect clock; returns its id (0, 1, 2, … in order of adding).
    pub fn add_node(&mut self, node: impl Node<P>) -> NodeId {
        self.add_node_with_clock(node, ClockConfig::perfect())
    }

    /// Adds a node with its own clock; returns its id.
    pub fn add_node_with_clock(&mut self, node: impl Node<P>, clock: ClockConfig) -> NodeId {
        self.nodes.push(Box::new(node));
        self.clocks.push(clock);
        self.nodes.len() - 1
    }

    /// Sets how every link behaves (links set with [`World::set_link_between`] keep theirs).
    pub fn set_link(&mut self, link: LinkConfig) -> Result<&mut Self> {
        link.validate()?;
        self.link = link;
        Ok(self)
    }

    /// Sets how the directed link from `from` to `to` behaves.
    pub fn set_link_between(&mut self, from: NodeId, to: NodeId, link: LinkConfig) -> Result<&mut Self> {
        link.validate()?;
        self.links.insert((from, to), link);
        Ok(self)
    }

    /// Schedules a fault (checked when the world runs).
    pub fn add_fault(&mut self, fault: Fault) -> &mut Self {
        self.faults.push(fault);
        self
    }

    /// Schedules several faults.
    pub fn add_faults(&mut self, faults: impl IntoIterator<Item = Fault>) -> &mut Self {
        self.faults.extend(faults);
        self
    }

    /// Records every message written out with `{:?}` in [`MessageRecord::label`] (for
    /// diagrams; off by default because it costs a string per message).
    pub fn label_messages(&mut self, on: bool) -> &mut Self {
        self.label_messages = on;
        self
    }

    /// Lets `plan` decide the fate of every message it returns `Some` for, instead of the
    /// link's loss, duplication and jitter (see [`super::WirePlan`]): a run's message faults
    /// as values, for a schedule that is shrunk and replayed.
    pub fn plan_wire(&mut self, plan: WirePlan<P>) -> &mut Self {
        self.wire_plan = Some(plan);
        self
    }

    /// Records every message's fate in [`Outcome::messages`] (on by default: space-time
    /// diagrams and checkers read them). Off, a long run keeps only [`Outcome::counts`], and
    /// saves the memory and time of a record per message; nothing else about the run changes.
    pub fn record_messages(&mut self, on: bool) -> &mut Self {
        self.record_messages = on;
        self
    }

    /// Runs until no events are left, a limit is reached or a handler fails. Errors: no nodes,
    /// a link or fault naming a node that does not exist, an invalid fault or clock.
    pub fn run(self, limits: Limits) -> Result<Outcome<P>> {
        let n = self.nodes.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "world",
                reason: "it needs at least one node",
            });
        }
        for &(a, b) in self.links.keys() {
            if a >= n || b >= n {
                return Err(Error::invalid(
                    "link",
                    format!("{a}→{b}"),
                    "names a node that does not exist",
                ));
            }
        }
        for f in &self.faults {
            f.validate(n)?;
        }
        let mut links = vec![self.link; n * n];
        for (&(a, b), l) in &self.links {
            links[a * n + b] = *l;
        }
        let mut state = Vec::with_capacity(n);
        for (i, c) in self.clocks.iter().enumerate() {
            state.push(NodeState {
                up: true,
                paused_until: f64::NEG_INFINITY,
                epoch: 0,
                deferred: VecDeque::new(),
                armed: VecDeque::new(),
                rng: self.seed.stream(1 + i as u64),
                clock: c.build(self.seed.stream(1_000_000 + i as u64).random())?,
            });
        }
        let mut r = Runner {
            n,
            q: Queue::new(),
            procs: self.nodes,
            state,
            links: links.into_iter().map(Link::new).collect(),
            wire: self.seed.stream(0),
            partitions: Vec::new(),
            messages: Vec::new(),
            counts: MessageCounts::default(),
            record: self.record_messages,
            history: Vec::new(),
            node_events: Vec::new(),
            effects: Effects::new(),
            timers: Timers::new(n, self.hold_timers),
            next_message: 0,
            label: self.label_messages,
            failure: None,
            wire_plan: self.wire_plan,
        };
        for i in 0..n {
            r.q.schedule(0.0, Ev::Start(i)).expect("time 0 is valid");
        }
        for f in self.faults {
            r.schedule_fault(f, 0.0);
        }
        let run = r.run(limits);
        Ok(Outcome {
            messages: r.messages,
            counts: r.counts,
            history: r.history,
            node_events: r.node_events,
            partitions: r.partitions.into_iter().map(|(p, _)| p).collect(),
            clocks: r.state.into_iter().map(|s| s.clock).collect(),
            run,
            failure: r.failure,
            nodes: r.procs,
        })
    }
}
