//! The console's audit log rows (`admin_audit`, append-only): who did
//! what to which target, written in the same transaction as the action.

use sqlx::AnyConnection;

/// Who did it: a console user, or the command line (`user_id` None).
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

pub async fn record(conn: &mut AnyConnection, at: i64, actor: &Actor, action: &str, target: &str, detail: &str) -> super::Result<()> {
    sqlx::query("INSERT INTO admin_audit (at, user_id, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(at)
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// One audit row as the owners' page shows it.
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// The newest `limit` rows, newest first.
pub async fn newest(conn: &mut AnyConnection, limit: i64) -> super::Result<Vec<AuditRow>> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT at, actor, action, target, detail FROM admin_audit ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(AuditRow { at: r.try_get(0)?, actor: r.try_get(1)?, action: r.try_get(2)?, target: r.try_get(3)?, detail: r.try_get(4)? });
    }
    Ok(out)
}
