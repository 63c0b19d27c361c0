//! Sizing the work so one run is long enough to time.

use std::time::{Duration, Instant};

/// The largest size tried: far beyond any real workload, so reaching it means the
/// work does not grow with its size.
const LARGEST: u64 = 1 << 48;

/// The smallest `n` among 1, 2, 4, 8, … whose single run of `work(n)` takes at least
/// `target`, timing each run once (size on the slower of the versions you compare).
///
/// Panics with an explanation if `work(2^48)` is still shorter than `target`: the
/// work then ignores `n`.
#[track_caller]
pub fn size_work<R>(target: Duration, mut work: impl FnMut(u64) -> R) -> u64 {
    let _one_at_a_time = crate::exclusive::Exclusive::take();
    let mut n = 1u64;
    loop {
        let start = Instant::now();
        std::hint::black_box(work(std::hint::black_box(n)));
        let took = start.elapsed();
        if took >= target {
            return n;
        }
        if n >= LARGEST {
            panic!(
                "size_work: the work took only {} at size {n} (target {}): it does not seem \
                 to grow with its size; check that the function uses the size it is given",
                crate::report::duration(took),
                crate::report::duration(target),
            );
        }
        n *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn size_work_returns_the_first_doubling_that_reaches_the_target() {
        let target = Duration::from_millis(8);
        let runs = RefCell::new(Vec::new());
        let n = size_work(target, |n| {
            let start = Instant::now();
            std::thread::sleep(Duration::from_micros(n * 300));
            runs.borrow_mut().push((n, start.elapsed()));
        });
        let runs = runs.into_inner();
        let (last_n, last_took) = *runs.last().expect("size_work ran the work");
        assert_eq!(last_n, n);
        assert!(last_took >= target, "the chosen size took {last_took:?}");
        assert!(n.is_power_of_two());
        for (i, &(size, took)) in runs.iter().enumerate() {
            assert_eq!(size, 1 << i, "sizes double from 1: {runs:?}");
            assert!(
                size == n || took < target,
                "a smaller size already reached the target: {runs:?}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "does not seem to grow with its size")]
    fn work_that_ignores_its_size_is_reported() {
        size_work(Duration::from_millis(5), |_| ());
    }
}
