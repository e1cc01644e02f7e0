//! The chapter's figures.

use crate::error::Result;
use crate::grade::{attempt, missing_note};
use crate::lease::{self, LOCK_SERVICE, LeaseConfig, LeaseOp, Policies, STORAGE};
use crate::plot::{Figure, SpaceTime};
use crate::sim::Seed;

/// Late and stale writes (per 100 writes) against the pause the clients' margin allows for,
/// without fencing and with it, over `runs` seeded pause schedules per point. Clients write every
/// twentieth of a lease while their margin allows. The margin comes from the learner's
/// `lease_margin` when attempted, else from the library's.
pub fn margin_figure(cfg: &LeaseConfig, margin: fn(f64, f64, f64) -> f64, runs: u64, seed: u64) -> Result<Figure> {
    let (margin, note): (fn(f64, f64, f64) -> f64, String) = match attempt(|| margin(1.0, 100.0, 10.0)) {
        Ok(_) => (margin, String::new()),
        Err(why) => (
            lease::lease_margin,
            format!(
                "{}, reference margin drawn",
                missing_note("lease_margin", Some(&why)).trim_end_matches(')')
            ) + ")",
        ),
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
        "Writes after the lease ended: {} s leases, pauses up to {} s, {} runs per point{note}",
        cfg.lease_s, cfg.max_pause_s, runs
    ))
    .x_label("pause the clients' margin allows for (s)")
    .y_label("writes accepted per 100 writes")
    .y_range(0.0, (1.8 * top_y).max(0.05))
    .line("late (no fencing): lease over when it landed", late)
    .line("stale (no fencing): overwrote a newer holder", stale)
    .dashed("stale with fencing", fenced))
}

/// A short lease world for the space-time diagram: two clients, 10 s leases, pauses up to
/// 15 s, 45 s of true time.
fn timeline_config() -> LeaseConfig {
    LeaseConfig {
        clients: 2,
        pauses_per_client: 2,
        retry_s: 3.0,
        until_s: 45.0,
        ..Default::default()
    }
}

/// The first pause schedule (from `seed`) in which the short world of the diagram makes a
/// stale write without fencing.
fn timeline_seed(seed: u64) -> Result<u64> {
    let cfg = timeline_config();
    for k in 0..500 {
        let s = Seed(seed).child(k).0;
        if lease::run(&cfg, |_, _| true, 0.0, s)?.stale_accepted() > 0 {
            return Ok(s);
        }
    }
    Ok(seed)
}

/// Space-time diagram of a short lease world in true time, with and without fencing on the
/// same pause schedule: the lock service's lane marks each grant and the end of each lease in
/// true time, each client's lane where it started and stopped believing it held the lease (by
/// its own clock), pauses are shaded, and the storage's lane marks stale and rejected writes.
pub fn lease_timeline_figure(fencing: bool, seed: u64) -> Result<SpaceTime> {
    let cfg = timeline_config();
    let s = timeline_seed(seed)?;
    let policies = if fencing {
        Policies::fencing()
    } else {
        Policies::no_fencing()
    };
    let (out, world) = lease::simulate_traced(&cfg, policies, s)?;
    let mut fig = SpaceTime::from_outcome(&world)
        .title(format!(
            "Who holds the lease: true time at the lock service, belief at the clients ({})",
            if fencing { "storage fences" } else { "no fencing" }
        ))
        .node_names(["lock service", "storage", "client 2", "client 3"])
        .until(cfg.until_s)
        .width(1200);
    for g in &out.grants {
        fig = fig
            .label_event(
                LOCK_SERVICE,
                g.from_s,
                format!("grants {} to client {}", g.token, g.client),
            )
            .label_event(LOCK_SERVICE, g.until_s, format!("{} ends", g.token));
    }
    for op in &out.history {
        if let LeaseOp::Hold { token } = op.op {
            fig = fig.label_event(op.node, op.invoked_at_s, format!("holds {token}"));
            if let Some(end) = op.completed_at_s {
                fig = fig.label_event(op.node, end, format!("{token} over (own clock)"));
            }
        }
    }
    let stale = out.stale();
    for (i, w) in out.writes.iter().enumerate() {
        if stale.contains(&i) {
            fig = fig.label_event(STORAGE, w.at_s, format!("STALE write, token {}", w.token));
        } else if !w.accepted {
            fig = fig.label_event(STORAGE, w.at_s, format!("rejected token {}", w.token));
        }
    }
    Ok(fig)
}
