//! Step 4 of 4: Amdahl's law, from your own numbers.
//! Read: chapter 07, "Amdahl's law".

// The stubs leave their parameters unused until you fill them in.
#![allow(unused_variables)]

/// The parallel fraction `p` that a measured `speedup` on `cores` cores implies
/// under Amdahl's law: `p = (1 - 1/S) / (1 - 1/n)`. `cores` is at least 2.
/// 1.0x on 2 cores gives 0.0 (nothing ran in parallel), 2.0x gives 1.0.
pub fn parallel_fraction(speedup: f64, cores: usize) -> f64 {
    // TODO: the formula above. `cores` is an integer: which division does each `/`
    // of your line do, and is it the one Python 3's `/` does?
    todo!()
}

/// The speed-up Amdahl's law predicts on `n` cores for a program whose parallel
/// fraction is `p`: `S(n) = 1 / ((1 - p) + p/n)`. The serial part (1 - p) takes as
/// long on any number of cores; the parallel part p is shared out n ways.
/// `amdahl_speedup(0.5, 4)` is 1.6, and the two functions undo each other.
pub fn amdahl_speedup(p: f64, n: usize) -> f64 {
    // TODO: the formula above.
    todo!()
}
