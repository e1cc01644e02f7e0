//! Grades exercise 7: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/07_timestamps.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/07_timestamps.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_07() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::timestamps::grade(&ex::answers()).ok()
}
