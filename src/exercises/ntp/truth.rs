//! What the simulator says is true: the answers the graders compare with, and shared helpers.

use super::EPOCH_START;
use crate::clock::{Clock, OscillatorConfig, Temperature};
use crate::error::{Error, Result};
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use crate::ntp::sim::{Exchange, PathConfig, ServerConfig, client_clock, exchange};
use crate::ntp::{Adjustment, Sample, Timestamps, validate_adjustment};
use crate::sim::{HOUR, Seed, SimRng, stream};
use rand::Rng;

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 600 + task)
}

/// f64 Unix seconds near 1.77·10⁹ resolve about 0.24 µs, and four timestamps are rounded, so
/// answers computed in another order may differ by a microsecond.
pub(super) const STAMP_TOL: Tol = Tol::abs(2e-6);

/// Random client–server exchanges: clocks up to ±100 ppm and ±5 s off, servers up to ±1 s off,
/// one-way delays drawn independently (so paths are asymmetric), server processing 0.1–10 ms.
pub(super) fn exchanges(seed: u64, task: u64, n: usize) -> Result<Vec<Exchange>> {
    let mut rng = cases_rng(seed, task);
    let mut out = Vec::with_capacity(n + 2);
    // The notebook's two examples first: a symmetric path, then a lopsided one.
    for (k, (o, b)) in [(0.020, 0.020), (0.005, 0.045)].into_iter().enumerate() {
        let server = ServerConfig {
            processing_s: 0.002,
            ..Default::default()
        };
        out.push(exchange(client_clock(40.0, 1.5), HOUR, &server, o, b, k as u64)?);
    }
    let seeds = Seed(seed).child(600 + task);
    for i in 0..n {
        let clock = client_clock(rng.random_range(-100.0..100.0), rng.random_range(-5.0..5.0));
        let after_s = rng.random_range(0.0..86_400.0);
        let server = ServerConfig {
            offset_s: if i % 3 == 0 { rng.random_range(-1.0..1.0) } else { 0.0 },
            processing_s: rng.random_range(1e-4..0.01),
            path: PathConfig::default(),
        };
        let (o, b) = (rng.random_range(0.001..0.3), rng.random_range(0.001..0.3));
        out.push(exchange(clock, after_s, &server, o, b, seeds.child(i as u64).0)?);
    }
    Ok(out)
}

pub(super) fn plain_osc(ppm: f64) -> OscillatorConfig {
    OscillatorConfig {
        offset_ppm: ppm,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    }
}

pub(super) fn stamps_input(t: &Timestamps) -> String {
    format!("t1 = {:.6}, t2 = {:.6}, t3 = {:.6}, t4 = {:.6}", t.t1, t.t2, t.t3, t.t4)
}

pub(super) fn window_input(w: &[Sample]) -> String {
    let items: Vec<String> = w
        .iter()
        .map(|s| format!("(θ {}, δ {})", fmt_num(s.offset), fmt_num(s.delay)))
        .collect();
    format!("window = [{}]", items.join(", "))
}

pub(super) fn intervals_input(iv: &[(f64, f64)]) -> String {
    if iv.is_empty() {
        return "intervals = [] (no server answered)".to_string();
    }
    let items: Vec<String> = iv
        .iter()
        .map(|(a, b)| format!("[{}, {}]", fmt_num(*a), fmt_num(*b)))
        .collect();
    format!("intervals = {}", items.join(", "))
}

/// Applies `adj` to a drift-free clock that is `-theta` off and returns (offset after the
/// adjustment has run its course, whether it stepped).
pub(super) fn run_adjustment(theta: f64, adj: Adjustment, max_slew_ppm: f64) -> Result<(f64, bool)> {
    validate_adjustment(&adj, max_slew_ppm)?;
    let mut clock = Clock::new(plain_osc(0.0), Temperature::Constant(25.0), EPOCH_START, 3)?;
    clock.step_wall(-theta);
    let before = clock.steps().len();
    let duration = match adj {
        Adjustment::Step { by_s } => {
            clock.step_wall(by_s);
            0.0
        }
        Adjustment::Slew { rate_ppm, duration_s } => {
            clock.slew_wall(rate_ppm)?;
            clock.advance_to(duration_s)?;
            clock.slew_wall(0.0)?;
            duration_s
        }
    };
    clock.advance_to(duration + 1.0)?;
    Ok((clock.offset(), clock.steps().len() > before))
}

pub(super) fn check_close_to_true(c: &mut Checker, input: &str, after: f64, adj: &Adjustment) -> Result<(), Verdict> {
    c.close(input, after, 0.0, Tol::abs(1e-9)).map_err(|_| {
        Verdict::fail(
            input,
            "a clock at true time once the adjustment has run (offset 0)",
            format!("{adj:?}, which leaves the clock {} s off", fmt_num(after)),
        )
    })
}
