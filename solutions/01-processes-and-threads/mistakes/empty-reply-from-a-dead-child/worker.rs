//! Mistake: `ask` returns whatever `read_line` left in the buffer, so a child that
//! exited without answering reads as the empty reply `""`.

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
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
        let to_child = child.stdin.take().expect("stdin was asked to be piped");
        let from_child = child.stdout.take().expect("stdout was asked to be piped");
        Ok(ChildWorker { child, to_child, from_child: BufReader::new(from_child) })
    }

    /// Sends a request and returns the line read back, even when none came.
    pub fn ask(&mut self, request: &str) -> io::Result<String> {
        writeln!(self.to_child, "{request}")?;
        self.to_child.flush()?;
        let mut reply = String::new();
        self.from_child.read_line(&mut reply)?;
        Ok(reply.trim_end().to_string())
    }

    /// Closes the child's stdin and waits for it.
    pub fn finish(self) -> io::Result<ExitStatus> {
        let ChildWorker { mut child, to_child, from_child } = self;
        drop(to_child);
        drop(from_child);
        child.wait()
    }
}
