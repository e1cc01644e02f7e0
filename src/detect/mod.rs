//! Failure detection: heartbeats over an unreliable network, detectors that turn them into
//! suspicions, and the quality-of-service metrics of Chen, Toueg and Aguilera (2002) measured
//! against the ground truth of when the node really crashed.
//!
//! * [`HeartbeatConfig::simulate`] runs, in a [`crate::world`], a monitored node that sends a
//!   heartbeat every `interval` seconds over a link with random delay and loss, and that may
//!   pause (a GC or VM pause: alive, but silent) and crash. It returns a [`HeartbeatOutcome`]: every
//!   heartbeat's arrival at the monitor and the truth about pauses and the crash.
//! * A [`Detector`] sees only arrivals. After each one it names the deadline at which it will
//!   suspect the node if nothing more arrives. [`FixedTimeout`], [`KMissed`] (k heartbeats
//!   missed), [`AdaptiveTimeout`] (a percentile of recent gaps plus a margin) and
//!   [`PhiAccrual`] (Hayashibara et al. 2004, normal model) all work this way.
//! * [`evaluate`] replays a trace through a detector and measures [`Qos`]: detection time,
//!   mistakes (suspicions of a node that had not crashed), their rate and mean duration.

mod normal;

pub use normal::{normal_cdf, normal_quantile, normal_sf};

use std::collections::VecDeque;
use std::path::Path;

use serde::Deserialize;

use crate::data::load_csv;
use crate::error::{Error, Result, check};
use crate::sim::{Dist, Limits, quantile_sorted, stream};
use crate::world::{Ctx, DropReason, Fate, Fault, Handled, LinkConfig, Node, NodeEvent, NodeId, Protocol, World};

/// How a monitored node sends heartbeats, and what happens to it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatConfig {
    /// Seconds between heartbeats (> 0).
    pub interval_s: f64,
    /// One-way network delay of each heartbeat (no negative samples).
    pub delay_s: Dist,
    /// Probability that a heartbeat is lost.
    pub loss: f64,
    /// Pauses `(start, length)`: the node is alive but sends nothing; when it resumes it sends
    /// a heartbeat at once, then keeps its schedule.
    pub pauses: Vec<(f64, f64)>,
    /// When the node crashes for good, if it does.
    pub crash_at_s: Option<f64>,
    /// How long to watch (> 0): the simulation's virtual-time bound.
    pub until_s: f64,
}

/// What the monitor saw, and the truth.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatOutcome {
    /// Arrival times of heartbeats at the monitor, increasing; a heartbeat overtaken by a later
    /// one is stale and not listed.
    pub arrivals: Vec<f64>,
    /// Heartbeats sent, and lost.
    pub sent: u64,
    /// Heartbeats lost in the network.
    pub lost: u64,
    /// The pauses `(start, length)` that began by `until`, in time order: the configured
    /// ones, as the world recorded them.
    pub pauses: Vec<(f64, f64)>,
    /// When the node crashed, if it did by `until`.
    pub crash_at_s: Option<f64>,
    /// End of observation.
    pub until_s: f64,
}

impl HeartbeatConfig {
    /// Checks the parameters: positive interval and horizon, a non-negative delay, a loss
    /// probability, pauses of positive, finite length.
    pub fn validate(&self) -> Result<()> {
        check::positive("heartbeat interval", self.interval_s)?;
        check::positive("until", self.until_s)?;
        check::probability("loss", self.loss)?;
        if !self.delay_s.is_non_negative() {
            return Err(Error::invalid(
                "delay",
                format!("{:?}", self.delay_s),
                "can be negative",
            ));
        }
        for &(start, len) in &self.pauses {
            check::non_negative("pause start", start)?;
            check::positive("pause length", len)?;
            check::finite("pause length", len)?;
        }
        if let Some(c) = self.crash_at_s {
            check::non_negative("crash time", c)?;
        }
        if self.until_s / self.interval_s > 1e8 {
            return Err(Error::invalid("until", self.until_s, "allows more than 10⁸ heartbeats"));
        }
        Ok(())
    }

