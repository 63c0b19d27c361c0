//! The book as a reader meets it, in a real browser: headless Chromium (Debian's
//! `chromium` package, which `.ci/run` installs) opens every page of the built book.
//! Blocks that use only std, rayon or tokio show mdBook's Run button, offline too.
//! No page may write to the console, throw, or fail to load a file (mdBook's own pages
//! do none of these, so any message is a broken script or a missing file); every
//! internal link, anchor and picture resolves; search finds every chapter by its title;
//! the sidebar lists every chapter. Screenshots of two pages are kept in
//! `target/browser-test/`.
//!
//! Each test drives one Chromium over the DevTools protocol and waits, page by page,
//! until the scripts have done what it looks at. A Chromium started per page took 218 s
//! for the book's 83 pages and 87 searches on 2 cores; one browser per test takes 25 to 27.
//! A page's messages are read once it has been left, so a timer that fires after the
//! page was judged (none of mdBook's scripts sets one at load) is not seen.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, PipeWriter, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

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

/// How long Chromium may take to answer one command, or a page to load.
const ANSWER_LIMIT: Duration = Duration::from_secs(30);
/// How long a page's scripts get to reach the state a test looks at.
const SCRIPTS_LIMIT: Duration = Duration::from_secs(10);

/// One headless Chromium that visits page after page, driven over the DevTools protocol
/// on a pipe (`--remote-debugging-pipe`: it reads commands on fd 3 and writes answers and
/// events on fd 4, each a JSON text ended by a NUL byte). Starting Chromium costs about a
/// second of CPU and a page in a running one about a tenth of that, so a test starts one
/// browser for all its pages rather than one per page. Dropping it kills the browser.
struct Browser {
    child: Child,
    commands: PipeWriter,
    messages: Receiver<Value>,
    /// Events read while waiting for an answer, not yet looked at.
    events: Vec<Value>,
    next_id: u64,
    /// The one tab's session.
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let profile = tempfile::tempdir().expect("a profile folder");
        let (their_commands, commands) = std::io::pipe().expect("a pipe");
        let (answers, their_answers) = std::io::pipe().expect("a pipe");
        let mut cmd = headless(profile.path());
        cmd.args(["--remote-debugging-pipe", "about:blank"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (read_end, write_end) = (their_commands.as_raw_fd(), their_answers.as_raw_fd());
        // SAFETY: between fork and exec only fcntl and dup2 run, which are async-signal-safe.
        // The pipe ends are first copied above fd 10, so placing them at 3 and 4 cannot
        // overwrite one with the other; copies made by dup2 do not close on exec.
        unsafe {
            cmd.pre_exec(move || {
                let read_copy = libc::fcntl(read_end, libc::F_DUPFD, 10);
                let write_copy = libc::fcntl(write_end, libc::F_DUPFD, 10);
                if read_copy < 0 || write_copy < 0 || libc::dup2(read_copy, 3) < 0 || libc::dup2(write_copy, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("chromium starts");
        // Our copies of Chromium's ends must go, so that its exit ends our reads.
        drop((their_commands, their_answers));
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut answers = BufReader::new(answers);
            loop {
                let mut text = Vec::new();
                match answers.read_until(0, &mut text) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        text.pop();
                        let message = serde_json::from_slice(&text).expect("chromium writes JSON");
                        if sender.send(message).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let mut browser =
            Browser { child, commands, messages, events: Vec::new(), next_id: 0, session: String::new(), _profile: profile };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached =
            browser.call("Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true }));
        browser.session = attached["sessionId"].as_str().expect("a session id").to_string();
        // Page: load events; Runtime: console calls and uncaught exceptions; Log: what the
        // browser itself reports, such as a file that failed to load.
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.call(domain, json!({}));
        }
        browser
    }

    /// The next message from Chromium, or a failed test if none comes in time.
    fn receive(&mut self, waiting_for: &str) -> Value {
        match self.messages.recv_timeout(ANSWER_LIMIT) {
            Ok(message) => message,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("chromium sent nothing for {} s while the test waited for {waiting_for}", ANSWER_LIMIT.as_secs())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!(
                "chromium's pipe closed while the test waited for {waiting_for}: chromium exited, or wrote something \
                 that is not JSON"
            ),
        }
    }

    /// Sends one command (to the tab, once there is one) and returns its result.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            command["sessionId"] = json!(self.session);
        }
        let mut text = serde_json::to_vec(&command).expect("a command serialises");
        text.push(0);
        self.commands.write_all(&text).expect("chromium reads its commands");
        loop {
            let message = self.receive(method);
            if message["id"] == id {
                assert!(message.get("error").is_none(), "chromium refused {method}: {}", message["error"]);
                return message["result"].clone();
            }
            self.events.push(message);
        }
    }

    fn wait_for_event(&mut self, method: &str) {
        let deadline = Instant::now() + ANSWER_LIMIT;
        loop {
            if let Some(at) = self.events.iter().position(|e| e["method"] == method) {
                self.events.remove(at);
                return;
            }
            assert!(Instant::now() < deadline, "chromium did not send {method} within {} s", ANSWER_LIMIT.as_secs());
            let message = self.receive(method);
            self.events.push(message);
        }
    }

    /// A JavaScript expression's value in the page.
    fn evaluate(&mut self, expression: &str) -> Value {
        let answer = self.call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }));
        assert!(answer.get("exceptionDetails").is_none(), "`{expression}` threw: {}", answer["exceptionDetails"]);
        answer["result"]["value"].clone()
    }

    /// Loads `url`, waits until the JavaScript condition `ready` holds (or the scripts'
    /// time is up; the test then judges what the page shows), and returns what it saw.
    fn visit(&mut self, url: &str, ready: &str) -> Visit {
        self.open(url, ready);
        let dom = self.evaluate("document.documentElement.outerHTML").as_str().unwrap_or_default().to_string();
        // Leave the page before reading its messages: a late one (a favicon that failed to
        // load) would otherwise be read as the next page's.
        self.call("Page.navigate", json!({ "url": "about:blank" }));
        self.wait_for_event("Page.loadEventFired");
        let console = self.events.drain(..).filter_map(|e| console_message(&e)).collect();
        Visit { dom, console }
    }

    /// Loads `url` and waits until `ready` holds or the scripts' time is up.
    fn open(&mut self, url: &str, ready: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        let navigated = self.call("Page.navigate", json!({ "url": url }));
        if let Some(error) = navigated.get("errorText") {
            panic!("chromium could not open {url}: {error}");
        }
        self.wait_for_event("Page.loadEventFired");
        self.wait_until(ready);
    }

    fn wait_until(&mut self, ready: &str) {
        let deadline = Instant::now() + SCRIPTS_LIMIT;
        while self.evaluate(ready) != json!(true) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A console call, an uncaught exception or a browser log entry, in one line.
fn console_message(event: &Value) -> Option<String> {
    let params = &event["params"];
    match event["method"].as_str()? {
        "Runtime.consoleAPICalled" => {
            let args: Vec<String> = params["args"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| a["value"].as_str().map_or_else(|| a["description"].to_string(), str::to_string))
                .collect();
            Some(format!("console.{}: {}", params["type"].as_str().unwrap_or("?"), args.join(" ")))
        }
        "Runtime.exceptionThrown" => {
            let details = &params["exceptionDetails"];
            let what = details["exception"]["description"].as_str().or(details["text"].as_str()).unwrap_or("?");
            Some(format!("uncaught: {what} ({}:{})", details["url"].as_str().unwrap_or("?"), details["lineNumber"]))
        }
        "Log.entryAdded" => {
            let entry = &params["entry"];
            Some(format!(
                "{} {}: {} ({})",
                entry["source"].as_str().unwrap_or("?"),
                entry["level"].as_str().unwrap_or("?"),
                entry["text"].as_str().unwrap_or("?"),
                entry["url"].as_str().unwrap_or("")
            ))
        }
        _ => None,
    }
}

/// Runs Chromium with a time limit; a hung browser fails the test instead of hanging it.
fn run_limited(mut cmd: Command) -> std::process::Output {
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("chromium starts");
    let pid = child.id() as i32;
    let (tx, rx) = mpsc::channel();
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

/// The page's scripts have shown a Run button for every runnable block.
const RUN_BUTTONS_SHOWN: &str = "document.querySelectorAll('pre.playground').length === \
    [...document.querySelectorAll('button.play-button')].filter(b => !b.classList.contains('hidden')).length";
/// The sidebar's script has written the chapter list.
const SIDEBAR_FILLED: &str = "document.querySelectorAll('mdbook-sidebar-scrollbox a').length > 0";

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
    let mut browser = Browser::start();
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let seen = browser.visit(&url(page), RUN_BUTTONS_SHOWN);
        assert!(seen.dom.contains("</html>"), "{name}: chromium returned no page");
        // mdBook writes 404.html for a web server, which answers every missing path with it,
        // so its links start at the site's root (`site-url`); opened as a file, they point at
        // the file system's root. The reader never opens it as a file.
        if name != "404.html" {
            problems.extend(seen.console.iter().map(|m| format!("{name}: console: {m}")));
        }
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
    // The first title is searched as a link does it (`index.html?search=…`), the others as
    // a reader types them: the search index (1.5 MB of script) then loads once, not once
    // per title.
    let mut missing = Vec::new();
    let mut browser = Browser::start();
    let chapters: Vec<(String, String)> =
        summary_entries().into_iter().filter_map(|(t, p)| p.map(|p| (t, p))).collect();
    for (i, (title, page)) in chapters.iter().enumerate() {
        // "01 Processes and threads" is searched as "Processes and threads".
        let words = title.split_once(' ').filter(|(n, _)| n.len() == 2).map_or(title.as_str(), |(_, w)| w);
        let words = words.replace(':', "");
        let term = serde_json::to_string(&words).expect("a JavaScript string");
        // mdBook's answer names the term: "3 search results for 'Processes and threads':".
        let answered = format!(
            "(document.getElementById('mdbook-searchresults-header')?.textContent ?? '').includes(\"'\" + {term} + \"'\")"
        );
        if i == 0 {
            let link = format!("{}?search={}", url(&book().join("index.html")), words.replace(' ', "+"));
            browser.open(&link, &answered);
        } else {
            browser.evaluate(&format!(
                "(() => {{ const bar = document.getElementById('mdbook-searchbar'); bar.value = {term}; \
                 bar.dispatchEvent(new KeyboardEvent('keyup')); return true; }})()"
            ));
            browser.wait_until(&answered);
        }
        let results = browser.evaluate("document.getElementById('mdbook-searchresults')?.outerHTML ?? ''");
        let results = results.as_str().unwrap_or_default();
        if !results.contains(&format!("href=\"{page}?highlight=")) {
            missing.push(format!("searching \"{words}\" does not find {page}"));
        }
    }
    println!("browser test: search found {} of {} chapters", chapters.len() - missing.len(), chapters.len());
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_sidebar_lists_every_chapter() {
    let seen = Browser::start().visit(&url(&book().join("index.html")), SIDEBAR_FILLED);
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
