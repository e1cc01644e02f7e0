//! An election node: follower, candidate or leader, on its own drifting clock.

use super::{ElectionOp, Msg, Quorum, Timer, VoteRule};
use crate::world::{Ctx, Handled, Node, NodeId, OpId};
use rand::Rng;

/// What a node believes it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Follows a leader (or waits for one).
    Follower,
    /// Asks for votes in its current term.
    Candidate,
    /// Won its term's election.
    Leader,
}

/// One node of an election world. Its term and vote survive a crash (they are kept on disk).
pub struct Voter {
    rule: VoteRule,
    quorum: usize,
    timeout_min_s: f64,
    timeout_max_s: f64,
    heartbeat_s: f64,
    stop_at_first_leader: bool,
    /// Its current term.
    pub term: u64,
    /// Whom it voted for in its current term.
    pub voted_for: Option<NodeId>,
    /// What it believes it is.
    pub role: Role,
    votes: Vec<bool>,
    /// Local monotonic time each peer last answered a heartbeat of this leader.
    acked_at: Vec<f64>,
    led_since_local: f64,
    epoch: u64,
    lead: Option<OpId>,
    quiet: bool,
}

impl Voter {
    pub(crate) fn new(cfg: &super::ElectionConfig, rule: VoteRule) -> Self {
        Voter {
            rule,
            quorum: cfg.quorum,
            timeout_min_s: cfg.timeout_min_s,
            timeout_max_s: cfg.timeout_max_s,
            heartbeat_s: cfg.heartbeat_s,
            stop_at_first_leader: cfg.stop_at_first_leader,
            term: 0,
            voted_for: None,
            role: Role::Follower,
            votes: vec![false; cfg.nodes],
            acked_at: vec![f64::NEG_INFINITY; cfg.nodes],
            led_since_local: 0.0,
            epoch: 0,
            lead: None,
            quiet: false,
        }
    }

    /// Restarts the election timer with a fresh random timeout (or stops it once quiet).
    fn reset_timer(&mut self, ctx: &mut Ctx<'_, Quorum>) {
        self.epoch += 1;
        if self.quiet {
            return;
        }
        let t = if self.timeout_max_s > self.timeout_min_s {
            ctx.rng.random_range(self.timeout_min_s..self.timeout_max_s)
        } else {
            self.timeout_min_s
        };
        ctx.set_timer(t, Timer::Election(self.epoch));
    }

    fn step_down(&mut self, ctx: &mut Ctx<'_, Quorum>, term: u64) -> Handled {
        if let Some(op) = self.lead.take() {
            ctx.complete(op, ())?;
        }
        if term > self.term {
            self.term = term;
            self.voted_for = None;
        }
        self.role = Role::Follower;
        Ok(())
    }

    fn count(&self) -> usize {
        self.votes.iter().filter(|v| **v).count()
    }

    fn become_leader(&mut self, ctx: &mut Ctx<'_, Quorum>) {
        self.role = Role::Leader;
        self.lead = Some(ctx.invoke(ElectionOp::Lead { term: self.term }));
        self.led_since_local = ctx.monotonic_s();
        self.acked_at.fill(f64::NEG_INFINITY);
        self.epoch += 1;
        ctx.broadcast(Msg::Heartbeat { term: self.term }, 32);
        if self.stop_at_first_leader {
            self.quiet = true;
        } else {
            ctx.set_timer(self.heartbeat_s, Timer::Heartbeat(self.term));
        }
    }

    fn stand(&mut self, ctx: &mut Ctx<'_, Quorum>) {
        self.term += 1;
        self.role = Role::Candidate;
        self.voted_for = Some(ctx.me());
        self.votes.fill(false);
        self.votes[ctx.me()] = true;
        self.reset_timer(ctx);
        if self.count() >= self.quorum {
            self.become_leader(ctx);
        } else {
            let msg = Msg::RequestVote {
                term: self.term,
                candidate: ctx.me(),
            };
            ctx.broadcast(msg, 32);
        }
    }
}

impl Node<Quorum> for Voter {
    fn start(&mut self, ctx: &mut Ctx<'_, Quorum>) -> Handled {
        self.reset_timer(ctx);
        Ok(())
    }

    fn recover(&mut self, ctx: &mut Ctx<'_, Quorum>) -> Handled {
        let term = self.term;
        self.step_down(ctx, term)?;
        self.reset_timer(ctx);
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Quorum>, from: NodeId, msg: Msg) -> Handled {
        match msg {
            Msg::RequestVote { term, candidate } => {
                let granted = (self.rule)(self.term, self.voted_for, candidate, term);
                if term > self.term {
                    self.step_down(ctx, term)?;
                }
                if granted && term >= self.term {
                    self.voted_for = Some(candidate);
                    self.reset_timer(ctx);
                }
                let voter_term = self.term;
                ctx.send(
                    from,
                    Msg::Vote {
                        term,
                        granted,
                        voter_term,
                    },
                    32,
                );
            }
            Msg::Vote {
                term,
                granted,
                voter_term,
            } => {
                if voter_term > self.term && !granted {
                    self.step_down(ctx, voter_term)?;
                } else if granted && self.role == Role::Candidate && term == self.term {
                    self.votes[from] = true;
                    if self.count() >= self.quorum {
                        self.become_leader(ctx);
                    }
                }
            }
            Msg::Heartbeat { term } => {
                if term < self.term {
                    ctx.send(from, Msg::Stale { term: self.term }, 32);
                    return Ok(());
                }
                if term > self.term || self.role == Role::Candidate {
                    self.step_down(ctx, term)?;
                }
                if self.role == Role::Follower {
                    if self.stop_at_first_leader {
                        self.quiet = true;
                    }
                    self.reset_timer(ctx);
                    ctx.send(from, Msg::Ack { term }, 32);
                }
            }
            Msg::Ack { term } => {
                if self.role == Role::Leader && term == self.term {
                    self.acked_at[from] = ctx.monotonic_s();
                }
            }
            Msg::Stale { term } => {
                if term > self.term {
                    self.step_down(ctx, term)?;
                    self.reset_timer(ctx);
                }
            }
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Quorum>, timer: Timer) -> Handled {
        match timer {
            Timer::Election(epoch) => {
                if epoch == self.epoch && self.role != Role::Leader && !self.quiet {
                    self.stand(ctx);
                }
            }
            Timer::Heartbeat(term) => {
                if self.role != Role::Leader || term != self.term {
                    return Ok(());
                }
                // Check quorum: a leader that has not heard from enough peers within the
                // shortest election timeout steps down (a majority may have elected another).
                let now = ctx.monotonic_s();
                let heard = 1 + self.acked_at.iter().filter(|&&t| now - t <= self.timeout_min_s).count();
                if now - self.led_since_local > self.timeout_min_s && heard < self.quorum {
                    let term = self.term;
                    self.step_down(ctx, term)?;
                    self.reset_timer(ctx);
                    return Ok(());
                }
                ctx.broadcast(Msg::Heartbeat { term }, 32);
                ctx.set_timer(self.heartbeat_s, Timer::Heartbeat(term));
            }
        }
        Ok(())
    }
}
