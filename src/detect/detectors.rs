//! The detectors, which see only heartbeat arrivals, and the quality of service they give.

use super::{HeartbeatOutcome, normal_quantile, normal_sf};
use crate::error::{Error, Result, check};
use crate::sim::quantile_sorted;
use std::collections::VecDeque;

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
