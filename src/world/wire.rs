//! Putting messages on the wire: output buffers, partitions, loss, duplication and jitter.

use rand::distr::{Bernoulli, Distribution};

use super::config::LinkConfig;
use super::event::{Arrival, Ev, Head, NO_RECORD};
use super::plan::{WireFate, safe_delay};
use super::record::{DropReason, Fate, MessageRecord};
use super::runner::Runner;
use super::{NodeId, Protocol};

impl<P: Protocol> Runner<P> {
    /// Marks copy `record` dropped at `at_s` for `reason`.
    pub(super) fn drop_at(&mut self, record: usize, at_s: f64, reason: DropReason) {
        self.counts.dropped[reason as usize] += 1;
        if record != NO_RECORD {
            self.messages[record].fate = Fate::Dropped { at_s, reason };
        }
    }

    /// Records a copy of message `head` (when the world records messages); returns its index.
    #[inline]
    pub(super) fn record(&mut self, head: Head, duplicate: bool, msg: &P::Msg) -> usize {
        if !self.record {
            return NO_RECORD;
        }
        self.messages.push(MessageRecord {
            id: head.id,
            duplicate,
            from: head.from,
            to: head.to,
            size_bytes: head.size,
            sent_at_s: head.sent_at_s,
            fate: Fate::InFlight,
            label: self.label.then(|| format!("{msg:?}")),
        });
        self.messages.len() - 1
    }

    /// Puts a message on the link from `from` to `to` at `now`.
    pub(super) fn send(&mut self, now: f64, from: NodeId, to: NodeId, msg: P::Msg, size: u64) {
        let id = self.next_message;
        self.next_message += 1;
        self.counts.sent += 1;
        let head = Head {
            id,
            from,
            to,
            size,
            sent_at_s: now,
        };
        // The link's settings are read in place (a copy of them per message was a tenth of
        // sending one); the jitter is sampled from `l.cfg` below for the same reason.
        let k = from * self.n + to;
        let l = &mut self.links[k];
        let LinkConfig {
            propagation_s,
            bytes_per_s,
            buffer_messages,
            ..
        } = l.cfg;
        // The transmission starts when the link is free. Transmissions end in the order they
        // start, so when the last one queued has ended (at `free_at`) every one has: the
        // common case, a link that is not busy, whose buffer is empty (the last transmission
        // is `free_at`, not an entry of `in_buffer`: an idle link's send stores nothing more).
        let (start, in_buffer) = if l.free_at <= now {
            if !l.in_buffer.is_empty() {
                l.in_buffer.clear();
            }
            (now, 0)
        } else {
            while l.in_buffer.front().is_some_and(|&done| done <= now) {
                l.in_buffer.pop_front();
            }
            (l.free_at, l.in_buffer.len() + 1)
        };
        if in_buffer >= buffer_messages {
            let record = self.record(head, false, &msg);
            self.drop_at(record, now, DropReason::BufferFull);
            return;
        }
        let done = start + size as f64 / bytes_per_s;
        if in_buffer > 0 {
            l.in_buffer.push_back(l.free_at);
        }
        l.free_at = done;
        let odds = l.odds;
        if self.partitioned(from, to, now) {
            let record = self.record(head, false, &msg);
            self.drop_at(record, now, DropReason::Partition);
            return;
        }
        if let Some(fate) = self.wire_plan.as_mut().and_then(|plan| plan(from, to, &msg)) {
            self.planned_send(now, done + propagation_s, head, msg, fate);
            return;
        }
        if odds.loss.sample(&mut self.wire) {
            let record = self.record(head, false, &msg);
            self.drop_at(record, done + propagation_s, DropReason::Loss);
            return;
        }
        if odds.duplicate.sample(&mut self.wire) {
            self.counts.duplicates += 1;
            let at = done + propagation_s + self.links[k].cfg.jitter_s.sample(&mut self.wire);
            let record = self.record(head, false, &msg);
            let copy = Arrival {
                record,
                from,
                to,
                msg: msg.clone(),
            };
            self.q.schedule(at, Ev::Arrive(copy)).expect("arrival is later");
            let at = done + propagation_s + self.links[k].cfg.jitter_s.sample(&mut self.wire);
            let record = self.record(head, true, &msg);
            let copy = Arrival { record, from, to, msg };
            self.q.schedule(at, Ev::Arrive(copy)).expect("arrival is later");
        } else {
            let at = done + propagation_s + self.links[k].cfg.jitter_s.sample(&mut self.wire);
            let record = self.record(head, false, &msg);
            let copy = Arrival { record, from, to, msg };
            self.q.schedule(at, Ev::Arrive(copy)).expect("arrival is later");
        }
    }
}

/// A link's loss and duplication probabilities as draws.
#[derive(Clone, Copy)]
pub(super) struct Odds {
    loss: Bernoulli,
    duplicate: Bernoulli,
}

impl Odds {
    pub(super) fn of(link: &LinkConfig) -> Self {
        // Validated probabilities (LinkConfig::validate), so both are valid.
        Odds {
            loss: Bernoulli::new(link.loss).expect("a validated probability"),
            duplicate: Bernoulli::new(link.duplicate).expect("a validated probability"),
        }
    }
}

impl<P: Protocol> Runner<P> {
    /// Puts a message on the wire with the fate a wire plan gave it (`lost_at` is when a lost
    /// one is dropped: when the link would have delivered it).
    fn planned_send(&mut self, now: f64, lost_at: f64, head: Head, msg: P::Msg, fate: WireFate) {
        let (delay_s, copy) = match fate {
            WireFate::Lost => {
                let record = self.record(head, false, &msg);
                self.drop_at(record, lost_at, DropReason::Loss);
                return;
            }
            WireFate::Delivered { delay_s } => (delay_s, None),
            WireFate::Duplicated { delay_s, copy_delay_s } => (delay_s, Some(copy_delay_s)),
        };
        let (from, to) = (head.from, head.to);
        let record = self.record(head, false, &msg);
        if let Some(copy_delay_s) = copy {
            self.counts.duplicates += 1;
            let copy = Arrival {
                record,
                from,
                to,
                msg: msg.clone(),
            };
            self.q
                .schedule(now + safe_delay(delay_s), Ev::Arrive(copy))
                .expect("arrival is later");
            let record = self.record(head, true, &msg);
            let copy = Arrival { record, from, to, msg };
            self.q
                .schedule(now + safe_delay(copy_delay_s), Ev::Arrive(copy))
                .expect("arrival is later");
        } else {
            let arrival = Arrival { record, from, to, msg };
            self.q
                .schedule(now + safe_delay(delay_s), Ev::Arrive(arrival))
                .expect("arrival is later");
        }
    }
}
