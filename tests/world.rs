//! The world simulator against hand-computed and statistical truths: link delay, loss,
//! duplication and reordering; partitions of several groups; crashes and pauses (also between a
//! check and its act); per-link settings; typed timers on drifting clocks; histories; handler
//! errors; faults injected while running.

use faultline::Error;
use faultline::sim::{Dist, Limits, Stop};
use faultline::world::{
    ClockConfig, Ctx, DropReason, Fate, Fault, Handled, LinkConfig, Node, NodeError, NodeEvent, NodeId, Outcome,
    Partition, Plain, Protocol, TimerId, World,
};

/// Numbered messages, timers that say which plan entry to send.
type Plan = Plain<u64, usize>;

/// Sends `plan` (time, size) messages numbered 0, 1, … to node `to`, using timers.
struct Sender {
    plan: Vec<(f64, u64)>,
    to: NodeId,
}

impl Node<Plan> for Sender {
    fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
        for (i, &(t, _)) in self.plan.iter().enumerate() {
            ctx.set_timer(t, i);
        }
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Plan>, i: usize) -> Handled {
        ctx.send(self.to, i as u64, self.plan[i].1);
        Ok(())
    }
    fn receive(&mut self, _: &mut Ctx<'_, Plan>, _: NodeId, _: u64) -> Handled {
        Ok(())
    }
}

/// Logs what arrives with its own monotonic clock's reading (a perfect clock reads true time).
#[derive(Default)]
struct Receiver {
    got: Vec<(f64, u64)>,
    recovered: bool,
}

impl Node<Plan> for Receiver {
    fn receive(&mut self, ctx: &mut Ctx<'_, Plan>, _: NodeId, m: u64) -> Handled {
        self.got.push((ctx.monotonic_s(), m));
        Ok(())
    }
    fn recover(&mut self, _: &mut Ctx<'_, Plan>) -> Handled {
        self.recovered = true;
        Ok(())
    }
}

fn pair(plan: Vec<(f64, u64)>, link: LinkConfig, faults: Vec<Fault>, seed: u64) -> Outcome<Plan> {
    let mut w = World::new(seed);
    w.set_link(link).unwrap();
    w.add_node(Sender { plan, to: 1 });
    w.add_node(Receiver::default());
    w.add_faults(faults);
    w.run(Limits::default()).unwrap()
}

fn got(out: &Outcome<Plan>) -> Vec<u64> {
    out.node::<Receiver>(1).unwrap().got.iter().map(|g| g.1).collect()
}

fn every_second(n: u64) -> Vec<(f64, u64)> {
    (0..n).map(|i| (i as f64, 10)).collect()
}

#[test]
fn delay_is_queueing_plus_transmission_plus_propagation() {
    // Three 1000-byte messages at once on a 1 MB/s link with 10 ms propagation: each waits for
    // the ones ahead of it to be transmitted (1 ms each).
    let out = pair(
        vec![(0.0, 1000); 3],
        LinkConfig::reliable(0.010, 1e6).unwrap(),
        vec![],
        1,
    );
    let times: Vec<f64> = out.node::<Receiver>(1).unwrap().got.iter().map(|g| g.0).collect();
    for (t, want) in times.iter().zip([0.011, 0.012, 0.013]) {
        assert!((t - want).abs() < 1e-12, "{times:?}");
    }
    assert_eq!(out.delivered(), 3);
}

#[test]
fn a_full_output_buffer_drops() {
    let mut link = LinkConfig::reliable(0.001, 1e5).unwrap();
    link.buffer_messages = 4;
    let out = pair(vec![(0.0, 1000); 10], link, vec![], 1);
    assert_eq!(out.dropped(DropReason::BufferFull), 6);
    assert_eq!(got(&out), [0, 1, 2, 3]);
}

