//! Chapter 2 · Network faults.
//!
//! The learner writes four functions (see `exercises/02_network_faults.rs`), each graded
//! against the [`crate::world`] simulator's ground truth about every message.
//!
//! | task | question |
//! |---|---|
//! | `one_way_delay` | when does a message arrive, behind others in the sender's buffer? |
//! | `first_copies` | which arrivals are new, and which duplicates? |
//! | `deliver_in_order` | what can be handed to the application in sequence order? |
//! | `may_act` | which side of a partition may go on acting? |

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rand::Rng;

use super::{Chapter, DEFAULT_SEED, Mistake, Task, check_task, finite_f64};
use crate::error::{Error, Result};
use crate::grade::{Checker, Report, Tol, Verdict, attempt, fmt_num};
use crate::plot::Figure;
use crate::sim::{Dist, Limits, SimRng, stream};
use crate::world::{Ctx, DropReason, Fate, Fault, Handled, LinkConfig, Node, NodeId, Outcome, Plain, World};

/// The learner's functions for chapter 2.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: seconds from sending until a message of `size` bytes arrives, on a link of
    /// `bandwidth` bytes/s and `propagation` seconds, when `queued_bytes` are still waiting to
    /// be transmitted ahead of it in the sender's output buffer.
    pub one_way_delay: fn(size: u64, bandwidth: f64, propagation: f64, queued_bytes: u64) -> f64,
    /// Task 2: for each arriving sequence number, in arrival order, `true` if it is the first
    /// copy seen and `false` for a duplicate.
    pub first_copies: fn(arrivals: &[u64]) -> Vec<bool>,
    /// Task 3: the sequence numbers handed to the application, in order, by a receiver that
    /// delivers 0, 1, 2, … and holds back anything after a gap.
    pub deliver_in_order: fn(arrivals: &[u64]) -> Vec<u64>,
    /// Task 4: may the `side` nodes that can still talk to each other, out of a cluster of
    /// `cluster`, go on acting (e.g. elect a leader, accept writes)?
    pub may_act: fn(side: usize, cluster: usize) -> bool,
}

/// Chapter 2 for the shared runner and self-check.
pub struct NetworkFaults;

/// Flags of `exercise-2` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// Probability a message is lost, for the plots (0 ≤ p < 1).
    #[arg(long, default_value_t = 0.02, value_parser = probability, allow_negative_numbers = true)]
    pub loss: f64,
    /// Mean jitter in milliseconds (exponential), for the plots (0 to 1000).
    #[arg(long, default_value_t = 5.0, value_parser = jitter_ms, allow_negative_numbers = true)]
    pub jitter_ms: f64,
}

fn probability(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 ≤ p < 1"))
    }
}
fn jitter_ms(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (0.0..=1000.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} ms is outside 0 to 1000"))
    }
}

fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 200 + task)
}

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Numbered messages; a timer says which entry of the plan to send.
type Script = Plain<u64, u64>;

/// Node 0 sends a scripted list of messages to node 1; node 1 logs arrivals.
#[derive(Clone, Default)]
struct Scripted {
    plan: Vec<(f64, u64)>,
    arrivals: Vec<(f64, u64)>,
}

impl Node<Script> for Scripted {
    fn start(&mut self, ctx: &mut Ctx<'_, Script>) -> Handled {
        for (i, &(t, _)) in self.plan.iter().enumerate() {
            ctx.set_timer(t, i as u64);
        }
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Script>, tag: u64) -> Handled {
        let size = self.plan[tag as usize].1;
        ctx.send(1, tag, size);
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, Script>, _from: NodeId, seq: u64) -> Handled {
        // A perfect clock: its reading is true time.
        self.arrivals.push((ctx.monotonic_s(), seq));
        Ok(())
    }
}

/// Arrivals at the receiver: (true time, message number).
type Arrivals = Vec<(f64, u64)>;

