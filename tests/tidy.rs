//! The rules ARCHITECTURE.md states, as tests: a rule nothing checks drifts. Each test
//! names the rule it holds and, when it fails, the file that broke it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, skipping build output.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && name != "fixtures" {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

/// A workspace crate: its folder, package name, and the course crates it depends on
/// (normal and dev), plus whether it has binaries and which other crates it uses.
struct Member {
    dir: PathBuf,
    name: String,
    deps: BTreeSet<String>,
    has_bins: bool,
    lints_opt_in: bool,
}

fn members() -> Vec<Member> {
    let mut dirs = vec![root().to_path_buf(), root().join("xtask"), root().join("xtask/course"), root().join("xtask/book")];
    for group in ["crates", "exercises", "solutions"] {
        let mut found: Vec<PathBuf> = fs::read_dir(root().join(group))
            .unwrap_or_else(|e| panic!("reading {group}/: {e}"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("Cargo.toml").is_file())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs.into_iter()
        .map(|dir| {
            let text = fs::read_to_string(dir.join("Cargo.toml")).expect("a manifest");
            let manifest: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            let name = manifest["package"]["name"].as_str().expect("a package name").to_string();
            let mut deps = BTreeSet::new();
            for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
                if let Some(t) = manifest.get(table).and_then(|t| t.as_table()) {
                    deps.extend(t.keys().cloned());
                }
            }
            let has_bins = manifest.get("bin").is_some() || dir.join("src/bin").is_dir() || dir.join("src/main.rs").is_file();
            let lints_opt_in = manifest.get("lints").and_then(|l| l.get("workspace")).and_then(|w| w.as_bool()) == Some(true);
            Member { dir, name, deps, has_bins, lints_opt_in }
        })
        .collect()
}

/// The course's own crates, by package name.
const OURS: [&str; 10] = [
    "course",
    "xtask",
    "xtask-book",
    "timing",
    "python-model",
    "timeline",
    "loopback",
    "course-tools",
    "workspace-hack",
    "beyond-the-gil",
];

#[test]
fn crates_depend_only_on_what_the_code_map_allows() {
    // Which of the course's own crates each crate may use (ARCHITECTURE.md, "Code map").
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("timing", &[][..]),
        ("python-model", &[][..]),
        ("loopback", &[][..]),
        ("workspace-hack", &[][..]),
        ("timeline", &["python-model"][..]),
        ("course", &["timing"][..]),
        ("xtask", &["course", "workspace-hack"][..]),
        ("xtask-book", &["course", "workspace-hack"][..]),
        ("course-tools", &["python-model", "timeline", "timing"][..]),
        // The project's tests read the course through its contract, and compile the
        // book's blocks, which may use the support crates.
        ("beyond-the-gil", &["course", "timing", "python-model"][..]),
    ]);
    // Exercises and solutions stand on the support crates, never on the tooling.
    let for_chapters: &[&str] = &["timing", "python-model", "timeline", "loopback", "workspace-hack"];
    let mut problems = Vec::new();
    for m in members() {
        let may = allowed.get(m.name.as_str()).copied().unwrap_or(for_chapters);
        for dep in m.deps.iter().filter(|d| OURS.contains(&d.as_str())) {
            if !may.contains(&dep.as_str()) {
                problems.push(format!("{} depends on {dep}; it may use only {may:?}", rel(&m.dir.join("Cargo.toml"))));
            }
        }
    }
    assert!(problems.is_empty(), "crate dependencies break the code map:\n{}", problems.join("\n"));
}

/// The dependencies (outside the workspace) that `cargo tree` shows for a selection, one
/// `name version [features]` line each: with dev-dependencies for a package whose tests
/// are built (`cargo test -p`), without for one that is built and run (`cargo run -p`).
fn shared_dependencies(package: Option<&str>, with_dev: bool) -> BTreeSet<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(root()).args(["tree", "--prefix", "none", "--format", "{p} [{f}]", "--edges"]);
    cmd.arg(if with_dev { "normal,build,dev" } else { "normal,build" });
    if let Some(package) = package {
        cmd.args(["--package", package]);
    }
    let out = cmd.output().expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let workspace = format!("({}", root().display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty() && !l.contains(&workspace))
        .map(|l| l.replace(" (*)", "").replace(" (proc-macro)", ""))
        .collect()
}

#[test]
fn every_selection_builds_shared_dependencies_once() {
    // Cargo builds a dependency once per set of features; the set depends on the packages
    // a command selects. crates/workspace-hack makes every selection the runner, the
    // learner and the tests make ask for what the root's `cargo test` builds.
    let at_root = shared_dependencies(None, true);
    let mut selections = vec![("xtask", false), ("xtask-book", false)];
    let members = members();
    selections.extend(
        members
            .iter()
            .filter(|m| m.dir.starts_with(root().join("exercises")) || m.dir.starts_with(root().join("solutions")))
            .map(|m| (m.name.as_str(), true)),
    );
    let mut problems = Vec::new();
    for (package, with_dev) in selections {
        for line in shared_dependencies(Some(package), with_dev).difference(&at_root) {
            problems.push(format!("{package}: {line}"));
        }
    }
    assert!(
        problems.is_empty(),
        "these packages build a shared dependency with other features than the root's `cargo test`, so it is built \
twice; add the root's features to crates/workspace-hack/Cargo.toml (`cargo tree --format '{{p}} [{{f}}]'` at the root \
lists them):\n{}",
        problems.join("\n")
    );
}

