//! Program versions: every program ever in force is a row of
//! `program_versions` (append-only), from the file at start-up (`file`),
//! the console's editor (`console`) or a rollback (`rollback`). Publishing
//! validates with the core's native validator (the same messages as
//! `check-config`), refuses a stale form (someone published since the form
//! was built, on any instance: the newest row is read in the publishing
//! transaction) with what changed, records the version and swaps it into
//! the running server (`AppState::program`), so `GET /api/program` and
//! every award from then on use it; nothing already awarded changes.
//! Other instances put it in force within `program_poll_ms`
//! ([`super::program_watch`]).
//!
//! At start-up ([`adopt`]) the newest published version is put in force,
//! unless the program file changed since it was last imported: editing
//! the file is an import. The JSON file stays the import/export format.

use rewards_core::validate::join; // changes are named by the validator's own paths
use serde_json::Value;

use super::audit::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::storage::db::Conn;
use crate::storage::programs::{self as versions, newest_row};
use crate::{App, LoadedProgram};

pub use crate::storage::programs::{list, text_of, text_of_version, VersionRow};

async fn insert(conn: &mut Conn, p: &LoadedProgram, source: &str, actor: &str, at: i64) -> crate::storage::Result<()> {
    versions::insert(conn, &p.version, &p.text, source, actor, at).await
}

