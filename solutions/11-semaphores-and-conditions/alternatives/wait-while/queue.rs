//! A bounded blocking queue, every wait through `Condvar::wait_while`.

use std::collections::VecDeque;
use std::sync::{Condvar, PoisonError};

use crate::shared::Shared;

/// A first-in, first-out queue of at most `capacity` items (`queue.Queue(maxsize)`).
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: Shared<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedQueue<T> {
    /// An empty queue for at most `capacity` items.
    pub fn new(capacity: usize) -> BoundedQueue<T> {
        assert_ne!(
            capacity, 0,
            "a queue of capacity 0 could never hold an item"
        );
        BoundedQueue {
            items: Shared::new(VecDeque::new()),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, sleeping while the queue is full.
    pub fn put(&self, item: T) {
        let capacity = self.capacity;
        let mut items = self
            .not_full
            .wait_while(self.items.lock(), |items| items.len() >= capacity)
            .unwrap_or_else(PoisonError::into_inner);
        items.push_back(item);
        drop(items);
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, sleeping while the queue is empty.
    pub fn get(&self) -> T {
        let mut items = self
            .not_empty
            .wait_while(self.items.lock(), |items| items.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        let Some(item) = items.pop_front() else {
            unreachable!("wait_while returns only when the queue holds an item")
        };
        drop(items);
        self.not_full.notify_one();
        item
    }

    /// How many items are waiting right now.
    pub fn len(&self) -> usize {
        self.items.lock().len()
    }

    /// Whether no item is waiting right now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most items it holds at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
