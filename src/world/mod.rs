//! The world simulator every chapter with nodes runs on: nodes of mixed kinds exchange messages
//! over links that delay, queue, drop, duplicate and reorder them, through partitions that
//! start and heal on a schedule, while nodes crash, recover, pause (even between a check and the
//! act it guards) and read clocks of their own that drift and get stepped. Every message's
//! fate, every client operation and every fault is recorded with true times: the ground truth
//! no node can see.
//!
//! The shape follows tokio's turmoil (a world you build from small configs and own) and
//! stateright (actors with typed messages and timers, histories to check):
//!
//! * a [`Protocol`] names the types a world's nodes share: messages, timers, client operations
//!   and their results;
//! * each node is any type implementing [`Node`], so a client, a server and a nemesis are
//!   different types in one world ([`Outcome::node`] gives each back as its own type);
//! * handlers act through a [`Ctx`]: the node's own clock readings (never true time), sends,
//!   timers on its monotonic clock, history entries, injected faults; they return [`Handled`],
//!   and an error ends the run cleanly with the failure recorded;
//! * links are set for all pairs and overridden per direction ([`World::set_link_between`]);
//! * faults are plain values ([`Fault`]), so a run is replayed exactly from its seed and faults.
//!
//! ```
//! use faultline::world::{Ctx, Handled, LinkConfig, Node, NodeId, Protocol, World};
//! use faultline::sim::Limits;
//!
//! struct Ping;
//! impl Protocol for Ping { type Msg = &'static str; type Timer = (); type Op = (); type Ret = (); }
//!
//! struct Asker;
//! impl Node<Ping> for Asker {
//!     fn start(&mut self, ctx: &mut Ctx<'_, Ping>) -> Handled { ctx.send(1, "ping", 100); Ok(()) }
//!     fn receive(&mut self, _: &mut Ctx<'_, Ping>, _: NodeId, _: &'static str) -> Handled { Ok(()) }
//! }
//! struct Answerer { pings: u32 }
//! impl Node<Ping> for Answerer {
//!     fn receive(&mut self, ctx: &mut Ctx<'_, Ping>, from: NodeId, _: &'static str) -> Handled {
//!         self.pings += 1;
//!         ctx.send(from, "pong", 100);
//!         Ok(())
//!     }
//! }
//!
//! let mut world = World::<Ping>::new(1);
//! world.set_link(LinkConfig::reliable(0.010, 1e6)?)?; // 10 ms, 1 MB/s
//! world.add_node(Asker);
//! world.add_node(Answerer { pings: 0 });
//! let out = world.run(Limits::default())?;
//! assert_eq!(out.delivered(), 2);
//! assert_eq!(out.node::<Answerer>(1).unwrap().pings, 1);
//! # Ok::<(), faultline::Error>(())
//! ```

mod call;
mod config;
mod ctx;
mod event;
mod fault;
mod plan;
mod queue;
mod record;
mod run;
mod runner;
mod timers;
mod wire;

use std::any::Any;
use std::fmt::Debug;

pub use config::{ClockConfig, LinkConfig};
pub use ctx::{Ctx, TimerId};
pub use fault::{Fault, Partition};
pub use plan::{WireFate, WirePlan};
pub use record::{DropReason, Fate, MessageCounts, MessageRecord, NodeEvent, NodeFailure, OpId, Operation, Outcome};
pub use run::World;

/// A node's index, 0-based, in the order nodes were added.
pub type NodeId = usize;

/// The types every node of one world shares.
pub trait Protocol: 'static {
    /// What nodes send each other.
    type Msg: Clone + Debug + 'static;
    /// What a node's timers carry when they fire.
    type Timer: Debug + 'static;
    /// A client operation recorded in the history (use `()` when there are none).
    type Op: Clone + Debug + 'static;
    /// What a client operation returned.
    type Ret: Clone + Debug + 'static;
}

/// The protocol of a world whose nodes exchange messages `M` and set timers `T` and record no
/// client operations: `World::<Plain<Msg, Timer>>::new(seed)`.
pub struct Plain<M, T = ()>(std::marker::PhantomData<fn() -> (M, T)>);

impl<M: Clone + Debug + 'static, T: Debug + 'static> Protocol for Plain<M, T> {
    type Msg = M;
    type Timer = T;
    type Op = ();
    type Ret = ();
}

/// Why a handler gave up: it ends the run, and the [`Outcome`] records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeError {
    /// What went wrong, for a person.
    pub reason: String,
}

impl NodeError {
    /// An error saying `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        NodeError { reason: reason.into() }
    }
}

impl std::fmt::Display for NodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for NodeError {}

/// What a handler returns.
pub type Handled = Result<(), NodeError>;

/// A node's behaviour. Every handler may fail with a [`NodeError`], which ends the run.
pub trait Node<P: Protocol>: Any {
    /// Called once at true time 0.
    fn start(&mut self, _ctx: &mut Ctx<'_, P>) -> Handled {
        Ok(())
    }
    /// A message arrived from `from`.
    fn receive(&mut self, ctx: &mut Ctx<'_, P>, from: NodeId, msg: P::Msg) -> Handled;
    /// A timer set with [`Ctx::set_timer`] fired.
    fn timer(&mut self, _ctx: &mut Ctx<'_, P>, _timer: P::Timer) -> Handled {
        Ok(())
    }
    /// The node restarted after a crash: its timers are gone, its fields are what it kept.
    fn recover(&mut self, _ctx: &mut Ctx<'_, P>) -> Handled {
        Ok(())
    }
}
