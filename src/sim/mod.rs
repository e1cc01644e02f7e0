//! The deterministic core every chapter builds on.
//!
//! * [`rng`]: a seeded PRNG of a named algorithm (Xoshiro256++), so one seed gives the same
//!   stream on every machine and every release of `rand`.
//! * [`EventQueue`]: virtual time and a discrete-event queue. Nothing here sleeps or reads the
//!   wall clock; a simulated day costs as much as its events, not 24 hours.
//! * [`Dist`]: the distributions the chapters need (constant, uniform, exponential, normal,
//!   lognormal, Pareto), validated at construction and sampled through `rand_distr`.
//! * [`replicate`]: seeded Monte Carlo replications in parallel (rayon), the same result on any
//!   number of threads; [`Estimate`] and [`quantile`] summarise them.

mod dist;
mod events;
mod heap;
mod rng;
mod stats;

pub use dist::Dist;
pub use events::{EventQueue, Limits, RunOutcome, Stop, Ticket};
pub use rng::{Seed, SimRng, rng, stream};
pub use stats::{Estimate, quantile, quantile_sorted, replicate, replication_seed};

/// Virtual time in seconds since the start of a simulation.
pub type Seconds = f64;

/// Seconds in a day, for converting ppm into seconds per day.
pub const DAY: Seconds = 86_400.0;
/// Seconds in an hour.
pub const HOUR: Seconds = 3_600.0;
