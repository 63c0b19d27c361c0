//! The model's unit of CPU work: one turn of a CPU-bound Python loop, done as real
//! arithmetic, so that the model's threads really occupy a core while they "run Python",
//! and with the traffic such a turn makes on the interpreter's shared object heap.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Where every CPU-bound loop starts.
pub const SEED: u64 = 0x243F_6A88_85A3_08D3;

/// Dependent multiply-xorshift rounds per turn. Chosen so that a turn (with its heap
/// traffic, which mostly overlaps with the rounds) costs about what a turn of
/// `for i in range(n): x = (x * 31 + i) % 1000003` costs on CPython 3.11 (tens of
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
/// no GIL, no check points, but the same arithmetic and the same heap traffic (on a heap of
/// its own). The baseline the model's overhead is measured against.
pub fn unmodelled(iterations: u64) -> u64 {
    let heap = Heap::new();
    let mut frame = heap.enter(SEED);
    let mut x = SEED;
    for i in 0..iterations {
        x = step(x, i);
        heap.turn(&mut frame, x, i);
    }
    heap.leave(frame);
    black_box(x)
}

/// Blocks in the heap's one pool: pymalloc's pools are 4 KiB, and an `int` below 2^30 is
/// 28 bytes, served from the 32-byte size class: 128 blocks, two to a cache line.
const BLOCKS: usize = 128;

/// One block: an int object (`ob_refcnt`, `ob_type`, `ob_size`, one digit). While the
/// block is free, pymalloc keeps the next free block in its first word, as here.
type Block = [AtomicU64; 4];

/// One cache line of the interpreter's state, alone on its line.
#[repr(align(64))]
#[derive(Debug, Default)]
struct Line([AtomicU64; 8]);

/// The pool's blocks, cache-line aligned like a real pool's. Its free list starts as a
/// ring through all blocks; a loop keeps only a handful alive, so it never runs around.
#[repr(align(64))]
struct Pool([Block; BLOCKS]);

/// The part of an interpreter's object heap that a turn of the CPU-bound loop writes, laid
/// out as in CPython 3.11, where one turn of `x = (x * 31 + i) % 1000003`:
///
/// - allocates four int objects (`i` from the range iterator, then `x * 31`, `+ i`, `%`)
///   and frees four (the previous `i` and `x`, two temporaries), all from the same
///   pymalloc pool of the 32-byte size class, which every thread of the interpreter shares;
/// - increments and decrements the reference counts of two shared constants, the small
///   int `31` and the constant `1000003` of the code object (3.12 made both immortal, which
///   removed these writes);
/// - counts down the inline-cache counter of the `%` (`BINARY_OP`, which 3.11 cannot
///   specialise for ints) in the code object, which the threads share too.
///
/// The loop's own locals live in its frame (here: the `Frame` of the calling thread), so
/// a thread that takes the GIL over refills exactly these few shared lines, last written on
/// the other thread's core. Measured on the course's machine, that refill costs CPython
/// well under a microsecond per switch, and about a tenth of a microsecond in the model:
/// small beside the wake-ups of a hand-off, but the same kind of cost.
///
/// The counters are relaxed atomics, each access a plain load or store: under a GIL only
/// one thread runs at a time (the GIL's mutex orders them), and a thread that runs without
/// one (free-threaded) gets a heap of its own, as PEP 703's per-thread mimalloc heaps and
/// immortal constants make it. A wrong GIL that lets two threads in at once corrupts the
/// counts, never memory: every index is taken modulo the pool's size.
pub(crate) struct Heap {
    /// `pool->freeblock` and `pool->ref.count`.
    pool_header: Line,
    pool: Box<Pool>,
    /// The small int `31` (`_PyRuntime`'s small-int cache): its `ob_refcnt`.
    small_int: Line,
    /// The constant `1000003` in the code object's `co_consts`: its `ob_refcnt`.
    constant: Line,
    /// The `%`'s adaptive counter in the code object's inline cache.
    inline_cache: Line,
}

impl std::fmt::Debug for Heap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heap").finish_non_exhaustive()
    }
}

/// The loop's two locals, `x` and `i`, as the blocks that hold them.
pub(crate) struct Frame {
    x: usize,
    i: usize,
}

