//! Events per second of the world simulator, on two workloads that stress its hot path:
//!
//! * `heartbeats`: chapter 4's heartbeat run (a sender on its own clock, a monitor, a lossy
//!   link with lognormal delay, two pauses), 2·10⁶ heartbeats;
//! * `echo`: two nodes bouncing messages over a link with loss, duplication and jitter;
//! * `mesh`: issue 8's workload, 5 nodes passing 10⁶ messages to each other over lossy,
//!   jittery links, each node re-arming a timeout on its own drifting clock at every receive;
//! * `elections`: 10,000 seeded first elections of 5 nodes (chapter 9), in parallel with
//!   rayon, checked to give the same result on one thread.
//!
//! Each runs several times (one seed each) and the medians of wall and CPU seconds are
//! reported (per message: CPU time, which a busy machine does not inflate). Echo and mesh run
//! with [`World::record_messages`] off, as a long run that needs only counts would:
//!
//!     cargo bench --bench world             # all four
//!     cargo bench --bench world -- mesh     # only the ones named
//!     WORLD_BENCH_REPEATS=1 valgrind --tool=callgrind target/release/deps/world-… mesh
//!
//! Output, one line each: `world-heartbeats heartbeats=N seconds=S ns_per_heartbeat=X`,
//! `world-echo messages=N seconds=S cpu_s=C ns_per_message=X`, `world-mesh sent=N … seconds=S
//! cpu_s=C ns_per_message=X` (with its counts of copies, deliveries and timers, to compare with the
//! SimPy twin in `scripts/bench-peers`) and `world-elections elections=N threads=T seconds=S
//! same_on_one_thread=B`.

use std::time::Instant;

use rand::Rng;

use faultline::detect::HeartbeatConfig;
use faultline::quorum::{ElectionConfig, election_times, reference_rule};
use faultline::sim::{Dist, Limits};
use faultline::world::{ClockConfig, Ctx, DropReason, Handled, LinkConfig, Node, NodeId, Plain, TimerId, World};

/// Runs of each workload (one seed each) unless `WORLD_BENCH_REPEATS` says otherwise (1 for a
/// profiler such as callgrind).
const REPEATS: u64 = 7;

