//! The space-time diagram drawn from a world run of three nodes with a lost message, a pause,
//! a crash and a partition: SVG and PNG are written, and every label shows up in the SVG text.

use faultline::plot::SpaceTime;
use faultline::sim::Limits;
use faultline::world::{Ctx, Fate, Fault, Handled, LinkConfig, Node, NodeId, Outcome, Plain, World};

type Gossip = Plain<u32, u32>;

/// Every 0.4 s sends a counter to the next node round the ring.
struct Ring {
    sent: u32,
}

impl Node<Gossip> for Ring {
    fn start(&mut self, ctx: &mut Ctx<'_, Gossip>) -> Handled {
        ctx.set_timer(0.1 + 0.13 * ctx.me() as f64, 0);
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Gossip>, _: u32) -> Handled {
        self.sent += 1;
        let to = (ctx.me() + 1 + (self.sent as usize % 2)) % ctx.nodes();
        ctx.send(to, self.sent, 100);
        if self.sent < 6 {
            ctx.set_timer(0.4, 0);
        }
        Ok(())
    }
    fn receive(&mut self, _: &mut Ctx<'_, Gossip>, _: NodeId, _: u32) -> Handled {
        Ok(())
    }
}

fn run() -> Outcome<Gossip> {
    let mut w = World::<Gossip>::new(11);
    let mut link = LinkConfig::reliable(0.15, 1e6).unwrap();
    link.loss = 0.2;
    w.set_link(link).unwrap();
    for _ in 0..3 {
        w.add_node(Ring { sent: 0 });
    }
    w.add_fault(Fault::Pause {
        node: 1,
        at_s: 0.7,
        length_s: 0.5,
        mid_handler: false,
    });
    w.add_fault(Fault::isolate(vec![2], 1.4, 1.9));
    w.add_fault(Fault::Crash {
        node: 0,
        at_s: 2.3,
        recover_at_s: Some(2.6),
    });
    w.run(Limits::default()).unwrap()
}

#[test]
fn a_three_node_run_draws_with_its_faults_and_labels() {
    let out = run();
    let dropped = out
        .messages
        .iter()
        .position(|m| matches!(m.fate, Fate::Dropped { .. }))
        .expect("the seeded run loses a message");
    let delivered = out
        .messages
        .iter()
        .position(|m| matches!(m.fate, Fate::Delivered { .. }))
        .expect("the seeded run delivers a message");
    let diagram = SpaceTime::from_outcome(&out)
        .title("Three nodes, one lost message")
        .node_names(["alpha", "beta", "gamma"])
        .label_send(delivered, "send-stamp-1")
        .label_receive(delivered, "recv-stamp-2")
        .label_event(1, 1.0, "local-x")
        .label_messages(|m| Some(format!("m{}", m.id)));
    let svg = diagram.to_svg().unwrap();
    for needle in [
        "Three nodes, one lost message",
        "alpha",
        "gamma",
        "send-stamp-1",
        "recv-stamp-2",
        "local-x",
        &format!("m{}", out.messages[dropped].id),
        "partition: gamma | alpha, beta",
        "true time (s)",
        "paused",
        "lost",
    ] {
        assert!(svg.contains(needle), "the SVG lacks {needle:?}");
    }
    let dir = std::env::temp_dir().join(format!("faultline-spacetime-{}", std::process::id()));
    let paths = diagram.save(&dir, "three").unwrap();
    for p in &paths {
        assert!(
            std::fs::metadata(p).unwrap().len() > 1000,
            "{} is too small",
            p.display()
        );
    }
    assert_eq!(&std::fs::read(&paths[1]).unwrap()[1..4], b"PNG");
    if let Ok(keep) = std::env::var("SPACETIME_PNG") {
        std::fs::copy(&paths[1], keep).unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn labels_for_missing_messages_or_nodes_are_ignored() {
    let out = run();
    let svg = SpaceTime::from_outcome(&out)
        .label_send(10_000, "nowhere")
        .label_event(9, 1.0, "no-such-node")
        .to_svg()
        .unwrap();
    assert!(!svg.contains("nowhere") && !svg.contains("no-such-node"));
}
