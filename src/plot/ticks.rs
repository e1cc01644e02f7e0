//! Ticks a person reads at a glance: at round values (1, 2 or 5 × 10ⁿ apart), whole numbers
//! without ".0", large ones compact (1.2k, 3M), no more decimals than the axis needs. A log axis
//! has its ticks at decades (with 2 and 5 between them when it spans less than three, and 3
//! under one and a half) labelled
//! the same way, plain from 0.001 to below 10¹⁵ (0.01, 1, 10k, 1M), as powers of ten beyond
//! (10⁻⁶).

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;

/// Where the ticks of one axis go, in drawn units (log10 of the value on a log axis): `bold`
/// ones carry a label and a grid line, `light` ones only a faint grid line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    /// Labelled ticks.
    pub bold: Vec<f64>,
    /// Unlabelled minor grid lines.
    pub light: Vec<f64>,
}

/// One axis of a chart: mapped as plotters maps an `f64` range, with [`Ticks`] of our own (and
/// so with labels from our formatter rather than plotters' own float formatting).
pub(crate) struct Axis {
    range: RangedCoordf64,
    ticks: Ticks,
}

impl Axis {
    /// The axis from `lo` to `hi` (drawn units) with `ticks`.
    pub(crate) fn new(lo: f64, hi: f64, ticks: Ticks) -> Self {
        Axis {
            range: (lo..hi).into(),
            ticks,
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.ticks.light.clone()
        } else {
            self.ticks.bold.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.range()
    }
}

/// The ticks of a linear axis from `lo` to `hi`, about `target` labelled ones.
pub(crate) fn linear(lo: f64, hi: f64, target: usize) -> Ticks {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return Ticks {
            bold: vec![lo],
            light: vec![],
        };
    }
    let raw = span / target.max(2) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let (mantissa, minor) = [(1.0, 5.0), (2.0, 4.0), (5.0, 5.0), (10.0, 5.0)]
        .into_iter()
        .find(|(m, _)| m * magnitude >= raw)
        .unwrap_or((10.0, 5.0));
    let step = mantissa * magnitude;
    let multiples = |step: f64| {
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        (first..=last).map(move |k| k as f64 * step).collect::<Vec<f64>>()
    };
    Ticks {
        bold: multiples(step),
        light: multiples(step / minor),
    }
}

/// The ticks of a log axis whose drawn range is `lo`..`hi` in log10 units.
pub(crate) fn log(lo: f64, hi: f64) -> Ticks {
    let decades = hi - lo;
    let (first, last) = (lo.floor() as i64, hi.ceil() as i64);
    let within = |v: &f64| *v >= lo - 1e-9 && *v <= hi + 1e-9;
    let mut bold = Vec::new();
    let mut light = Vec::new();
    // Every decade labelled up to 12 of them, then every second or third.
    let every = if decades > 24.0 {
        3
    } else if decades > 12.0 {
        2
    } else {
        1
    };
    for k in first..=last {
        let d = k as f64;
        if k.rem_euclid(every) == 0 {
            bold.push(d);
        }
        for m in 2..=9 {
            let v = d + f64::from(m).log10();
            if (decades < 3.0 && (m == 2 || m == 5)) || (decades < 1.5 && m == 3) {
                bold.push(v);
            } else if decades <= 8.0 {
                light.push(v);
            }
        }
    }
    bold.retain(within);
    light.retain(within);
    if bold.len() < 2 {
        // Less than a decade with no 1, 2 or 5 inside: label round values linearly.
        let lin = linear(10f64.powf(lo), 10f64.powf(hi), 4);
        bold = lin.bold.iter().filter(|v| **v > 0.0).map(|v| v.log10()).collect();
    }
    Ticks { bold, light }
}

