//! Written for you: `cargo run -q -p ex09-io-bound-showdown --bin ch09-showdown` runs the
//! showdown (20 pages of 50 ms, 10 threads or processes, best of 3) against a loopback
//! server of its own and prints your `technique_table`.

use io_bound_showdown::{Showdown, measure, technique_table};

fn main() {
    // The process client runs `ch09-fetch`, built next to this program.
    let fetcher = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("ch09-fetch")))
        .filter(|path| path.is_file());
    let Some(fetcher) = fetcher else {
        eprintln!(
            "ch09-showdown: cannot find ch09-fetch next to this program; build both with \
             `cargo build -p ex09-io-bound-showdown`"
        );
        std::process::exit(2);
    };
    match measure(&fetcher, &Showdown::default()) {
        Ok(rows) => print!("{}", technique_table(&rows)),
        Err(e) => {
            eprintln!("ch09-showdown: {e}");
            std::process::exit(1);
        }
    }
}
