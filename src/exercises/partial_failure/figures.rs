//! The chapter's figures, and the notebook's table of what silence can mean: one request
//! under each fault, the client's view beside what really happened.

use super::truth::{
    Client, Outcome, Schedule, Server, naive_apply, random_schedule, run_bank, run_pair, solution_backoff,
};
use super::{Ledger, Receipt, Transfer};
use crate::error::Result;
use crate::grade::{attempt, fmt_num};
use crate::plot::{Figure, Style};
use crate::sim::{Dist, Limits, replication_seed, stream};
use crate::world::{Fault, LinkConfig};
use rand::Rng;

/// One request under one fault: what the client could see, and what really happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// What went wrong.
    pub fault: &'static str,
    /// Did a reply reach the client within the timeout?
    pub reply_within_timeout: bool,
    /// Did the server apply the request (by the end of the run)?
    pub applied: bool,
    /// When the reply reached the client, if it ever did.
    pub reply_at: Option<f64>,
}

/// A client sends one transfer at time 0 over a 10 ms link and waits `timeout` seconds
/// (no retries), under five fault schedules: none, the request lost, the server crashed, the
/// reply lost, the server paused. The simulator's ground truth shows that the client's view is
/// the same in the last four, while the server applied the transfer in two of them.
pub fn silence_scenarios(timeout: f64) -> Result<Vec<Scenario>> {
    crate::error::check::positive("timeout", timeout)?;
    let server = 1;
    let cases: Vec<(&'static str, Vec<Fault>)> = vec![
        ("no fault", vec![]),
        ("request lost", vec![Fault::isolate(vec![server], 0.0, 0.005)]),
        (
            "server crashed",
            vec![Fault::Crash {
                node: server,
                at_s: 0.0,
                recover_at_s: None,
            }],
        ),
        ("reply lost", vec![Fault::isolate(vec![server], 0.015, 0.025)]),
        (
            "server paused 2 s",
            vec![Fault::Pause {
                node: server,
                at_s: 0.005,
                length_s: 2.0,
                mid_handler: false,
            }],
        ),
    ];
    let mut out = Vec::new();
    for (fault, faults) in cases {
        let schedule = Schedule {
            loss: 0.0,
            duplicate: 0.0,
            jitter: 1e-9,
            faults,
        };
        let transfers = vec![Transfer { key: 1, amount: 100 }];
        // No retries: the client's retry timer is pushed past the end of the run.
        let never: fn(u32, f64, f64, f64) -> f64 = |_, _, _, _| 1e9;
        let o = run_bank_observed(&schedule, transfers, never, 60.0)?;
        let reply_at = o.reply_times.first().copied();
        out.push(Scenario {
            fault,
            reply_within_timeout: reply_at.is_some_and(|t| t <= timeout),
            applied: o.outcome.server.ledger.balance == 100,
            reply_at,
        });
    }
    Ok(out)
}

struct Observed {
    outcome: Outcome,
    reply_times: Vec<f64>,
}

/// [`run_bank`] with a client that never retries within `until` and notes when replies come.
fn run_bank_observed(
    schedule: &Schedule,
    transfers: Vec<Transfer>,
    backoff: fn(u32, f64, f64, f64) -> f64,
    until: f64,
) -> Result<Observed> {
    let link = LinkConfig {
        jitter_s: Dist::exponential(schedule.jitter)?,
        ..LinkConfig::reliable(0.01, 1e7)?
    };
    let outcome = run_pair(
        Client::new(transfers, 1, until * 2.0, backoff),
        Server::new(naive_apply),
        [link, link],
        &schedule.faults,
        Limits {
            until,
            max_events: 10_000,
        },
        0,
    )?;
    let reply_times = outcome.client.reply_times.clone();
    Ok(Observed { outcome, reply_times })
}

