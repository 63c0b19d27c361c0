//! The `main` that every chapter's `examples/picture.rs` shares.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs a chapter's picture program: reads `--out FOLDER` (default `src/img`, the
/// book's), creates the folder, calls `draw` with it, and turns an error into one line
/// on stderr with exit code 1, or 2 for arguments it does not know. `cargo xtask
/// pictures` runs every `solutions/NN-slug/examples/picture.rs` this way.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     timeline::picture_main(|out| std::fs::write(out.join("00-example.svg"), "<svg/>"))
/// }
/// ```
pub fn picture_main(draw: impl FnOnce(&Path) -> std::io::Result<()>) -> ExitCode {
    let out = match out_folder(std::env::args().skip(1)) {
        Ok(out) => out,
        Err(problem) => {
            eprintln!("picture: {problem}\nusage: picture [--out FOLDER]   (default src/img)");
            return ExitCode::from(2);
        }
    };
    match std::fs::create_dir_all(&out).and_then(|()| draw(&out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("picture: {err} (writing to {})", out.display());
            ExitCode::FAILURE
        }
    }
}

/// The folder named by `--out`, or `src/img`.
fn out_folder(mut args: impl Iterator<Item = String>) -> Result<PathBuf, String> {
    let mut out = PathBuf::from("src/img");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a folder")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<PathBuf, String> {
        out_folder(args.iter().map(|a| (*a).to_string()))
    }

    #[test]
    fn reads_the_out_folder_and_refuses_the_rest() {
        assert_eq!(parse(&[]), Ok(PathBuf::from("src/img")));
        assert_eq!(parse(&["--out", "/tmp/p"]), Ok(PathBuf::from("/tmp/p")));
        assert_eq!(parse(&["--out"]), Err("--out needs a folder".to_string()));
        assert_eq!(
            parse(&["--svg"]),
            Err("unknown argument \"--svg\"".to_string())
        );
    }
}
