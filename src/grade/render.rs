//! How a report looks: in a terminal (colour only when stdout is one), as plain text for test
//! failures and notebooks, and as HTML for evcxr.

use std::fmt::{self, Write as _};
use std::io::IsTerminal;

use super::{Report, Status};

/// A number with about six significant figures, without trailing zeros, in scientific notation
/// only when very large or small: `1.728`, `28571.4`, `3.2e-9`, `inf`.
pub fn fmt_num(x: f64) -> String {
    fmt_sig(x, 6)
}

/// `x` to `sig` significant digits (1–17), trailing zeros dropped; plain notation from 10⁻⁴ to
/// 10⁹, scientific outside.
pub fn fmt_sig(x: f64, sig: usize) -> String {
    let sig = sig.clamp(1, 17);
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if (1e-4..1e9).contains(&a) {
        let decimals = (sig as i32 - 1 - a.log10().floor() as i32).max(0) as usize;
        fixed(x, decimals)
    } else {
        let digits = sig - 1;
        let s = format!("{x:.digits$e}");
        let (mantissa, exp) = s.split_once('e').expect("scientific format has an exponent");
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exp}")
    }
}

/// `x` with `decimals` decimals, trailing zeros (and a bare point) dropped.
fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `expected` and `got` with enough significant digits (at least 6) that two different values
/// never print alike: "expected 1767225600.25, got 1767225600", not "1.76723e9" twice.
pub fn fmt_pair(expected: f64, got: f64) -> (String, String) {
    let same = |a: &str, b: &str| a == b && expected != got && !(expected.is_nan() && got.is_nan());
    let (e, g) = (fmt_num(expected), fmt_num(got));
    if !same(&e, &g) {
        return (e, g);
    }
    // Plain notation with as many decimals as it takes (Unix times, large counts).
    if expected.abs().max(got.abs()) < 1e16 {
        for d in 0..=15 {
            if !same(&fixed(expected, d), &fixed(got, d)) {
                // Two more decimals than it takes to tell them apart, so the gap reads right.
                return (fixed(expected, d + 2), fixed(got, d + 2));
            }
        }
    }
    (format!("{expected:?}"), format!("{got:?}"))
}

struct Paint(bool);
impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

impl Report {
    /// The report as text; with `colour`, ANSI colours for pass/fail.
    pub fn render(&self, colour: bool) -> String {
        let p = Paint(colour);
        let mut out = String::new();
        let n = self.tasks.len();
        let _ = writeln!(
            out,
            "{} — {}/{n} tasks passed (seed {})",
            p.wrap("1", &format!("Exercise {} · {}", self.exercise, self.title)),
            self.passed_count(),
            self.seed
        );
        let width = self.tasks.iter().map(|t| t.name.len()).max().unwrap_or(0);
        for t in &self.tasks {
            match t.status {
                Status::Pass => {
                    let _ = writeln!(
                        out,
                        "  {} {:width$}  {} ({})",
                        p.wrap("32", "✓"),
                        t.name,
                        p.wrap("32", "pass"),
                        t.detail
                    );
                }
                Status::NotAttempted => {
                    let _ = writeln!(
                        out,
                        "  {} {:width$}  {}",
                        p.wrap("33", "·"),
                        t.name,
                        p.wrap("33", "not attempted (still todo!())")
                    );
                }
                Status::Fail => {
                    let _ = writeln!(
                        out,
                        "  {} {:width$}  {}",
                        p.wrap("31", "✗"),
                        t.name,
                        p.wrap("31;1", "FAIL")
                    );
                    if let Some(f) = &t.failure {
                        let _ = writeln!(out, "      input:    {}", f.input);
                        let _ = writeln!(out, "      expected: {}", f.expected);
                        let _ = writeln!(out, "      got:      {}", f.got);
                    }
                    if let Some(note) = &t.note {
                        let _ = writeln!(out, "      why:      {note}");
                    }
                    if let Some(d) = &t.diagnosis {
                        let _ = writeln!(out, "      looks like: {d}");
                    }
                    if let Some(cx) = &t.counterexample {
                        out.push_str(&cx.render(self.exercise));
                    }
                    let _ = writeln!(out, "      hint:     {}", t.hint());
                }
            }
        }
        let attempted = n - self.count(Status::NotAttempted);
        if attempted == 0 && n > 0 {
            let _ = writeln!(out, "  Nothing attempted yet: replace a todo!() and run again.");
        }
        out
    }

    /// The report for a terminal: coloured when stdout is a terminal and `NO_COLOR` is unset.
    pub fn render_for_stdout(&self) -> String {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        self.render(colour)
    }

    /// Shows the report in a Jupyter cell (evcxr calls this for a cell's last value). Never
    /// panics, whatever the tasks' status.
    pub fn evcxr_display(&self) {
        let text = self.render(false);
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let colour = |line: &str| {
            if line.contains("✓") {
                "#1a7f37"
            } else if line.contains("✗") {
                "#cf222e"
            } else if line.contains("not attempted") {
                "#9a6700"
            } else {
                "inherit"
            }
        };
        let body: String = escaped
            .lines()
            .map(|l| format!("<span style=\"color:{}\">{l}</span>\n", colour(l)))
            .collect();
        println!("EVCXR_BEGIN_CONTENT text/html\n<pre>{body}</pre>\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_num(1.728), "1.728");
        assert_eq!(fmt_num(28571.42857142857), "28571.4");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(86400.0), "86400");
        assert_eq!(fmt_num(3.2e-9), "3.2e-9");
        assert_eq!(fmt_num(-17.28), "-17.28");
        assert_eq!(fmt_num(f64::INFINITY), "inf");
        assert_eq!(fmt_num(0.0), "0");
    }
}

#[cfg(test)]
mod fmt_tests {
    use super::*;

    #[test]
    fn a_pair_shows_enough_digits_to_differ() {
        assert_eq!(fmt_num(1_767_225_600.25), "1.76723e9");
        assert_eq!(
            fmt_pair(1_767_225_600.25, 1_767_225_600.0),
            ("1767225600.25".to_string(), "1767225600".to_string())
        );
        assert_eq!(fmt_pair(0.5, 0.25), ("0.5".to_string(), "0.25".to_string()));
        assert_eq!(fmt_pair(1.0, 1.0), ("1".to_string(), "1".to_string()));
        let (e, g) = fmt_pair(0.1 + 0.2, 0.3);
        assert_ne!(e, g);
        assert_eq!(fmt_sig(123.456, 4), "123.5");
        assert_eq!(fmt_sig(-2.5e-7, 3), "-2.5e-7");
    }
}
