//! The console's users (`admin_users`; a removed user keeps the row with
//! `removed_at`) and their sessions (`admin_sessions`: only the SHA-256 of
//! the cookie's token is stored).

use sqlx::Row;

use super::db::Conn;
use super::Result;

/// A live session's user: (id, email, role code, locale code, the session's CSRF token).
pub async fn session(conn: &mut Conn, token_sha256: &str, now: i64) -> Result<Option<(i64, String, String, String, String)>> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.role, u.locale, s.csrf FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id
         WHERE s.token_sha256 = $1 AND s.expires_at > $2 AND u.removed_at IS NULL",
    )
    .bind(token_sha256)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?)),
        None => None,
    })
}

/// A current user's id and password hash, by email.
pub async fn credentials(conn: &mut Conn, email: &str) -> Result<Option<(i64, String)>> {
    let row = sqlx::query("SELECT id, password_hash FROM admin_users WHERE email = $1 AND removed_at IS NULL")
        .bind(email)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// Opens a session, first deleting every session expired at `now`.
pub async fn open_session(conn: &mut Conn, token_sha256: &str, user_id: Option<i64>, csrf: &str, now: i64, expires_at: i64) -> Result<()> {
    sqlx::query("DELETE FROM admin_sessions WHERE expires_at <= $1").bind(now).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO admin_sessions (token_sha256, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_sha256)
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn close_session(conn: &mut Conn, token_sha256: &str) -> Result<()> {
    sqlx::query("DELETE FROM admin_sessions WHERE token_sha256 = $1").bind(token_sha256).execute(conn).await?;
    Ok(())
}

pub async fn set_locale(conn: &mut Conn, user_id: i64, locale: &str) -> Result<()> {
    sqlx::query("UPDATE admin_users SET locale = $1 WHERE id = $2").bind(locale).bind(user_id).execute(conn).await?;
    Ok(())
}

/// A current user as the owners' page lists them.
pub struct UserRow {
    pub email: String,
    pub role: String,
    pub locale: String,
    pub created_at: i64,
}

/// Every current user, by email.
pub async fn list(conn: &mut Conn) -> Result<Vec<UserRow>> {
    let rows = sqlx::query("SELECT email, role, locale, created_at FROM admin_users WHERE removed_at IS NULL ORDER BY email")
        .fetch_all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(UserRow { email: r.try_get(0)?, role: r.try_get(1)?, locale: r.try_get(2)?, created_at: r.try_get(3)? });
    }
    Ok(out)
}

/// Brings back a removed user with a new password, role and locale; whether there was one.
pub async fn revive(conn: &mut Conn, email: &str, password_hash: &str, role: &str, locale: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE admin_users SET password_hash = $1, role = $2, locale = $3, removed_at = NULL WHERE email = $4 AND removed_at IS NOT NULL",
    )
    .bind(password_hash)
    .bind(role)
    .bind(locale)
    .bind(email)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Adds a user; false when the email is taken.
pub async fn insert(conn: &mut Conn, email: &str, password_hash: &str, role: &str, locale: &str, at: i64) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO admin_users (email, password_hash, role, locale, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(locale)
    .bind(at)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// A current user's new password; false when there is no such user.
pub async fn set_password(conn: &mut Conn, email: &str, password_hash: &str) -> Result<bool> {
    let n = sqlx::query("UPDATE admin_users SET password_hash = $1 WHERE email = $2 AND removed_at IS NULL")
        .bind(password_hash)
        .bind(email)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// Ends every session of the user with this email.
pub async fn close_sessions_of_email(conn: &mut Conn, email: &str) -> Result<()> {
    sqlx::query("DELETE FROM admin_sessions WHERE user_id = (SELECT id FROM admin_users WHERE email = $1)")
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}

/// A current user's id and role code, by email.
pub async fn find(conn: &mut Conn, email: &str) -> Result<Option<(i64, String)>> {
    let row =
        sqlx::query("SELECT id, role FROM admin_users WHERE email = $1 AND removed_at IS NULL").bind(email).fetch_optional(conn).await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// How many current owners there are.
pub async fn owners(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM admin_users WHERE role = 'owner' AND removed_at IS NULL").fetch_one(conn).await?.try_get(0)?)
}

/// Removes a user (no password any more) and ends their sessions.
pub async fn remove(conn: &mut Conn, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE admin_users SET removed_at = $1, password_hash = '!' WHERE id = $2").bind(at).bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM admin_sessions WHERE user_id = $1").bind(id).execute(conn).await?;
    Ok(())
}
