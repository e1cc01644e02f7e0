//! A bank run as a value: the transfers, the fate of every message the wire touched (lost,
//! late, delivered twice), the server's pauses and crash, and when the run ends. The grader's
//! seeded schedules are drawn into one ([`draw_run`]); the shrinker ([`crate::shrink`]) makes
//! it smaller; a replay code carries it.
//!
//! A message's fate is keyed by what the message *is* — the request of transfer `k`, its
//! `n`-th copy sent; the reply carrying key `k`, its `n`-th — so that taking one fault out
//! leaves every other message's fate where it was.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::truth::{Bank, Client, Msg, Schedule as Dice, Server, solution_backoff};
use super::{Ledger, Receipt, Transfer};
use crate::error::{Error, Result, check};
use crate::shrink::{MsgFate, PlannedFault, Shrink, round_to, without_chunks};
use crate::sim::{Limits, Seed};
use crate::world::{LinkConfig, Outcome, World};

/// The one-way delay of a message the schedule says nothing about, seconds.
pub const BASE_DELAY_S: f64 = 0.005;
/// The client's timeout before its first retry, seconds.
pub const TIMEOUT_S: f64 = 0.3;
/// Transfers the client keeps outstanding at once.
pub const WINDOW: usize = 4;

/// Which message: a request (of transfer `key`) or a reply (carrying `key`), its `nth` copy
/// sent (0 = the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MsgKey {
    /// A reply (server → client), else a request.
    #[serde(rename = "r")]
    pub reply: bool,
    /// The transfer's key (a reply's: the key its receipt carries).
    #[serde(rename = "k")]
    pub key: u64,
    /// Which copy sent, 0-based.
    #[serde(rename = "n")]
    pub nth: u32,
}

/// One message's fate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WireFault {
    /// The message.
    #[serde(rename = "m")]
    pub msg: MsgKey,
    /// What the wire did with it.
    #[serde(rename = "x")]
    pub fate: MsgFate,
}

/// Everything a bank run depends on besides its seed and the learner's `apply_transfer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankSchedule {
    /// The transfers, in the order the client sends them: (key, amount in cents).
    #[serde(rename = "t")]
    pub transfers: Vec<(u64, i64)>,
    /// How long the run lasts, seconds.
    #[serde(rename = "u")]
    pub until_s: f64,
    /// Every message whose fate is not a plain delivery after [`BASE_DELAY_S`].
    #[serde(rename = "w")]
    pub wire: Vec<WireFault>,
    /// The server's pauses and crashes.
    #[serde(rename = "f")]
    pub faults: Vec<PlannedFault>,
}

/// A run of the bank world: the nodes, the world's own records, and which message each
/// record is (in the order the wire saw them, duplicates not repeated).
pub(super) struct BankRun {
    /// The client, at the end.
    pub(super) client: Client,
    /// The server, at the end.
    pub(super) server: Server,
    /// The world's records.
    pub(super) world: Outcome<Bank>,
    /// Which message each message record is (`world.messages` without duplicate copies).
    pub(super) sent: Vec<MsgKey>,
}

/// The longest run a schedule may ask for (an hour: every seeded run drains well before).
pub const MAX_UNTIL_S: f64 = 3600.0;

fn msg_key(msg: &Msg, counts: &mut HashMap<(bool, u64), u32>) -> MsgKey {
    let (reply, key) = match msg {
        Msg::Request(t) => (false, t.key),
        Msg::Reply(r) => (true, r.key),
    };
    let n = counts.entry((reply, key)).or_insert(0);
    let k = MsgKey { reply, key, nth: *n };
    *n += 1;
    k
}

