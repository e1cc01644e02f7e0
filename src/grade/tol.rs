//! Tolerances for comparing floats.

/// A tolerance for comparing floats: `|got − expected| ≤ abs + rel·|expected|`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tol {
    /// Absolute part, in the quantity's unit.
    pub abs: f64,
    /// Relative part, a fraction of |expected|.
    pub rel: f64,
}

impl Tol {
    /// An absolute tolerance.
    pub const fn abs(abs: f64) -> Self {
        Tol { abs, rel: 0.0 }
    }
    /// A relative tolerance.
    pub const fn rel(rel: f64) -> Self {
        Tol { abs: 0.0, rel }
    }
    /// Both: passes when within `abs + rel·|expected|`.
    pub const fn new(abs: f64, rel: f64) -> Self {
        Tol { abs, rel }
    }
    /// Whether `got` is close enough to `expected`. Infinities must match exactly; NaN never
    /// passes.
    pub fn accepts(&self, expected: f64, got: f64) -> bool {
        if expected.is_infinite() || got.is_infinite() {
            return expected == got;
        }
        (got - expected).abs() <= self.abs + self.rel * expected.abs()
    }
}