    /// Runs the node and its monitor in a [`World`]: node 0 sends heartbeat `seq` every
    /// `interval` seconds on its own (perfect) clock, node 1 records arrivals, over a link with
    /// no propagation delay whose jitter is `delay` and whose loss is `loss`. Pauses are
    /// [`Fault::Pause`]s and the crash a [`Fault::Crash`] of node 0; the run stops at `until`.
    /// The [`HeartbeatOutcome`] comes from the world's ground truth. Randomness is the world's, from
    /// `seed`: losses and delays from its wire stream.
    pub fn simulate(&self, seed: u64) -> Result<HeartbeatOutcome> {
        self.validate()?;
        let mut world = World::<Heartbeats>::new(seed);
        let sender = world.add_node(Sender {
            interval: self.interval_s,
            next_seq: 0,
        });
        let monitor = world.add_node(Monitor {
            newest: None,
            arrivals: Vec::new(),
        });
        world.set_link_between(
            sender,
            monitor,
            LinkConfig {
                loss: self.loss,
                jitter_s: self.delay_s,
                ..LinkConfig::reliable(0.0, 1.0)?
            },
        )?;
        world.add_faults(self.pauses.iter().map(|&(at_s, length_s)| Fault::Pause {
            node: sender,
            at_s,
            length_s,
            mid_handler: false,
        }));
        if let Some(at_s) = self.crash_at_s {
            world.add_fault(Fault::Crash {
                node: sender,
                at_s,
                recover_at_s: None,
            });
        }
        // Per heartbeat: a timer and an arrival; per pause: the pause, the resume and the
        // deferred timer replayed.
        let limits = Limits {
            until: self.until_s,
            max_events: 4 * (self.until_s / self.interval_s) as u64 + 3 * self.pauses.len() as u64 + 1000,
        };
        let mut out = world.run(limits)?;
        let arrivals = out
            .take_node::<Monitor>(monitor)
            .map(|m| m.arrivals)
            .unwrap_or_default();
        let from_sender = || out.messages.iter().filter(|m| m.from == sender && !m.duplicate);
        let sent = from_sender().count() as u64;
        let lost = from_sender()
            .filter(|m| {
                matches!(
                    m.fate,
                    Fate::Dropped {
                        reason: DropReason::Loss,
                        ..
                    }
                )
            })
            .count() as u64;
        let mut pauses = Vec::new();
        let mut crash_at = None;
        for e in &out.node_events {
            match *e {
                NodeEvent::Paused { node, from_s, to_s, .. } if node == sender => {
                    pauses.push((from_s, to_s - from_s));
                }
                NodeEvent::Crashed { node, at_s } if node == sender => crash_at = Some(at_s),
                _ => {}
            }
        }
        Ok(HeartbeatOutcome {
            arrivals,
            sent,
            lost,
            pauses,
            crash_at_s: crash_at,
            until_s: self.until_s,
        })
    }
}

/// The heartbeat world's types: a heartbeat carries its sequence number, a timer its
/// schedule slot (due at slot·interval on the sender's clock).
struct Heartbeats;

impl Protocol for Heartbeats {
    type Msg = u64;
    type Timer = u64;
    type Op = ();
    type Ret = ();
}

/// Node 0: sends heartbeat 0 at once, then one in every slot of the schedule. A slot that falls
/// in a pause fires when the pause ends (the world defers the timer), so the node sends at
/// once on resuming and then keeps its schedule.
struct Sender {
    interval: f64,
    next_seq: u64,
}

/// The monitor's id in the heartbeat world.
const MONITOR: NodeId = 1;

impl Node<Heartbeats> for Sender {
    fn start(&mut self, ctx: &mut Ctx<'_, Heartbeats>) -> Handled {
        // A timer rather than a send here, so a crash or pause at time 0 comes first.
        ctx.set_timer(0.0, 0);
        Ok(())
    }

    fn receive(&mut self, _: &mut Ctx<'_, Heartbeats>, _: NodeId, _: u64) -> Handled {
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Heartbeats>, slot: u64) -> Handled {
        let now = ctx.monotonic_s();
        ctx.send(MONITOR, self.next_seq, 0);
        self.next_seq += 1;
        // Keep the schedule: the next send is in the first slot after now. Slots are counted,
        // not derived from `now`, so rounding cannot send one twice.
        let mut slot = slot + 1;
        while slot as f64 * self.interval <= now {
            slot += 1;
        }
        ctx.set_timer(slot as f64 * self.interval - now, slot);
        Ok(())
    }
}

/// Node 1: records when each heartbeat arrives (its clock is perfect: true time), ignoring one
/// overtaken by a later heartbeat.
struct Monitor {
    newest: Option<u64>,
    arrivals: Vec<f64>,
}

impl Node<Heartbeats> for Monitor {
    fn receive(&mut self, ctx: &mut Ctx<'_, Heartbeats>, _: NodeId, seq: u64) -> Handled {
        if self.newest.is_none_or(|n| seq > n) {
            self.newest = Some(seq);
            self.arrivals.push(ctx.monotonic_s());
        }
        Ok(())
    }
}

