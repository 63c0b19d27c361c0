//! Checks for exercise 00. They are compiled against your crate and against
//! the reference solution; do not edit them.

use std::thread;
use welcome::answer_from_a_thread;

#[test]
fn the_answer_is_42() {
    let (answer, _) = answer_from_a_thread();
    assert_eq!(
        answer, 42,
        "expected the thread's answer, 42, got {answer}: return what the thread returned"
    );
}

#[test]
fn the_answer_comes_from_another_thread() {
    let (_, worker) = answer_from_a_thread();
    assert_ne!(
        worker,
        thread::current().id(),
        "the answer was computed on the calling thread: let the spawned thread compute it and join it"
    );
}
