//! The message network against hand-computed and statistical truths.

use faultline::Error;
use faultline::net::{Ctx, DropReason, Fate, Fault, LinkConfig, Network, NodeId, Process};
use faultline::sim::{Dist, Limits, Stop};

/// Node 0 sends `plan` (time, size) messages numbered 0, 1, … to node 1 using timers; node 1
/// records what it receives.
#[derive(Default)]
struct Node {
    plan: Vec<(f64, u64)>,
    got: Vec<(f64, u64)>,
    recovered: bool,
}

impl Process<u64> for Node {
    fn start(&mut self, ctx: &mut Ctx<'_, u64>) {
        for (i, &(t, _)) in self.plan.iter().enumerate() {
            ctx.set_timer(t, i as u64);
        }
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, u64>, tag: u64) {
        let size = self.plan[tag as usize].1;
        ctx.send(1, tag, size);
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, u64>, _from: NodeId, m: u64) {
        self.got.push((ctx.now(), m));
    }
    fn recover(&mut self, _ctx: &mut Ctx<'_, u64>) {
        self.recovered = true;
    }
}

fn pair(plan: Vec<(f64, u64)>) -> Vec<Node> {
    vec![
        Node {
            plan,
            ..Default::default()
        },
        Node::default(),
    ]
}

#[test]
fn delay_is_queueing_plus_transmission_plus_propagation() {
    // Three 1000-byte messages at once on a 1 MB/s link with 10 ms propagation: each waits for
    // the ones ahead of it to be transmitted (1 ms each).
    let link = LinkConfig::reliable(0.010, 1e6).unwrap();
    let net = Network::new(pair(vec![(0.0, 1000); 3]), link, vec![]).unwrap();
    let (out, nodes) = net.run(Limits::default(), 1);
    let times: Vec<f64> = nodes[1].got.iter().map(|g| g.0).collect();
    for (t, want) in times.iter().zip([0.011, 0.012, 0.013]) {
        assert!((t - want).abs() < 1e-12, "{times:?}");
    }
    assert_eq!(out.delivered(), 3);
}

#[test]
fn a_full_output_buffer_drops() {
    let mut link = LinkConfig::reliable(0.001, 1e5).unwrap();
    link.buffer = 4;
    let net = Network::new(pair(vec![(0.0, 1000); 10]), link, vec![]).unwrap();
    let (out, nodes) = net.run(Limits::default(), 1);
    assert_eq!(out.dropped(DropReason::BufferFull), 6);
    assert_eq!(nodes[1].got.iter().map(|g| g.1).collect::<Vec<_>>(), [0, 1, 2, 3]);
}

#[test]
fn loss_duplication_and_reordering_happen_at_their_rates() {
    // 20 000 messages 1 ms apart; loss 10%, duplication 5%, exponential jitter (mean 5 ms)
    // reorders. Fractions within 4 standard errors of the configured probabilities
    // (SE = √(p(1−p)/n) ≈ 0.002 for loss).
    let n = 20_000;
    let link = LinkConfig {
        loss: 0.1,
        duplicate: 0.05,
        jitter: Dist::exponential(0.005).unwrap(),
        ..LinkConfig::reliable(0.01, 1e9).unwrap()
    };
    let plan: Vec<(f64, u64)> = (0..n).map(|i| (i as f64 * 0.001, 100)).collect();
    let net = Network::new(pair(plan), link, vec![]).unwrap();
    let (out, nodes) = net.run(Limits::default(), 7);
    let lost = out.dropped(DropReason::Loss) as f64 / n as f64;
    assert!(
        (lost - 0.1).abs() < 4.0 * (0.1f64 * 0.9 / n as f64).sqrt(),
        "loss {lost}"
    );
    let dups = out.records.iter().filter(|r| r.duplicate).count() as f64;
    let sent_ok = n as f64 * 0.9;
    assert!(
        (dups / sent_ok - 0.05).abs() < 4.0 * (0.05f64 * 0.95 / sent_ok).sqrt(),
        "dups {dups}"
    );
    let got: Vec<u64> = nodes[1].got.iter().map(|g| g.1).collect();
    let inversions = got.windows(2).filter(|w| w[1] < w[0]).count();
    assert!(inversions > 100, "jitter should reorder: {inversions}");
    assert_eq!(got.len(), out.delivered());
}

#[test]
fn a_partition_drops_across_it_and_heals() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    let plan: Vec<(f64, u64)> = (0..10).map(|i| (i as f64, 10)).collect();
    let faults = vec![Fault::Partition {
        start: 2.5,
        end: 6.5,
        side: vec![1],
    }];
    let (out, nodes) = Network::new(pair(plan), link, faults)
        .unwrap()
        .run(Limits::default(), 1);
    let got: Vec<u64> = nodes[1].got.iter().map(|g| g.1).collect();
    assert_eq!(got, [0, 1, 2, 7, 8, 9]);
    assert_eq!(out.dropped(DropReason::Partition), 4);
}

