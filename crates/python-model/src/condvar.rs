//! The reference GIL's mutex and condition variables, made the way CPython's
//! `Python/condvar.h` makes them: on POSIX systems, plain `pthread_mutex_t` and
//! `pthread_cond_t`.
//!
//! Why not `std::sync`? The two behave differently exactly where a hand-off of the GIL is
//! decided. CPython creates its mutexes with `pthread_mutex_init(mut, NULL)` (`PyMUTEX_INIT`),
//! and glibc's default mutex does not spin: a thread that finds it locked sleeps in the
//! kernel at once, and the unlocking thread has to wake it. `std::sync::Mutex` spins for a
//! while first, and its hand-offs race differently: on a forced switch the dropping thread
//! usually signalled the waiter before the waiter was back asleep, so the model handed the
//! GIL over in 1 to 3 µs where CPython pays one or two real wake-ups (15 to 30 µs each on
//! the course's 2-core virtual machine). Condition variables are `pthread_cond_t` whose timed
//! waits use the monotonic clock, as `_PyThread_cond_init` (`Python/thread_pthread.h`) sets
//! them up.
//!
//! The calls have the shape of `std::sync::{Mutex, Condvar}` (a guard, `wait`,
//! `wait_timeout`, `notify_one`, `notify_all`), so [`ReferenceGil`](crate::ReferenceGil)
//! reads like a GIL written with std. Where there are no pthreads, std's types stand in.

#[cfg(unix)]
pub(crate) use pthread::{Condvar, Mutex, MutexGuard};
#[cfg(not(unix))]
pub(crate) use std_types::{Condvar, Mutex, MutexGuard};

#[cfg(unix)]
mod pthread {
    use std::cell::UnsafeCell;
    use std::ops::{Deref, DerefMut};
    use std::time::Duration;

    /// `PyMUTEX_T`: a `pthread_mutex_t` with default attributes, guarding a `T`. It is
    /// never poisoned: a guard dropped while unwinding unlocks it like any other.
    pub(crate) struct Mutex<T> {
        /// Boxed, because a pthread mutex must not move once it has been used.
        raw: Box<UnsafeCell<libc::pthread_mutex_t>>,
        data: UnsafeCell<T>,
    }

    // SAFETY: the data is reached only through a guard, and a guard exists only while its
    // thread holds the pthread mutex, so the data moves between threads one at a time.
    unsafe impl<T: Send> Send for Mutex<T> {}
    // SAFETY: as above: the pthread mutex serialises every access to the data.
    unsafe impl<T: Send> Sync for Mutex<T> {}

    impl<T> Mutex<T> {
        /// `PyMUTEX_INIT`, i.e. `pthread_mutex_init(mut, NULL)`, whose static form is
        /// `PTHREAD_MUTEX_INITIALIZER`: glibc's "normal" mutex, which never spins.
        pub(crate) fn new(data: T) -> Self {
            Mutex {
                raw: Box::new(UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER)),
                data: UnsafeCell::new(data),
            }
        }

