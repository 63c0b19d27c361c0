// Expanding mdBook's `{{#include}}`, shared by the root `build.rs` (which turns pages
// into doctests) and `tests/pages.rs` (which reads pages as a reader sees them), each
// through `include!`.

/// Expands `{{#include path}}` and `{{#include path:anchor}}` in one line, `path`
/// relative to `dir`, as mdBook does; `seen` is told every file included.
fn expand_includes(line: &str, dir: &std::path::Path, seen: &mut dyn FnMut(&std::path::Path)) -> String {
    let Some(start) = line.find("{{#include ") else { return line.to_string() };
    let Some(len) = line[start..].find("}}") else { return line.to_string() };
    let spec = line[start + "{{#include ".len()..start + len].trim();
    let (file, anchor) = match spec.split_once(':') {
        Some((f, a)) => (f, Some(a)),
        None => (spec, None),
    };
    let path = dir.join(file);
    seen(&path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{{{{#include {spec}}}}}: {e}"));
    let body = match anchor {
        None => text,
        Some(anchor) => {
            let begin = format!("ANCHOR: {anchor}");
            let end = format!("ANCHOR_END: {anchor}");
            let mut inside = false;
            let mut kept = Vec::new();
            for l in text.lines() {
                if l.contains(&end) {
                    break;
                }
                if inside && !l.contains("ANCHOR") {
                    kept.push(l);
                }
                if l.contains(&begin) {
                    inside = true;
                }
            }
            kept.join("\n")
        }
    };
    format!("{}{}{}", &line[..start], body, &line[start + len + 2..])
}