fn repeats() -> u64 {
    std::env::var("WORLD_BENCH_REPEATS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(REPEATS)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// CPU seconds this thread has run (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, through the
/// `cpu-time` crate; NaN where it fails). On a machine shared with other work, wall time counts
/// the time other processes ran; CPU time does not, so the ratio to SimPy's (also CPU, Python's
/// `process_time`) time stays meaningful. (`/proc/thread-self/schedstat`, read before, is
/// brought up to date only at the scheduler's ticks, 4 ms here: a twentieth of a mesh run.)
fn cpu_s() -> f64 {
    cpu_time::ThreadTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

/// Runs `f`, returning its result, wall seconds and CPU seconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (t0, c0) = (Instant::now(), cpu_s());
    let out = f();
    (out, t0.elapsed().as_secs_f64(), cpu_s() - c0)
}

fn heartbeats() {
    let n = 2_000_000.0;
    let cfg = HeartbeatConfig {
        interval_s: 1.0,
        delay_s: Dist::lognormal(0.1, 0.15).expect("valid"),
        loss: 0.01,
        pauses: vec![(1200.0, 3.0), (2400.0, 1.5)],
        crash_at_s: None,
        until_s: n,
    };
    let times: Vec<f64> = (0..repeats())
        .map(|seed| {
            let t0 = Instant::now();
            let trace = cfg.simulate(seed).expect("valid config");
            std::hint::black_box(trace.arrivals.len());
            t0.elapsed().as_secs_f64()
        })
        .collect();
    let s = median(times);
    println!(
        "world-heartbeats heartbeats={n} seconds={s:.4} ns_per_heartbeat={:.1}",
        s / n * 1e9
    );
}

/// Sends every message straight back, until `left` messages have been sent.
struct Echo {
    left: u64,
}

impl Node<Plain<u64>> for Echo {
    fn start(&mut self, ctx: &mut Ctx<'_, Plain<u64>>) -> Handled {
        if ctx.me() == 0 {
            for i in 0..100 {
                ctx.send(1, i, 100);
            }
        }
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, Plain<u64>>, from: NodeId, m: u64) -> Handled {
        if self.left > 0 {
            self.left -= 1;
            ctx.send(from, m, 100);
        }
        Ok(())
    }
}

fn echo() {
    let n = 1_000_000u64;
    let link = LinkConfig {
        loss: 0.01,
        duplicate: 0.01,
        jitter_s: Dist::exponential(0.001).expect("valid"),
        ..LinkConfig::default()
    };
    let mut messages = 0;
    let (walls, cpus): (Vec<f64>, Vec<f64>) = (0..repeats())
        .map(|seed| {
            let mut w = World::<Plain<u64>>::new(seed);
            w.set_link(link).expect("valid link");
            w.record_messages(false);
            w.add_node(Echo { left: n / 2 });
            w.add_node(Echo { left: n / 2 });
            let (out, wall, cpu) = timed(|| w.run(Limits::default()).expect("valid world"));
            messages = out.counts.sent + out.counts.duplicates;
            (wall, cpu)
        })
        .unzip();
    let (s, cpu) = (median(walls), median(cpus));
    println!(
        "world-echo messages={messages} seconds={s:.4} cpu_s={cpu:.4} ns_per_message={:.1}",
        cpu / messages as f64 * 1e9
    );
}

/// Mesh: messages sent in all.
const MESH_MESSAGES: u64 = 1_000_000;
/// Mesh: nodes.
const MESH_NODES: usize = 5;
/// Mesh: messages each node puts in flight at the start.
const MESH_INFLIGHT: u64 = 20;
/// Mesh: the timeout each receive re-arms, local seconds.
const MESH_TIMEOUT_S: f64 = 0.010;
/// Mesh: each node's clock error, ppm.
const MESH_PPM: [f64; MESH_NODES] = [-100.0, -50.0, 0.0, 50.0, 100.0];

/// Passes every message it gets on to a random other node while its share of the messages
/// lasts. Every receive cancels its timeout and sets a new one; a timeout that fires (nothing
/// arrived for 10 ms on its clock) sends a fresh message, so messages lost on the wire are
/// replaced and the run ends only when every node has sent its share.
#[derive(Default)]
struct Mesh {
    budget: u64,
    armed: Option<TimerId>,
    timers_set: u64,
    timers_cancelled: u64,
    timers_fired: u64,
}

type MeshP = Plain<u32>;

impl Mesh {
    fn send_one(&mut self, ctx: &mut Ctx<'_, MeshP>) {
        let n = ctx.nodes();
        let mut to = ctx.rng.random_range(0..n - 1);
        to += usize::from(to >= ctx.me());
        self.budget -= 1;
        ctx.send(to, 0, 100);
    }
    fn arm(&mut self, ctx: &mut Ctx<'_, MeshP>) {
        self.timers_set += 1;
        self.armed = Some(ctx.set_timer(MESH_TIMEOUT_S, ()));
    }
}

impl Node<MeshP> for Mesh {
    fn start(&mut self, ctx: &mut Ctx<'_, MeshP>) -> Handled {
        for _ in 0..MESH_INFLIGHT {
            self.send_one(ctx);
        }
        self.arm(ctx);
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, MeshP>, _: NodeId, _: u32) -> Handled {
        if let Some(id) = self.armed.take() {
            self.timers_cancelled += 1;
            ctx.cancel_timer(id);
        }
        if self.budget > 0 {
            self.send_one(ctx);
            self.arm(ctx);
        }
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, MeshP>, _: ()) -> Handled {
        self.armed = None;
        self.timers_fired += 1;
        if self.budget > 0 {
            self.send_one(ctx);
            self.arm(ctx);
        }
        Ok(())
    }
}

fn mesh() {
    let link = LinkConfig {
        loss: 0.01,
        duplicate: 0.01,
        jitter_s: Dist::exponential(0.001).expect("valid"),
        ..LinkConfig::default()
    };
    let mut line = String::new();
    let (walls, cpus): (Vec<f64>, Vec<f64>) = (0..repeats())
        .map(|seed| {
            let mut w = World::<MeshP>::new(seed);
            w.set_link(link).expect("valid link");
            w.record_messages(false);
            for ppm in MESH_PPM {
                let node = Mesh {
                    budget: MESH_MESSAGES / MESH_NODES as u64,
                    ..Mesh::default()
                };
                w.add_node_with_clock(node, ClockConfig::drifting(ppm));
            }
            let (out, wall, cpu) = timed(|| w.run(Limits::default()).expect("valid world"));
            let sum = |f: fn(&Mesh) -> u64| {
                (0..MESH_NODES)
                    .map(|i| f(out.node::<Mesh>(i).expect("a mesh node")))
                    .sum::<u64>()
            };
            let c = out.counts;
            let lost = c.dropped(DropReason::Loss);
            line = format!(
                "sent={} copies={} delivered={} lost={lost} timers_set={} timers_cancelled={} timers_fired={} events={}",
                c.sent,
                c.sent + c.duplicates - lost,
                c.delivered,
                sum(|m| m.timers_set),
                sum(|m| m.timers_cancelled),
                sum(|m| m.timers_fired),
                out.run.events,
            );
            (wall, cpu)
        })
        .unzip();
    let (s, cpu) = (median(walls), median(cpus));
    println!(
        "world-mesh {line} seconds={s:.4} cpu_s={cpu:.4} ns_per_message={:.1}",
        cpu / MESH_MESSAGES as f64 * 1e9
    );
}

fn elections() {
    let runs = 10_000;
    let cfg = ElectionConfig::default();
    let mut first = None;
    let times: Vec<f64> = (0..3)
        .map(|_| {
            let t0 = Instant::now();
            let t = election_times(&cfg, reference_rule(), runs, 9).expect("valid config");
            let s = t0.elapsed().as_secs_f64();
            first.get_or_insert(t);
            s
        })
        .collect();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread")
        .install(|| election_times(&cfg, reference_rule(), runs, 9).expect("valid config"));
    println!(
        "world-elections elections={runs} threads={} seconds={:.4} same_on_one_thread={}",
        rayon::current_num_threads(),
        median(times),
        first.as_ref() == Some(&one)
    );
}

fn main() {
    // `cargo bench --bench world -- mesh echo` runs only the workloads named.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let workloads: [(&str, fn()); 4] = [
        ("heartbeats", heartbeats),
        ("echo", echo),
        ("mesh", mesh),
        ("elections", elections),
    ];
    for (name, run) in workloads {
        if only.is_empty() || only.iter().any(|o| o == name) {
            run();
        }
    }
}
