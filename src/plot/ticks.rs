//! Tick labels a person reads at a glance: whole numbers without ".0", large ones compact
//! (1.2k, 3M), and no more decimals than the axis needs.

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
}