#[test]
fn crashed_nodes_lose_messages_and_paused_nodes_get_them_late_in_order() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    let plan: Vec<(f64, u64)> = (0..10).map(|i| (i as f64, 10)).collect();
    let crash = vec![Fault::Crash {
        node: 1,
        at: 2.5,
        recover: Some(5.5),
    }];
    let (out, nodes) = Network::new(pair(plan.clone()), link, crash)
        .unwrap()
        .run(Limits::default(), 1);
    assert_eq!(
        nodes[1].got.iter().map(|g| g.1).collect::<Vec<_>>(),
        [0, 1, 2, 6, 7, 8, 9]
    );
    assert_eq!(out.dropped(DropReason::ReceiverDown), 3);
    assert!(nodes[1].recovered);
    let pause = vec![Fault::Pause {
        node: 1,
        at: 2.5,
        length: 3.0,
    }];
    let (out, nodes) = Network::new(pair(plan), link, pause).unwrap().run(Limits::default(), 1);
    assert_eq!(out.delivered(), 10);
    let late: Vec<(f64, u64)> = nodes[1].got[3..6].to_vec();
    assert_eq!(late, [(5.5, 3), (5.5, 4), (5.5, 5)]);
    // Ground truth says when each was handed over.
    assert!(matches!(out.records[3].fate, Fate::Delivered(t) if t == 5.5));
}

#[test]
fn a_crashed_sender_sends_nothing() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    let plan: Vec<(f64, u64)> = (0..10).map(|i| (i as f64, 10)).collect();
    let crash = vec![Fault::Crash {
        node: 0,
        at: 4.5,
        recover: None,
    }];
    let (out, nodes) = Network::new(pair(plan), link, crash).unwrap().run(Limits::default(), 1);
    assert_eq!(nodes[1].got.len(), 5);
    assert_eq!(out.records.len(), 5);
}

struct PingPong;
impl Process<u8> for PingPong {
    fn start(&mut self, ctx: &mut Ctx<'_, u8>) {
        if ctx.me() == 0 {
            ctx.send(1, 0, 1);
        }
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, u8>, from: NodeId, m: u8) {
        ctx.send(from, m, 1);
    }
}

#[test]
fn every_run_is_bounded() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    let net = Network::new(vec![PingPong, PingPong], link, vec![]).unwrap();
    let (out, _) = net.run(
        Limits {
            until: f64::INFINITY,
            max_events: 1000,
        },
        1,
    );
    assert_eq!(out.run.stop, Stop::EventLimit);
    let net = Network::new(vec![PingPong, PingPong], link, vec![]).unwrap();
    let (out, _) = net.run(
        Limits {
            until: 1.0,
            max_events: u64::MAX,
        },
        1,
    );
    assert_eq!(out.run.stop, Stop::TimeLimit);
}

#[test]
fn bad_configurations_are_typed_errors() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    assert!(matches!(
        LinkConfig::reliable(0.001, 0.0),
        Err(Error::InvalidParameter { .. })
    ));
    let empty_side = vec![Fault::Partition {
        start: 1.0,
        end: 2.0,
        side: vec![],
    }];
    assert!(matches!(
        Network::new(pair(vec![]), link, empty_side),
        Err(Error::Empty { .. })
    ));
    let everyone = vec![Fault::Partition {
        start: 1.0,
        end: 2.0,
        side: vec![0, 1],
    }];
    assert!(Network::new(pair(vec![]), link, everyone).is_err());
    let backwards = vec![Fault::Partition {
        start: 2.0,
        end: 1.0,
        side: vec![0],
    }];
    assert!(Network::new(pair(vec![]), link, backwards).is_err());
    let stranger = vec![Fault::Crash {
        node: 5,
        at: 1.0,
        recover: None,
    }];
    assert!(Network::new(pair(vec![]), link, stranger).is_err());
    assert!(matches!(
        Network::<u64, Node>::new(vec![], link, vec![]),
        Err(Error::Empty { .. })
    ));
    let mut bad = link;
    bad.buffer = 0;
    assert!(Network::new(pair(vec![]), bad, vec![]).is_err());
}

#[test]
fn lost_request_crashed_server_lost_reply_and_pause_look_alike_to_the_client() {
    use faultline::exercises::partial_failure::silence_scenarios;
    let s = silence_scenarios(1.0).unwrap();
    let view: Vec<(&str, bool, bool)> = s.iter().map(|c| (c.fault, c.reply_within_timeout, c.applied)).collect();
    assert_eq!(
        view,
        [
            ("no fault", true, true),
            ("request lost", false, false),
            ("server crashed", false, false),
            ("reply lost", false, true),
            ("server paused 2 s", false, true),
        ]
    );
    // The paused server's reply does come, after the client gave up.
    assert!(s[4].reply_at.is_some_and(|t| t > 2.0));
    assert!(s[1].reply_at.is_none() && s[2].reply_at.is_none() && s[3].reply_at.is_none());
}
