//! The queue's heap: a 4-ary min-heap of keys, its events in a slab beside it (see the
//! queue's documentation).

use std::mem::ManuallyDrop;

use super::{ARITY, Key, Queue, order};

impl<E> Queue<E> {
    /// Puts `event` in a free slot of the slab; returns the slot.
    #[inline(always)]
    fn fill_slot(&mut self, event: E) -> usize {
        match self.free.pop() {
            Some(slot) => {
                debug_assert!(self.slab[slot].is_none());
                self.slab[slot] = ManuallyDrop::new(Some(event));
                slot
            }
            None => {
                self.slab.push(ManuallyDrop::new(Some(event)));
                self.slab.len() - 1
            }
        }
    }

    /// Puts `event` in the heap at `(time, seq)`: in the place of the root when it was taken
    /// (its slot in the slab too), else climbing from the bottom while its parent is not
    /// `before` it.
    #[inline(always)]
    pub(super) fn heap_insert(&mut self, time: u64, seq: u64, event: E, before: impl Fn(&Key) -> bool) {
        if self.root_taken {
            // A pop and then a push, the world's usual pair (a node receives a message and
            // sends one), cost one walk down the heap and a short climb instead of a walk
            // down and two climbs.
            self.root_taken = false;
            let slot = self.keys[0].slot;
            debug_assert!(self.slab[slot].is_none());
            self.slab[slot] = ManuallyDrop::new(Some(event));
            self.fill_hole_at_root(Key { time, seq, slot });
        } else {
            let slot = self.fill_slot(event);
            self.sift_up(Key { time, seq, slot }, before);
        }
    }

    /// Adds `key` to the heap, climbing from the bottom while its parent is not `before` it.
    #[inline(always)]
    fn sift_up(&mut self, key: Key, before: impl Fn(&Key) -> bool) {
        let mut i = self.keys.len();
        self.keys.push(key);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if before(&self.keys[parent]) {
                break;
            }
            self.keys[i] = self.keys[parent];
            i = parent;
        }
        self.keys[i] = key;
    }

    /// Takes the root's event, leaving its key in place, marked taken (see the queue's
    /// documentation): the next push fills its place, or [`Queue::settle_root`] removes it.
    #[inline(always)]
    pub(super) fn take_root(&mut self) -> E {
        self.root_taken = true;
        self.slab[self.keys[0].slot]
            .take()
            .expect("every queued key has its event")
    }

    /// Removes a root that was taken and not replaced by a push, freeing its slot.
    #[inline(always)]
    pub(super) fn settle_root(&mut self) {
        if self.root_taken {
            self.root_taken = false;
            self.free.push(self.keys[0].slot);
            self.pop_heap();
        }
    }

    /// Takes the heap's earliest key off it.
    #[inline]
    fn pop_heap(&mut self) {
        let Some(last) = self.keys.pop() else {
            return;
        };
        if !self.keys.is_empty() {
            self.fill_hole_at_root(last);
        }
    }

    /// Fills the hole at the root (its key gone) with `key`: walks the hole down along the
    /// smallest children to the bottom, then sifts `key` up from there (it comes from the
    /// bottom, or is a new, late key: it rarely climbs far, and the walk down ends where the
    /// heap does, which the processor predicts better than a sift down that stops early).
    #[inline(always)]
    fn fill_hole_at_root(&mut self, key: Key) {
        // (A slice, not the vector: its length is a value the compiler knows, so the walk's
        // indexing checks fold into the walk's own bounds; through the vector it reloaded the
        // length after every store and checked again.)
        let keys = self.keys.as_mut_slice();
        let n = keys.len();
        let at = |k: &Key| order(k.time, k.seq);
        // (The hole's index as a `u32`, widened: then `ARITY * i + 1 + ARITY` cannot overflow,
        // and the check that a node has all its children is one comparison, not the five of
        // a range that might wrap. The slab's slots are far fewer than 2³².)
        let mut i: u32 = 0;
        loop {
            let first = ARITY * i as usize + 1;
            let (child, k) = if first + ARITY <= n {
                let k: &[Key; ARITY] = keys[first..first + ARITY].try_into().expect("ARITY keys");
                let a = usize::from(at(&k[1]) < at(&k[0]));
                let b = 2 + usize::from(at(&k[3]) < at(&k[2]));
                let m = if at(&k[b]) < at(&k[a]) { b } else { a };
                (first + m, k[m])
            } else if first < n {
                let c = (first + 1..n).fold(first, |m, c| if at(&keys[c]) < at(&keys[m]) { c } else { m });
                (c, keys[c])
            } else {
                break;
            };
            keys[i as usize] = k;
            i = child as u32;
        }
        let mut i = i as usize;
        let key_at = at(&key);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if at(&keys[parent]) <= key_at {
                break;
            }
            keys[i] = keys[parent];
            i = parent;
        }
        keys[i] = key;
    }
}
