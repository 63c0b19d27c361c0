//! A bounded blocking queue on two condition variables: Python's `queue.Queue(maxsize)`.

use std::collections::VecDeque;
use std::sync::{Condvar, PoisonError};

use crate::shared::Shared;

/// A first-in, first-out queue of at most `capacity` items, shared by reference between
/// threads. `put` waits while it is full, `get` waits while it is empty.
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
        assert!(
            capacity > 0,
            "a bounded queue needs room for at least one item"
        );
        BoundedQueue {
            items: Shared::new(VecDeque::with_capacity(capacity)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, waiting while the queue is full. Python: `q.put(item)`.
    pub fn put(&self, item: T) {
        let mut items = self.items.lock();
        while items.len() == self.capacity {
            items = self
                .not_full
                .wait(items)
                .unwrap_or_else(PoisonError::into_inner);
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, waiting while the queue is empty. Python: `q.get()`.
    pub fn get(&self) -> T {
        let mut items = self.items.lock();
        while items.is_empty() {
            items = self
                .not_empty
                .wait(items)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let item = items.pop_front().expect("the loop waited for an item");
        self.not_full.notify_one();
        item
    }

    /// How many items are waiting right now (`q.qsize()`).
    pub fn len(&self) -> usize {
        self.items.lock().len()
    }

    /// Whether no item is waiting right now (`q.empty()`).
    pub fn is_empty(&self) -> bool {
        self.items.lock().is_empty()
    }

    /// The most items it holds at once (`q.maxsize`).
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