/// Runs a two-node link with node 0 sending `plan`; returns the truth and node 1's arrivals.
fn run_link(
    link: LinkConfig,
    plan: Vec<(f64, u64)>,
    faults: Vec<Fault>,
    seed: u64,
) -> Result<(Outcome<Script>, Arrivals)> {
    let mut world = World::new(seed);
    world.set_link(link)?;
    world.add_node(Scripted { plan, arrivals: vec![] });
    let receiver = world.add_node(Scripted::default());
    world.add_faults(faults);
    let out = world.run(Limits::default())?;
    let arrivals = out
        .node::<Scripted>(receiver)
        .map(|r| r.arrivals.clone())
        .unwrap_or_default();
    Ok((out, arrivals))
}

/// Grades task 1: a burst of messages sent at once; the learner's delay for one of them must
/// match the simulator's delivery time.
pub fn grade_one_way_delay(
    f: fn(u64, f64, f64, u64) -> f64,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 1);
        let mut cases: Vec<(f64, f64, Vec<u64>)> = vec![(1e6, 0.01, vec![1000, 1000, 1000])];
        for _ in 0..10 {
            let bw = 10f64.powf(rng.random_range(4.0..9.0));
            let prop = rng.random_range(0.0..0.1);
            let k = rng.random_range(1..20);
            cases.push((bw, prop, (0..k).map(|_| rng.random_range(40..9000)).collect()));
        }
        for (bw, prop, sizes) in cases {
            let plan: Vec<(f64, u64)> = sizes.iter().map(|&s| (0.0, s)).collect();
            let link = LinkConfig::reliable(prop, bw).map_err(sim_failed)?;
            let (out, _) = run_link(link, plan, vec![], rng.random()).map_err(sim_failed)?;
            let i = rng.random_range(0..sizes.len());
            let queued: u64 = sizes[..i].iter().sum();
            let truth = match out.messages[i].fate {
                Fate::Delivered { at_s } => at_s - out.messages[i].sent_at_s,
                other => {
                    return Err(sim_failed(Error::invalid(
                        "fate",
                        format!("{other:?}"),
                        "not delivered",
                    )));
                }
            };
            let input = format!(
                "size = {} B, bandwidth = {} B/s, propagation = {} s, queued_bytes = {}",
                sizes[i],
                fmt_num(bw),
                fmt_num(prop),
                queued
            );
            let got = c.call(&input, || f(sizes[i], bw, prop, queued))?;
            c.close(&input, got, truth, Tol::new(1e-12, 1e-9))?;
        }
        Ok(())
    }
}

/// A lossy, duplicating, reordering link carrying `n` numbered messages, 1 ms apart.
fn messy_arrivals(rng: &mut SimRng, n: u64) -> Result<(Outcome<Script>, Vec<u64>)> {
    let link = LinkConfig {
        loss: rng.random_range(0.0..0.05),
        duplicate: rng.random_range(0.02..0.3),
        jitter_s: Dist::exponential(rng.random_range(0.0005..0.01))?,
        ..LinkConfig::reliable(0.005, 1e8)?
    };
    let plan = (0..n).map(|i| (i as f64 * 0.001, 100)).collect();
    let (out, arrivals) = run_link(link, plan, vec![], rng.random())?;
    Ok((out, arrivals.into_iter().map(|a| a.1).collect()))
}

fn preview(xs: &[u64]) -> String {
    let head: Vec<String> = xs.iter().take(12).map(u64::to_string).collect();
    format!(
        "[{}{}] ({} arrivals)",
        head.join(", "),
        if xs.len() > 12 { ", …" } else { "" },
        xs.len()
    )
}