/// Runs the world with a wire plan `fate` (called with each message's key) and records which
/// message each was.
fn run_with(
    transfers: &[(u64, i64)],
    faults: &[PlannedFault],
    until_s: f64,
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    seed: u64,
    label: bool,
    mut fate: impl FnMut(MsgKey) -> Option<MsgFate> + 'static,
) -> Result<BankRun> {
    let transfers: Vec<Transfer> = transfers
        .iter()
        .map(|&(key, amount)| Transfer { key, amount })
        .collect();
    let mut world = World::<Bank>::new(seed);
    world.label_messages(label);
    world.set_link(LinkConfig::reliable(BASE_DELAY_S, 1e7)?)?;
    world.add_node(Client::new(transfers, WINDOW, TIMEOUT_S, solution_backoff));
    world.add_node(Server::new(apply).catching_panics());
    world.add_faults(faults.iter().map(PlannedFault::to_fault));
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&sent);
    let mut counts = HashMap::new();
    world.plan_wire(Box::new(move |_, _, msg| {
        let k = msg_key(msg, &mut counts);
        log.borrow_mut().push(k);
        fate(k).map(MsgFate::wire)
    }));
    let mut out = world.run(Limits {
        until: until_s,
        max_events: 2_000_000,
    })?;
    let client = out.take_node::<Client>(0);
    let server = out.take_node::<Server>(1);
    let sent = sent.borrow().clone();
    match (client, server) {
        (Some(client), Some(server)) => Ok(BankRun {
            client,
            server,
            world: out,
            sent,
        }),
        _ => Err(Error::invalid("nodes", 2, "lost track of the client and server")),
    }
}

/// The seeded run the grader meets: `dice` (loss, duplication and jitter as probabilities, the
/// server's faults) drawn message by message from `seed`, with every fate the wire drew written
/// down, so that the schedule returned replays exactly this run.
pub(super) fn draw_run(
    dice: &Dice,
    transfers: &[(u64, i64)],
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    seed: u64,
) -> Result<(BankSchedule, BankRun)> {
    let mut rng = Seed(seed).stream(77);
    let jitter = crate::sim::Dist::exponential(dice.jitter)?;
    let drawn = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&drawn);
    let (loss, duplicate) = (dice.loss, dice.duplicate);
    let faults: Vec<PlannedFault> = dice.faults.iter().filter_map(PlannedFault::from_fault).collect();
    let run = run_with(transfers, &faults, MAX_UNTIL_S, apply, seed, false, move |k| {
        let fate = MsgFate::draw(&mut rng, loss, duplicate, BASE_DELAY_S, &jitter);
        log.borrow_mut().push(WireFault { msg: k, fate });
        Some(fate)
    })?;
    let schedule = BankSchedule {
        transfers: transfers.to_vec(),
        until_s: MAX_UNTIL_S,
        wire: drawn.borrow().clone(),
        faults,
    };
    Ok((schedule, run))
}

impl BankSchedule {
    /// Runs it on `seed` with the server running `apply` (messages labelled when `label`).
    pub(super) fn run(&self, apply: fn(&mut Ledger, Transfer) -> Receipt, seed: u64, label: bool) -> Result<BankRun> {
        self.validate()?;
        let plan: HashMap<MsgKey, MsgFate> = self.wire.iter().map(|w| (w.msg, w.fate)).collect();
        run_with(
            &self.transfers,
            &self.faults,
            self.until_s,
            apply,
            seed,
            label,
            move |k| plan.get(&k).copied(),
        )
    }

    /// Faults: message fates and the server's pauses and crashes.
    pub fn fault_count(&self) -> usize {
        self.wire.len() + self.faults.len()
    }

    /// Checks every field (a schedule may come from a hand-edited replay code).
    pub fn validate(&self) -> Result<()> {
        check::positive("until_s", self.until_s)?;
        if self.until_s > MAX_UNTIL_S {
            return Err(Error::invalid(
                "until_s",
                self.until_s,
                "at most an hour in a replayed run",
            ));
        }
        if self.transfers.is_empty() || self.transfers.len() > 64 {
            return Err(Error::invalid(
                "transfers",
                self.transfers.len(),
                "1 to 64 in a replayed run",
            ));
        }
        if self.wire.len() > 200_000 || self.faults.len() > 16 {
            return Err(Error::invalid(
                "faults",
                self.fault_count(),
                "too many for a replayed run",
            ));
        }
        for w in &self.wire {
            w.fate.validate()?;
        }
        for f in &self.faults {
            f.to_fault().validate(2)?;
        }
        Ok(())
    }

