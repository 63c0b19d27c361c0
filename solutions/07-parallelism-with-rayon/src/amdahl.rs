//! Amdahl's law, from your own numbers.

/// The parallel fraction `p` that a measured `speedup` on `cores` cores implies
/// under Amdahl's law: `p = (1 - 1/S) / (1 - 1/n)`. `cores` must be at least 2.
pub fn parallel_fraction(speedup: f64, cores: usize) -> f64 {
    (1.0 - 1.0 / speedup) / (1.0 - 1.0 / cores as f64)
}

/// The speed-up Amdahl's law predicts on `n` cores for a program whose parallel
/// fraction is `p`: `S(n) = 1 / ((1 - p) + p/n)`.
pub fn amdahl_speedup(p: f64, n: usize) -> f64 {
    1.0 / ((1.0 - p) + p / n as f64)
}