/// A failure detector that sees only heartbeat arrivals.
pub trait Detector {
    /// A heartbeat arrived at `now` (arrivals come in increasing time). Returns the time at which
    /// the detector will suspect the node if no other heartbeat arrives first.
    fn heartbeat(&mut self, now: f64) -> f64;
    /// A short description, e.g. `"fixed timeout 2 s"`.
    fn name(&self) -> String;
}

/// Suspects `timeout` seconds after the last heartbeat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedTimeout {
    /// Seconds of silence tolerated.
    pub timeout: f64,
}

impl Detector for FixedTimeout {
    fn heartbeat(&mut self, now: f64) -> f64 {
        now + self.timeout
    }
    fn name(&self) -> String {
        format!("fixed timeout {} s", crate::grade::fmt_num(self.timeout))
    }
}

/// The k-missed rule: heartbeats are due every `interval`; suspect when `k` in a row have not
/// come, i.e. `k·interval + grace` after the last one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMissed {
    /// The sender's heartbeat interval.
    pub interval: f64,
    /// Heartbeats that may be missed before suspecting (≥ 1).
    pub k: u32,
    /// Extra slack for network delay.
    pub grace: f64,
}

impl Detector for KMissed {
    fn heartbeat(&mut self, now: f64) -> f64 {
        now + f64::from(self.k) * self.interval + self.grace
    }
    fn name(&self) -> String {
        format!("{} missed heartbeats", self.k)
    }
}

/// A sliding window of the most recent gaps between heartbeats.
#[derive(Debug, Clone, PartialEq)]
struct Gaps {
    window: usize,
    gaps: VecDeque<f64>,
    last: Option<f64>,
}

impl Gaps {
    fn new(window: usize) -> Self {
        Gaps {
            window: window.max(1),
            gaps: VecDeque::new(),
            last: None,
        }
    }
    /// Records an arrival; returns the gap it added and the gap it pushed out of the window.
    fn push(&mut self, now: f64) -> (Option<f64>, Option<f64>) {
        let mut change = (None, None);
        if let Some(last) = self.last {
            if self.gaps.len() == self.window {
                change.1 = self.gaps.pop_front();
            }
            let gap = now - last;
            self.gaps.push_back(gap);
            change.0 = Some(gap);
        }
        self.last = Some(now);
        change
    }
}

/// The gaps of a [`Gaps`] window kept in order (by `f64::total_cmp`), updated as gaps come and
/// go: a binary search and a shift of at most `window` values per heartbeat, rather than a
/// sort of the whole window.
#[derive(Debug, Clone, PartialEq, Default)]
struct SortedGaps {
    sorted: Vec<f64>,
}

impl SortedGaps {
    fn update(&mut self, (added, removed): (Option<f64>, Option<f64>)) {
        if let Some(old) = removed {
            // The window held this exact value, so the search finds a copy of it.
            if let Ok(i) = self.sorted.binary_search_by(|x| x.total_cmp(&old)) {
                self.sorted.remove(i);
            }
        }
        if let Some(new) = added {
            let i = self.sorted.partition_point(|x| x.total_cmp(&new).is_lt());
            self.sorted.insert(i, new);
        }
    }
}

/// Suspects when the silence exceeds the `percentile` of the last `window` gaps between
/// heartbeats, plus `margin` seconds; `initial` seconds until it has seen two gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptiveTimeout {
    gaps: Gaps,
    percentile: f64,
    margin: f64,
    initial: f64,
    sorted: SortedGaps,
}

impl AdaptiveTimeout {
    /// Validates `window ≥ 1`, `0 < percentile ≤ 1`, `margin ≥ 0`, `initial > 0`.
    pub fn new(window: usize, percentile: f64, margin: f64, initial: f64) -> Result<Self> {
        check::at_least_one("window", window as u64)?;
        check::probability("percentile", percentile)?;
        check::positive("percentile", percentile)?;
        check::non_negative("margin", margin)?;
        check::positive("initial timeout", initial)?;
        Ok(AdaptiveTimeout {
            gaps: Gaps::new(window),
            percentile,
            margin,
            initial,
            sorted: SortedGaps::default(),
        })
    }
}

