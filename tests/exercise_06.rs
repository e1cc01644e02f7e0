//! Grades exercise 6: the learner's file under plain `cargo test`, the reference solution
//! under `cargo test --features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/06_ntp.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/06_ntp.rs")]
#[allow(dead_code)]
mod ex;

#[test]
fn exercise_06() -> Result<(), faultline::grade::Unfinished> {
    faultline::exercises::ntp::grade(&ex::answers()).ok()
}
