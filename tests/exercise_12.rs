//! Grades exercise 12: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/12_system_models.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/12_system_models.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_12() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::system_models::grade(&ex::answers()).ok()
}
