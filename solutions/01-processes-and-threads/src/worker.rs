//! The parent's end of a running child.

use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};

/// The parent's end of a running child: its stdin to send requests, its stdout
/// to read replies.
pub struct ChildWorker {
    child: Child,
    to_child: ChildStdin,
    from_child: BufReader<ChildStdout>,
}

impl ChildWorker {
    /// The child's process id, as the operating system knows it.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Starts `command` as a child process whose stdin and stdout are pipes to us.
    pub fn spawn(command: &mut Command) -> io::Result<ChildWorker> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to_child = child.stdin.take().expect("stdin was asked to be piped");
        let from_child = child.stdout.take().expect("stdout was asked to be piped");
        Ok(ChildWorker {
            child,
            to_child,
            from_child: BufReader::new(from_child),
        })
    }

    /// Sends one request line and returns the child's one reply line, without its
    /// line ending. A child that closed its stdout is an error, never a reply.
    pub fn ask(&mut self, request: &str) -> io::Result<String> {
        writeln!(self.to_child, "{request}")?;
        self.to_child.flush()?;
        let mut reply = String::new();
        if self.from_child.read_line(&mut reply)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the child closed its stdout without answering",
            ));
        }
        let answered = reply.trim_end_matches(['\n', '\r']).len();
        reply.truncate(answered);
        Ok(reply)
    }

    /// Closes the child's stdin (it reads end-of-file and stops) and waits for it
    /// to exit.
    pub fn finish(self) -> io::Result<ExitStatus> {
        let ChildWorker {
            mut child,
            to_child,
            from_child,
        } = self;
        drop(to_child);
        drop(from_child);
        child.wait()
    }
}
