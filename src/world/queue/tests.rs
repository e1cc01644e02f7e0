//! The world's queue against `sim`'s.

use super::Queue;
use crate::sim::EventQueue;

#[test]
fn pops_what_the_sim_queue_pops() {
    // Random times with many ties, -0.0, +0.0, tiny and huge values, runs of increasing
    // times (as timers make), interleaved pushes and pops, and limits on the pops.
    use rand::Rng;
    let mut r = crate::sim::rng(11);
    let (mut q, mut reference) = (Queue::new(), EventQueue::new());
    let specials = [0.0, -0.0, 1e-300, 5e-324, 1e300, 3.0];
    let mut rising = 0.0;
    for i in 0..20_000u32 {
        let t = match i % 7 {
            0 => specials[(i as usize / 7) % specials.len()],
            1 | 2 => {
                rising += f64::from(r.random_range(0..3u32)) * 0.25;
                rising
            }
            _ => f64::from(r.random_range(0..50u32)) * 0.5,
        };
        let t = t.max(q.now());
        // −0.0 is queued as +0.0 (module documentation). The rising times are queued as a
        // node's timers are (`put`, the run when in order), the others as messages are.
        let queued = if matches!(i % 7, 1 | 2) {
            q.place(t).map(|place| q.put(place, i))
        } else {
            q.schedule(t, i)
        };
        assert_eq!(queued.is_ok(), reference.schedule(t + 0.0, i).is_ok());
        if i % 3 == 2 || i % 11 == 0 {
            let until = if i % 13 == 0 { q.now() } else { f64::INFINITY };
            let got = q.pop_not_after(until).map(|(t, e)| (t.to_bits(), e));
            let want = reference.pop_not_after(until).map(|(t, e)| (t.to_bits(), e));
            assert_eq!(got, want, "pop {i}");
            assert_eq!(q.now().to_bits(), reference.now().to_bits());
        }
    }
    while let Some((t, e)) = reference.pop() {
        assert_eq!(q.pop_not_after(f64::INFINITY), Some((t, e)));
    }
    assert!(q.is_empty() && q.pop_not_after(f64::INFINITY).is_none());
    assert!(q.schedule(f64::NEG_INFINITY, 0).is_err() && q.schedule(f64::NAN, 0).is_err());
}

#[test]
fn dropping_dead_events_pops_the_live_ones_in_order_and_ends_where_in_order_does() {
    // Events are (id, dead); timers of one delay (mostly in the run) are dead two times in
    // three.
    // The live events must come out exactly as from `sim`'s queue with the dead ones
    // ignored as they come up, and once everything due by the limit is out, the end time
    // must be the time of the last event in order, dead or alive.
    use rand::Rng;
    for (seed, until) in [(1, f64::INFINITY), (2, 40.0), (3, 0.5)] {
        let mut r = crate::sim::rng(seed);
        let (mut q, mut reference) = (Queue::new(), EventQueue::new());
        let (mut got, mut want) = (Vec::new(), Vec::new());
        let mut last_in_order = 0.0;
        for i in 0..5_000u32 {
            let now = q.now().max(reference.now());
            let (t, dead) = if i % 2 == 0 {
                (now + 1.0, r.random_range(0..3) > 0)
            } else {
                (now + r.random::<f64>() * 2.0, false)
            };
            // Timers of one delay are queued as a node's timers are (`put`), the others as
            // messages are.
            if i % 2 == 0 {
                let place = q.place(t).expect("not in the past");
                q.put(place, (i, dead));
            } else {
                q.schedule(t, (i, dead)).expect("not in the past");
            }
            reference.schedule(t, (i, dead)).expect("not in the past");
            if i % 3 != 0 {
                // Dead events that come up (from the heap) are the caller's to ignore.
                while let Some((t, (i, dead))) = q.pop_live_not_after(until, |&(_, dead)| dead) {
                    if !dead {
                        got.push((t, i));
                        break;
                    }
                }
                while let Some((t, (i, dead))) = reference.pop_not_after(until) {
                    last_in_order = t;
                    if !dead {
                        want.push((t, i));
                        break;
                    }
                }
            }
        }
        // The last events are dead: the end time is theirs when they are due by the limit.
        let now = q.now().max(reference.now());
        for (k, t) in [now + 5.0, now + 6.0].into_iter().enumerate() {
            let place = q.place(t).expect("not in the past");
            q.put(place, (k as u32, true));
            reference.schedule(t, (k as u32, true)).expect("not in the past");
        }
        while let Some((t, (i, dead))) = q.pop_live_not_after(until, |&(_, dead)| dead) {
            if !dead {
                got.push((t, i));
            }
        }
        while let Some((t, (i, dead))) = reference.pop_not_after(until) {
            last_in_order = t;
            if !dead {
                want.push((t, i));
            }
        }
        assert_eq!(got, want, "seed {seed}");
        assert_eq!(q.end_time(), last_in_order, "seed {seed}");
    }
}

