//! Grades exercise 3: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/03_queueing.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/03_queueing.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_03() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::queueing::grade(&ex::answers()).ok()
}
