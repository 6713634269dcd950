//! The console's audit log rows (`admin_audit`, append-only): who did
//! what to which target, written in the same transaction as the action.

use sqlx::AnyConnection;

/// Who did it: a console user, or the command line (`user_id` None).
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

pub async fn record(conn: &mut AnyConnection, at: i64, actor: &Actor, action: &str, target: &str, detail: &str) -> Result<(), sqlx::Error> {
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
