//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};
use crate::sim::DAY;

/// Task `drift_after`.
pub const DRIFT_AFTER: Task<Answers> = Task {
    name: "drift_after",
    grade: |c, a, seed| grade::grade_drift_after(c, a.drift_after, seed),
    mistakes: &[
        Mistake {
            what: "forgot the 10⁻⁶ in ppm",
            why: "ppm means parts per million: 20 ppm gains 20·10⁻⁶ s every second",
            apply: |a| a.drift_after = |ppm, t| ppm * t,
        },
        Mistake {
            what: "flipped sign",
            why: "a clock that runs fast (positive ppm) gets ahead of true time: the drift is positive",
            apply: |a| a.drift_after = |ppm, t| -ppm * 1e-6 * t,
        },
        Mistake {
            what: "per mille instead of per million",
            why: "ppm is per million (10⁻⁶), not per thousand (10⁻³)",
            apply: |a| a.drift_after = |ppm, t| ppm * 1e-3 * t,
        },
        Mistake {
            what: "ignores elapsed (always one day)",
            why: "the drift grows with the time elapsed: ppm·10⁻⁶·elapsed",
            apply: |a| a.drift_after = |ppm, _| ppm * 1e-6 * DAY,
        },
        Mistake {
            what: "hard-coded the notebook's example",
            why: "1.728 s is the notebook's 20 ppm over one day: compute it from the inputs",
            apply: |a| a.drift_after = |_, _| 1.728,
        },
    ],
};

/// Task `drift_per_day`.
pub const DRIFT_PER_DAY: Task<Answers> = Task {
    name: "drift_per_day",
    grade: |c, a, seed| grade::grade_drift_per_day(c, a.drift_per_day, seed),
    mistakes: &[
        Mistake {
            what: "crystal speeds up away from turnover",
            why: "a tuning-fork crystal slows down on both sides of 25 °C: subtract 0.034·(T − 25)²",
            apply: |a| a.drift_per_day = |p, t| (p + 0.034 * (t - 25.0).powi(2)) * 1e-6 * DAY,
        },
        Mistake {
            what: "linear, not parabolic",
            why: "the frequency error grows with the square of the distance from 25 °C",
            apply: |a| a.drift_per_day = |p, t| (p - 0.034 * (t - 25.0).abs()) * 1e-6 * DAY,
        },
        Mistake {
            what: "left in ppm, not seconds per day",
            why: "convert the frequency error to seconds: ppm·10⁻⁶·86 400 s per day",
            apply: |a| a.drift_per_day = |p, t| p - 0.034 * (t - 25.0).powi(2),
        },
        Mistake {
            what: "ignores temperature",
            why: "away from 25 °C the crystal runs slower by 0.034 ppm per °C²",
            apply: |a| a.drift_per_day = |p, _| p * 1e-6 * DAY,
        },
    ],
};

/// Task `time_to_diverge`.
pub const TIME_TO_DIVERGE: Task<Answers> = Task {
    name: "time_to_diverge",
    grade: |c, a, seed| grade::grade_time_to_diverge(c, a.time_to_diverge, seed),
    mistakes: &[
        Mistake {
            what: "adds the ppm instead of subtracting",
            why: "the clocks separate at the difference of their rates: |ppm_a − ppm_b|",
            apply: |a| a.time_to_diverge = |x, y, b| b / ((x + y).abs() * 1e-6),
        },
        Mistake {
            what: "no absolute value",
            why: "the clocks separate whichever runs faster: use |ppm_a − ppm_b| (time is never negative)",
            apply: |a| a.time_to_diverge = |x, y, b| b / ((x - y) * 1e-6),
        },
        Mistake {
            what: "forgot the 10⁻⁶",
            why: "ppm means parts per million: multiply by 10⁻⁶",
            apply: |a| a.time_to_diverge = |x, y, b| b / (x - y).abs(),
        },
        Mistake {
            what: "only looks at the first clock",
            why: "both clocks drift: what matters is the difference of their rates",
            apply: |a| a.time_to_diverge = |x, _, b| b / (x.abs() * 1e-6),
        },
    ],
};

/// Task `resync_interval`.
pub const RESYNC_INTERVAL: Task<Answers> = Task {
    name: "resync_interval",
    grade: |c, a, seed| grade::grade_resync_interval(c, a.resync_interval, seed),
    mistakes: &[
        Mistake {
            what: "forgot that both clocks drift (no factor 2)",
            why: "two clocks each within ±ppm can drift apart at 2·ppm: divide by 2·ppm·10⁻⁶",
            apply: |a| a.resync_interval = |p, s| s / (p * 1e-6),
        },
        Mistake {
            what: "over-cautious: half the interval",
            why: "the worst case is two clocks drifting apart at 2·ppm, not 4·ppm",
            apply: |a| a.resync_interval = |p, s| s / (4.0 * p * 1e-6),
        },
        Mistake {
            what: "forgot the 10⁻⁶",
            why: "ppm means parts per million: multiply by 10⁻⁶",
            apply: |a| a.resync_interval = |p, s| s / (2.0 * p),
        },
        Mistake {
            what: "multiplied by 2 instead of dividing",
            why: "the skew grows at 2·ppm·10⁻⁶ s per second: divide the allowed skew by it",
            apply: |a| a.resync_interval = |p, s| 2.0 * s / (p * 1e-6),
        },
    ],
};

/// Task `elapsed`.
pub const ELAPSED: Task<Answers> = Task {
    name: "elapsed",
    grade: |c, a, seed| grade::grade_elapsed(c, a.elapsed, seed),
    mistakes: &[
        Mistake {
            what: "used the wall clock",
            why: "the wall clock can be stepped by NTP, even backwards: measure durations on the monotonic clock",
            apply: |a| a.elapsed = |s, e| e.wall - s.wall,
        },
        Mistake {
            what: "wall clock, clamped at zero",
            why: "clamping hides the step but keeps its error: use the monotonic clock",
            apply: |a| a.elapsed = |s, e| (e.wall - s.wall).max(0.0),
        },
        Mistake {
            what: "absolute wall-clock difference",
            why: "a step still corrupts it: use the monotonic clock",
            apply: |a| a.elapsed = |s, e| (e.wall - s.wall).abs(),
        },
        Mistake {
            what: "monotonic, but in milliseconds",
            why: "the readings are in seconds already: no ×1000",
            apply: |a| a.elapsed = |s, e| (e.monotonic - s.monotonic) * 1e3,
        },
        Mistake {
            what: "start minus end",
            why: "elapsed is end minus start",
            apply: |a| a.elapsed = |s, e| s.monotonic - e.monotonic,
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[DRIFT_AFTER, DRIFT_PER_DAY, TIME_TO_DIVERGE, RESYNC_INTERVAL, ELAPSED];
