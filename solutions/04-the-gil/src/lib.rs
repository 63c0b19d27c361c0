//! Reference solution for exercise 04: the GIL.
//!
//! CPython's global interpreter lock (`Python/ceval_gil.c`, 3.11 to 3.14) written as a
//! type of our own, [`MyGil`], that implements the model's [`Gil`] trait: one holder at a
//! time, a waiter that asks for the GIL after a switch interval without a switch, a holder
//! that lets go at its next check point and does not take it straight back (forced
//! switching), and a release around blocking calls that waits for a successor only when
//! a drop request is pending.
//!
//! It follows the model's `ReferenceGil` step for step, with one mutex where CPython has
//! two (`gil->mutex` and `gil->switch_mutex`).

pub use python_model::Gil;

#[cfg_attr(feature = "mistake-if-instead-of-while", path = "../mistakes/if-instead-of-while/my_gil.rs")]
#[cfg_attr(feature = "mistake-no-wait-after-a-forced-drop", path = "../mistakes/no-wait-after-a-forced-drop/my_gil.rs")]
#[cfg_attr(feature = "mistake-forced-drop-waits-one-interval", path = "../mistakes/forced-drop-waits-one-interval/my_gil.rs")]
#[cfg_attr(feature = "mistake-polling-take", path = "../mistakes/polling-take/my_gil.rs")]
#[cfg_attr(feature = "mistake-asks-at-once", path = "../mistakes/asks-at-once/my_gil.rs")]
#[cfg_attr(feature = "mistake-ignores-the-switch-number", path = "../mistakes/ignores-the-switch-number/my_gil.rs")]
#[cfg_attr(feature = "alternative-cpython-two-mutexes", path = "../alternatives/cpython-two-mutexes/my_gil.rs")]
mod my_gil;
pub use my_gil::MyGil;
