//! Issue 11, part 5: the server's layers import downward only. Storage
//! (`src/storage/`) names neither services nor HTTP; services
//! (`src/services/`) never name HTTP; the shared leaves below every layer
//! (the error shape, the body field rules, tokens, clock, settings, rate
//! limits) name no layer. And SQL lives in storage alone: no file outside
//! `src/storage/` names `sqlx` or runs a query. Read from the source, so a
//! new upward `use` or a query in a handler fails here, whatever it does.

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

/// What running a query looks like: sqlx named, or one of its query
/// builder's calls, or a string that starts a SQL statement.
const SQL_SIGNS: &[&str] = &[
    ".fetch_one(",
    ".fetch_optional(",
    ".fetch_all(",
    ".fetch(",
    ".execute(",
    ".bind(",
    "raw_sql(",
    "query_as",
    "query_scalar",
    "\"SELECT ",
    "\"INSERT INTO ",
    "\"UPDATE ",
    "\"DELETE FROM ",
    "\"LOCK TABLE ",
    "\"CREATE ",
];

/// Each line of `source` outside comments that names `sqlx` (as a word)
/// or shows a sign of a query: (line number, the sign).
fn sql_uses(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let names_sqlx =
            line.match_indices("sqlx").any(|(i, _)| !word(line[..i].chars().next_back()) && !word(line[i + 4..].chars().next()));
        if names_sqlx {
            found.push((n + 1, "sqlx".to_string()));
        } else if let Some(sign) = SQL_SIGNS.iter().find(|s| line.contains(**s)) {
            found.push((n + 1, sign.to_string()));
        }
    }
    found
}

/// Every query outside `src/storage/` under `src`.
fn sql_outside_storage(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("storage/") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        for (line, sign) in sql_uses(&source) {
            found.push(format!("src/{relative}:{line}: {sign}"));
        }
    }
    found
}

#[test]
fn issue_11_sql_lives_in_storage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = sql_outside_storage(&src);
    assert!(found.is_empty(), "queries outside src/storage/ (move them into a storage module):\n{}", found.join("\n"));
}

#[test]
fn issue_11_the_sql_check_finds_a_planted_query() {
    let signs = |s: &str| sql_uses(s).into_iter().map(|(_, sign)| sign).collect::<Vec<_>>();
    assert_eq!(signs("use sqlx::Row;"), ["sqlx"]);
    assert_eq!(signs("    let r = sqlx::query(\"SELECT 1\").fetch_one(c).await?;"), ["sqlx"]);
    assert_eq!(signs("    conn: &mut sqlx::AnyConnection,"), ["sqlx"]);
    assert_eq!(signs("        .fetch_optional(&mut *conn)"), [".fetch_optional("]);
    assert_eq!(signs("    q(\"SELECT id FROM shoppers\")"), ["\"SELECT "]);
    assert_eq!(signs("/// what sqlx's `Any` driver does, in a comment"), Vec::<String>::new());
    assert_eq!(signs("let sqlxy = 1; counter.fetch_add(1, Relaxed);"), Vec::<String>::new());

    // A tree with a query in storage (fine), one in a service and one in HTTP (found).
    let root = std::env::temp_dir().join(format!("issue-11-sql-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in [
        ("storage/shoppers.rs", "pub async fn n(c: &mut Conn) { sqlx::query(\"SELECT 1\").fetch_one(c).await; }"),
        ("services/orders.rs", "use sqlx::Row;"),
        ("http/handler.rs", "fn a() {}\nfn b() { let rows = conn.fetch_all(\"DELETE FROM ledger\"); }"),
        ("http/clean.rs", "// sqlx is named in a comment only\nfn c() {}"),
    ] {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let mut found = sql_outside_storage(&root);
    std::fs::remove_dir_all(&root).unwrap();
    found.sort();
    assert_eq!(found, ["src/http/handler.rs:2: .fetch_all(", "src/services/orders.rs:1: sqlx"]);
}
