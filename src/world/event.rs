//! What the world's queue carries: its events, the copies of messages on their way, and what
//! a paused node keeps for later.

use super::config::LinkConfig;
use super::ctx::TimerId;
use super::{NodeId, Protocol};

/// An event of the world's queue.
pub(super) enum Ev<P: Protocol> {
    Start(NodeId),
    Arrive(Arrival<P>),
    /// (Node and epoch as `u32`s, and a flush's sends boxed, keep every event of a world
    /// with small messages and timers at 32 bytes: the queue moves events by value.)
    Timer {
        node: u32,
        id: TimerId,
        epoch: u32,
        target_mono: f64,
        tries: u32,
        timer: P::Timer,
    },
    Crash(NodeId),
    Recover(NodeId),
    Pause {
        node: NodeId,
        length_s: f64,
    },
    ArmMidPause {
        node: NodeId,
        length_s: f64,
    },
    Resume(NodeId),
    ClockStep {
        node: NodeId,
        delta_s: f64,
    },
    /// Every link behaves as this from now on (boxed: a link's settings are twice the size of
    /// every other event, and the queue moves events by value).
    LinkChange(Box<LinkConfig>),
    /// The effects of a handler a pause fell inside, reaching the world when the pause ends.
    Flush {
        node: NodeId,
        epoch: u32,
        sends: Box<[(NodeId, P::Msg, u64)]>,
    },
}

/// What reached a paused node, replayed in order when the pause ends.
pub(super) enum Deferred<P: Protocol> {
    Message(Arrival<P>),
    Timer {
        id: TimerId,
        target_mono: f64,
        tries: u32,
        timer: P::Timer,
    },
}

/// A copy of a message on its way to `to`, and its record ([`NO_RECORD`] when the world does
/// not record messages).
pub(super) struct Arrival<P: Protocol> {
    pub(super) record: usize,
    pub(super) from: NodeId,
    pub(super) to: NodeId,
    pub(super) msg: P::Msg,
}

/// What a message's records share.
#[derive(Clone, Copy)]
pub(super) struct Head {
    pub(super) id: u64,
    pub(super) from: NodeId,
    pub(super) to: NodeId,
    pub(super) size: u64,
    pub(super) sent_at_s: f64,
}

/// The record index of a message the world does not record.
pub(super) const NO_RECORD: usize = usize::MAX;

/// A timer on its way to the queue.
pub(super) struct PendingTimer<P: Protocol> {
    pub(super) id: TimerId,
    pub(super) target_mono: f64,
    pub(super) timer: P::Timer,
}

/// Which handler of a node to call.
pub(super) enum Call<P: Protocol> {
    Start,
    Receive(NodeId, P::Msg),
    Timer(P::Timer),
    Recover,
}
