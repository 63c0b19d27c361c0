//! Checks for exercise 00. They are compiled against your crate and against
//! the reference solution; do not edit them.

use std::thread;
use welcome::answer_from_a_thread;

// step join: `answer_from_a_thread`, the value a thread returned, handed back

#[test]
fn the_answer_is_42() {
    let (answer, _) = answer_from_a_thread();
    assert!(
        answer == 42,
        "expected the thread's answer, 42, got {answer}: return what the thread returned"
    );
}

#[test]
fn the_answer_comes_from_another_thread() {
    let (_, worker) = answer_from_a_thread();
    assert!(
        worker != thread::current().id(),
        "the answer was computed on the calling thread (the id returned is the caller's own): \
         hand back what the spawned thread computed, its answer and its id"
    );
}
