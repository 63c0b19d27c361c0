//! The mistake: `1 / cores` on integers, as it would read in Python 3.

/// The parallel fraction, with the core count's reciprocal taken on integers.
pub fn parallel_fraction(speedup: f64, cores: usize) -> f64 {
    (1.0 - 1.0 / speedup) / (1.0 - (1 / cores) as f64)
}

/// The predicted speed-up (right).
pub fn amdahl_speedup(p: f64, n: usize) -> f64 {
    1.0 / ((1.0 - p) + p / n as f64)
}
