//! The lock service, the storage and the clients.

use super::{AppliedWrite, Grant, LOCK_SERVICE, LeaseConfig, LeaseOp, Leases, Msg, STORAGE, Timer};
use crate::world::{Ctx, Handled, Node, NodeId, OpId};

/// Grants the lease to one client at a time, for `lease_s` seconds, with a fencing token one
/// higher than the last. Its clock is perfect, so its grant records are true times.
pub struct LockService {
    lease_s: f64,
    next_token: u64,
    /// Every grant made.
    pub grants: Vec<Grant>,
}

impl LockService {
    /// A lock service granting leases of `lease_s` seconds.
    pub fn new(lease_s: f64) -> Self {
        LockService {
            lease_s,
            next_token: 1,
            grants: Vec::new(),
        }
    }
}

impl Node<Leases> for LockService {
    fn receive(&mut self, ctx: &mut Ctx<'_, Leases>, from: NodeId, msg: Msg) -> Handled {
        if msg != Msg::Acquire {
            return Ok(());
        }
        let now = ctx.monotonic_s();
        if self.grants.last().is_some_and(|g| now < g.until_s) {
            ctx.send(from, Msg::Busy, 16);
            return Ok(());
        }
        let token = self.next_token;
        self.next_token += 1;
        self.grants.push(Grant {
            client: from,
            token,
            from_s: now,
            until_s: now + self.lease_s,
        });
        ctx.send(
            from,
            Msg::Grant {
                token,
                lease_s: self.lease_s,
            },
            32,
        );
        Ok(())
    }
}

/// Accepts or rejects writes by their fencing token with a rule `accepts(token, highest_seen)`,
/// and refuses every write while it is read-only (a failover, a full disk). Its clock is
/// perfect, so the times it records are true times.
pub struct Storage {
    accepts: fn(u64, u64) -> bool,
    highest: u64,
    read_only: Vec<(f64, f64)>,
    /// Every write received, in order.
    pub writes: Vec<AppliedWrite>,
}

impl Storage {
    /// A storage running `accepts` on every write.
    pub fn new(accepts: fn(u64, u64) -> bool) -> Self {
        Storage::read_only_during(accepts, Vec::new())
    }

    /// A storage running `accepts`, read-only during each `[from_s, to_s)` of `windows` (true
    /// seconds): a write arriving then is refused whatever its token, and raises nothing.
    pub fn read_only_during(accepts: fn(u64, u64) -> bool, windows: Vec<(f64, f64)>) -> Self {
        Storage {
            accepts,
            highest: 0,
            read_only: windows,
            writes: Vec::new(),
        }
    }
}

impl Node<Leases> for Storage {
    fn receive(&mut self, ctx: &mut Ctx<'_, Leases>, from: NodeId, msg: Msg) -> Handled {
        let Msg::Write { token, op, .. } = msg else {
            return Ok(());
        };
        let now = ctx.monotonic_s();
        let read_only = self.read_only.iter().any(|&(a, b)| now >= a && now < b);
        let accepted = !read_only && (self.accepts)(token, self.highest);
        if accepted {
            self.highest = self.highest.max(token);
        }
        self.writes.push(AppliedWrite {
            client: from,
            token,
            at_s: now,
            accepted,
        });
        ctx.send(from, Msg::Ack { op, accepted }, 16);
        Ok(())
    }
}

/// A client: asks for the lease, times it on its own clock from when it asked, and writes
/// while its clock says the lease holds, stopping `margin_s` local seconds early: it believes it
/// holds the lease from the grant until that deadline.
pub struct Client {
    margin_s: f64,
    writes_per_lease: usize,
    write_gap_s: f64,
    retry_s: f64,
    start_s: f64,
    asked_at_local: f64,
    /// (token, local deadline for starting a write, writes left, the hold operation)
    lease: Option<(u64, f64, usize, OpId)>,
    next_value: u64,
}

impl Client {
    /// A client of a world configured by `cfg`, stopping `margin_s` early, first asking at
    /// local time `start_s`.
    pub fn new(cfg: &LeaseConfig, margin_s: f64, start_s: f64) -> Self {
        Client {
            margin_s,
            writes_per_lease: cfg.writes_per_lease,
            write_gap_s: cfg.write_gap_s,
            retry_s: cfg.retry_s,
            start_s,
            asked_at_local: 0.0,
            lease: None,
            next_value: 0,
        }
    }
}

impl Node<Leases> for Client {
    fn start(&mut self, ctx: &mut Ctx<'_, Leases>) -> Handled {
        ctx.set_timer(self.start_s, Timer::Acquire);
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Leases>, _: NodeId, msg: Msg) -> Handled {
        match msg {
            Msg::Grant { token, lease_s } => {
                let now = ctx.monotonic_s();
                let deadline = self.asked_at_local + lease_s - self.margin_s;
                let hold = ctx.invoke(LeaseOp::Hold { token });
                self.lease = Some((token, deadline, self.writes_per_lease, hold));
                ctx.set_timer((deadline - now).max(0.0), Timer::Expire(token));
                ctx.set_timer(self.write_gap_s, Timer::Write);
            }
            Msg::Busy => {
                ctx.set_timer(self.retry_s, Timer::Acquire);
            }
            Msg::Ack { op, accepted } => ctx.complete(op, accepted)?,
            _ => {}
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Leases>, timer: Timer) -> Handled {
        match timer {
            Timer::Acquire => {
                self.asked_at_local = ctx.monotonic_s();
                ctx.send(LOCK_SERVICE, Msg::Acquire, 16);
            }
            Timer::Write => {
                let Some((token, deadline, left, _)) = self.lease.as_mut() else {
                    return Ok(());
                };
                // The check: a pause may fall right after it.
                if ctx.monotonic_s() < *deadline && *left > 0 {
                    *left -= 1;
                    let (token, more) = (*token, *left > 0);
                    self.next_value += 1;
                    let value = self.next_value;
                    let op = ctx.invoke(LeaseOp::Write { token, value });
                    ctx.send(STORAGE, Msg::Write { token, value, op }, 64);
                    if more {
                        ctx.set_timer(self.write_gap_s, Timer::Write);
                    }
                }
            }
            Timer::Expire(token) => {
                if let Some((t, _, _, hold)) = self.lease
                    && t == token
                {
                    ctx.complete(hold, true)?;
                    self.lease = None;
                    ctx.set_timer(self.retry_s, Timer::Acquire);
                }
            }
        }
        Ok(())
    }
}
