//! Grades exercise 10: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/10_byzantine.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/10_byzantine.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_10() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::byzantine::grade(&ex::answers()).ok()
}
