//! Reference solution for exercise 00.

#[cfg_attr(
    feature = "mistake-answer-on-the-calling-thread",
    path = "../mistakes/answer-on-the-calling-thread/answer.rs"
)]
#[cfg_attr(
    feature = "alternative-match-on-the-join",
    path = "../alternatives/match-on-the-join/answer.rs"
)]
mod answer;

pub use answer::answer_from_a_thread;