impl Heap {
    /// An empty pool whose free list runs through every block, and fresh constants.
    pub(crate) fn new() -> Self {
        let pool = Box::new(Pool(std::array::from_fn(|b| {
            let block = Block::default();
            block[0].store(((b + 1) % BLOCKS) as u64, Relaxed);
            block
        })));
        Heap {
            pool_header: Line::default(),
            pool,
            small_int: Line::default(),
            constant: Line::default(),
            inline_cache: Line::default(),
        }
    }

    /// Starts a loop: `x` and `i` get their blocks.
    #[inline]
    pub(crate) fn enter(&self, x: u64) -> Frame {
        Frame {
            x: self.alloc(x),
            i: self.alloc(0),
        }
    }

    /// Ends a loop: its locals' blocks go back to the pool.
    #[inline]
    pub(crate) fn leave(&self, frame: Frame) {
        self.free(frame.i);
        self.free(frame.x);
    }

    /// The heap traffic of one turn that computed `x` (the new value) in turn `i`.
    #[inline(always)]
    pub(crate) fn turn(&self, frame: &mut Frame, x: u64, i: u64) {
        // FOR_ITER, STORE_FAST i: a new int for `i`, the previous one freed.
        let new_i = self.alloc(i);
        self.free(frame.i);
        frame.i = new_i;
        // LOAD_CONST 31, BINARY_OP *: a new int; `31`'s count goes up and down.
        Self::incref(&self.small_int);
        let product = self.alloc(x.rotate_left(7));
        Self::decref(&self.small_int);
        // BINARY_OP +: a new int, the product freed.
        let sum = self.alloc(x.rotate_left(3));
        self.free(product);
        // LOAD_CONST 1000003, BINARY_OP % (adaptive: its counter counts down).
        Self::incref(&self.constant);
        Self::decref(&self.inline_cache);
        let result = self.alloc(x);
        Self::decref(&self.constant);
        self.free(sum);
        // STORE_FAST x: the old `x` freed.
        self.free(frame.x);
        frame.x = result;
    }

    fn block(&self, b: usize) -> &Block {
        &self.pool.0[b % BLOCKS]
    }

    /// `pymalloc_alloc`: the pool's first free block, initialised as an int.
    #[inline(always)]
    fn alloc(&self, value: u64) -> usize {
        let [freeblock, count, ..] = &self.pool_header.0;
        let b = freeblock.load(Relaxed) as usize % BLOCKS;
        let block = self.block(b);
        freeblock.store(block[0].load(Relaxed), Relaxed);
        count.store(count.load(Relaxed).wrapping_add(1), Relaxed);
        block[0].store(1, Relaxed); // ob_refcnt
        block[3].store(value, Relaxed); // ob_digit[0]
        b
    }

    /// `pymalloc_free`: the block goes to the front of the pool's free list.
    #[inline(always)]
    fn free(&self, b: usize) {
        let [freeblock, count, ..] = &self.pool_header.0;
        self.block(b)[0].store(freeblock.load(Relaxed), Relaxed);
        freeblock.store(b as u64, Relaxed);
        count.store(count.load(Relaxed).wrapping_sub(1), Relaxed);
    }

    /// `Py_INCREF` as 3.11 does it: a plain, non-atomic increment.
    #[inline(always)]
    fn incref(object: &Line) {
        object.0[0].store(object.0[0].load(Relaxed).wrapping_add(1), Relaxed);
    }

    /// `Py_DECREF` (never reaching zero here).
    #[inline(always)]
    fn decref(object: &Line) {
        object.0[0].store(object.0[0].load(Relaxed).wrapping_sub(1), Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_gives_back_every_block_it_takes() {
        let heap = Heap::new();
        let mut frame = heap.enter(SEED);
        for i in 0..1_000 {
            heap.turn(&mut frame, i * 7, i);
            assert_ne!(frame.x, frame.i, "two live ints in one block");
            assert_eq!(
                heap.pool_header.0[1].load(Relaxed),
                2,
                "live blocks: x and i"
            );
        }
        heap.leave(frame);
        assert_eq!(heap.pool_header.0[1].load(Relaxed), 0, "live blocks");
        assert_eq!(heap.small_int.0[0].load(Relaxed), 0, "31's count is back");
        assert_eq!(
            heap.constant.0[0].load(Relaxed),
            0,
            "1000003's count is back"
        );
    }

    #[test]
    fn the_unmodelled_loop_computes_what_step_computes() {
        let mut x = SEED;
        for i in 0..1_000 {
            x = step(x, i);
        }
        assert_eq!(unmodelled(1_000), x);
    }
}
