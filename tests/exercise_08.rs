//! Grades exercise 8: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/08_leases.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/08_leases.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_08() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::leases::grade(&ex::answers()).ok()
}