impl Detector for AdaptiveTimeout {
    fn heartbeat(&mut self, now: f64) -> f64 {
        let change = self.gaps.push(now);
        self.sorted.update(change);
        if self.gaps.gaps.len() < 2 {
            return now + self.initial;
        }
        now + quantile_sorted(&self.sorted.sorted, self.percentile) + self.margin
    }
    fn name(&self) -> String {
        format!(
            "adaptive p{} + {} s",
            crate::grade::fmt_num(self.percentile * 100.0),
            crate::grade::fmt_num(self.margin)
        )
    }
}

/// The phi accrual failure detector (Hayashibara, Défago, Yared, Katayama 2004) with a normal
/// model of the gaps between heartbeats: φ(t) = −log₁₀ P(gap > t − last), the gap normal with
/// the mean and standard deviation of the last `window` gaps (the deviation at least
/// `min_sd`). It suspects when φ reaches `threshold`: φ = 1 means a 10% chance that a heartbeat
/// this late is still coming, φ = 8 one in 10⁸.
#[derive(Debug, Clone, PartialEq)]
pub struct PhiAccrual {
    gaps: Gaps,
    threshold: f64,
    min_sd: f64,
    initial: f64,
}

impl PhiAccrual {
    /// Validates `window ≥ 2`, `threshold > 0`, `min_sd > 0`; `initial` is the timeout used until
    /// two gaps have been seen.
    pub fn new(window: usize, threshold: f64, min_sd: f64, initial: f64) -> Result<Self> {
        check::at_least_one("window", window as u64)?;
        if window < 2 {
            return Err(Error::invalid("window", window, "must hold at least 2 gaps"));
        }
        check::positive("threshold", threshold)?;
        check::positive("min_sd", min_sd)?;
        check::positive("initial timeout", initial)?;
        Ok(PhiAccrual {
            gaps: Gaps::new(window),
            threshold,
            min_sd,
            initial,
        })
    }

    /// Mean and standard deviation (sample, floored at `min_sd`) of the gaps in the window.
    pub fn model(&self) -> Option<(f64, f64)> {
        gap_model(self.gaps.gaps.iter().copied(), self.min_sd)
    }

    /// φ at time `now`, given the heartbeats so far (0 before two gaps are known).
    pub fn phi(&self, now: f64) -> f64 {
        match (self.model(), self.gaps.last) {
            (Some((mean, sd)), Some(last)) => phi(now - last, mean, sd),
            _ => 0.0,
        }
    }
}

