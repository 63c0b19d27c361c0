//! A structural check that needs no free core: do k calls of the work run at the same
//! moment?

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A meeting point for the work under test. Each call of the work [`arrive`]s, waits
/// until `wanted` calls are inside at the same moment (at most `patience` in all, for
/// the whole meeting), and counts itself out when its [`Attendance`] drops.
/// [`Meeting::most`] tells how many were ever inside at once.
///
/// Workers on threads of their own meet at once on any machine, however busy: they
/// wait for each other, so no free core is needed. A version that runs the calls one
/// after another never gets past 1, however fast it is, and costs `patience` once.
///
/// ```
/// use std::time::Duration;
/// let meeting = timing::Meeting::new(2, Duration::from_secs(5));
/// std::thread::scope(|s| {
///     s.spawn(|| drop(meeting.arrive()));
///     s.spawn(|| drop(meeting.arrive()));
/// });
/// assert_eq!(meeting.most(), 2);
/// ```
///
/// [`arrive`]: Meeting::arrive
#[derive(Debug)]
pub struct Meeting {
    wanted: usize,
    patience: Duration,
    state: Mutex<Room>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Room {
    inside: usize,
    most: usize,
    /// Since when the first call has been waiting, once one has.
    waiting_since: Option<Instant>,
    /// Set once `wanted` calls met, or once `patience` ran out: nobody waits again.
    over: bool,
}

impl Meeting {
    /// A meeting of `wanted` calls, waiting at most `patience` in all.
    pub fn new(wanted: usize, patience: Duration) -> Meeting {
        Meeting {
            wanted,
            patience,
            state: Mutex::new(Room::default()),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Room> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts the caller in, waits for company while the meeting is not over, and
    /// returns the guard that counts it out.
    pub fn arrive(&self) -> Attendance<'_> {
        let mut room = self.lock();
        room.inside += 1;
        room.most = room.most.max(room.inside);
        if room.inside >= self.wanted {
            room.over = true;
            self.changed.notify_all();
        }
        let since = *room.waiting_since.get_or_insert_with(Instant::now);
        while !room.over {
            let left = self.patience.saturating_sub(since.elapsed());
            if left.is_zero() {
                room.over = true;
                self.changed.notify_all();
                break;
            }
            room = self
                .changed
                .wait_timeout(room, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Attendance { meeting: self }
    }

    /// The most calls that were inside at the same moment.
    pub fn most(&self) -> usize {
        self.lock().most
    }
}

/// A call inside a [`Meeting`]; dropping it counts the call out.
#[must_use = "the call counts as inside until this is dropped"]
#[derive(Debug)]
pub struct Attendance<'a> {
    meeting: &'a Meeting,
}

impl Drop for Attendance<'_> {
    fn drop(&mut self) {
        self.meeting.lock().inside -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_one_after_another_never_meet_and_wait_once() {
        let meeting = Meeting::new(2, Duration::from_millis(50));
        let start = Instant::now();
        for _ in 0..5 {
            drop(meeting.arrive());
        }
        assert_eq!(meeting.most(), 1);
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(50) && waited < Duration::from_secs(2),
            "{waited:?}"
        );
    }

    #[test]
    fn threads_meet_without_waiting_out_the_patience() {
        let meeting = Meeting::new(3, Duration::from_secs(30));
        let start = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| drop(meeting.arrive()));
            }
        });
        assert_eq!(meeting.most(), 3);
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
