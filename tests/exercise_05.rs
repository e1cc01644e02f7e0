//! Grades exercise 5: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/05_clock_drift.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/05_clock_drift.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_05() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::clock_drift::grade(&ex::answers()).ok()
}
