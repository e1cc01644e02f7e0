//! Events per second of the world simulator, on two workloads that stress its hot path:
//!
//! * `heartbeats`: chapter 4's heartbeat run (a sender on its own clock, a monitor, a lossy
//!   link with lognormal delay, two pauses), 2·10⁶ heartbeats;
//! * `echo`: two nodes bouncing messages over a link with loss, duplication and jitter.
//!
//! Each runs several times (one seed each) and the median is reported:
//!
//!     cargo bench --bench world
//!
//! Output, one line each: `world-heartbeats heartbeats=N seconds=S ns_per_heartbeat=X`, and
//! `world-echo messages=N seconds=S ns_per_message=X`.

use std::time::Instant;

use faultline::detect::HeartbeatConfig;
use faultline::sim::{Dist, Limits};
use faultline::world::{Ctx, Handled, LinkConfig, Node, NodeId, Plain, World};

const REPEATS: u64 = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
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
    let times: Vec<f64> = (0..REPEATS)
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
    let times: Vec<f64> = (0..REPEATS)
        .map(|seed| {
            let mut w = World::<Plain<u64>>::new(seed);
            w.set_link(link).expect("valid link");
            w.add_node(Echo { left: n / 2 });
            w.add_node(Echo { left: n / 2 });
            let t0 = Instant::now();
            let out = w.run(Limits::default()).expect("valid world");
            messages = out.messages.len();
            t0.elapsed().as_secs_f64()
        })
        .collect();
    let s = median(times);
    println!(
        "world-echo messages={messages} seconds={s:.4} ns_per_message={:.1}",
        s / messages as f64 * 1e9
    );
}

fn main() {
    heartbeats();
    echo();
}
