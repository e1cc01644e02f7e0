//! Grades exercise 4: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/04_failure_detection.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/04_failure_detection.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_04() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::failure_detection::grade(&ex::answers()).ok()
}
