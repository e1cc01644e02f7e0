//! Space-time diagrams of one OM(m) or SM(m) run.

use std::rc::Rc;

use super::strategy::Strategy;
use super::{Generals, ROUND_S, Run, oral, signed};
use crate::error::Result;
use crate::plot::SpaceTime;

/// Runs OM(m) and draws it: one lane per general (traitors marked), an arrow per message
/// labelled with the value it carries and its relay path (`A 0→2`: Attack, from the commander
/// through lieutenant 2), and each loyal lieutenant's decision at the end of its lane. The
/// title says whether IC1 and IC2 held.
pub fn oral_diagram(g: &Generals, strategy: Rc<dyn Strategy>, seed: u64) -> Result<SpaceTime> {
    let (run, out) = oral::run_world(&g.clone().labelled(), strategy, seed)?;
    Ok(decorate(SpaceTime::from_outcome(&out), &run, "OM", oral::decide_s(g.m)))
}

/// Runs SM(m) and draws it like [`oral_diagram`]; labels give the value and the signers
/// (`A 0:2`), and `✗` marks a message whose value a traitor changed, which loyal lieutenants
/// reject.
pub fn signed_diagram(g: &Generals, strategy: Rc<dyn Strategy>, seed: u64) -> Result<SpaceTime> {
    let (run, out) = signed::run_world(&g.clone().labelled(), strategy, seed)?;
    Ok(decorate(
        SpaceTime::from_outcome(&out),
        &run,
        "SM",
        signed::decide_s(g.m),
    ))
}

fn decorate(diagram: SpaceTime, run: &Run, algorithm: &str, decide_s: f64) -> SpaceTime {
    let g = &run.generals;
    let names = (0..g.n).map(|i| {
        let role = if i == 0 { "commander" } else { "lieutenant" };
        let traitor = if g.is_traitor(i) { " (traitor)" } else { "" };
        format!("{role} {i}{traitor}")
    });
    let held = match (run.ic1(), run.ic2()) {
        (true, true) => "IC1 and IC2 held".to_string(),
        (ic1, ic2) => format!(
            "broke {}",
            [(!ic1).then_some("IC1"), (!ic2).then_some("IC2")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    };
    let traitors = if g.traitors.is_empty() {
        "no traitors".to_string()
    } else {
        format!("traitors {:?} ({})", g.traitors, run.strategy)
    };
    let mut diagram = diagram
        .title(format!(
            "{algorithm}({}), {} generals, {traitors}, order {:?}: {held}",
            g.m, g.n, g.order
        ))
        .node_names(names)
        .until(decide_s + 0.5 * ROUND_S)
        .label_messages(|r| r.label.clone());
    for i in run.loyal_lieutenants() {
        if let Some(d) = run.decision(i) {
            diagram = diagram.label_event(i, decide_s, format!("decides {d:?}"));
        }
    }
    diagram
}
