//! Grades exercise 11: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/11_logical_clocks.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/11_logical_clocks.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_11() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::logical_clocks::grade(&ex::answers()).ok()
}