#[test]
fn an_output_buffer_that_fills_and_drains_drops_what_a_fifo_of_transmissions_drops() {
    // Bursts of sends at seeded times on a 1 kB/s link holding 3 messages: some find the link
    // idle, some busy with room, some full. The reference keeps the end of every transmission
    // in the buffer and forgets those ended by each send.
    use rand::Rng;
    for seed in 0..20 {
        let mut rng = faultline::sim::rng(seed);
        let mut t = 0.0;
        let plan: Vec<(f64, u64)> = (0..60)
            .map(|_| {
                t += if rng.random_bool(0.3) {
                    rng.random_range(0.5..3.0)
                } else {
                    rng.random_range(0.0..0.2)
                };
                (t, rng.random_range(0..400))
            })
            .collect();
        let mut link = LinkConfig::reliable(0.01, 1e3).unwrap();
        link.buffer_messages = 3;
        let out = pair(plan.clone(), link, vec![], 1);
        let (mut ends, mut free_at, mut want) = (std::collections::VecDeque::<f64>::new(), 0.0_f64, vec![]);
        for (i, &(now, size)) in plan.iter().enumerate() {
            ends.retain(|&end| end > now);
            if ends.len() >= 3 {
                continue;
            }
            free_at = free_at.max(now) + size as f64 / 1e3;
            ends.push_back(free_at);
            want.push((free_at + 0.01, i as u64));
        }
        let got = &out.node::<Receiver>(1).unwrap().got;
        assert_eq!(got.len(), want.len(), "seed {seed}: delivered");
        for (g, w) in got.iter().zip(&want) {
            assert!(
                g.1 == w.1 && (g.0 - w.0).abs() < 1e-9,
                "seed {seed}: got {g:?}, want {w:?}"
            );
        }
        assert_eq!(
            out.dropped(DropReason::BufferFull),
            plan.len() - want.len(),
            "seed {seed}"
        );
        assert!(
            want.len() < plan.len(),
            "seed {seed}: some sends should find the buffer full"
        );
    }
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
        jitter_s: Dist::exponential(0.005).unwrap(),
        ..LinkConfig::reliable(0.01, 1e9).unwrap()
    };
    let plan: Vec<(f64, u64)> = (0..n).map(|i| (i as f64 * 0.001, 100)).collect();
    let out = pair(plan, link, vec![], 7);
    let lost = out.dropped(DropReason::Loss) as f64 / n as f64;
    assert!(
        (lost - 0.1).abs() < 4.0 * (0.1f64 * 0.9 / n as f64).sqrt(),
        "loss {lost}"
    );
    let dups = out.messages.iter().filter(|r| r.duplicate).count() as f64;
    let sent_ok = n as f64 * 0.9;
    assert!(
        (dups / sent_ok - 0.05).abs() < 4.0 * (0.05f64 * 0.95 / sent_ok).sqrt(),
        "dups {dups}"
    );
    let got = got(&out);
    let inversions = got.windows(2).filter(|w| w[1] < w[0]).count();
    assert!(inversions > 100, "jitter should reorder: {inversions}");
    assert_eq!(got.len(), out.delivered());
}

#[test]
fn a_partition_drops_across_it_and_heals() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    let out = pair(every_second(10), link, vec![Fault::isolate(vec![1], 2.5, 6.5)], 1);
    assert_eq!(got(&out), [0, 1, 2, 7, 8, 9]);
    assert_eq!(out.dropped(DropReason::Partition), 4);
    assert_eq!(out.partitions.len(), 1);
}

/// Node 0 sends to every other node once a second; each logs what it receives.
fn fan_out(faults: Vec<Fault>, groups_of: usize) -> Outcome<Plan> {
    struct Broadcaster;
    impl Node<Plan> for Broadcaster {
        fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
            for i in 0..10 {
                ctx.set_timer(i as f64, i);
            }
            Ok(())
        }
        fn timer(&mut self, ctx: &mut Ctx<'_, Plan>, i: usize) -> Handled {
            ctx.broadcast(i as u64, 10);
            Ok(())
        }
        fn receive(&mut self, _: &mut Ctx<'_, Plan>, _: NodeId, _: u64) -> Handled {
            Ok(())
        }
    }
    let mut w = World::new(1);
    w.add_node(Broadcaster);
    for _ in 1..groups_of {
        w.add_node(Receiver::default());
    }
    w.add_faults(faults);
    w.run(Limits::default()).unwrap()
}

