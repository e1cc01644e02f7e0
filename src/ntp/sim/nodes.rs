//! The NTP world's nodes: a client on its own drifting clock and servers on perfect clocks set
//! off by their `offset_s`. The client sees only its own clock readings and the four
//! timestamps; the world records true times.

use std::collections::VecDeque;

use super::{Policies, Polled};
use crate::grade::{Panicked, attempt};
use crate::ntp::{Adjustment, Discipline, Sample, Timestamps, validate_adjustment};
use crate::world::{Ctx, Handled, NodeError, NodeId, OpId, Protocol, TimerId};

/// The NTP world's types.
pub(crate) struct Ntp;

impl Protocol for Ntp {
    type Msg = Msg;
    type Timer = Tick;
    type Op = NtpOp;
    type Ret = NtpRet;
}

/// What the client and the servers send each other (48 bytes on the wire each).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Msg {
    /// Client → server: "what time is it?", with the client's send time (the origin
    /// timestamp, which the reply echoes).
    Request { round: u64, t1: f64 },
    /// Server → client: the origin timestamp and the server's receive and send times.
    Reply { round: u64, t1: f64, t2: f64, t3: f64 },
}

/// NTP packets are 48 bytes.
pub(crate) const PACKET_BYTES: u64 = 48;

/// Timers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tick {
    /// Client: time to poll every server.
    Poll,
    /// Client: stop waiting for this round's missing replies and select with what came.
    Deadline { round: u64 },
    /// Client: the slew in progress has run its course.
    EndSlew,
    /// Server: the request has been processed; send the reply.
    Answer { to: NodeId, round: u64, t1: f64, t2: f64 },
    /// One-shot client: send the single request.
    Ask,
}

/// Client operations recorded in the history (with true times, by the world).
#[derive(Debug, Clone, Copy)]
pub(crate) enum NtpOp {
    /// One request–reply exchange with server `server` (0-based) in poll `round`.
    Exchange { server: usize },
    /// One selection: filter, intersect, combine, discipline.
    Poll,
}

/// What an operation returned.
#[derive(Debug, Clone)]
pub(crate) enum NtpRet {
    /// The exchange's four timestamps.
    Stamps(Timestamps),
    /// What the poll concluded.
    Polled(Polled),
}

/// A server: answers each request `processing_s` after it arrived, stamping with its clock.
pub(crate) struct Server {
    pub processing_s: f64,
}

impl crate::world::Node<Ntp> for Server {
    fn receive(&mut self, ctx: &mut Ctx<'_, Ntp>, from: NodeId, msg: Msg) -> Handled {
        if let Msg::Request { round, t1 } = msg {
            let t2 = ctx.wall_s();
            if self.processing_s > 0.0 {
                ctx.set_timer(
                    self.processing_s,
                    Tick::Answer {
                        to: from,
                        round,
                        t1,
                        t2,
                    },
                );
            } else {
                ctx.send(from, Msg::Reply { round, t1, t2, t3: t2 }, PACKET_BYTES);
            }
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Ntp>, tick: Tick) -> Handled {
        if let Tick::Answer { to, round, t1, t2 } = tick {
            let t3 = ctx.wall_s();
            ctx.send(to, Msg::Reply { round, t1, t2, t3 }, PACKET_BYTES);
        }
        Ok(())
    }
}

/// A client that asks server node 1 once, when its monotonic clock has advanced `after_s`.
pub(crate) struct OneShot {
    pub after_s: f64,
    pub pending: Option<OpId>,
}

impl crate::world::Node<Ntp> for OneShot {
    fn start(&mut self, ctx: &mut Ctx<'_, Ntp>) -> Handled {
        ctx.set_timer(self.after_s, Tick::Ask);
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Ntp>, _: Tick) -> Handled {
        let t1 = ctx.wall_s();
        self.pending = Some(ctx.invoke(NtpOp::Exchange { server: 0 }));
        ctx.send(1, Msg::Request { round: 0, t1 }, PACKET_BYTES);
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Ntp>, _: NodeId, msg: Msg) -> Handled {
        if let (Msg::Reply { t1, t2, t3, .. }, Some(op)) = (msg, self.pending.take()) {
            let t4 = ctx.wall_s();
            ctx.complete(op, NtpRet::Stamps(Timestamps { t1, t2, t3, t4 }))?;
        }
        Ok(())
    }
}

/// One kept sample: the sample, the client's total correction when it was taken, and the
/// client's wall clock then (its t4).
#[derive(Debug, Clone, Copy)]
struct Kept {
    sample: Sample,
    correction_s: f64,
    wall_s: f64,
}

/// A slew in progress, as the client knows it: rate, and its monotonic clock at the start.
#[derive(Debug, Clone, Copy)]
struct Slewing {
    rate_ppm: f64,
    from_monotonic_s: f64,
    timer: TimerId,
}

/// The NTP client: polls every server, keeps a window of samples per server, and after each
/// poll filters, intersects, combines and disciplines its clock, all with `policies`.
pub(crate) struct Client {
    pub servers: usize,
    pub poll_interval_s: f64,
    pub polls: u64,
    pub filter_size: usize,
    pub tolerance_ppm: f64,
    pub discipline: Option<Discipline>,
    pub policies: Policies,
    round: u64,
    polled: u64,
    pending: Vec<Option<OpId>>,
    replies: usize,
    windows: Vec<VecDeque<Kept>>,
    /// Seconds the discipline moved the clock by steps and finished slews.
    settled_s: f64,
    slewing: Option<Slewing>,
}

impl Client {
    pub fn new(
        servers: usize,
        poll_interval_s: f64,
        polls: u64,
        filter_size: usize,
        tolerance_ppm: f64,
        discipline: Option<Discipline>,
        policies: Policies,
    ) -> Self {
        Client {
            servers,
            poll_interval_s,
            polls,
            filter_size,
            tolerance_ppm,
            discipline,
            policies,
            round: 0,
            polled: 0,
            pending: vec![None; servers],
            replies: 0,
            windows: vec![VecDeque::with_capacity(filter_size + 1); servers],
            settled_s: 0.0,
            slewing: None,
        }
    }