#[test]
fn support_crates_are_libraries_with_library_dependencies() {
    let mut problems = Vec::new();
    for m in members().iter().filter(|m| ["timing", "python-model", "timeline", "loopback", "course"].contains(&m.name.as_str())) {
        if m.has_bins {
            problems.push(format!("{} has a binary; programs live in crates/tools", m.name));
        }
        for program_dep in ["clap", "serde_json"] {
            if m.deps.contains(program_dep) && !dev_only(m, program_dep) {
                problems.push(format!("{} depends on {program_dep}, a program's dependency", m.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether `dep` appears only among `m`'s dev-dependencies.
fn dev_only(m: &Member, dep: &str) -> bool {
    let text = fs::read_to_string(m.dir.join("Cargo.toml")).expect("a manifest");
    let manifest: toml::Table = toml::from_str(&text).expect("a manifest");
    let in_table = |t: &str| manifest.get(t).and_then(|t| t.as_table()).is_some_and(|t| t.contains_key(dep));
    !in_table("dependencies") && in_table("dev-dependencies")
}

#[test]
fn the_courses_own_crates_take_the_workspace_lints() {
    let missing: Vec<String> = members()
        .iter()
        .filter(|m| OURS.contains(&m.name.as_str()) || m.dir.starts_with(root().join("solutions")))
        .filter(|m| !m.lints_opt_in)
        .map(|m| rel(&m.dir.join("Cargo.toml")))
        .collect();
    assert!(missing.is_empty(), "these manifests lack `[lints] workspace = true`: {missing:?}");
}

#[test]
fn only_the_watchdog_starts_processes_in_the_runner() {
    let clippy = fs::read_to_string(root().join("xtask/clippy.toml")).expect("xtask/clippy.toml");
    for method in ["Command::spawn", "Command::status", "Command::output"] {
        assert!(clippy.contains(&format!("std::process::{method}")), "xtask/clippy.toml must disallow {method}");
    }
    let mut allowed_in = Vec::new();
    for file in rust_files(&root().join("xtask")) {
        let text = fs::read_to_string(&file).expect("a source file");
        if text.contains("allow(clippy::disallowed_methods)") {
            allowed_in.push(rel(&file));
        }
    }
    assert_eq!(allowed_in, ["xtask/course/src/watchdog.rs"], "only the watchdog may start a process");
}

#[test]
fn the_protocol_markers_are_written_once() {
    // `report: ` and `[inconclusive]` are timing's constants; everyone else uses them.
    let mut problems = Vec::new();
    for dir in ["xtask", "crates", "exercises", "solutions", "tests"] {
        for file in rust_files(&root().join(dir)) {
            if file.starts_with(root().join("crates/timing")) || file.ends_with("tests/tidy.rs") {
                continue;
            }
            let text = fs::read_to_string(&file).expect("a source file");
            for (i, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                for marker in ["\"report: ", "[inconclusive]"] {
                    if code.contains(marker) {
                        problems.push(format!("{}:{}: writes {marker:?} by hand", rel(&file), i + 1));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "use timing::report! / timing::REPORT_PREFIX and timing::INCONCLUSIVE:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_source_file_of_the_tooling_says_what_it_holds() {
    let mut undocumented = Vec::new();
    for dir in ["xtask", "crates"] {
        for file in rust_files(&root().join(dir)) {
            let text = fs::read_to_string(&file).expect("a source file");
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let is_module_file = !file.components().any(|c| c.as_os_str() == "tests");
            if is_module_file && !first.starts_with("//!") {
                undocumented.push(rel(&file));
            }
        }
    }
    assert!(undocumented.is_empty(), "these files do not open with a `//!` comment saying what they hold: {undocumented:?}");
}

#[test]
fn the_code_map_names_every_crate_and_its_entry_point() {
    let map = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut missing = Vec::new();
    for m in members().iter().filter(|m| OURS.contains(&m.name.as_str()) && m.name != "beyond-the-gil") {
        let folder = rel(&m.dir);
        if !map.contains(&format!("`{folder}")) {
            missing.push(format!("{folder} (its folder)"));
        }
        let entry = match (m.dir.join("src/lib.rs").is_file(), m.dir.join("src/main.rs").is_file()) {
            (true, _) => "src/lib.rs",
            (false, true) => "src/main.rs",
            (false, false) => "src/bin/",
        };
        if !map.contains(&format!("{folder}/{entry}")) {
            missing.push(format!("{folder}/{entry} (its entry point)"));
        }
    }
    assert!(missing.is_empty(), "ARCHITECTURE.md's code map does not name: {missing:?}");
}

/// Whether `needle` occurs in `line` outside a string literal (an even number of
/// quotes before it).
fn in_code(line: &str, needle: &str) -> bool {
    line.match_indices(needle).any(|(at, _)| line[..at].matches('"').count().is_multiple_of(2))
}

#[test]
fn no_debugging_leftovers_outside_the_stubs() {
    let mut found = Vec::new();
    for dir in ["xtask", "crates", "solutions", "tests"] {
        for file in rust_files(&root().join(dir)) {
            if file.ends_with("tests/tidy.rs") {
                continue;
            }
            let text = fs::read_to_string(&file).expect("a source file");
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if ["dbg!(", "todo!(", "unimplemented!("].iter().any(|m| in_code(code, m)) {
                    found.push(format!("{}:{}", rel(&file), i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "only learner stubs may be unfinished: {found:?}");
}