/// Grades task 2 against the simulator's records: the first arrival of each message id is new.
pub fn grade_first_copies(f: fn(&[u64]) -> Vec<bool>, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 2);
        let mut cases: Vec<(Vec<u64>, Vec<bool>)> =
            vec![(vec![0, 2, 1, 2, 3, 0], vec![true, true, true, false, true, false])];
        for _ in 0..8 {
            let n = rng.random_range(20..400);
            let (out, arrivals) = messy_arrivals(&mut rng, n).map_err(sim_failed)?;
            // Truth from the records: order deliveries by time; the earliest of each id is new.
            let mut delivered: Vec<(f64, u64, bool)> = out
                .messages
                .iter()
                .filter_map(|r| match r.fate {
                    Fate::Delivered { at_s } => Some((at_s, r.id, r.duplicate)),
                    _ => None,
                })
                .collect();
            delivered.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut seen = HashSet::new();
            let truth: Vec<bool> = delivered.iter().map(|d| seen.insert(d.1)).collect();
            cases.push((arrivals, truth));
        }
        for (arrivals, truth) in cases {
            let input = format!("arrivals = {}", preview(&arrivals));
            let got = c.call(&input, || f(&arrivals))?;
            c.equal(&input, got, truth)?;
        }
        Ok(())
    }
}

/// Grades task 3: what a receiver can deliver in order is every message before the first one
/// the network never delivered (the simulator's records say which).
pub fn grade_deliver_in_order(
    f: fn(&[u64]) -> Vec<u64>,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 3);
        let mut cases: Vec<(Vec<u64>, Vec<u64>)> = vec![(vec![1, 0, 0, 3, 2, 5], vec![0, 1, 2, 3])];
        for _ in 0..8 {
            let n = rng.random_range(20..400);
            let (out, arrivals) = messy_arrivals(&mut rng, n).map_err(sim_failed)?;
            let delivered: HashSet<u64> = out
                .messages
                .iter()
                .filter(|r| matches!(r.fate, Fate::Delivered { .. }))
                .map(|r| r.id)
                .collect();
            let first_missing = (0..n).find(|i| !delivered.contains(i)).unwrap_or(n);
            cases.push((arrivals, (0..first_missing).collect()));
        }
        for (arrivals, truth) in cases {
            let input = format!("arrivals = {}", preview(&arrivals));
            let got = c.call(&input, || f(&arrivals))?;
            if got != truth {
                let lost = truth.len();
                return Err(Verdict::fail(&input, preview(&truth), preview(&got)).because(format!(
                    "the simulator lost message {lost} for good: nothing after it can be delivered in order"
                )));
            }
            c.pass();
        }
        Ok(())
    }
}

/// Grades task 4 on partitions of clusters of 1–15 nodes, every split including even ones: a
/// correct rule never lets both sides act, and lets a majority side act.
pub fn grade_may_act(f: fn(usize, usize) -> bool, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 4);
        let mut clusters: Vec<usize> = vec![3, 4, 5, 6];
        clusters.extend((0..6).map(|_| rng.random_range(1..16)));
        for n in clusters {
            for side in 0..=n {
                let input = format!("side = {side} of cluster = {n} (the other side: {})", n - side);
                let got = c.call(&input, || f(side, n))?;
                let other = c.call(&input, || f(n - side, n))?;
                if got && other {
                    return Err(Verdict::fail(&input, "at most one side acts", "both sides act")
                        .because("two leaders, two sets of accepted writes: split brain"));
                }
                c.equal(&input, got, 2 * side > n)?;
            }
        }
        Ok(())
    }
}

impl Chapter for NetworkFaults {
    const NUMBER: u8 = 2;
    type Answers = Answers;
    type Args = NetArgs;

    fn tasks() -> &'static [Task<Answers>] {
        TASKS
    }

    fn simulate(a: &Answers, args: &NetArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        files.extend(delay_figure(a.one_way_delay, args.loss, seed)?.save(out, "delay-over-time")?);
        files.extend(order_figure(a.deliver_in_order, args.loss, args.jitter_ms, seed)?.save(out, "arrival-order")?);
        Ok(files)
    }
}

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[ONE_WAY_DELAY, FIRST_COPIES, DELIVER_IN_ORDER, MAY_ACT];

/// Task `one_way_delay`.
pub const ONE_WAY_DELAY: Task<Answers> = Task {
    name: "one_way_delay",
    grade: |c, a, seed| grade_one_way_delay(a.one_way_delay, seed)(c),
    mistakes: &[
        Mistake {
            what: "propagation only",
            apply: |a| a.one_way_delay = |_, _, p, _| p,
        },
        Mistake {
            what: "forgot the queue ahead",
            apply: |a| a.one_way_delay = |s, bw, p, _| p + s as f64 / bw,
        },
        Mistake {
            what: "bits, not bytes (×8)",
            apply: |a| a.one_way_delay = |s, bw, p, q| p + 8.0 * (s + q) as f64 / bw,
        },
    ],
};