#[test]
fn partitions_are_groups_and_nodes_in_no_group_stay_together() {
    // Five nodes: {0, 1} | {2, 3} | the rest {4}, from 2.5 s to 6.5 s. Node 0 reaches node 1
    // throughout, nodes 2–4 miss 3, 4, 5, 6.
    let p = Partition {
        start_s: 2.5,
        end_s: 6.5,
        groups: vec![vec![0, 1], vec![2, 3]],
    };
    let out = fan_out(vec![Fault::Partition(p)], 5);
    let got_by = |i| {
        out.node::<Receiver>(i)
            .unwrap()
            .got
            .iter()
            .map(|g| g.1)
            .collect::<Vec<_>>()
    };
    assert_eq!(got_by(1), (0..10).collect::<Vec<_>>());
    for i in 2..5 {
        assert_eq!(got_by(i), [0, 1, 2, 7, 8, 9], "node {i}");
    }
    // Two overlapping partitions: a node is cut off while either holds.
    let out = fan_out(
        vec![Fault::isolate(vec![1], 1.5, 3.5), Fault::isolate(vec![1], 3.0, 5.5)],
        2,
    );
    assert_eq!(got(&out), [0, 1, 6, 7, 8, 9]);
}

#[test]
fn links_are_set_per_direction() {
    // Node 0 → 1 loses everything; 1 → 0 is perfect. A ping-pong never gets started; a
    // pong-ping does.
    struct Echo {
        heard: u32,
    }
    impl Node<Plan> for Echo {
        fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
            ctx.send(1 - ctx.me(), 0, 10);
            Ok(())
        }
        fn receive(&mut self, _: &mut Ctx<'_, Plan>, _: NodeId, _: u64) -> Handled {
            self.heard += 1;
            Ok(())
        }
    }
    let mut w = World::<Plan>::new(3);
    w.add_node(Echo { heard: 0 });
    w.add_node(Echo { heard: 0 });
    let dead = LinkConfig {
        loss: 1.0,
        ..LinkConfig::default()
    };
    w.set_link_between(0, 1, dead).unwrap();
    let out = w.run(Limits::default()).unwrap();
    assert_eq!(out.node::<Echo>(0).unwrap().heard, 1);
    assert_eq!(out.node::<Echo>(1).unwrap().heard, 0);
    assert_eq!(out.dropped(DropReason::Loss), 1);
}

#[test]
fn crashed_nodes_lose_messages_and_paused_nodes_get_them_late_in_order() {
    let link = LinkConfig::reliable(0.001, 1e9).unwrap();
    let crash = Fault::Crash {
        node: 1,
        at_s: 2.5,
        recover_at_s: Some(5.5),
    };
    let out = pair(every_second(10), link, vec![crash], 1);
    assert_eq!(got(&out), [0, 1, 2, 6, 7, 8, 9]);
    assert_eq!(out.dropped(DropReason::ReceiverDown), 3);
    assert!(out.node::<Receiver>(1).unwrap().recovered);
    assert_eq!(
        out.node_events,
        [
            NodeEvent::Crashed { node: 1, at_s: 2.5 },
            NodeEvent::Recovered { node: 1, at_s: 5.5 }
        ]
    );
    let pause = Fault::Pause {
        node: 1,
        at_s: 2.5,
        length_s: 3.0,
        mid_handler: false,
    };
    let out = pair(every_second(10), link, vec![pause], 1);
    assert_eq!(out.delivered(), 10);
    let late: Vec<(f64, u64)> = out.node::<Receiver>(1).unwrap().got[3..6].to_vec();
    assert_eq!(late, [(5.5, 3), (5.5, 4), (5.5, 5)]);
    // Ground truth says when each was handed over.
    assert_eq!(out.messages[3].fate, Fate::Delivered { at_s: 5.5 });
}

