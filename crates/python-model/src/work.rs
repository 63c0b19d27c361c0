//! The model's unit of CPU work: one turn of a CPU-bound Python loop, done as real
//! arithmetic, so that the model's threads really occupy a core while they "run Python".

use std::hint::black_box;

/// Where every CPU-bound loop starts.
pub const SEED: u64 = 0x243F_6A88_85A3_08D3;

/// Dependent multiply-xorshift rounds per turn. Chosen so that a turn costs about what a
/// turn of `for i in range(n): x = (x * 31 + i) % 1000003` costs on CPython 3.11 (tens of
/// nanoseconds), so loop sizes mean the same in both.
const ROUNDS: u32 = 24;

/// One turn of the loop: a chain of dependent multiplications that the compiler can
/// neither vectorise nor skip. Pure: the same input gives the same output.
#[inline(always)]
pub fn step(x: u64, i: u64) -> u64 {
    let mut x = x ^ i;
    for _ in 0..ROUNDS {
        x = (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    x
}

/// The same loop as [`PyThread::cpu_work`](crate::PyThread::cpu_work) outside the model:
/// no GIL, no check points. The baseline the model's overhead is measured against.
pub fn unmodelled(iterations: u64) -> u64 {
    let mut x = SEED;
    for i in 0..iterations {
        x = step(x, i);
    }
    black_box(x)
}