/// At start-up: the file's program if it changed since its last import
/// (recorded as a `file` version), else the newest published version.
pub async fn adopt(app: &App) -> Result<(), String> {
    let file = app.program.get();
    let result: ApiResult<Option<String>> = async {
        let mut conn = app.db.read().await?;
        let last_file = versions::last_file_version(&mut conn).await?;
        if last_file.as_deref() != Some(file.version.as_str()) {
            drop(conn);
            let mut w = app.db.write().await?;
            let r = async {
                lock_versions(app, w.conn()).await?;
                insert(w.conn(), file, "file", "file", app.clock.now()).await?;
                Ok(None)
            }
            .await;
            return w.finish(r).await;
        }
        Ok(versions::newest_text(&mut conn).await?)
    }
    .await;
    match result.map_err(|e| e.message)? {
        Some(text) if text != file.text => {
            let p = LoadedProgram::parse(text).map_err(|e| format!("the newest published program no longer validates:\n{e}"))?;
            super::program_watch::put_in_force(app, p);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Why a publish did not happen.
pub enum Refused {
    /// The validator's issues, `(path, message)` as `check-config` prints them.
    Invalid(Vec<(String, String)>),
    /// Someone published since the form was built: what they changed (base → now).
    Stale { now: String, changes: Vec<Change> },
    /// The draft is the program in force.
    Unchanged,
}

/// Validates `text` like `check-config`: the program, or every issue.
pub fn check(text: &str) -> Result<LoadedProgram, Vec<(String, String)>> {
    LoadedProgram::parse(text.to_string()).map_err(|e| match e {
        rewards_core::Error::Invalid(list) => list.into_iter().map(|i| (i.path, i.message)).collect(),
        other => vec![(String::new(), other.to_string())],
    })
}

/// One publish or version swap at a time in this process (the check,
/// the commit and the swap together; [`super::program_watch`] too).
pub(crate) static PUBLISHING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Serialises writers of `program_versions` across instances for the rest
/// of the transaction ([`versions::lock`]).
async fn lock_versions(app: &App, conn: &mut Conn) -> crate::storage::Result<()> {
    versions::lock(&app.db, conn).await
}

/// Publishes `text` if `base` is still the newest published version (read
/// in the publishing transaction, so whichever instance published it):
/// recorded, audited, swapped in. Refused as stale, this instance puts
/// the newest version in force too, so the form it shows next is current.
pub async fn publish(app: &App, actor: &Actor, text: &str, base: &str, source: &'static str) -> ApiResult<Result<String, Refused>> {
    let _one = PUBLISHING.lock().await;
    let current = app.program.get();
    let checked = check(text);
    let now = app.clock.now();
    let mut newest = None;
    let mut w = app.db.write().await?;
    let r: ApiResult<Result<(), Refused>> = async {
        lock_versions(app, w.conn()).await?;
        newest = newest_row(w.conn()).await?;
        // Nothing recorded yet (a server started without `adopt`, as the
        // demo and tests are): the program this instance serves is the newest.
        let (in_force, in_force_text) = match &newest {
            Some((_, v, t)) => (v.clone(), t.as_str()),
            None => (current.version.clone(), current.text.as_str()),
        };
        if in_force != base {
            let before = text_of_version(w.conn(), base).await?.unwrap_or_default();
            return Ok(Err(Refused::Stale { now: in_force, changes: diff_texts(&before, in_force_text) }));
        }
        let loaded = match &checked {
            Ok(p) => p,
            Err(issues) => return Ok(Err(Refused::Invalid(issues.clone()))),
        };
        if loaded.version == in_force {
            return Ok(Err(Refused::Unchanged));
        }
        if newest.is_none() {
            insert(w.conn(), current, "file", "file", now).await?;
        }
        insert(w.conn(), loaded, source, &actor.name, now).await?;
        let detail = format!("{in_force} -> {}", loaded.version);
        let action = if source == "rollback" { "rollback_program" } else { "publish_program" };
        audit::record(w.conn(), now, actor, action, &loaded.version, &detail).await?;
        Ok(Ok(()))
    }
    .await;
    let keep = matches!(r, Ok(Ok(())));
    match w.finish_keeping(r, keep).await? {
        Ok(()) => {
            let loaded = checked.unwrap_or_else(|_| unreachable!("kept only when it validated"));
            let version = loaded.version.clone();
            super::program_watch::put_in_force(app, loaded);
            Ok(Ok(version))
        }
        Err(refused) => {
            if let (Refused::Stale { .. }, Some((seq, _, text))) = (&refused, newest) {
                super::program_watch::adopt_text(app, seq, text);
            }
            Ok(Err(refused))
        }
    }
}

pub async fn save_draft(app: &App, user_id: i64, text: &str) -> ApiResult<String> {
    let id = hex::encode(rand::random::<[u8; 12]>());
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let r = async {
        // Drafts are scratch: a day is long enough for any preview.
        versions::save_draft(w.conn(), &id, user_id, text, now, now - 86_400_000).await?;
        Ok(id)
    }
    .await;
    w.finish(r).await
}

pub async fn draft(app: &App, id: &str) -> ApiResult<Option<String>> {
    let mut conn = app.db.read().await?;
    Ok(versions::draft(&mut conn, id).await?)
}

/// One difference between two programs, at a path in `check-config`'s notation.
#[derive(Debug, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What changed from `a` to `b` (JSON texts), leaf by leaf.
pub fn diff_texts(a: &str, b: &str) -> Vec<Change> {
    let parse = |t: &str| super::program_form::exact_tree(t).unwrap_or(Value::Null);
    let mut out = Vec::new();
    diff(&parse(a), &parse(b), "", &mut out);
    out
}

fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => diff(va, vb, &join(path, k), out),
                    None => out.push(Change { path: join(path, k), before: Some(va.to_string()), after: None }),
                }
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                out.push(Change { path: join(path, k), before: None, after: Some(vb.to_string()) });
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let p = format!("{path}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => diff(va, vb, &p, out),
                    (va, vb) => out.push(Change { path: p, before: va.map(Value::to_string), after: vb.map(Value::to_string) }),
                }
            }
        }
        _ if a != b => out.push(Change { path: path.to_string(), before: Some(a.to_string()), after: Some(b.to_string()) }),
        _ => {}
    }
}

/// Rolls back to version row `seq`: published anew (a `rollback` row), as any publish.
pub async fn rollback(app: &App, actor: &Actor, seq: i64, base: &str) -> ApiResult<Result<String, Refused>> {
    let text = {
        let mut conn = app.db.read().await?;
        text_of(&mut conn, seq).await?.ok_or_else(|| ApiError::not_found("no such program version"))?
    };
    publish(app, actor, &text, base, "rollback").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_each_changed_leaf() {
        let a = r#"{"earning":{"step":10000,"x":1},"tiers":{"levels":[{"id":"a"}]}}"#;
        let b = r#"{"earning":{"step":5000,"y":2},"tiers":{"levels":[{"id":"a"},{"id":"b"}]}}"#;
        let c = diff_texts(a, b);
        let paths: Vec<&str> = c.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["earning.step", "earning.x", "earning.y", "tiers.levels[1]"]);
        assert_eq!(c[0].before.as_deref(), Some("10000"));
        assert_eq!(c[0].after.as_deref(), Some("5000"));
        assert!(diff_texts(a, a).is_empty());
    }
}
