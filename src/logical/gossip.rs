//! A gossip world on [`crate::world`]: every node, on its own drifting clock, takes steps at
//! random moments (its timers); a step is a local event or a message to a random other node;
//! every arrival is a receive event. Each event is recorded in the world's history with the
//! node's clock reading; the [`LogicalOutcome`] joins it with the world's message records into
//! a [`History`], the record the oracle and the clocks run on.

use std::collections::HashMap;

use rand::Rng;

use super::history::{Event, History, Kind};
use crate::error::{Error, Result, check};
use crate::plot::SpaceTime;
use crate::sim::{Dist, Limits, Seed};
use crate::world::{
    ClockConfig, Ctx, DropReason, Fate, Fault, Handled, LinkConfig, MessageRecord, Node, NodeEvent, NodeId, Partition,
    Protocol, World,
};

/// How a gossip run behaves. Times in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct GossipConfig {
    /// Nodes (1–1024).
    pub nodes: usize,
    /// Steps (local events and sends) each node takes; receives come on top.
    pub steps_per_node: usize,
    /// Mean time between a node's steps on its own clock, seconds (> 0); the gaps are
    /// exponential.
    pub mean_gap_s: f64,
    /// Probability that a step sends a message rather than being a local event.
    pub send_probability: f64,
    /// Fixed part of a message's delay, seconds (≥ 0).
    pub delay_s: f64,
    /// Mean of the exponential extra delay, seconds (≥ 0; 0: none); it reorders messages.
    pub jitter_s: f64,
    /// Probability a message is lost.
    pub loss: f64,
    /// Spread of the clocks' offsets at true time 0, seconds (≥ 0): each node's clock starts
    /// ahead of true time by an offset drawn uniformly in [0, `skew_s`] (so no clock reads a
    /// negative time).
    pub skew_s: f64,
    /// Largest frequency error, ppm (≥ 0): each node's is drawn uniformly in ±`drift_ppm`.
    pub drift_ppm: f64,
    /// Faults (pauses, crashes, partitions) applied to the run.
    pub faults: Vec<Fault>,
}

impl Default for GossipConfig {
    /// Four nodes, 20 steps each a mean 10 ms apart, half of them sends, 2 ms + 3 ms mean
    /// jitter of delay, no loss, clocks 5 ms apart drifting up to 100 ppm.
    fn default() -> Self {
        GossipConfig {
            nodes: 4,
            steps_per_node: 20,
            mean_gap_s: 0.010,
            send_probability: 0.5,
            delay_s: 0.002,
            jitter_s: 0.003,
            loss: 0.0,
            skew_s: 0.005,
            drift_ppm: 100.0,
            faults: Vec::new(),
        }
    }
}

impl GossipConfig {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        if self.nodes == 0 || self.nodes > 1024 {
            return Err(Error::invalid("nodes", self.nodes, "must be between 1 and 1024"));
        }
        check::positive("mean_gap_s", self.mean_gap_s)?;
        check::finite("mean_gap_s", self.mean_gap_s)?;
        check::probability("send_probability", self.send_probability)?;
        check::non_negative("delay_s", self.delay_s)?;
        check::non_negative("jitter_s", self.jitter_s)?;
        check::probability("loss", self.loss)?;
        check::non_negative("skew_s", self.skew_s)?;
        check::finite("skew_s", self.skew_s)?;
        check::non_negative("drift_ppm", self.drift_ppm)?;
        if self.drift_ppm > 1e4 {
            return Err(Error::invalid("drift_ppm", self.drift_ppm, "must be at most 10⁴ ppm"));
        }
        for f in &self.faults {
            f.validate(self.nodes)?;
        }
        Ok(())
    }

    /// Runs the gossip world with randomness from `seed`.
    pub fn simulate(&self, seed: impl Into<Seed>) -> Result<LogicalOutcome> {
        simulate(self, seed.into())
    }
}

/// A node's physical clock: `offset_s + (1 + drift_ppm·10⁻⁶)·t` at true time `t`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockModel {
    /// Reading at true time 0, seconds.
    pub offset_s: f64,
    /// Frequency error, ppm.
    pub drift_ppm: f64,
}

impl ClockModel {
    /// The reading at true time `t_s`.
    pub fn at(&self, t_s: f64) -> f64 {
        self.offset_s + (1.0 + self.drift_ppm * 1e-6) * t_s
    }
}