/// Mean and sample standard deviation of `gaps`, the deviation floored at `min_sd`; `None` for
/// fewer than two gaps.
pub fn gap_model(gaps: impl ExactSizeIterator<Item = f64> + Clone, min_sd: f64) -> Option<(f64, f64)> {
    let n = gaps.len();
    if n < 2 {
        return None;
    }
    let mean = gaps.clone().sum::<f64>() / n as f64;
    let var = gaps.map(|g| (g - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    Some((mean, var.sqrt().max(min_sd)))
}

/// φ after `elapsed` seconds of silence, for normally distributed gaps of the given mean and
/// standard deviation: −log₁₀ P(gap > elapsed).
pub(crate) fn phi(elapsed: f64, mean: f64, sd: f64) -> f64 {
    -normal_sf((elapsed - mean) / sd).log10()
}

impl PhiAccrual {
    /// Records a heartbeat at `now` and returns the model of the gaps in the window then.
    pub(crate) fn observe(&mut self, now: f64) -> Option<(f64, f64)> {
        self.gaps.push(now);
        self.model()
    }

    /// The deadline after a heartbeat at `now`, given the gap model then (see
    /// [`PhiAccrual::observe`]), for φ `threshold` and `initial` timeout: detectors that differ
    /// only in threshold see the same models, so one model serves them all.
    pub(crate) fn deadline(now: f64, model: Option<(f64, f64)>, threshold: f64, initial: f64) -> f64 {
        match model {
            // φ crosses the threshold where P(gap > t) = 10^−threshold. By symmetry that z is
            // −Φ⁻¹(10^−threshold), which keeps full precision (1 − 10⁻⁸ would round).
            Some((mean, sd)) => now + mean - sd * normal_quantile(10f64.powf(-threshold)),
            None => now + initial,
        }
    }
}

impl Detector for PhiAccrual {
    fn heartbeat(&mut self, now: f64) -> f64 {
        let model = self.observe(now);
        PhiAccrual::deadline(now, model, self.threshold, self.initial)
    }
    fn name(&self) -> String {
        format!("phi accrual, φ ≥ {}", crate::grade::fmt_num(self.threshold))
    }
}

/// Quality of service of a detector on one trace (Chen, Toueg, Aguilera 2002).
#[derive(Debug, Clone, PartialEq)]
pub struct Qos {
    /// Seconds from the crash until the detector suspected for good (0 if it already did);
    /// `None` without a crash, or if it never suspected before the end of the trace.
    pub detection_time: Option<f64>,
    /// Suspicions that began while the node was alive (paused counts as alive).
    pub mistakes: usize,
    /// Total seconds of those suspicions while the node was alive.
    pub mistaken_time: f64,
    /// Seconds the node was observed alive: until the crash, or the end of the trace.
    pub alive_time: f64,
}

impl Qos {
    /// Mistakes per second of life.
    pub fn mistake_rate(&self) -> f64 {
        self.mistakes as f64 / self.alive_time
    }
    /// Mean duration of a mistake, seconds (0 if none).
    pub fn mean_mistake_duration(&self) -> f64 {
        if self.mistakes == 0 {
            0.0
        } else {
            self.mistaken_time / self.mistakes as f64
        }
    }
    /// Fraction of its life the node was trusted (query accuracy probability).
    pub fn accuracy(&self) -> f64 {
        1.0 - self.mistaken_time / self.alive_time
    }
}

/// The intervals `[from, to)` during which `detector` suspects the node, replaying `arrivals`
/// up to `until`. Before the first heartbeat the detector trusts the node.
pub fn suspicions(arrivals: &[f64], detector: &mut dyn Detector, until: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut deadline: Option<f64> = None;
    for &a in arrivals {
        if a > until {
            break;
        }
        if let Some(d) = deadline
            && d < a
        {
            out.push((d, a));
        }
        deadline = Some(detector.heartbeat(a));
    }
    if let Some(d) = deadline
        && d < until
    {
        out.push((d, until));
    }
    out
}

/// Replays `trace` through `detector` and measures its quality of service.
pub fn evaluate(trace: &HeartbeatOutcome, detector: &mut dyn Detector) -> Qos {
    let intervals = suspicions(&trace.arrivals, detector, trace.until_s);
    let crash = trace.crash_at_s.unwrap_or(f64::INFINITY);
    let alive_end = crash.min(trace.until_s);
    let mut qos = Qos {
        detection_time: None,
        mistakes: 0,
        mistaken_time: 0.0,
        alive_time: alive_end,
    };
    for &(from, to) in &intervals {
        if from < alive_end {
            qos.mistakes += 1;
            qos.mistaken_time += to.min(alive_end) - from;
        }
    }
    if crash < trace.until_s
        && let Some(&(from, to)) = intervals.last()
        && to >= trace.until_s
    {
        qos.detection_time = Some((from - crash).max(0.0));
    }
    qos
}

/// One row of an RTT file such as `data/rtt.csv`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct RttRow {
    /// Probe number.
    pub seq: u64,
    /// Round-trip time, milliseconds.
    pub rtt_ms: f64,
}

/// Loads round-trip times (in seconds) from a CSV with columns `seq,rtt_ms`. A missing file,
/// a malformed row, or an RTT that is not a positive finite number is an [`Error::Data`]
/// naming the file, line and field, and so is a file with no rows.
pub fn load_rtts(path: &Path) -> Result<Vec<f64>> {
    // load_csv already rejects a file without data rows.
    let rows: Vec<RttRow> = load_csv(path)?;
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            if r.rtt_ms.is_finite() && r.rtt_ms > 0.0 {
                Ok(r.rtt_ms / 1e3)
            } else {
                Err(Error::Data {
                    file: path.to_path_buf(),
                    line: i as u64 + 2,
                    field: Some("rtt_ms".into()),
                    message: format!("{} is not a positive number of milliseconds", r.rtt_ms),
                })
            }
        })
        .collect()
}

/// The synthetic RTT model behind `data/rtt.csv`: 20 ms of propagation, lognormal queueing
/// delay (mean 4 ms, sd 6 ms), and with probability 1% a retransmission that adds 200 ms
/// (a TCP minimum retransmission timeout). Returns `n` RTTs in milliseconds, rounded to µs.
pub fn synthetic_rtts_ms(n: usize, seed: u64) -> Vec<f64> {
    use rand::Rng;
    let mut r = stream(seed, 0);
    let queueing = Dist::lognormal(4.0, 6.0).expect("valid constants");
    (0..n)
        .map(|_| {
            let mut rtt = 20.0 + queueing.sample(&mut r);
            if r.random_bool(0.01) {
                rtt += 200.0;
            }
            (rtt * 1e3).round() / 1e3
        })
        .collect()
}
