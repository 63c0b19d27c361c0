//! Written for you: reaping a worker process that is done, with a time limit. The
//! reference solution compiles this very file.

use std::process::{Child, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// How long a worker that closed its stdout gets to exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Waits for `child`, which closed its stdout, to end; kills it if it is still
/// running after [`EXIT_GRACE`]. Returns its exit status: the child is reaped.
pub(crate) fn reap(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + EXIT_GRACE;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_micros(200)),
            Ok(None) => {
                let _ = child.kill();
                return child
                    .wait()
                    .unwrap_or_else(|e| panic!("could not wait for worker {}: {e}", child.id()));
            }
            Err(e) => panic!("could not wait for worker {}: {e}", child.id()),
        }
    }
}
