//! The three classes of task, written for you.

use std::fmt;

/// What a task spends its time on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// It computes nearly all the time: a faster CPU, or more of them, makes it faster.
    CpuBound,
    /// It waits nearly all the time (for a disk, the network, a timer): a faster CPU
    /// changes nothing, doing other work during the waits does.
    IoBound,
    /// A good share of both.
    Mixed,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::CpuBound => "CPU-bound",
            Class::IoBound => "I/O-bound",
            Class::Mixed => "mixed",
        })
    }
}
