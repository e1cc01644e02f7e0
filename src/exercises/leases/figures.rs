//! The chapter's figures.

use crate::error::Result;
use crate::grade::attempt;
use crate::lease::{self, LeaseConfig};
use crate::plot::Figure;
use crate::sim::Seed;

/// Late and stale writes (per 100 writes) against the pause the clients' margin allows for,
/// without fencing and with it, over `runs` seeded pause schedules per point. Clients write every
/// twentieth of a lease while their margin allows. The margin comes from the learner's
/// `lease_margin` when attempted, else from the library's.
pub fn margin_figure(cfg: &LeaseConfig, margin: fn(f64, f64, f64) -> f64, runs: u64, seed: u64) -> Result<Figure> {
    let margin: fn(f64, f64, f64) -> f64 = match attempt(|| margin(1.0, 100.0, 10.0)) {
        Ok(_) => margin,
        Err(_) => lease::lease_margin,
    };
    let cfg = &LeaseConfig {
        writes_per_lease: 20,
        write_gap_s: cfg.lease_s / 20.0,
        ..*cfg
    };
    let top = (1.25 * cfg.max_pause_s).min(0.95 * cfg.lease_s);
    let mut late = Vec::new();
    let mut stale = Vec::new();
    let mut fenced = Vec::new();
    let steps = 12;
    for k in 0..=steps {
        let assumed = top * k as f64 / steps as f64;
        let m = margin(assumed, cfg.drift_ppm, cfg.lease_s);
        let (mut writes, mut n_late, mut n_stale, mut n_fenced) = (0usize, 0usize, 0usize, 0usize);
        for r in 0..runs {
            let s = Seed(seed).child(r).0;
            let bare = lease::run(cfg, |_, _| true, m, s)?;
            writes += bare.writes.len().max(1);
            n_late += bare.late_accepted();
            n_stale += bare.stale_accepted();
            n_fenced += lease::run(cfg, lease::fencing_accepts, m, s)?.stale_accepted();
        }
        let pct = |n: usize| 100.0 * n as f64 / writes as f64;
        late.push((assumed, pct(n_late)));
        stale.push((assumed, pct(n_stale)));
        fenced.push((assumed, pct(n_fenced)));
    }
    // Headroom above the data for the legend, which sits top left.
    let top_y = late.iter().chain(&stale).map(|p| p.1).fold(0.0, f64::max);
    Ok(Figure::new(format!(
        "Writes after the lease ended: {} s leases, pauses up to {} s, {} runs per point",
        cfg.lease_s, cfg.max_pause_s, runs
    ))
    .x_label("pause the clients' margin allows for (s)")
    .y_label("writes accepted per 100 writes")
    .y_range(0.0, (1.8 * top_y).max(0.05))
    .line("late (no fencing): lease over when it landed", late)
    .line("stale (no fencing): overwrote a newer holder", stale)
    .dashed("stale with fencing", fenced))
}
