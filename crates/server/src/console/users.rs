//! `rewards-server admin add-user EMAIL --role owner|staff [--lang vi|en]`:
//! creates a console user (the first owner, on a new install). The
//! password is read from `REWARDS_ADMIN_PASSWORD` or, without it, from
//! the first line of standard input, so it never appears in the process
//! list or the shell history. Recorded in the audit log as `cli`.

use super::audit::{self, Actor};
use super::auth::{hash_password, Role, MIN_PASSWORD_CHARS};
use super::i18n::Lang;
use crate::{Clock, Db, Settings};

/// Creates the user; the line to print, or why not.
pub async fn add_user(db: &Db, clock: &Clock, email: &str, role: Role, lang: Lang, password: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(format!("{email:?} is not an email address"));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("the password must have at least {MIN_PASSWORD_CHARS} characters"));
    }
    let hash = hash_password(password)?;
    let now = clock.now();
    let mut w = db.write().await.map_err(|e| e.to_string())?;
    let result = async {
        let inserted = sqlx::query(
            "INSERT INTO admin_users (email, password_hash, role, locale, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&email)
        .bind(&hash)
        .bind(role.code())
        .bind(lang.code())
        .bind(now)
        .execute(w.conn())
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(crate::error::ApiError::conflict(format!("a console user {email} exists already")));
        }
        audit::record(w.conn(), now, &Actor { user_id: None, name: "cli".into() }, "add_user", &email, role.code()).await?;
        Ok(())
    }
    .await;
    w.finish(result).await.map_err(|e| e.message)?;
    Ok(format!("console user {email} added ({}, {})", role.code(), lang.code()))
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

pub const USAGE: &str = "usage: rewards-server admin add-user EMAIL --role owner|staff [--lang vi|en] [--settings FILE]
  the password comes from REWARDS_ADMIN_PASSWORD, or else the first line of standard input";

/// The `admin` subcommand: `args` starts with `admin`.
pub async fn cli(args: &[String]) -> Result<String, String> {
    if args.get(1).map(String::as_str) != Some("add-user") {
        return Err(USAGE.into());
    }
    let email = args.get(2).filter(|e| !e.starts_with("--")).ok_or(USAGE)?;
    let role = flag(args, "--role").as_deref().and_then(Role::from_code).ok_or(USAGE)?;
    let lang = match flag(args, "--lang") {
        None => Lang::Vi,
        Some(l) => Lang::from_code(&l).ok_or(USAGE)?,
    };
    let password = match std::env::var("REWARDS_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| format!("stdin: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let settings = Settings::load(flag(args, "--settings").as_deref().map(std::path::Path::new), &|k| std::env::var(k).ok())?;
    let db = Db::open(&settings).await?;
    add_user(&db, &Clock::system(), email, role, lang, &password).await
}
