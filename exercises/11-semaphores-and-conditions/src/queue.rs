//! A bounded blocking queue on two condition variables: Python's `queue.Queue(maxsize)`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A first-in, first-out queue of at most `capacity` items, shared by reference between
/// threads. `put` waits while it is full, `get` waits while it is empty.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
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
        // TODO: `assert!(capacity > 0, ...)`, then the fields: an empty `VecDeque` in a
        // `Mutex`, two `Condvar::new()`.
        todo!()
    }

    /// Adds `item` at the back, waiting while the queue is full. Python: `q.put(item)`.
    pub fn put(&self, item: T) {
        // TODO: lock `self.items`; `while` it holds `self.capacity` items, wait on
        // `self.not_full`. Then `push_back(item)` and wake one consumer:
        // `self.not_empty.notify_one()`.
        todo!()
    }

    /// Takes the item at the front, waiting while the queue is empty. Python: `q.get()`.
    pub fn get(&self) -> T {
        // TODO: lock; `while` the queue is empty, wait on `self.not_empty`. A `while`,
        // not an `if`: another consumer may take the item between the notify that woke
        // you and the moment you hold the mutex again. Then `pop_front()` (the loop
        // guarantees an item), wake one producer (`self.not_full.notify_one()`) and
        // return the item. Never spin in a loop that locks and unlocks: a waiting
        // thread must sleep on the condition variable.
        todo!()
    }

    /// How many items are waiting right now (`q.qsize()`).
    pub fn len(&self) -> usize {
        todo!()
    }

    /// Whether no item is waiting right now (`q.empty()`).
    pub fn is_empty(&self) -> bool {
        todo!()
    }

    /// The most items it holds at once (`q.maxsize`).
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
