//! An OM(1) run told in a few plain lines: who sent what, what the learner's `om1_decide` made
//! of it at each loyal lieutenant, which condition broke, and what OM(1)'s vote gives instead.

use crate::byzantine::om1::lieutenants;
use crate::byzantine::{Order, Run};
use crate::world::NodeId;

/// `values` grouped by order: "Attack to L1 and Retreat to L2, L3" (`verb` before each id list).
fn grouped(pairs: &[(NodeId, Option<Order>)], to: &str) -> String {
    let mut parts = Vec::new();
    for value in [Some(Order::Attack), Some(Order::Retreat), None] {
        let ids: Vec<NodeId> = pairs.iter().filter(|p| p.1 == value).map(|p| p.0).collect();
        if !ids.is_empty() {
            let what = value.map_or("nothing".to_string(), |v| format!("{v:?}"));
            parts.push(format!("{what}{to}{}", lieutenants(&ids)));
        }
    }
    parts.join(" and ")
}

/// What lieutenant `i` heard as om1_decide's arguments.
pub(super) fn inputs(run: &Run, i: NodeId) -> (Order, Vec<Order>) {
    let n = run.generals.n;
    let said = run.heard(i, &[0]).unwrap_or(Order::DEFAULT);
    let relayed = (1..n)
        .filter(|&j| j != i)
        .map(|j| run.heard(i, &[0, j]).unwrap_or(Order::DEFAULT))
        .collect();
    (said, relayed)
}

fn show(values: &[Order]) -> String {
    let v: Vec<String> = values.iter().map(|o| format!("{o:?}")).collect();
    format!("[{}]", v.join(", "))
}

/// The loyal lieutenants' decisions grouped: "L1 Attack; L2, L3 Retreat".
fn decisions(run: &Run) -> String {
    let loyal = run.loyal_lieutenants();
    let mut parts = Vec::new();
    for value in [Order::Attack, Order::Retreat] {
        let ids: Vec<NodeId> = loyal
            .iter()
            .copied()
            .filter(|&i| run.decision(i) == Some(value))
            .collect();
        if !ids.is_empty() {
            parts.push(format!("{} {value:?}", lieutenants(&ids)));
        }
    }
    parts.join("; ")
}

/// The run in plain lines. `reference` is the run decided by OM(1)'s vote (its messages are the
/// run's: decisions come last); `yours` the same run decided by the learner's rule, or the
/// line that tells its panic.
pub fn story(reference: &Run, yours: Result<&Run, &str>, lies: usize) -> Vec<String> {
    let g = &reference.generals;
    let n = g.n;
    let traitor = g.traitors.first().copied();
    let plural = if lies == 1 { "" } else { "s" };
    let mut lines = vec![match traitor {
        None => format!(
            "OM(1) with {n} generals, no traitor: the commander and {}",
            lieutenants(&(1..n).collect::<Vec<_>>())
        ),
        Some(0) => format!(
            "OM(1) with {n} generals: the commander is the traitor ({lies} lie{plural}); {} are loyal",
            lieutenants(&(1..n).collect::<Vec<_>>())
        ),
        Some(t) => format!(
            "OM(1) with {n} generals: L{t} is the traitor ({lies} lie{plural}); the commander and the others are loyal"
        ),
    }];
    let sent: Vec<(NodeId, Option<Order>)> = (1..n).map(|i| (i, reference.heard(i, &[0]))).collect();
    lines.push(if traitor == Some(0) {
        format!("the commander (traitor) sends {}", grouped(&sent, " to "))
    } else {
        format!("the commander orders {:?} and sends it to every lieutenant", g.order)
    });
    // Loyal relays, grouped by the value relayed.
    let loyal: Vec<(NodeId, Option<Order>)> = (1..n)
        .filter(|&j| Some(j) != traitor)
        .map(|j| (j, reference.heard(j, &[0])))
        .collect();
    if n > 2 && !loyal.is_empty() {
        lines.push(format!(
            "each loyal lieutenant relays what it heard to every other: {}",
            grouped(&loyal, " from ").replace(" and ", "; ")
        ));
    }
    if let Some(t) = traitor.filter(|&t| t > 0) {
        let relays: Vec<(NodeId, Option<Order>)> = (1..n)
            .filter(|&i| i != t)
            .map(|i| (i, reference.heard(i, &[0, t])))
            .collect();
        lines.push(format!(
            "L{t} (traitor) heard {:?} and relays {}",
            g.order,
            grouped(&relays, " to ")
        ));
    }
    match yours {
        Ok(run) => {
            for i in run.loyal_lieutenants() {
                let (said, relayed) = inputs(run, i);
                let d = run.decision(i).map_or("nothing".to_string(), |d| format!("{d:?}"));
                lines.push(format!(
                    "your om1_decide at L{i}: commander_said = {said:?}, relayed = {} → {d}",
                    show(&relayed)
                ));
            }
            lines.push(match (run.ic1(), run.ic2()) {
                (false, _) => format!("loyal lieutenants disagree ({}): IC1 broke", decisions(run)),
                (true, false) => {
                    let disobeyed: Vec<NodeId> = run
                        .loyal_lieutenants()
                        .into_iter()
                        .filter(|&i| run.decision(i) != Some(g.order))
                        .collect();
                    format!(
                        "the commander is loyal and ordered {:?}, but {} decided {:?}: IC2 broke",
                        g.order,
                        lieutenants(&disobeyed),
                        g.order.flip()
                    )
                }
                (true, true) => format!("IC1 and IC2 held: {}", decisions(run)),
            });
        }
        Err(line) => lines.push(line.to_string()),
    }
    let values = if n == 2 {
        "the 1 value".to_string()
    } else {
        format!("all {} values", n - 1)
    };
    let gives = match reference
        .loyal_lieutenants()
        .first()
        .and_then(|&i| reference.decision(i))
    {
        Some(d) if reference.ic1() => format!("{d:?} at every loyal lieutenant"),
        _ => decisions(reference),
    };
    lines.push(format!(
        "OM(1)'s vote (a majority of {values}, Retreat on a tie) gives {gives}"
    ));
    lines
}
