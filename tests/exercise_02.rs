//! Grades exercise 2: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/02_network_faults.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/02_network_faults.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_02() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::network_faults::grade(&ex::answers()).ok()
}
