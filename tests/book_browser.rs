//! The book as a reader meets it, in a real browser: headless Chromium (Debian's
//! `chromium` package, which `.ci/run` installs) opens every page of the built book.
//! Blocks that use only std, rayon or tokio show mdBook's Run button, offline too.
//! No page may write to the console (mdBook's own pages write nothing, so any message
//! is a broken script or a missing file); every internal link, anchor and picture
//! resolves; search finds every chapter by its title; the sidebar lists every
//! chapter. Screenshots of two pages are kept in `target/browser-test/`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"));
    target.join("browser-test")
}

/// The book, built once per test run with the course's own builder.
fn book() -> &'static Path {
    static BOOK: OnceLock<PathBuf> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dest = out_dir().join("book");
        let _ = fs::remove_dir_all(&dest);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(root())
            .args(["run", "--quiet", "--package", "xtask-book", "--", "--root"])
            .arg(root())
            .arg("--dest")
            .arg(&dest)
            .stdout(Stdio::null())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the book did not build");
        dest
    })
}

fn chromium() -> PathBuf {
    for candidate in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new("which").arg(candidate).output()
            && out.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    panic!("the browser test needs Chromium: `apt-get install chromium` (.ci/run installs it)");
}

/// What Chromium saw on one page: the DOM after its scripts ran, and console messages.
struct Visit {
    dom: String,
    console: Vec<String>,
}

/// Chromium's flags for a quiet, offline, headless run (as root, in a fresh profile).
fn headless(profile: &Path) -> Command {
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// Runs Chromium with a time limit; a hung browser fails the test instead of hanging it.
/// The output is read while it runs: a page's DOM is larger than a pipe's buffer.
fn run_limited(mut cmd: Command) -> std::process::Output {
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("chromium starts");
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(90)) {
        Ok(out) => out.expect("chromium's output"),
        Err(_) => {
            // SAFETY: signals the chromium we started; it is ours to stop.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("chromium did not finish within 90 s");
        }
    }
}

fn visit(url: &str) -> Visit {
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut cmd = headless(profile.path());
    // Virtual time lets the page's scripts (sidebar, search) finish before the dump.
    cmd.args(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=4000", "--dump-dom", url]);
    let out = run_limited(cmd);
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(|l| l.split_once("] ").map_or(l, |(_, m)| m).to_string())
        .collect();
    Visit { dom: String::from_utf8_lossy(&out.stdout).into_owned(), console }
}

fn url(page: &Path) -> String {
    format!("file://{}", page.display())
}

/// The `.html` pages of the built book: the top level and the chapters' folders.
fn pages() -> Vec<PathBuf> {
    let html_in = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut pages = Vec::new();
    for path in html_in(book()) {
        let is_chapter_folder = path.is_dir()
            && path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.as_bytes().first().is_some_and(u8::is_ascii_digit));
        if is_chapter_folder {
            pages.extend(html_in(&path).into_iter().filter(|p| p.extension().is_some_and(|x| x == "html")));
        } else if path.extension().is_some_and(|x| x == "html") {
            pages.push(path);
        }
    }
    pages.sort();
    pages
}

/// `(title, page)` for every chapter in SUMMARY.md; drafts have no page.
fn summary_entries() -> Vec<(String, Option<String>)> {
    let summary = fs::read_to_string(root().join("src/SUMMARY.md")).expect("src/SUMMARY.md");
    summary
        .lines()
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            let title = l.strip_prefix('[')?.split_once("](")?.0.to_string();
            let target = l.split_once("](")?.1.strip_suffix(')')?.to_string();
            Some((title, (!target.is_empty()).then(|| target.replace(".md", ".html"))))
        })
        .collect()
}

/// Values of `attr="…"` in an HTML text.
fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    values
}

