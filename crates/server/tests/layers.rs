//! Issue 11, part 5: the server's layers import downward only. Storage
//! (`src/storage/`) names neither services nor HTTP; services
//! (`src/services/`) never name HTTP; the shared leaves below every layer
//! (the error shape, the body field rules, tokens, clock, settings, rate
//! limits) name no layer. Read from the source, so a new upward `use`
//! fails here, whatever it imports.

use std::path::{Path, PathBuf};

/// Everything a layer must not name: `crate::<module>` or `crate::{<module>…}`.
const HTTP: &[&str] = &["http", "console"];
const SERVICES: &[&str] = &["services"];
/// The crate root's request state reaches into every layer.
const ROOT_STATE: &[&str] = &["App", "AppState"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The first path segment after every `crate::` outside comments, with
/// `crate::{a, b::c}` giving `a` and `b`.
fn crate_names(source: &str) -> Vec<(usize, String)> {
    let mut names = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
            if let Some(group) = after.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                names.extend(group.split(',').map(|item| (n + 1, ident(item.trim()))));
            } else {
                names.push((n + 1, ident(after)));
            }
            rest = after;
        }
    }
    names
}

fn upward(files: &[PathBuf], forbidden: &[&[&str]]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(file).unwrap();
        for (line, name) in crate_names(&source) {
            if forbidden.iter().any(|list| list.contains(&name.as_str())) {
                found.push(format!("{}:{line}: crate::{name}", file.display()));
            }
        }
    }
    found
}

#[test]
fn issue_11_layers_import_downward_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = |dir: &str| {
        let mut out = Vec::new();
        rust_files(&src.join(dir), &mut out);
        assert!(!out.is_empty(), "src/{dir} has no Rust files");
        out
    };
    let leaves: Vec<PathBuf> =
        ["error.rs", "body.rs", "token.rs", "clock.rs", "settings.rs", "ratelimit.rs"].iter().map(|f| src.join(f)).collect();

    let mut problems = upward(&files("storage"), &[HTTP, SERVICES, ROOT_STATE]);
    problems.extend(upward(&files("services"), &[HTTP]));
    problems.extend(upward(&leaves, &[HTTP, SERVICES, &["storage", "db", "Db"], ROOT_STATE]));
    assert!(problems.is_empty(), "upward imports (storage < services < http):\n{}", problems.join("\n"));
}

#[test]
fn issue_11_the_layer_check_sees_every_form_of_a_path() {
    let names = |s: &str| crate_names(s).into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    assert_eq!(names("use crate::http::error::json_body;"), ["http"]);
    assert_eq!(names("use crate::{services, App};"), ["services", "App"]);
    assert_eq!(names("    let x = crate::console::i18n::Lang::Vi; crate::http::x()"), ["console", "http"]);
    assert_eq!(names("/// [`crate::http::error`] in a comment"), Vec::<String>::new());
}
