//! The chapter's figures.

use std::rc::Rc;

use crate::byzantine::search::{Algorithm, search_with};
use crate::byzantine::strategy::Honest;
use crate::byzantine::{Generals, Order, Run, om_message_count};
use crate::error::Result;
use crate::grade::{Panicked, attempt, missing_note};
use crate::plot::Figure;

/// Messages OM(m) sends against n for m = 1, 2, 3, counted in the simulator, with the closed
/// form; log y.
pub fn messages_figure(seed: u64) -> Result<Figure> {
    let mut fig = Figure::new("OM(m) messages grow like n^(m+1): simulated and closed form")
        .x_label("generals n")
        .y_label("messages sent (log scale)")
        .log_y();
    for m in 1..=3 {
        let (mut sim, mut theory) = (Vec::new(), Vec::new());
        for n in m + 2..=13 {
            let run = Generals::new(n, m)?.run_oral(Rc::new(Honest), seed)?;
            sim.push((n as f64, run.sent() as f64));
            theory.push((n as f64, om_message_count(n, m)? as f64));
        }
        fig = fig
            .points(format!("OM({m}), simulated"), sim)
            .dashed(format!("OM({m}), Σ (n−1)…(n−k)"), theory)
            .paired();
    }
    Ok(fig)
}

/// Share of runs that broke IC1 or IC2 against n, over every placement of `traitors`
/// traitors, both orders and every built-in strategy: OM(m) and SM(m); with m = 1, also OM(1)
/// decided by the learner's `om1_decide` (left out while it is `todo!()`).
pub fn breaks_figure(
    m: usize,
    traitors: usize,
    om1: Option<fn(Order, &[Order]) -> Order>,
    seed: u64,
) -> Result<Figure> {
    let lo = (traitors + 2).max(m + 1).max(3);
    let hi = (3 * m + 4).max(lo + 3);
    let (mut oral, mut signed, mut yours) = (Vec::new(), Vec::new(), Vec::new());
    let mut attempted = om1.is_some() && m == 1;
    let mut why: Option<Panicked> = None;
    for n in lo..=hi {
        let (mut your_broken, mut runs) = (0, 0);
        let o = search_with(Algorithm::Oral, n, m, traitors, seed, |run| {
            if attempted {
                match om1.map(|f| attempt(|| your_om1_agreed(run, f))) {
                    Some(Ok(ok)) => your_broken += usize::from(!ok),
                    Some(Err(e)) => {
                        attempted = false;
                        why = Some(e);
                    }
                    None => attempted = false,
                }
                runs += 1;
            }
        })?;
        let s = search_with(Algorithm::Signed, n, m, traitors, seed, |_| {})?;
        oral.push((n as f64, 100.0 * o.broken as f64 / o.runs as f64));
        signed.push((n as f64, 100.0 * s.broken as f64 / s.runs as f64));
        yours.push((n as f64, 100.0 * your_broken as f64 / runs.max(1) as f64));
    }
    let mut fig = Figure::new(format!(
        "{traitors} traitor(s), every placement and strategy: OM({m}) needs n > {}; SM({m}) never breaks{}",
        3 * m,
        missing_note("om1_decide", why.as_ref())
    ))
    .x_label("generals n")
    .y_label("runs that broke IC1 or IC2 (%)")
    .y_range(-2.0, 100.0)
    .line(format!("OM({m}), oral messages"), oral)
    .line(format!("SM({m}), signed messages"), signed);
    if attempted {
        fig = fig.points("OM(1) decided by your om1_decide", yours);
    }
    Ok(fig)
}

/// Whether IC1 and IC2 hold when every loyal lieutenant of an OM(1) run decides with `f`.
fn your_om1_agreed(run: &Run, f: fn(Order, &[Order]) -> Order) -> bool {
    let g = &run.generals;
    let decide = |i: usize| {
        let relayed: Vec<Order> = (1..g.n)
            .filter(|&j| j != i)
            .map(|j| run.heard(i, &[0, j]).unwrap_or(Order::DEFAULT))
            .collect();
        f(run.heard(i, &[0]).unwrap_or(Order::DEFAULT), &relayed)
    };
    let d: Vec<Order> = run.loyal_lieutenants().into_iter().map(decide).collect();
    let ic1 = d.windows(2).all(|w| w[0] == w[1]);
    let ic2 = g.is_traitor(0) || d.iter().all(|&o| o == g.order);
    ic1 && ic2
}
