//! Grades exercise 1: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/01_partial_failure.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/01_partial_failure.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_01() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::partial_failure::grade(&ex::answers()).ok()
}
