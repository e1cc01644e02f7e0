//! The queue's run: a ring of entries in increasing order (see the queue's documentation).

use std::mem::ManuallyDrop;

use super::Queued;

/// The run: a ring of entries whose size is a power of two (or zero), oldest at `head`.
pub(super) struct Run<E> {
    /// The ring's slots; `None` marks an empty one (`ManuallyDrop` as for the slab).
    slots: Vec<ManuallyDrop<Option<Queued<E>>>>,
    head: usize,
    pub(super) len: usize,
}

impl<E> Run<E> {
    pub(super) fn new() -> Self {
        Run {
            slots: Vec::new(),
            head: 0,
            len: 0,
        }
    }

    /// The earliest entry.
    #[inline]
    pub(super) fn front(&self) -> Option<&Queued<E>> {
        if self.len == 0 {
            return None;
        }
        self.slots[self.head].as_ref()
    }

    #[inline]
    pub(super) fn push_back(&mut self, q: Queued<E>) {
        if self.len == self.slots.len() {
            self.grow();
        }
        let i = (self.head + self.len) & (self.slots.len() - 1);
        self.slots[i] = ManuallyDrop::new(Some(q));
        self.len += 1;
    }

    #[inline]
    pub(super) fn pop_front(&mut self) -> Option<Queued<E>> {
        if self.len == 0 {
            return None;
        }
        let q = self.slots[self.head].take();
        self.head = (self.head + 1) & (self.slots.len() - 1);
        self.len -= 1;
        q
    }

    /// Doubles the ring (at least 16 slots), its entries moved to the front in order.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let mut slots = Vec::with_capacity(size);
        let mask = self.slots.len().wrapping_sub(1);
        for k in 0..self.len {
            slots.push(ManuallyDrop::new(self.slots[(self.head + k) & mask].take()));
        }
        slots.resize_with(size, || ManuallyDrop::new(None));
        self.slots = slots;
        self.head = 0;
    }
}

/// Drops the entries still in the ring (its `ManuallyDrop` slots would leak them).
impl<E> Drop for Run<E> {
    fn drop(&mut self) {
        self.slots.iter_mut().for_each(|slot| drop(slot.take()));
    }
}