/// Task `first_copies`.
pub const FIRST_COPIES: Task<Answers> = Task {
    name: "first_copies",
    grade: |c, a, seed| grade_first_copies(a.first_copies, seed)(c),
    mistakes: &[
        Mistake {
            what: "only compares with the previous arrival",
            apply: |a| a.first_copies = |xs| (0..xs.len()).map(|i| i == 0 || xs[i] != xs[i - 1]).collect(),
        },
        Mistake {
            what: "anything not above the highest seen is a duplicate (treats reordering as duplication)",
            apply: |a| {
                a.first_copies = |xs| {
                    let mut hi: Option<u64> = None;
                    xs.iter()
                        .map(|&x| {
                            let new = hi.is_none_or(|h| x > h);
                            if new {
                                hi = Some(x);
                            }
                            new
                        })
                        .collect()
                }
            },
        },
    ],
};

/// Task `deliver_in_order`.
pub const DELIVER_IN_ORDER: Task<Answers> = Task {
    name: "deliver_in_order",
    grade: |c, a, seed| grade_deliver_in_order(a.deliver_in_order, seed)(c),
    mistakes: &[
        Mistake {
            what: "sorts and dedups everything, skipping gaps",
            apply: |a| {
                a.deliver_in_order = |xs| {
                    let mut v = xs.to_vec();
                    v.sort_unstable();
                    v.dedup();
                    v
                }
            },
        },
        Mistake {
            what: "drops early arrivals instead of holding them back",
            apply: |a| {
                a.deliver_in_order = |xs| {
                    let mut next = 0;
                    let mut out = vec![];
                    for &x in xs {
                        if x == next {
                            out.push(x);
                            next += 1;
                        }
                    }
                    out
                }
            },
        },
    ],
};

/// Task `may_act`.
pub const MAY_ACT: Task<Answers> = Task {
    name: "may_act",
    grade: |c, a, seed| grade_may_act(a.may_act, seed)(c),
    mistakes: &[
        Mistake {
            what: "at least half (ties let both sides act)",
            apply: |a| a.may_act = |s, n| 2 * s >= n,
        },
        Mistake {
            what: "the bigger side, judged by the other side's size only",
            apply: |a| a.may_act = |s, n| s > n - s || (s == n - s && s > 0),
        },
        Mistake {
            what: "any side with at least two nodes",
            apply: |a| a.may_act = |s, _| s >= 2,
        },
    ],
};