#[test]
fn every_page_loads_without_console_messages_and_its_links_and_pictures_resolve() {
    let pages = pages();
    assert!(pages.len() >= 3, "the book has too few pages: {pages:?}");
    let mut problems = Vec::new();
    let mut run_buttons = 0;
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let seen = visit(&url(page));
        assert!(seen.dom.contains("</html>"), "{name}: chromium returned no page");
        problems.extend(seen.console.iter().map(|m| format!("{name}: console: {m}")));
        let html = fs::read_to_string(page).expect("a built page");
        // Every runnable block shows its Run button once the page's scripts ran,
        // offline too (src/theme/head.hbs answers the playground's crate list).
        let runnable = html.matches("<pre class=\"playground\"").count();
        let shown = seen
            .dom
            .match_indices("<button class=\"play-button\"")
            .filter(|(at, _)| !seen.dom[*at..].split('>').next().unwrap_or("").contains("hidden"))
            .count();
        if shown != runnable {
            problems.push(format!("{name}: {runnable} runnable block(s) but {shown} Run button(s) shown"));
        }
        run_buttons += shown;
        for target in attribute_values(&html, "href").into_iter().chain(attribute_values(&html, "src")) {
            if target.contains("://") || target.starts_with("mailto:") || target.starts_with("javascript:") {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let path = path.split('?').next().unwrap_or("");
            let file = if path.is_empty() { page.clone() } else { page.parent().unwrap().join(path) };
            if !file.exists() {
                problems.push(format!("{name}: {target} does not exist"));
                continue;
            }
            if !fragment.is_empty() && file.extension().is_some_and(|x| x == "html") {
                let text = fs::read_to_string(&file).unwrap_or_default();
                if !text.contains(&format!("id=\"{fragment}\"")) {
                    problems.push(format!("{name}: {target}: no anchor #{fragment} there"));
                }
            }
        }
    }
    println!(
        "browser test: {} pages loaded in headless Chromium, {run_buttons} Run buttons shown offline",
        pages.len()
    );
    assert!(run_buttons > 0, "no block of the book offers the playground's Run button");
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn search_finds_every_chapter_by_its_title() {
    let mut missing = Vec::new();
    let chapters: Vec<(String, String)> =
        summary_entries().into_iter().filter_map(|(t, p)| p.map(|p| (t, p))).collect();
    for (title, page) in &chapters {
        // "01 Processes and threads" is searched as "Processes and threads".
        let words = title.split_once(' ').filter(|(n, _)| n.len() == 2).map_or(title.as_str(), |(_, w)| w);
        let query: String = words.replace(' ', "+").replace(':', "");
        let seen = visit(&format!("{}?search={query}", url(&book().join("index.html"))));
        let results = seen.dom.split("id=\"mdbook-searchresults\"").nth(1).unwrap_or("");
        if !results.contains(&format!("href=\"{page}?highlight=")) {
            missing.push(format!("searching \"{words}\" does not find {page}"));
        }
    }
    println!("browser test: search found {} of {} chapters", chapters.len() - missing.len(), chapters.len());
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_sidebar_lists_every_chapter() {
    let seen = visit(&url(&book().join("index.html")));
    let sidebar: BTreeSet<String> = summary_entries()
        .into_iter()
        .map(|(title, _)| title)
        .filter(|title| !seen.dom.contains(&format!(">{title}<")) && !seen.dom.contains(&format!("{title}</")))
        .collect();
    assert!(sidebar.is_empty(), "chapters missing from the sidebar: {sidebar:?}");
}

#[test]
fn screenshots_of_two_pages_are_kept() {
    let dir = out_dir();
    fs::create_dir_all(&dir).expect("the output folder");
    for (page, file) in [("01-processes-and-threads.html", "01-processes-and-threads.png"), ("00-welcome.html", "00-welcome.png")] {
        let profile = tempfile::tempdir().expect("a profile folder");
        let shot = dir.join(file);
        let _ = fs::remove_file(&shot);
        let mut cmd = headless(profile.path());
        cmd.args(["--window-size=1200,1600", "--virtual-time-budget=2000"])
            .arg(format!("--screenshot={}", shot.display()))
            .arg(url(&book().join(page)));
        run_limited(cmd);
        let size = fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "no screenshot of {page} at {}", shot.display());
        println!("browser test: screenshot {}", shot.display());
    }
}