    /// Seconds the discipline has moved the clock so far, as the client computes it from what
    /// it asked for: steps, finished slews and the part of the current slew done by now.
    fn correction_s(&self, monotonic_s: f64) -> f64 {
        self.settled_s
            + self
                .slewing
                .map_or(0.0, |s| s.rate_ppm * 1e-6 * (monotonic_s - s.from_monotonic_s))
    }

    fn stop_slewing(&mut self, ctx: &mut Ctx<'_, Ntp>) -> Handled {
        if let Some(s) = self.slewing.take() {
            self.settled_s += s.rate_ppm * 1e-6 * (ctx.monotonic_s() - s.from_monotonic_s);
            ctx.cancel_timer(s.timer);
            ctx.slew_wall(0.0)?;
        }
        Ok(())
    }

    fn poll(&mut self, ctx: &mut Ctx<'_, Ntp>) -> Handled {
        self.round += 1;
        self.replies = 0;
        let t1 = ctx.wall_s();
        for server in 0..self.servers {
            self.pending[server] = Some(ctx.invoke(NtpOp::Exchange { server }));
            ctx.send(1 + server, Msg::Request { round: self.round, t1 }, PACKET_BYTES);
        }
        ctx.set_timer(self.poll_interval_s / 2.0, Tick::Deadline { round: self.round });
        self.polled += 1;
        if self.polled < self.polls {
            ctx.set_timer(self.poll_interval_s, Tick::Poll);
        }
        Ok(())
    }