/// The label of a log axis's tick drawn at `v` (log10 of the value): two significant digits,
/// plain from 0.001 to below 10¹⁵ (`0.02`, `5`, `10k`, `1M`), beyond that as `10⁻⁶` or `2×10⁻⁶`.
pub(crate) fn log_label(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let exponent = v.floor();
    let value = 10f64.powf(v);
    let unit = 10f64.powf(exponent - 1.0);
    let rounded = (value / unit).round() * unit;
    if (-3.0..15.0).contains(&exponent) {
        return label(rounded, unit * 1000.0);
    }
    let mantissa = (rounded / 10f64.powf(exponent) * 10.0).round() / 10.0;
    let power = format!("10{}", superscript(exponent as i64));
    if mantissa == 1.0 {
        power
    } else {
        format!("{}×{power}", plain(mantissa, 0.1))
    }
}

/// `n` in superscript digits: −6 → "⁻⁶".
fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s: String = n
        .unsigned_abs()
        .to_string()
        .bytes()
        .map(|b| DIGITS[usize::from(b - b'0')])
        .collect();
    if n < 0 {
        s.insert(0, '⁻');
    }
    s
}

/// The label of the tick at `v` on an axis spanning `span` (its max minus its min): rounded to
/// a thousandth of the span, trailing zeros dropped, thousands and millions shortened.
pub(crate) fn label(v: f64, span: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        v.abs().max(1.0)
    };
    // Ticks are about a tenth of the span apart: enough decimals to tell them apart.
    let resolution = span / 1000.0;
    if v.abs() < resolution / 2.0 {
        return "0".into();
    }
    for (size, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if v.abs() >= size {
            return format!("{}{suffix}", plain(v / size, resolution / size));
        }
    }
    plain(v, resolution)
}

/// `v` with the decimals needed to show `resolution`, trailing zeros (and a bare point) dropped.
fn plain(v: f64, resolution: f64) -> String {
    let decimals = (-resolution.log10()).ceil().clamp(0.0, 12.0) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn whole_numbers_have_no_point_and_large_ones_are_compact() {
        assert_eq!(label(250.0, 300.0), "250");
        assert_eq!(label(0.0, 300.0), "0");
        assert_eq!(label(2.0, 5.0), "2");
        assert_eq!(label(2.5, 5.0), "2.5");
        assert_eq!(label(0.30000000000000004, 1.0), "0.3");
        assert_eq!(label(-1.0, 8.0), "-1");
        assert_eq!(label(1200.0, 5000.0), "1.2k");
        assert_eq!(label(3_000_000.0, 5e6), "3M");
        assert_eq!(label(20_000.0, 100_000.0), "20k");
        assert_eq!(label(0.0015, 0.01), "0.0015");
        assert_eq!(label(1e-17, 1.0), "0");
    }

    #[test]
    fn linear_ticks_are_round_and_inside() {
        let t = super::linear(0.0, 97.0, 8);
        assert_eq!(t.bold, vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        let t = super::linear(-0.05, 1.05, 8);
        assert_eq!(t.bold.first(), Some(&0.0));
        assert!((t.bold[1] - 0.2).abs() < 1e-12 && t.bold.len() == 6, "{t:?}");
    }

    #[test]
    fn log_ticks_sit_at_decades_with_readable_labels() {
        let t = super::log(-3.2, 1.5);
        assert_eq!(t.bold, vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
        assert!(t.light.contains(&(2f64.log10())));
        let labels: Vec<String> = t.bold.iter().map(|&v| super::log_label(v)).collect();
        assert_eq!(labels, ["0.001", "0.01", "0.1", "1", "10"]);
        assert_eq!(super::log_label(3.0), "1k");
        assert_eq!(super::log_label(6.0), "1M");
        assert_eq!(super::log_label(-6.0), "10⁻⁶");
        assert_eq!(super::log_label(-6.0 + 2f64.log10()), "2×10⁻⁶");
        assert_eq!(super::log_label(5f64.log10()), "5");
        // Under three decades: 2 and 5 labelled too.
        let t = super::log(0.0, 1.5);
        let labels: Vec<String> = t.bold.iter().map(|&v| super::log_label(v)).collect();
        assert_eq!(labels, ["1", "2", "5", "10", "20"]);
    }
}