/// What a gossip run recorded: the history of events and the world's ground truth.
#[derive(Debug, Clone)]
pub struct LogicalOutcome {
    /// Every event, in the order the world handled them.
    pub history: History,
    /// The world's message records (index = message number).
    pub messages: Vec<MessageRecord>,
    /// For each event, the message it sent or received (index into `messages`).
    pub message_of: Vec<Option<usize>>,
    /// Pauses and crashes.
    pub node_events: Vec<NodeEvent>,
    /// Partitions.
    pub partitions: Vec<Partition>,
    /// Each node's physical clock.
    pub clocks: Vec<ClockModel>,
    /// True time of the last event, seconds.
    pub end_s: f64,
}

impl LogicalOutcome {
    /// A hand-built history as an outcome (for its diagram): every send whose receive is in
    /// the history becomes a delivered message, the others are lost; each node's clock model
    /// is taken from its first event (offset only).
    pub fn from_history(history: History) -> Self {
        let ev = history.events();
        let mut messages = Vec::new();
        let mut message_of = vec![None; ev.len()];
        let mut index_of_send = HashMap::new();
        for (i, e) in ev.iter().enumerate() {
            if let Kind::Send { to } = e.kind {
                index_of_send.insert(i, messages.len());
                message_of[i] = Some(messages.len());
                messages.push(MessageRecord {
                    id: messages.len() as u64,
                    duplicate: false,
                    from: e.node,
                    to,
                    size_bytes: 64,
                    sent_at_s: e.true_s,
                    fate: Fate::Dropped {
                        at_s: e.true_s,
                        reason: DropReason::Loss,
                    },
                    label: None,
                });
            }
        }
        for (i, e) in ev.iter().enumerate() {
            if let Kind::Receive { send } = e.kind
                && let Some(&m) = index_of_send.get(&send)
            {
                messages[m].fate = Fate::Delivered { at_s: e.true_s };
                message_of[i] = Some(m);
            }
        }
        let clocks = (0..history.nodes())
            .map(|n| ClockModel {
                offset_s: ev.iter().find(|e| e.node == n).map_or(0.0, |e| e.physical_s - e.true_s),
                drift_ppm: 0.0,
            })
            .collect();
        let end_s = ev.iter().map(|e| e.true_s).fold(0.0, f64::max);
        LogicalOutcome {
            history,
            messages,
            message_of,
            node_events: Vec::new(),
            partitions: Vec::new(),
            clocks,
            end_s,
        }
    }

    /// The largest difference between two nodes' physical clocks at any time of the run
    /// (clocks are linear in true time, so at its start or its end), seconds.
    pub fn max_skew_s(&self) -> f64 {
        [0.0, self.end_s]
            .iter()
            .map(|&t| {
                let r = self.clocks.iter().map(|c| c.at(t));
                let hi = r.clone().fold(f64::NEG_INFINITY, f64::max);
                let lo = r.fold(f64::INFINITY, f64::min);
                hi - lo
            })
            .fold(0.0, f64::max)
    }

    /// The largest physical clock reading of any node at true time `t_s`.
    pub fn largest_physical_at(&self, t_s: f64) -> f64 {
        self.clocks.iter().map(|c| c.at(t_s)).fold(f64::NEG_INFINITY, f64::max)
    }

    /// The run's space-time diagram (lanes, messages, faults), ready for labels: see
    /// [`LogicalOutcome::label_events`].
    pub fn spacetime(&self) -> SpaceTime {
        SpaceTime::from_records(
            self.history.nodes(),
            &self.messages,
            &self.node_events,
            &self.partitions,
            self.end_s,
        )
    }

    /// The diagram with every event labelled by `label(event index)`.
    pub fn label_events(&self, mut diagram: SpaceTime, mut label: impl FnMut(usize) -> String) -> SpaceTime {
        for (i, e) in self.history.events().iter().enumerate() {
            diagram = diagram.label_event(e.node, e.true_s, label(i));
        }
        diagram
    }
}

/// What a gossip node records in the world's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Local,
    Send { to: NodeId, tag: u64 },
    Receive { from: NodeId, tag: u64 },
}

/// The gossip protocol: a message carries (sender, its send number).
pub(crate) struct GossipProto;

impl Protocol for GossipProto {
    type Msg = (NodeId, u64);
    type Timer = ();
    type Op = Step;
    type Ret = ();
}

