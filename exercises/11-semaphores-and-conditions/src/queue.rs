//! A bounded blocking queue on two condition variables: Python's `queue.Queue(maxsize)`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::collections::VecDeque;
use std::sync::{Condvar, PoisonError};

use crate::shared::Shared;

/// A first-in, first-out queue of at most `capacity` items, shared by reference between
/// threads. `put` sleeps while it is full, `get` while it is empty.
///
/// Python: `queue.Queue(maxsize)`, which CPython writes in Python (`Lib/queue.py`): one
/// mutex and the conditions `not_empty` and `not_full` on it.
///
/// Read: "Sleeping until something changes", on stolen and spurious wake-ups.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: Shared<VecDeque<T>>,
    /// Signalled when an item arrives: a waiting `get` may go on.
    not_empty: Condvar,
    /// Signalled when an item leaves: a waiting `put` may go on.
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedQueue<T> {
    /// An empty queue for at most `capacity` items (`queue.Queue(maxsize=capacity)`).
    ///
    /// # Panics
    /// If `capacity` is 0: such a queue could never hold an item.
    pub fn new(capacity: usize) -> BoundedQueue<T> {
        // TODO: refuse a capacity of 0, then the fields.
        todo!()
    }

    /// Adds `item` at the back, sleeping while the queue is full. Python: `q.put(item)`.
    ///
    /// Guarantees: the queue never holds more than `capacity` items; a `get` that sleeps
    /// on an empty queue is woken.
    pub fn put(&self, item: T) {
        // TODO: wait for room on the right condition variable, add the item, and wake
        // the side that may be waiting for it.
        todo!()
    }

    /// Takes the item at the front, sleeping while the queue is empty. Python: `q.get()`.
    ///
    /// Guarantees: every item put comes out of exactly one `get`, in the order put.
    pub fn get(&self) -> T {
        // TODO: the mirror image of `put`. With several consumers, is the item you were
        // woken for still there when you get the lock back?
        todo!()
    }

    /// How many items are waiting right now (`q.qsize()`).
    pub fn len(&self) -> usize {
        // TODO
        todo!()
    }

    /// Whether no item is waiting right now (`q.empty()`).
    pub fn is_empty(&self) -> bool {
        // TODO
        todo!()
    }

    /// The most items it holds at once (`q.maxsize`).
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
