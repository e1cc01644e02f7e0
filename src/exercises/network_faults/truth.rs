//! What the simulator says is true, and the machinery the graders and figures share: a
//! two-node link on the world simulator whose sender follows a script of messages and whose
//! receiver logs each arrival, and a lossy, duplicating, reordering run of it.

use crate::error::{Error, Result};
use crate::grade::Verdict;
use crate::sim::{Dist, Limits, SimRng, stream};
use crate::world::{Ctx, Fault, Handled, LinkConfig, Node, NodeId, Outcome, Plain, World};
use rand::Rng;

pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 200 + task)
}

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Numbered messages; a timer says which entry of the plan to send.
pub(super) type Script = Plain<u64, u64>;

/// Node 0 sends a scripted list of messages to node 1; node 1 logs arrivals.
#[derive(Clone, Default)]
pub(super) struct Scripted {
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
pub(super) type Arrivals = Vec<(f64, u64)>;

/// Runs a two-node link with node 0 sending `plan`; returns the truth and node 1's arrivals.
pub(super) fn run_link(
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

/// A lossy, duplicating, reordering link carrying `n` numbered messages, 1 ms apart.
pub(super) fn messy_arrivals(rng: &mut SimRng, n: u64) -> Result<(Outcome<Script>, Vec<u64>)> {
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

pub(super) fn preview(xs: &[u64]) -> String {
    let head: Vec<String> = xs.iter().take(12).map(u64::to_string).collect();
    format!(
        "[{}{}] ({} arrivals)",
        head.join(", "),
        if xs.len() > 12 { ", …" } else { "" },
        xs.len()
    )
}