struct Gossiper {
    steps_left: usize,
    gap: Dist,
    send_probability: f64,
    sent: u64,
}

impl Node<GossipProto> for Gossiper {
    fn start(&mut self, ctx: &mut Ctx<'_, GossipProto>) -> Handled {
        let after = self.gap.sample(ctx.rng);
        ctx.set_timer(after, ());
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, GossipProto>, _: ()) -> Handled {
        if self.steps_left == 0 {
            return Ok(());
        }
        self.steps_left -= 1;
        let n = ctx.nodes();
        if n > 1 && ctx.rng.random::<f64>() < self.send_probability {
            let to = (ctx.me() + 1 + ctx.rng.random_range(0..n - 1)) % n;
            self.sent += 1;
            ctx.send(to, (ctx.me(), self.sent), 64);
            ctx.invoke(Step::Send { to, tag: self.sent });
        } else {
            ctx.invoke(Step::Local);
        }
        if self.steps_left > 0 {
            let after = self.gap.sample(ctx.rng);
            ctx.set_timer(after, ());
        }
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, GossipProto>, from: NodeId, (_, tag): (NodeId, u64)) -> Handled {
        ctx.invoke(Step::Receive { from, tag });
        Ok(())
    }
}

fn simulate(cfg: &GossipConfig, seed: Seed) -> Result<LogicalOutcome> {
    cfg.validate()?;
    let mut rng = seed.stream(0);
    let clocks: Vec<ClockModel> = (0..cfg.nodes)
        .map(|_| ClockModel {
            offset_s: rng.random::<f64>() * cfg.skew_s,
            drift_ppm: (rng.random::<f64>() * 2.0 - 1.0) * cfg.drift_ppm,
        })
        .collect();
    let mut world = World::<GossipProto>::new(seed.child(1));
    world.set_link(LinkConfig {
        loss: cfg.loss,
        jitter_s: if cfg.jitter_s > 0.0 {
            Dist::exponential(cfg.jitter_s)?
        } else {
            Dist::constant(0.0)?
        },
        ..LinkConfig::reliable(cfg.delay_s, 1e9)?
    })?;
    let gap = Dist::exponential(cfg.mean_gap_s)?;
    for c in &clocks {
        world.add_node_with_clock(
            Gossiper {
                steps_left: cfg.steps_per_node,
                gap,
                send_probability: cfg.send_probability,
                sent: 0,
            },
            ClockConfig::drifting(c.drift_ppm).with_wall_at_start(c.offset_s),
        );
    }
    world.add_faults(cfg.faults.iter().cloned());
    let out = world.run(Limits::default())?;
    if let Some(f) = &out.failure {
        return Err(Error::invalid("gossip run", f, "a node failed"));
    }
    let mut events = Vec::with_capacity(out.history.len());
    let mut message_of = Vec::with_capacity(out.history.len());
    let mut send_event: HashMap<(NodeId, u64), usize> = HashMap::new();
    let mut message_index: HashMap<(NodeId, u64), usize> = HashMap::new();
    let mut next_message = 0usize;
    for op in &out.history {
        let (kind, msg) = match op.op {
            Step::Local => (Kind::Local, None),
            Step::Send { to, tag } => {
                // Sends and message records come in the same order, one record per send.
                let m = next_message;
                next_message += 1;
                let rec = out.messages.get(m).filter(|r| r.from == op.node && r.to == to);
                if rec.is_none() {
                    return Err(Error::invalid("message record", m, "does not match its send"));
                }
                send_event.insert((op.node, tag), events.len());
                message_index.insert((op.node, tag), m);
                (Kind::Send { to }, Some(m))
            }
            Step::Receive { from, tag } => {
                let send = send_event.get(&(from, tag)).copied().unwrap_or(usize::MAX);
                (Kind::Receive { send }, message_index.get(&(from, tag)).copied())
            }
        };
        events.push(Event {
            node: op.node,
            kind,
            true_s: op.invoked_at_s,
            physical_s: op.invoked_local.wall,
        });
        message_of.push(msg);
    }
    let end_s = events.last().map_or(0.0, |e| e.true_s);
    Ok(LogicalOutcome {
        history: History::new(cfg.nodes, events)?,
        messages: out.messages,
        message_of,
        node_events: out.node_events,
        partitions: out.partitions,
        clocks,
        end_s,
    })
}