#[test]
fn a_crashed_sender_sends_nothing() {
    let crash = Fault::Crash {
        node: 0,
        at_s: 4.5,
        recover_at_s: None,
    };
    let out = pair(every_second(10), LinkConfig::default(), vec![crash], 1);
    assert_eq!(got(&out).len(), 5);
    assert_eq!(out.messages.len(), 5);
}

/// A lease holder: checks its lease (on its own monotonic clock), then writes to storage.
struct Lease;
impl Protocol for Lease {
    type Msg = Write;
    type Timer = ();
    type Op = &'static str;
    type Ret = bool;
}

#[derive(Debug, Clone)]
struct Write {
    lease_checked_at_mono: f64,
}

struct Holder {
    lease_until_mono: f64,
}

impl Node<Lease> for Holder {
    fn start(&mut self, ctx: &mut Ctx<'_, Lease>) -> Handled {
        ctx.set_timer(9.0, ());
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Lease>, _: ()) -> Handled {
        let now = ctx.monotonic_s();
        if now < self.lease_until_mono {
            let op = ctx.invoke("write");
            ctx.send(
                1,
                Write {
                    lease_checked_at_mono: now,
                },
                100,
            );
            ctx.complete(op, true)?;
        }
        Ok(())
    }
    fn receive(&mut self, _: &mut Ctx<'_, Lease>, _: NodeId, _: Write) -> Handled {
        Ok(())
    }
}

#[derive(Default)]
struct Storage {
    writes: Vec<(f64, Write)>,
}

impl Node<Lease> for Storage {
    fn receive(&mut self, ctx: &mut Ctx<'_, Lease>, _: NodeId, w: Write) -> Handled {
        self.writes.push((ctx.monotonic_s(), w));
        Ok(())
    }
}

#[test]
fn a_pause_between_the_check_and_the_act_delays_the_act_not_the_check() {
    // The lease runs to 10 s; the holder checks at 9 s. A 30 s pause inside that handler: the
    // check saw 9 s (valid), the write reaches storage after 39 s, long after the lease ended.
    let run = |mid_handler| {
        let mut w = World::<Lease>::new(1);
        w.add_node(Holder { lease_until_mono: 10.0 });
        w.add_node(Storage::default());
        w.add_fault(Fault::Pause {
            node: 0,
            at_s: 5.0,
            length_s: 30.0,
            mid_handler,
        });
        w.run(Limits::default()).unwrap()
    };
    let out = run(true);
    let s = out.node::<Storage>(1).unwrap();
    assert_eq!(s.writes.len(), 1);
    assert_eq!(s.writes[0].1.lease_checked_at_mono, 9.0);
    assert!((s.writes[0].0 - 39.001).abs() < 1e-6, "{}", s.writes[0].0);
    assert_eq!(
        out.node_events,
        [NodeEvent::Paused {
            node: 0,
            from_s: 9.0,
            to_s: 39.0,
            mid_handler: true
        }]
    );
    // The history: invoked and completed when the act happened, with the clock read before.
    let op = &out.history[0];
    assert_eq!(
        (op.op, op.invoked_at_s, op.completed_at_s, op.ret),
        ("write", 39.0, Some(39.0), Some(true))
    );
    assert_eq!(op.invoked_local.monotonic, 9.0);
    // An ordinary pause from 5 s to 35 s: the timer fires at 35 s, the check fails, no write.
    let out = run(false);
    assert!(out.node::<Storage>(1).unwrap().writes.is_empty());
    assert!(out.history.is_empty());
}