/// One-way delay of every message on a 1 MB/s link with a 16-message buffer, under bursts:
/// delays climb while the buffer fills, and drops start when it is full. The learner's
/// `one_way_delay` is drawn for the burst's messages at the queue they found.
pub fn delay_figure(one_way_delay: fn(u64, f64, f64, u64) -> f64, loss: f64, seed: u64) -> Result<Figure> {
    let link = LinkConfig {
        buffer_messages: 16,
        loss,
        ..LinkConfig::reliable(0.005, 1e6)?
    };
    let mut rng = stream(seed, 1);
    let mut plan = Vec::new();
    let mut t = 0.0;
    while t < 2.0 {
        // Bursts of 5–40 packets of 1500 B at 0.3 ms spacing, then a quiet spell.
        for _ in 0..rng.random_range(5..40) {
            plan.push((t, 1500));
            t += 0.0003;
        }
        t += rng.random_range(0.02..0.2);
    }
    let (out, _) = run_link(link, plan.clone(), vec![], seed)?;
    let mut delivered = Vec::new();
    let mut dropped = Vec::new();
    for r in out.messages.iter().filter(|r| !r.duplicate) {
        match r.fate {
            Fate::Delivered { at_s } => delivered.push((r.sent_at_s * 1e3, (at_s - r.sent_at_s) * 1e3)),
            Fate::Dropped {
                reason: DropReason::BufferFull,
                ..
            } => dropped.push((r.sent_at_s * 1e3, 0.0)),
            _ => {}
        }
    }
    let mut fig = Figure::new("Bursts into a 16-packet buffer at 1 MB/s")
        .x_label("send time (ms)")
        .y_label("one-way delay (ms)")
        .points("delivered (simulator)", delivered)
        .points("dropped: buffer full (drawn at 0)", dropped);
    // The learner's formula for each packet that got into the buffer, given the bytes still
    // queued ahead of it when it was sent.
    let mut free_at = 0.0_f64;
    let mut inputs = Vec::new();
    for r in out.messages.iter().filter(|r| !r.duplicate) {
        if matches!(
            r.fate,
            Fate::Dropped {
                reason: DropReason::BufferFull,
                ..
            }
        ) {
            continue;
        }
        let queued = ((free_at - r.sent_at_s).max(0.0) * 1e6).round() as u64;
        free_at = free_at.max(r.sent_at_s) + r.size_bytes as f64 / 1e6;
        inputs.push((r.sent_at_s, r.size_bytes, queued));
    }
    if let Ok(pts) = attempt(|| {
        inputs
            .iter()
            .map(|&(t, size, q)| (t * 1e3, one_way_delay(size, 1e6, 0.005, q) * 1e3))
            .collect::<Vec<_>>()
    }) {
        fig = fig.points("your one_way_delay", pts);
    }
    Ok(fig)
}

/// Arrival order against send order on a jittery, duplicating link, with the learner's in-order
/// delivery marked.
pub fn order_figure(deliver_in_order: fn(&[u64]) -> Vec<u64>, loss: f64, jitter_ms: f64, seed: u64) -> Result<Figure> {
    let link = LinkConfig {
        loss,
        duplicate: 0.05,
        jitter_s: Dist::exponential((jitter_ms / 1e3).max(1e-9))?,
        ..LinkConfig::reliable(0.005, 1e8)?
    };
    let plan: Vec<(f64, u64)> = (0..200).map(|i| (f64::from(i) * 0.001, 100)).collect();
    let (_, arrivals) = run_link(link, plan, vec![], seed)?;
    let pts: Vec<(f64, f64)> = arrivals
        .iter()
        .enumerate()
        .map(|(i, a)| (i as f64, a.1 as f64))
        .collect();
    let seqs: Vec<u64> = arrivals.iter().map(|a| a.1).collect();
    let mut fig = Figure::new(format!(
        "Arrival order on a link with {} ms jitter, 5% duplicates, {}% loss",
        fmt_num(jitter_ms),
        fmt_num(loss * 100.0)
    ))
    .x_label("arrival number")
    .y_label("sequence number")
    .points("arrivals", pts);
    if let Ok(d) = attempt(|| deliver_in_order(&seqs)) {
        let n = d.len();
        fig = fig.hline(format!("your in-order delivery reached {n} messages"), n as f64);
    }
    Ok(fig)
}

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    NetworkFaults::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-2` and `solution-2`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<NetworkFaults>(answers)
}

/// Notebook check for task 1.
pub fn check_one_way_delay(f: fn(u64, f64, f64, u64) -> f64) -> Report {
    check_task::<NetworkFaults>(&ONE_WAY_DELAY, DEFAULT_SEED, grade_one_way_delay(f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_first_copies(f: fn(&[u64]) -> Vec<bool>) -> Report {
    check_task::<NetworkFaults>(&FIRST_COPIES, DEFAULT_SEED, grade_first_copies(f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_deliver_in_order(f: fn(&[u64]) -> Vec<u64>) -> Report {
    check_task::<NetworkFaults>(&DELIVER_IN_ORDER, DEFAULT_SEED, grade_deliver_in_order(f, DEFAULT_SEED))
}
/// Notebook check for task 4.
pub fn check_may_act(f: fn(usize, usize) -> bool) -> Report {
    check_task::<NetworkFaults>(&MAY_ACT, DEFAULT_SEED, grade_may_act(f, DEFAULT_SEED))
}
