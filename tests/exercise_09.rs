//! Grades exercise 9: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/09_elections.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/09_elections.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_09() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::elections::grade(&ex::answers()).ok()
}