#[test]
fn timers_run_on_the_nodes_own_monotonic_clock() {
    // A 10 s timer on a clock 200 ppm slow fires 10 / (1 − 200e-6) s of true time later, and
    // on one 200 ppm fast earlier; the wall clock's step does not move it.
    struct Once {
        fired_mono: Option<f64>,
    }
    impl Node<Plan> for Once {
        fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
            ctx.set_timer(10.0, 0);
            Ok(())
        }
        fn timer(&mut self, ctx: &mut Ctx<'_, Plan>, _: usize) -> Handled {
            self.fired_mono = Some(ctx.monotonic_s());
            ctx.send(1, 0, 10);
            Ok(())
        }
        fn receive(&mut self, _: &mut Ctx<'_, Plan>, _: NodeId, _: u64) -> Handled {
            Ok(())
        }
    }
    for ppm in [-200.0, 0.0, 200.0, 50_000.0] {
        let mut w = World::<Plan>::new(1);
        w.set_link(LinkConfig::reliable(0.0, 1e12).unwrap()).unwrap();
        w.add_node_with_clock(Once { fired_mono: None }, ClockConfig::drifting(ppm));
        w.add_node(Receiver::default());
        w.add_fault(Fault::ClockStep {
            node: 0,
            at_s: 3.0,
            delta_s: -100.0,
        });
        let out = w.run(Limits::default()).unwrap();
        let sent = out.messages[0].sent_at_s;
        let want = 10.0 / (1.0 + ppm * 1e-6);
        assert!((sent - want).abs() < 1e-9, "{ppm} ppm: fired at {sent}, want {want}");
        assert!((out.node::<Once>(0).unwrap().fired_mono.unwrap() - 10.0).abs() < 1e-9);
        // The step shows on the wall clock only.
        let clock = &out.clocks[0];
        assert!((clock.read().wall - (clock.read().monotonic - 100.0)).abs() < 1e-9);
    }
}

#[test]
fn cancelled_timers_do_not_fire_and_crashes_forget_timers() {
    struct Canceller {
        fired: Vec<usize>,
    }
    impl Node<Plan> for Canceller {
        fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
            let ids: Vec<TimerId> = (0..4).map(|i| ctx.set_timer(1.0 + i as f64, i)).collect();
            ctx.cancel_timer(ids[1]);
            Ok(())
        }
        fn timer(&mut self, _: &mut Ctx<'_, Plan>, i: usize) -> Handled {
            self.fired.push(i);
            Ok(())
        }
        fn receive(&mut self, _: &mut Ctx<'_, Plan>, _: NodeId, _: u64) -> Handled {
            Ok(())
        }
    }
    let mut w = World::<Plan>::new(1);
    w.add_node(Canceller { fired: vec![] });
    w.add_fault(Fault::Crash {
        node: 0,
        at_s: 3.5,
        recover_at_s: Some(3.6),
    });
    let out = w.run(Limits::default()).unwrap();
    assert_eq!(out.node::<Canceller>(0).unwrap().fired, [0, 2]);
}

#[test]
fn a_failing_handler_ends_the_run_cleanly() {
    struct Picky;
    impl Node<Plan> for Picky {
        fn receive(&mut self, _: &mut Ctx<'_, Plan>, from: NodeId, m: u64) -> Handled {
            if m == 3 {
                return Err(NodeError::new(format!("message 3 from {from} is not allowed")));
            }
            Ok(())
        }
    }
    let mut w = World::<Plan>::new(1);
    w.add_node(Sender {
        plan: every_second(10),
        to: 1,
    });
    w.add_node(Picky);
    let out = w.run(Limits::default()).unwrap();
    let f = out.failure.as_ref().expect("the run records the failure");
    assert_eq!((f.node, f.reason.as_str()), (1, "message 3 from 0 is not allowed"));
    assert!((f.at_s - 3.001).abs() < 1e-6, "{}", f.at_s);
    assert_eq!(out.messages.len(), 4, "nothing ran after the failure");
}