        /// `PyMUTEX_LOCK`. Like CPython's GIL code, the model never locks one of these
        /// twice on the same thread (a normal mutex would deadlock).
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            // SAFETY: `raw` is an initialised mutex that stays where it is until dropped.
            let r = unsafe { libc::pthread_mutex_lock(self.raw.get()) };
            assert_eq!(r, 0, "pthread_mutex_lock failed with error {r}");
            MutexGuard { mutex: self }
        }
    }

    impl<T> Drop for Mutex<T> {
        fn drop(&mut self) {
            // SAFETY: `&mut self`: no guard is alive, so the mutex is unlocked and unused.
            unsafe { libc::pthread_mutex_destroy(self.raw.get()) };
        }
    }

    impl<T> std::fmt::Debug for Mutex<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Mutex").finish_non_exhaustive()
        }
    }

    /// Proof that the calling thread holds the mutex; unlocks it when dropped
    /// (`PyMUTEX_UNLOCK`).
    pub(crate) struct MutexGuard<'a, T> {
        mutex: &'a Mutex<T>,
    }

    impl<T> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            // SAFETY: this thread holds the mutex for as long as the guard lives.
            unsafe { &*self.mutex.data.get() }
        }
    }

    impl<T> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            // SAFETY: as in `deref`, and `&mut self` makes this the only reference.
            unsafe { &mut *self.mutex.data.get() }
        }
    }

    impl<T> Drop for MutexGuard<'_, T> {
        fn drop(&mut self) {
            // SAFETY: this thread locked the mutex when it made the guard.
            unsafe { libc::pthread_mutex_unlock(self.mutex.raw.get()) };
        }
    }

    /// `PyCOND_T`: a `pthread_cond_t` whose timed waits use the monotonic clock.
    pub(crate) struct Condvar {
        /// Boxed, because a pthread condition variable must not move once used.
        raw: Box<UnsafeCell<libc::pthread_cond_t>>,
    }

    // SAFETY: pthread condition variables are made to be used from many threads at once.
    unsafe impl Send for Condvar {}
    // SAFETY: as above.
    unsafe impl Sync for Condvar {}

    /// The clock of timed waits. `_PyThread_cond_init` selects `CLOCK_MONOTONIC` where
    /// `pthread_condattr_setclock` exists; macOS lacks it and keeps the real-time clock.
    #[cfg(not(target_vendor = "apple"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC;
    #[cfg(target_vendor = "apple")]
    const CLOCK: libc::clockid_t = libc::CLOCK_REALTIME;

    impl Condvar {
        /// `PyCOND_INIT`, i.e. `_PyThread_cond_init`.
        pub(crate) fn new() -> Self {
            let cond = Condvar {
                raw: Box::new(UnsafeCell::new(libc::PTHREAD_COND_INITIALIZER)),
            };
            #[cfg(not(target_vendor = "apple"))]
            // SAFETY: the attributes are initialised before use and destroyed after; the
            // condition variable is in its final place and nobody uses it yet.
            unsafe {
                let mut attr = std::mem::MaybeUninit::<libc::pthread_condattr_t>::uninit();
                assert_eq!(libc::pthread_condattr_init(attr.as_mut_ptr()), 0);
                assert_eq!(libc::pthread_condattr_setclock(attr.as_mut_ptr(), CLOCK), 0);
                assert_eq!(libc::pthread_cond_init(cond.raw.get(), attr.as_ptr()), 0);
                libc::pthread_condattr_destroy(attr.as_mut_ptr());
            }
            cond
        }

        /// `PyCOND_WAIT`: unlocks the guard's mutex, sleeps until signalled (or a spurious
        /// wake-up), locks the mutex again.
        pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            // SAFETY: the guard proves that this thread holds the mutex, as pthread requires.
            let r = unsafe { libc::pthread_cond_wait(self.raw.get(), guard.mutex.raw.get()) };
            assert_eq!(r, 0, "pthread_cond_wait failed with error {r}");
            guard
        }

        /// `PyCOND_TIMEDWAIT`: as [`Condvar::wait`], for at most `timeout`. The flag says
        /// whether the wait timed out.
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            timeout: Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            // `_PyThread_cond_after`: the deadline is now, on the condition's clock, plus
            // the timeout.
            let deadline = deadline_after(timeout);
            // SAFETY: as in `wait`; `deadline` is a valid, normalised timespec.
            let r = unsafe {
                libc::pthread_cond_timedwait(self.raw.get(), guard.mutex.raw.get(), &deadline)
            };
            assert!(
                r == 0 || r == libc::ETIMEDOUT,
                "pthread_cond_timedwait failed with error {r}"
            );
            (guard, r == libc::ETIMEDOUT)
        }

        /// `PyCOND_SIGNAL`: wakes one waiter, if there is one.
        pub(crate) fn notify_one(&self) {
            // SAFETY: an initialised condition variable.
            unsafe { libc::pthread_cond_signal(self.raw.get()) };
        }

        /// `PyCOND_BROADCAST`: wakes every waiter.
        pub(crate) fn notify_all(&self) {
            // SAFETY: an initialised condition variable.
            unsafe { libc::pthread_cond_broadcast(self.raw.get()) };
        }
    }

    impl Drop for Condvar {
        fn drop(&mut self) {
            // SAFETY: `&mut self`: nobody waits on it any more.
            unsafe { libc::pthread_cond_destroy(self.raw.get()) };
        }
    }

    impl std::fmt::Debug for Condvar {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Condvar").finish_non_exhaustive()
        }
    }

    /// Now on [`CLOCK`] plus `timeout`, saturating far in the future.
    fn deadline_after(timeout: Duration) -> libc::timespec {
        let mut deadline = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `deadline` is a valid place for the result; the clock exists.
        unsafe { libc::clock_gettime(CLOCK, &mut deadline) };
        let secs = libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX);
        deadline.tv_sec = deadline.tv_sec.saturating_add(secs);
        // Both below a second, so the sum fits; carry the excess into the seconds.
        deadline.tv_nsec += timeout.subsec_nanos() as libc::c_long;
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_nsec -= 1_000_000_000;
            deadline.tv_sec = deadline.tv_sec.saturating_add(1);
        }
        deadline
    }
}

#[cfg(not(unix))]
mod std_types {
    use std::sync::PoisonError;
    use std::time::Duration;

    pub(crate) use std::sync::MutexGuard;

    /// `std::sync::Mutex`, with poisoning ignored as the pthread version has none.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(std::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub(crate) fn new(data: T) -> Self {
            Mutex(std::sync::Mutex::new(data))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }

    /// `std::sync::Condvar` with the calls of the pthread version.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(std::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Self::default()
        }

        pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(guard).unwrap_or_else(PoisonError::into_inner)
        }

        pub(crate) fn wait_timeout<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            timeout: Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            let (guard, result) = self
                .0
                .wait_timeout(guard, timeout)
                .unwrap_or_else(PoisonError::into_inner);
            (guard, result.timed_out())
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}
