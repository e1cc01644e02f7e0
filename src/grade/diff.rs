//! Comparing sequences so that a failure shows where they part, not both of them whole: the
//! first index that differs, a short window around it on each side, and the lengths.

use std::fmt::Debug;

use super::{Checker, Verdict};

/// How many values either side of a difference a window shows.
pub const WINDOW: usize = 4;

/// The first index where `a` and `b` differ (the shorter length when one is a prefix of the
/// other), or `None` when they are equal.
pub fn first_difference<T: PartialEq>(a: &[T], b: &[T]) -> Option<usize> {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => Some(i),
        None if a.len() != b.len() => Some(a.len().min(b.len())),
        None => None,
    }
}

/// `xs` around index `at`: up to [`WINDOW`] values either side, the one at `at` in ‹ ›, and the
/// length: `[54..=62] of 312: 7, 8, 9, 3, ‹11›, 12, 10, 13, 14`; past the end it says so.
pub fn window<T: Debug>(xs: &[T], at: usize) -> String {
    let from = at.saturating_sub(WINDOW);
    let to = (at + WINDOW).min(xs.len().saturating_sub(1));
    if xs.is_empty() {
        return "[] (empty)".to_string();
    }
    if from > to {
        return format!("{} values, nothing at index {at}", xs.len());
    }
    let items: Vec<String> = (from..=to)
        .map(|i| {
            if i == at {
                format!("‹{:?}›", xs[i])
            } else {
                format!("{:?}", xs[i])
            }
        })
        .collect();
    let end = if at >= xs.len() { ", ‹end›" } else { "" };
    format!(
        "[{from}..={to}] of {}: {}{}{end}",
        xs.len(),
        if from > 0 { "…, " } else { "" },
        items.join(", ")
    ) + if to + 1 < xs.len() { ", …" } else { "" }
}

impl Checker {
    /// Passes when `got == expected`; otherwise fails showing the first index that differs with
    /// a window around it in both, and both lengths (never two whole vectors).
    pub fn equal_seq<T: PartialEq + Debug>(&mut self, input: &str, got: &[T], expected: &[T]) -> Result<(), Verdict> {
        self.cases += 1;
        match first_difference(got, expected) {
            None => Ok(()),
            Some(i) => Err(Verdict::fail(
                input,
                format!("at index {i}: {}", window(expected, i)),
                format!("at index {i}: {}", window(got, i)),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_marks_the_first_difference() {
        let a: Vec<u64> = (0..20).collect();
        let mut b = a.clone();
        b[10] = 99;
        assert_eq!(first_difference(&a, &b), Some(10));
        assert_eq!(window(&b, 10), "[6..=14] of 20: …, 6, 7, 8, 9, ‹99›, 11, 12, 13, 14, …");
        assert_eq!(window(&a[..3], 0), "[0..=2] of 3: ‹0›, 1, 2");
        assert_eq!(first_difference(&a[..3], &a[..5]), Some(3));
        assert_eq!(window(&a[..3], 3), "[0..=2] of 3: 0, 1, 2, ‹end›");
        assert_eq!(first_difference(&a, &a), None);
        let mut c = Checker::default();
        let v = c.equal_seq("x", &b, &a).unwrap_err();
        let f = v.failure.expect("a failure");
        assert!(f.got.contains("‹99›") && f.expected.contains("‹10›"), "{f:?}");
        assert!(f.got.len() < 80, "{}", f.got);
    }
}