#[test]
fn a_nemesis_injects_faults_while_running() {
    // A third node, of another type, partitions node 1 away at 2.5 s for 3 s.
    struct Nemesis;
    impl Node<Plan> for Nemesis {
        fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
            ctx.set_timer(2.5, 0);
            Ok(())
        }
        fn timer(&mut self, ctx: &mut Ctx<'_, Plan>, _: usize) -> Handled {
            let now = ctx.monotonic_s();
            ctx.inject(Fault::isolate(vec![1], now, now + 3.0));
            Ok(())
        }
        fn receive(&mut self, _: &mut Ctx<'_, Plan>, _: NodeId, _: u64) -> Handled {
            Ok(())
        }
    }
    let mut w = World::new(1);
    w.add_node(Sender {
        plan: every_second(10),
        to: 1,
    });
    w.add_node(Receiver::default());
    w.add_node(Nemesis);
    let out = w.run(Limits::default()).unwrap();
    assert_eq!(got(&out), [0, 1, 2, 6, 7, 8, 9]);
    assert!(out.node::<Nemesis>(2).is_some());
    assert!(out.node::<Receiver>(2).is_none(), "downcasting checks the type");
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let link = LinkConfig {
        loss: 0.2,
        duplicate: 0.1,
        jitter_s: Dist::exponential(0.01).unwrap(),
        ..LinkConfig::default()
    };
    let plan: Vec<(f64, u64)> = (0..500).map(|i| (i as f64 * 0.001, 100)).collect();
    let a = pair(plan.clone(), link, vec![], 11);
    let b = pair(plan.clone(), link, vec![], 11);
    let c = pair(plan, link, vec![], 12);
    assert_eq!(a.messages, b.messages);
    assert_ne!(a.messages, c.messages);
}

struct PingPong;
impl Node<Plan> for PingPong {
    fn start(&mut self, ctx: &mut Ctx<'_, Plan>) -> Handled {
        if ctx.me() == 0 {
            ctx.send(1, 0, 1);
        }
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, Plan>, from: NodeId, m: u64) -> Handled {
        ctx.send(from, m, 1);
        Ok(())
    }
}

#[test]
fn every_run_is_bounded() {
    for (limits, stop) in [
        (
            Limits {
                until: f64::INFINITY,
                max_events: 1000,
            },
            Stop::EventLimit,
        ),
        (
            Limits {
                until: 1.0,
                max_events: u64::MAX,
            },
            Stop::TimeLimit,
        ),
    ] {
        let mut w = World::<Plan>::new(1);
        w.add_node(PingPong);
        w.add_node(PingPong);
        assert_eq!(w.run(limits).unwrap().run.stop, stop);
    }
}

#[test]
fn bad_configurations_are_typed_errors() {
    assert!(matches!(
        LinkConfig::reliable(0.001, 0.0),
        Err(Error::InvalidParameter { .. })
    ));
    let run_with = |f: Fault| {
        let mut w = World::<Plan>::new(1);
        w.add_node(PingPong);
        w.add_node(PingPong);
        w.add_fault(f);
        w.run(Limits::default()).map(drop)
    };
    assert!(matches!(
        run_with(Fault::isolate(vec![], 1.0, 2.0)),
        Err(Error::Empty { .. })
    ));
    assert!(
        run_with(Fault::isolate(vec![0, 1], 1.0, 2.0)).is_err(),
        "everyone on one side"
    );
    assert!(
        run_with(Fault::isolate(vec![0], 2.0, 1.0)).is_err(),
        "heals before it starts"
    );
    let twice = Partition {
        start_s: 1.0,
        end_s: 2.0,
        groups: vec![vec![0], vec![0, 1]],
    };
    assert!(run_with(Fault::Partition(twice)).is_err(), "a node in two groups");
    assert!(
        run_with(Fault::Crash {
            node: 5,
            at_s: 1.0,
            recover_at_s: None
        })
        .is_err()
    );
    assert!(
        run_with(Fault::Pause {
            node: 0,
            at_s: 1.0,
            length_s: 0.0,
            mid_handler: true
        })
        .is_err()
    );
    assert!(matches!(
        World::<Plan>::new(1).run(Limits::default()),
        Err(Error::Empty { .. })
    ));
    let bad = LinkConfig {
        buffer_messages: 0,
        ..LinkConfig::default()
    };
    assert!(World::<Plan>::new(1).set_link(bad).is_err());
    let mut w = World::<Plan>::new(1);
    w.add_node(PingPong);
    w.set_link_between(0, 3, LinkConfig::default()).unwrap();
    assert!(
        w.run(Limits::default()).is_err(),
        "a link to a node that does not exist"
    );
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
