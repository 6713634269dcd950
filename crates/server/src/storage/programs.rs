//! Program versions (`program_versions`, append-only: every program ever
//! in force, from the file, the console or a rollback) and the editor's
//! scratch drafts (`program_drafts`).

use sqlx::Row;

use super::db::{Backend, Conn, Db};
use super::Result;

pub struct VersionRow {
    pub seq: i64,
    pub version: String,
    pub source: String,
    pub actor: String,
    pub at: i64,
}

/// Newest first.
pub async fn list(conn: &mut Conn, limit: i64) -> Result<Vec<VersionRow>> {
    let rows = sqlx::query("SELECT seq, version, source, actor, at FROM program_versions ORDER BY seq DESC LIMIT $1")
        .bind(limit)
        .fetch_all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(VersionRow { seq: r.try_get(0)?, version: r.try_get(1)?, source: r.try_get(2)?, actor: r.try_get(3)?, at: r.try_get(4)? });
    }
    Ok(out)
}

pub async fn text_of(conn: &mut Conn, seq: i64) -> Result<Option<String>> {
    let r = sqlx::query("SELECT text FROM program_versions WHERE seq = $1").bind(seq).fetch_optional(conn).await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}

/// The text of the newest row with this version string.
pub async fn text_of_version(conn: &mut Conn, version: &str) -> Result<Option<String>> {
    let r = sqlx::query("SELECT text FROM program_versions WHERE version = $1 ORDER BY seq DESC LIMIT 1")
        .bind(version)
        .fetch_optional(conn)
        .await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}

/// The version string last imported from the program file.
pub async fn last_file_version(conn: &mut Conn) -> Result<Option<String>> {
    let r =
        sqlx::query("SELECT version FROM program_versions WHERE source = 'file' ORDER BY seq DESC LIMIT 1").fetch_optional(conn).await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}

/// The newest row's text.
pub async fn newest_text(conn: &mut Conn) -> Result<Option<String>> {
    let r = sqlx::query("SELECT text FROM program_versions ORDER BY seq DESC LIMIT 1").fetch_optional(conn).await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}

/// The newest row: `(seq, version)`.
pub async fn newest(conn: &mut Conn) -> Result<Option<(i64, String)>> {
    let row = sqlx::query("SELECT seq, version FROM program_versions ORDER BY seq DESC LIMIT 1").fetch_optional(conn).await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// The newest row: seq, version and text.
pub async fn newest_row(conn: &mut Conn) -> Result<Option<(i64, String, String)>> {
    let row = sqlx::query("SELECT seq, version, text FROM program_versions ORDER BY seq DESC LIMIT 1").fetch_optional(conn).await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)),
        None => None,
    })
}

pub async fn insert(conn: &mut Conn, version: &str, text: &str, source: &str, actor: &str, at: i64) -> Result<()> {
    sqlx::query("INSERT INTO program_versions (version, text, source, actor, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(version)
        .bind(text)
        .bind(source)
        .bind(actor)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Serialises writers of `program_versions` across instances, for the rest
/// of the transaction: the newest row read after it stays the newest until
/// the commit. On PostgreSQL a table lock that plain reads pass (read
/// committed: the next statement sees whatever a publish before it
/// committed). On SQLite every write transaction already holds the file's
/// one write lock (`BEGIN IMMEDIATE`), against other processes too.
pub async fn lock(db: &Db, conn: &mut Conn) -> Result<()> {
    if db.backend == Backend::Postgres {
        sqlx::query("LOCK TABLE program_versions IN SHARE ROW EXCLUSIVE MODE").execute(conn).await?;
    }
    Ok(())
}

/// Saves a draft, deleting drafts written before `expired_before`.
pub async fn save_draft(conn: &mut Conn, id: &str, user_id: i64, text: &str, at: i64, expired_before: i64) -> Result<()> {
    sqlx::query("DELETE FROM program_drafts WHERE at < $1").bind(expired_before).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO program_drafts (id, user_id, text, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(user_id)
        .bind(text)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn draft(conn: &mut Conn, id: &str) -> Result<Option<String>> {
    let r = sqlx::query("SELECT text FROM program_drafts WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}