/// Retry times of 200 clients that failed at the same moment and retry with capped exponential
/// backoff and full jitter (the simulator's reference), and 60 more clients above them
/// retrying with the learner's `backoff`: jitter spreads each round of retries over its window
/// instead of sending every client back at the same instant.
pub fn backoff_figure(backoff: fn(u32, f64, f64, f64) -> f64, seed: u64) -> Result<Figure> {
    let mut rng = stream(seed, 1);
    let mut truth = Vec::new();
    for client in 0..200 {
        let mut t = 0.0;
        for n in 0..8 {
            t += solution_backoff(n, 0.05, 2.0, rng.random());
            truth.push((t, f64::from(client)));
        }
    }
    let mut rng = stream(seed, 2);
    let yours = attempt(|| {
        let mut pts = Vec::new();
        for client in 200..260 {
            let mut t = 0.0;
            for n in 0..8 {
                t += backoff(n, 0.05, 2.0, rng.random());
                pts.push((t, f64::from(client)));
            }
        }
        pts
    });
    // Headroom above the clients keeps the legend (upper left) off the points.
    let fig = Figure::new("200 clients retrying after the same failure: capped exponential backoff, full jitter")
        .x_label("time of retry (s)")
        .y_label("client")
        .y_range(0.0, 330.0)
        .points("retries, reference backoff (clients 0–199)", truth);
    Ok(match yours {
        Ok(pts) => fig.points("retries, your backoff (clients 200–259)", pts),
        // An entry with no points: the legend says why the learner's clients are missing.
        Err(why) => fig.points(why.label("backoff"), []),
    })
}

/// Transfers applied more than intended per random fault schedule (30 transfers of $1 each,
/// lossy links, retries), for a server without deduplication and for the learner's
/// `apply_transfer`, as side-by-side bars per count.
pub fn balance_figure(
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    loss: f64,
    schedules: u64,
    seed: u64,
) -> Result<Figure> {
    let run = |f: fn(&mut Ledger, Transfer) -> Receipt, i: u64| -> Result<f64> {
        let mut rng = stream(replication_seed(seed, i), 0);
        let mut s = random_schedule(&mut rng);
        s.loss = loss;
        let transfers: Vec<Transfer> = (0..30).map(|k| Transfer { key: k, amount: 100 }).collect();
        let out = run_bank(&s, transfers, f, solution_backoff, rng.random())?;
        Ok((out.server.ledger.balance - 3000) as f64 / 100.0)
    };
    let naive: Vec<f64> = (0..schedules).map(|i| run(naive_apply, i)).collect::<Result<_>>()?;
    let yours = attempt(|| (0..schedules).map(|i| run(apply, i)).collect::<Result<Vec<f64>>>());
    let title = format!(
        "30 transfers of $1 per schedule, {}% loss each way: extra transfers applied",
        fmt_num(loss * 100.0)
    );
    let mut bars = vec![("no idempotency key (simulator)".to_string(), counts(&naive), -0.2)];
    // When the learner's server gave nothing to draw, an entry with no bars says why.
    bars.push(match yours {
        Ok(Ok(y)) => ("your apply_transfer".to_string(), counts(&y), 0.2),
        Ok(Err(_)) => (
            "your apply_transfer: its runs failed (see the report)".to_string(),
            vec![],
            0.2,
        ),
        Err(why) => (why.label("apply_transfer"), vec![], 0.2),
    });
    let tallest = bars.iter().flat_map(|b| b.1.iter().map(|c| c.1)).fold(1.0, f64::max);
    let widest = bars.iter().flat_map(|b| b.1.iter().map(|c| c.0)).fold(0.0, f64::max);
    let lowest = bars.iter().flat_map(|b| b.1.iter().map(|c| c.0)).fold(0.0, f64::min);
    let mut fig = Figure::new(title)
        .x_label("transfers applied more than intended (per schedule)")
        .y_label("schedules")
        .x_range(lowest - 1.0, widest.max(4.0) + 1.0)
        // Headroom keeps the legend (upper left) off the bars.
        .y_range(0.0, tallest * 1.35);
    for (name, pts, shift) in bars {
        fig = fig.series(
            name,
            pts.into_iter().map(|(x, n)| (x + shift, n)),
            Style::Bars { width: 0.4 },
        );
    }
    Ok(fig)
}

/// How many schedules ended with each whole number of extra transfers: (count, schedules).
fn counts(extra: &[f64]) -> Vec<(f64, f64)> {
    let mut tally = std::collections::BTreeMap::new();
    for e in extra {
        *tally.entry(e.round() as i64).or_insert(0.0) += 1.0;
    }
    tally.into_iter().map(|(k, n)| (k as f64, n)).collect()
}
