//! The chapter's figures.

use crate::clock::OscillatorConfig;
use crate::error::Result;
use crate::grade::{attempt, fmt_num, fmt_sig};
use crate::ordering::lww::{self, LwwConfig};
use crate::ordering::misorder::{self, MisorderConfig, misorder_probability, misordered_fraction};
use crate::ordering::truetime::{self, CommitWaitConfig, TrueTime, TrueTimeConfig};
use crate::plot::Figure;

/// Percentage of writes lost against clock skew, µs and ms timestamps; the learner's
/// `lost_writes` beside the replicas' count when attempted.
pub fn lww_figure(writes: usize, lost: fn(&[f64]) -> usize, seed: u64) -> Result<Figure> {
    // Skews across three decades, on log axes: the loss grows from a few in ten thousand to
    // nearly half.
    let skews_ms = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
    let mut fig = Figure::new(format!(
        "Last-write-wins: writes silently lost, {writes} writes, 3 replicas"
    ))
    .x_label("clock skew across replicas (ms, log scale)")
    .y_label("writes lost (%, log scale)")
    .log_x()
    .log_y();
    let mut yours = Vec::new();
    let mut missing = None;
    for (name, resolution) in [("µs timestamps (replicas)", 1e-6), ("ms timestamps (replicas)", 1e-3)] {
        let mut pts = Vec::new();
        for &skew in &skews_ms {
            let cfg = LwwConfig {
                writes,
                skew_s: skew * 1e-3,
                resolution_s: resolution,
                ..Default::default()
            };
            let out = lww::simulate(&cfg, seed)?;
            pts.push((skew, 100.0 * out.lost as f64 / writes as f64));
            if resolution == 1e-3 && missing.is_none() {
                let ts: Vec<f64> = out.writes.iter().map(|w| w.timestamp).collect();
                match attempt(|| lost(&ts)) {
                    Ok(n) => yours.push((skew, 100.0 * n as f64 / writes as f64)),
                    Err(why) => missing = Some(why),
                }
            }
        }
        fig = fig.line(name, pts);
    }
    // When the learner's count gave nothing to draw, an entry with no points says why.
    Ok(match missing {
        None => fig.points("your lost_writes on the ms-stamped chains", yours),
        Some(why) => fig.points(why.label("lost_writes"), []),
    })
}

/// Fraction of messages whose timestamps put the receipt first, against skew, for three mean
/// delays: simulated points and the closed form (dashed, same colour), on log axes so each
/// curve's rise where the skew reaches the delay shows.
pub fn misorder_figure(seed: u64) -> Result<Figure> {
    let mut fig = Figure::new("Send and receive ordered by wall-clock stamps: how often wrong")
        .x_label("clock skew across machines (ms, log scale)")
        .y_label("messages received 'before' they were sent (%, log scale)")
        .log_x()
        .log_y();
    for delay_ms in [0.1, 1.0, 10.0] {
        let mut sim = Vec::new();
        let mut theory = Vec::new();
        // 0.01 ms to 50 ms, six points a decade.
        for k in 0..=22 {
            let skew_ms = 0.01 * 10f64.powf(k as f64 / 6.0);
            let cfg = MisorderConfig {
                skew_s: skew_ms * 1e-3,
                mean_delay_s: delay_ms * 1e-3,
                messages: 20_000,
            };
            sim.push((skew_ms, 100.0 * misordered_fraction(&misorder::simulate(&cfg, seed)?)));
            theory.push((skew_ms, 100.0 * misorder_probability(skew_ms * 1e-3, delay_ms * 1e-3)?));
        }
        fig = fig
            .points(format!("mean delay {delay_ms} ms (simulated)"), sim)
            .dashed(format!("mean delay {delay_ms} ms (theory)"), theory)
            .paired();
    }
    Ok(fig)
}

/// ε over three sync intervals for one node, with the clock's true offset inside ±ε.
pub fn sawtooth_figure(cfg: TrueTimeConfig, seed: u64) -> Result<Figure> {
    let osc = OscillatorConfig {
        offset_ppm: cfg.drift_bound_ppm * 0.5,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    };
    let mut tt = TrueTime::new(cfg, osc, seed)?;
    let end = 3.0 * cfg.sync_interval_s;
    let (mut up, mut down, mut offset) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..=600 {
        let t = end * k as f64 / 600.0;
        tt.advance_to(t)?;
        let e = tt.epsilon() * 1e3;
        up.push((t, e));
        down.push((t, -e));
        offset.push((t, tt.offset() * 1e3));
    }
    Ok(Figure::new(format!(
        "Uncertainty sawtooth: sync every {} s to ±{} ms, drift bound {} ppm",
        fmt_num(cfg.sync_interval_s),
        fmt_num(cfg.sync_error_s * 1e3),
        fmt_num(cfg.drift_bound_ppm)
    ))
    .x_label("true time (s)")
    .y_label("milliseconds")
    .line("clock − true time (a crystal at half the bound)", offset)
    .dashed("+ε: the bound TrueTime assumes", up)
    .dashed("−ε", down)
    .paired())
}

/// Mean commit wait against mean ε as the sync error grows, on log axes, with the 2ε rule of
/// thumb (dashed, same colour). The title gives the wait as a multiple of ε as measured (a sync
/// during a wait shrinks ε, so short sync intervals wait less than 2ε) and the transactions
/// ordered against real time, with and without commit wait.
pub fn commit_wait_figure(tt: TrueTimeConfig, seed: u64) -> Result<Figure> {
    let mut pts = Vec::new();
    let mut theory = Vec::new();
    let (mut with, mut without, mut total) = (0, 0, 0);
    let (mut waited, mut eps) = (0.0, 0.0);
    for k in 0..8 {
        let cfg = CommitWaitConfig {
            truetime: TrueTimeConfig {
                sync_error_s: 0.0005 * (1 << k) as f64,
                ..tt
            },
            transactions: 300,
            ..Default::default()
        };
        let out = truetime::with_commit_wait(&cfg, seed)?;
        with += out.violations;
        without += truetime::simulate(&cfg, |_, _| true, seed)?.violations;
        total += cfg.transactions;
        let e = out.mean_epsilon() * 1e3;
        waited += out.mean_wait() * 1e3;
        eps += e;
        pts.push((e, out.mean_wait() * 1e3));
        theory.push((e, 2.0 * e));
    }
    let ratio = if eps > 0.0 { waited / eps } else { 0.0 };
    Ok(Figure::new(format!(
        "Commit wait costs {}ε here; ordered against real time (violations): {with} of {total} with it, {without} without",
        fmt_sig(ratio, 2)
    ))
    .x_label("mean uncertainty ε (ms, log scale)")
    .y_label("mean commit wait (ms, log scale)")
    .log_x()
    .log_y()
    .points(
        "simulated mean wait (8 sync errors, 300 transactions each)",
        pts,
    )
    .dashed("2ε, the rule of thumb", theory)
    .paired())
}