#[test]
fn drops_the_events_left_once() {
    // The slab's slots are `ManuallyDrop`: events still queued (in the heap and the run),
    // and slots emptied and refilled, must each be dropped exactly once.
    use std::rc::Rc;
    let token = Rc::new(());
    let mut q = Queue::new();
    for (i, t) in [5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 0.5].into_iter().enumerate() {
        q.schedule(t, (i, Rc::clone(&token))).expect("not in the past");
    }
    for _ in 0..3 {
        assert!(q.pop_not_after(f64::INFINITY).is_some());
    }
    q.schedule(9.0, (7, Rc::clone(&token))).expect("not in the past");
    q.schedule(3.5, (8, Rc::clone(&token))).expect("not in the past");
    assert_eq!(Rc::strong_count(&token), 1 + 6);
    drop(q);
    assert_eq!(Rc::strong_count(&token), 1);
}

#[test]
fn late_puts_between_pops_and_pushes_come_out_in_key_order() {
    // Events scheduled (as messages are), placed and queued at once (as timers are), placed
    // and queued late (as held timers are), and pops, in a random mix with many equal times:
    // a pop takes the heap's root and leaves it for the next push or pop, which must not
    // change the order. The reference is a sorted map of every queued event's (time,
    // sequence number).
    use rand::Rng;
    use std::collections::BTreeMap;
    for seed in 1..=4 {
        let mut r = crate::sim::rng(seed);
        let mut q = Queue::new();
        let mut reference = BTreeMap::new();
        let mut late = Vec::new();
        let (mut pops, mut late_puts) = (0, 0);
        for i in 0..20_000u32 {
            let t = q.now() + f64::from(r.random_range(0..40u32)) * 0.25;
            match r.random_range(0..8u32) {
                0 => {
                    let seq = q.next_seq;
                    q.schedule(t, i).expect("not in the past");
                    reference.insert((super::time_key(t), seq), i);
                }
                1 | 2 => {
                    let place = q.place(t).expect("not in the past");
                    q.put(place, i);
                    reference.insert((place.time, place.seq), i);
                }
                3 => late.push((q.place(t).expect("not in the past"), i)),
                4 => {
                    // A place taken earlier, still not in the past.
                    if let Some(k) = late.iter().position(|(p, _)| p.at() >= q.now()) {
                        let (place, v) = late.swap_remove(k);
                        q.put_late(place, v);
                        reference.insert((place.time, place.seq), v);
                        late_puts += 1;
                    }
                }
                _ => {
                    let want = reference.pop_first().map(|((t, _), v)| (f64::from_bits(t), v));
                    assert_eq!(q.pop_not_after(f64::INFINITY), want, "seed {seed}, step {i}");
                    pops += 1;
                }
            }
            assert_eq!(q.is_empty(), reference.is_empty(), "seed {seed}, step {i}");
        }
        while let Some(((t, _), v)) = reference.pop_first() {
            assert_eq!(q.pop_not_after(f64::INFINITY), Some((f64::from_bits(t), v)));
        }
        assert!(
            q.is_empty() && pops > 5_000 && late_puts > 500,
            "seed {seed}: {pops} pops, {late_puts} late puts"
        );
    }
}
