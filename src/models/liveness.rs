//! Liveness judged "within T after stabilisation", and a client–server world to judge.
//!
//! A liveness property says something good eventually happens: every request is answered, a
//! leader is elected. No finite run can refute it: whatever has not happened by the end of the
//! run may happen one step later. What a run *can* judge is a bounded form: once the network is
//! stable (the partition healed, GST passed) the good thing happens within `T`. A request sent
//! at `s` must be answered by `max(s, stable_s) + T`; one whose deadline lies beyond the end of
//! the run is undecided, not late.

use super::check::HistoryError;
use crate::error::{Result, check};
use crate::sim::Limits;
use crate::world::{Ctx, Fault, Handled, LinkConfig, Node, NodeId, Protocol, World};

/// One request: when it was first sent and when (if ever) its answer arrived, true seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    /// First sent, true time, seconds.
    pub sent_s: f64,
    /// Answered, true time, seconds (`None`: never, within the run).
    pub answered_s: Option<f64>,
}

/// A bounded liveness verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Judged {
    /// Every deadline fell inside the run and was met.
    Holds,
    /// Request `index` had no answer by `deadline_s` (the first such, in order of sending).
    Late {
        /// Its index.
        index: usize,
        /// Its deadline, true seconds.
        deadline_s: f64,
    },
    /// No deadline was missed, but `pending` requests have deadlines after the run's end: the
    /// run is too short to say.
    Undecided {
        /// Requests whose deadline lies beyond the end.
        pending: usize,
    },
}

/// Every request answered within `within_s` after `max(its sending, stable_s)`, judged over a
/// run that ended at `end_s`. Errors: no requests, a time that is not finite, an answer before
/// its request, requests out of order.
pub fn answered_within(requests: &[Request], stable_s: f64, within_s: f64, end_s: f64) -> Result<Judged, HistoryError> {
    if requests.is_empty() {
        return Err(HistoryError::Empty { what: "requests" });
    }
    let mut pending = 0;
    let mut last = f64::NEG_INFINITY;
    for (index, r) in requests.iter().enumerate() {
        let bad = |reason: String| HistoryError::Malformed { index, reason };
        if !r.sent_s.is_finite() || r.answered_s.is_some_and(|a| !a.is_finite()) {
            return Err(bad("a time that is not finite".into()));
        }
        if r.sent_s < last {
            return Err(bad(format!("sent at {} s, before the request before it", r.sent_s)));
        }
        if r.answered_s.is_some_and(|a| a < r.sent_s) {
            return Err(bad("answered before it was sent".into()));
        }
        last = r.sent_s;
        let deadline_s = r.sent_s.max(stable_s) + within_s;
        match r.answered_s {
            Some(a) if a <= deadline_s => {}
            _ if deadline_s > end_s => pending += 1,
            _ => return Ok(Judged::Late { index, deadline_s }),
        }
    }
    Ok(if pending == 0 {
        Judged::Holds
    } else {
        Judged::Undecided { pending }
    })
}

/// The client–server protocol: a request number, or the answer to one.
pub struct Rpc;

/// What a client–server node sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpcMsg {
    /// Request number `n`.
    Ask(u64),
    /// The answer to request `n`.
    Answer(u64),
}

/// The client's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpcTimer {
    /// Time to send the next new request.
    Next,
    /// Time to resend the requests still unanswered.
    Retry,
}

impl Protocol for Rpc {
    type Msg = RpcMsg;
    type Timer = RpcTimer;
    type Op = u64;
    type Ret = ();
}

struct Client {
    every_s: f64,
    retry_s: Option<f64>,
    open: Vec<(u64, crate::world::OpId)>,
    next: u64,
}

impl Node<Rpc> for Client {
    fn start(&mut self, ctx: &mut Ctx<'_, Rpc>) -> Handled {
        ctx.set_timer(0.0, RpcTimer::Next);
        if let Some(r) = self.retry_s {
            ctx.set_timer(r, RpcTimer::Retry);
        }
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Rpc>, _: NodeId, msg: RpcMsg) -> Handled {
        if let RpcMsg::Answer(n) = msg
            && let Some(i) = self.open.iter().position(|&(k, _)| k == n)
        {
            let (_, op) = self.open.swap_remove(i);
            ctx.complete(op, ())?;
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Rpc>, t: RpcTimer) -> Handled {
        match t {
            RpcTimer::Next => {
                let n = self.next;
                self.next += 1;
                self.open.push((n, ctx.invoke(n)));
                ctx.send(1, RpcMsg::Ask(n), 64);
                ctx.set_timer(self.every_s, RpcTimer::Next);
            }
            RpcTimer::Retry => {
                for &(n, _) in &self.open {
                    ctx.send(1, RpcMsg::Ask(n), 64);
                }
                ctx.set_timer(self.retry_s.unwrap_or(1.0), RpcTimer::Retry);
            }
        }
        Ok(())
    }
}

struct Server;

impl Node<Rpc> for Server {
    fn receive(&mut self, ctx: &mut Ctx<'_, Rpc>, from: NodeId, msg: RpcMsg) -> Handled {
        if let RpcMsg::Ask(n) = msg {
            ctx.send(from, RpcMsg::Answer(n), 64);
        }
        Ok(())
    }
}

/// A client sends a new request every `every_s` to a server 5 ms away, and (with `retry_s`)
/// resends every unanswered one that often; a partition separates them during
/// `[cut_s, heal_s)`. Runs `until_s` seconds; returns the requests in order of sending.
pub fn requests_through_partition(
    every_s: f64,
    retry_s: Option<f64>,
    cut_s: f64,
    heal_s: f64,
    until_s: f64,
    seed: u64,
) -> Result<Vec<Request>> {
    check::positive("every_s", every_s)?;
    if let Some(r) = retry_s {
        check::positive("retry_s", r)?;
    }
    check::positive("until_s", until_s)?;
    let mut world = World::<Rpc>::new(seed);
    world.set_link(LinkConfig::reliable(0.005, 1e9)?)?;
    world.add_node(Client {
        every_s,
        retry_s,
        open: vec![],
        next: 0,
    });
    world.add_node(Server);
    world.add_fault(Fault::isolate(vec![0], cut_s, heal_s));
    let out = world.run(Limits {
        until: until_s,
        ..Default::default()
    })?;
    Ok(out
        .history
        .iter()
        .map(|op| Request {
            sent_s: op.invoked_at_s,
            answered_s: op.completed_at_s,
        })
        .collect())
}
