//! The functions of a Rust source file, found by their braces: enough to set a
//! learner's function beside the reference's, without a parser. A function is named
//! with its `impl` (`Pool::map`) so methods of different types do not meet.

/// One function: its qualified name and its text, from the `fn` line to the closing brace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub text: String,
}

/// Every function with a body in `source`, in order.
pub fn functions(source: &str) -> Vec<Function> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    // (brace depth at which an impl's body opened, the impl's type)
    let mut impls: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < lines.len() {
        let code = strip_comment(lines[i]);
        let trimmed = code.trim_start();
        if let Some(ty) = impl_type(trimmed) {
            impls.push((depth, ty));
        }
        if let Some(name) = fn_name(trimmed)
            && let Some(end) = body_end(&lines, i) {
                let owner = impls.last().map(|(_, ty)| format!("{ty}::")).unwrap_or_default();
                found.push(Function { name: format!("{owner}{name}"), text: lines[i..=end].join("\n") });
                // The body is skipped whole: its braces balance.
                i = end + 1;
                continue;
            }
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if impls.last().is_some_and(|(d, _)| *d == depth) {
                        impls.pop();
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    found
}

/// The line without a `//` comment (string contents are rare enough in signatures).
fn strip_comment(line: &str) -> &str {
    match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    }
}

/// `impl Foo {`, `impl<T> Trait for Foo<T> {` → `Foo`.
fn impl_type(line: &str) -> Option<String> {
    let rest = line.strip_prefix("impl")?;
    if !(rest.starts_with(' ') || rest.starts_with('<')) {
        return None;
    }
    let head = rest.split('{').next()?.split(" where ").next()?;
    let ty = head.rsplit(" for ").next()?.trim();
    // Leading generics of the impl itself: `<T> Foo<T>`.
    let ty = if ty.starts_with('<') {
        let mut level = 0;
        let cut = ty.char_indices().find(|&(_, c)| {
            match c {
                '<' => level += 1,
                '>' => level -= 1,
                _ => {}
            }
            level == 0
        });
        cut.map_or(ty, |(at, _)| ty[at + 1..].trim())
    } else {
        ty
    };
    let name: String = ty.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The name of a function declared on this line.
fn fn_name(line: &str) -> Option<String> {
    let at = line.find("fn ")?;
    let before = &line[..at];
    let allowed = ["pub", "pub(crate)", "pub(super)", "async", "const", "unsafe", "extern"];
    if !before.split_whitespace().all(|w| allowed.contains(&w) || w.starts_with("pub(")) {
        return None;
    }
    let name: String = line[at + 3..].trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The line of the brace that closes the body starting at or after line `start`; `None`
/// for a declaration without a body (`fn f();` in a trait).
fn body_end(lines: &[&str], start: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut opened = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        for c in strip_comment(line).chars() {
            match c {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth -= 1,
                ';' if !opened && depth == 0 => return None,
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_found_with_their_impl_and_whole_bodies() {
        let src = "\
pub fn free(a: u32) -> u32 {
    if a > 1 { a } else { 1 }
}

impl<T: Clone> Pool<T> {
    /// Docs.
    pub fn map(&self) -> Vec<T> {
        Vec::new()
    }
}

trait Gil {
    fn take(&self);
}

impl Gil for Mine {
    fn take(&self) {
        // { a brace in a comment
    }
}
";
        let found = functions(src);
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["free", "Pool::map", "Mine::take"]);
        assert_eq!(found[1].text, "    pub fn map(&self) -> Vec<T> {\n        Vec::new()\n    }");
    }
}