    /// Filter, intersect, combine, discipline: what `ntpd` does after each poll.
    fn select(&mut self, ctx: &mut Ctx<'_, Ntp>) -> Handled {
        // Late replies of this round are ignored from now on.
        self.pending.iter_mut().for_each(|p| *p = None);
        let reading = ctx.read_clock();
        let correction = self.correction_s(reading.monotonic);
        let tolerance = self.tolerance_ppm * 1e-6;
        let mut filtered = Vec::with_capacity(self.servers);
        let mut intervals = Vec::with_capacity(self.servers);
        let mut heard = Vec::with_capacity(self.servers);
        for (i, w) in self.windows.iter().enumerate() {
            if w.is_empty() {
                continue;
            }
            // Each sample brought up to date: its offset corrected for what the discipline did
            // since, its delay widened by the drift it may have missed (2·φ·age, so that half
            // of it is the error bound λ = δ/2 + φ·age).
            let fresh: Vec<Sample> = w
                .iter()
                .map(|k| Sample {
                    offset: k.sample.offset - (correction - k.correction_s),
                    delay: k.sample.delay + 2.0 * tolerance * (reading.wall - k.wall_s).max(0.0),
                })
                .collect();
            let best = policy("clock_filter", || (self.policies.clock_filter)(&fresh))?;
            filtered.push(best);
            intervals.push((best.offset - best.delay / 2.0, best.offset + best.delay / 2.0));
            heard.push(i);
        }
        let op = ctx.invoke(NtpOp::Poll);
        let agreed = if intervals.is_empty() {
            None
        } else {
            policy("intersect", || (self.policies.intersect)(&intervals))?
        };
        let truechimer: Vec<bool> = intervals
            .iter()
            .map(|&(lo, hi)| agreed.is_some_and(|(low, high)| lo <= high && hi >= low))
            .collect();
        let chosen: Vec<f64> = filtered
            .iter()
            .zip(&truechimer)
            .filter(|(_, keep)| **keep)
            .map(|(s, _)| s.offset)
            .collect();
        let estimate = (!chosen.is_empty()).then(|| chosen.iter().sum::<f64>() / chosen.len() as f64);
        let adjustment = match (estimate, self.discipline) {
            (Some(theta), Some(d)) => {
                let adj = policy("discipline", || {
                    (self.policies.discipline)(theta, d.step_threshold_s, d.max_slew_ppm)
                })?;
                validate_adjustment(&adj, d.max_slew_ppm)
                    .map_err(|e| NodeError::new(format!("discipline returned {adj:?}: {e}")))?;
                self.apply(ctx, adj)?;
                Some(adj)
            }
            _ => None,
        };
        ctx.complete(
            op,
            NtpRet::Polled(Polled {
                servers: heard,
                filtered,
                intervals,
                truechimer,
                estimate,
                adjustment,
            }),
        )
    }

    fn apply(&mut self, ctx: &mut Ctx<'_, Ntp>, adj: Adjustment) -> Handled {
        self.stop_slewing(ctx)?;
        match adj {
            Adjustment::Step { by_s } => {
                ctx.step_wall(by_s);
                self.settled_s += by_s;
            }
            Adjustment::Slew { rate_ppm, duration_s } if rate_ppm != 0.0 && duration_s > 0.0 => {
                ctx.slew_wall(rate_ppm)?;
                self.slewing = Some(Slewing {
                    rate_ppm,
                    from_monotonic_s: ctx.monotonic_s(),
                    timer: ctx.set_timer(duration_s, Tick::EndSlew),
                });
            }
            Adjustment::Slew { .. } => {}
        }
        Ok(())
    }
}

/// Runs one of the client's policies; a panic (a `todo!()` in the learner's code, say) ends
/// the run with an error naming the policy.
fn policy<T>(name: &str, f: impl FnOnce() -> T) -> Result<T, NodeError> {
    attempt(f).map_err(|p| match p {
        Panicked::Todo => NodeError::new(format!("{name}: not attempted (todo!())")),
        Panicked::Other(m) => NodeError::new(format!("{name} panicked: {m}")),
    })
}

impl crate::world::Node<Ntp> for Client {
    fn start(&mut self, ctx: &mut Ctx<'_, Ntp>) -> Handled {
        if self.polls > 0 {
            ctx.set_timer(0.0, Tick::Poll);
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Ntp>, tick: Tick) -> Handled {
        match tick {
            Tick::Poll => self.poll(ctx),
            Tick::Deadline { round } if round == self.round && self.pending.iter().any(Option::is_some) => {
                self.select(ctx)
            }
            Tick::EndSlew => self.stop_slewing(ctx),
            _ => Ok(()),
        }
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Ntp>, from: NodeId, msg: Msg) -> Handled {
        let Msg::Reply { round, t1, t2, t3 } = msg else {
            return Ok(());
        };
        let server = from.wrapping_sub(1);
        if round != self.round || server >= self.servers {
            return Ok(());
        }
        let Some(op) = self.pending[server].take() else {
            return Ok(());
        };
        let reading = ctx.read_clock();
        let stamps = Timestamps {
            t1,
            t2,
            t3,
            t4: reading.wall,
        };
        ctx.complete(op, NtpRet::Stamps(stamps))?;
        let correction_s = self.correction_s(reading.monotonic);
        let w = &mut self.windows[server];
        w.push_back(Kept {
            sample: Sample {
                offset: stamps.offset(),
                delay: stamps.delay(),
            },
            correction_s,
            wall_s: reading.wall,
        });
        if w.len() > self.filter_size {
            w.pop_front();
        }
        self.replies += 1;
        if self.replies == self.servers {
            self.select(ctx)?;
        }
        Ok(())
    }
}