    fn without_transfer(&self, keep: &[(u64, i64)]) -> Self {
        let mut s = self.clone();
        s.transfers = keep.to_vec();
        s.wire.retain(|w| keep.iter().any(|&(k, _)| k == w.msg.key));
        s
    }
}

impl Shrink for BankSchedule {
    fn candidates(&self) -> Vec<Self> {
        let mut out = Vec::new();
        let with = |f: &dyn Fn(&mut BankSchedule)| {
            let mut s = self.clone();
            f(&mut s);
            s
        };
        for frac in [0.5, 0.8] {
            let until = round_to(self.until_s * frac, 0.1);
            if until >= 0.1 && until < self.until_s {
                out.push(with(&|s| s.until_s = until));
            }
        }
        if self.transfers.len() > 1 {
            for keep in without_chunks(&self.transfers) {
                out.push(self.without_transfer(&keep));
            }
        }
        for wire in without_chunks(&self.wire) {
            out.push(with(&|s| s.wire = wire.clone()));
        }
        for faults in without_chunks(&self.faults) {
            out.push(with(&|s| s.faults = faults.clone()));
        }
        // Simpler fates: one copy instead of two, rounder and shorter delays.
        for (i, w) in self.wire.iter().enumerate() {
            for fate in w.fate.simpler(BASE_DELAY_S) {
                out.push(with(&|s| s.wire[i].fate = fate));
            }
        }
        // Shorter, rounder server faults.
        for (i, f) in self.faults.iter().enumerate() {
            let mut shorter = Vec::new();
            match *f {
                PlannedFault::Pause {
                    node,
                    at_s,
                    length_s,
                    mid,
                } => {
                    for (a, l) in [
                        (at_s, round_to(length_s * 0.5, 0.01)),
                        (round_to(at_s, 0.01), round_to(length_s, 0.01)),
                    ] {
                        if l > 0.0 && (a, l) != (at_s, length_s) {
                            shorter.push(PlannedFault::Pause {
                                node,
                                at_s: a,
                                length_s: l,
                                mid,
                            });
                        }
                    }
                }
                PlannedFault::Crash {
                    node,
                    at_s,
                    back_s: Some(b),
                } => {
                    let half = round_to(at_s + (b - at_s) * 0.5, 0.01);
                    for (a, b2) in [(at_s, half), (round_to(at_s, 0.01), round_to(b, 0.01))] {
                        if b2 > a && (a, b2) != (at_s, b) {
                            shorter.push(PlannedFault::Crash {
                                node,
                                at_s: a,
                                back_s: Some(b2),
                            });
                        }
                    }
                }
                _ => {}
            }
            for f in shorter {
                out.push(with(&|s| s.faults[i] = f.clone()));
            }
        }
        // Round amounts, then keys 1, 2, 3, … (their fates follow them).
        for (i, &(key, amount)) in self.transfers.iter().enumerate() {
            for step in [1000.0, 100.0] {
                let r = round_to(amount as f64, step) as i64;
                if r != 0 && r != amount {
                    out.push(with(&|s| s.transfers[i] = (key, r)));
                    break;
                }
            }
        }
        let renumbered: Vec<u64> = (1..=self.transfers.len() as u64).collect();
        let keys: Vec<u64> = self.transfers.iter().map(|t| t.0).collect();
        if keys != renumbered && keys.iter().all(|k| *k > self.transfers.len() as u64) {
            out.push(with(&|s| {
                let map: HashMap<u64, u64> = keys.iter().copied().zip(renumbered.iter().copied()).collect();
                for t in &mut s.transfers {
                    t.0 = map[&t.0];
                }
                s.wire.retain(|w| map.contains_key(&w.msg.key));
                for w in &mut s.wire {
                    w.msg.key = map[&w.msg.key];
                }
            }));
        }
        out
    }
}
