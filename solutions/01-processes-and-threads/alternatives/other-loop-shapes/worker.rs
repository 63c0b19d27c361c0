//! The parent's end, reading replies through `lines()`.

use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};

/// The parent's end of a running child.
pub struct ChildWorker {
    child: Child,
    to_child: ChildStdin,
    from_child: BufReader<ChildStdout>,
}

impl ChildWorker {
    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Starts `command` with pipes for stdin and stdout.
    pub fn spawn(command: &mut Command) -> io::Result<ChildWorker> {
        command.stdin(Stdio::piped());
        command.stdout(Stdio::piped());
        let mut child = command.spawn()?;
        match (child.stdin.take(), child.stdout.take()) {
            (Some(to_child), Some(from_child)) => Ok(ChildWorker { child, to_child, from_child: BufReader::new(from_child) }),
            _ => Err(io::Error::other("the child was started without pipes")),
        }
    }

    /// One request, one reply; end of file is an error.
    pub fn ask(&mut self, request: &str) -> io::Result<String> {
        self.to_child.write_all(format!("{request}\n").as_bytes())?;
        match (&mut self.from_child).lines().next() {
            Some(reply) => reply,
            None => Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no reply: the child's stdout is closed")),
        }
    }

    /// Closes the child's stdin, then waits for it.
    pub fn finish(mut self) -> io::Result<ExitStatus> {
        drop(self.to_child);
        self.child.wait()
    }
}
