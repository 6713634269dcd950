//! Console users: added, removed, their password reset — from the owner's
//! page (`users_page`) or the command line:
//!
//! ```text
//! rewards-server admin add-user EMAIL --role owner|staff [--lang vi|en]
//! rewards-server admin reset-password EMAIL
//! rewards-server admin remove-user EMAIL
//! ```
//!
//! A password is read from `REWARDS_ADMIN_PASSWORD` or, without it, from
//! the first line of standard input, so it never appears in the process
//! list or the shell history. Every change is audited (the CLI as `cli`).
//! A reset or a removal ends the user's sessions at once. A removed user
//! keeps their row (`removed_at`, migration 9: the program versions they
//! published name them) and can no longer sign in; adding the same email
//! again brings the row back with the new role and password. The last
//! owner cannot be removed.

use super::audit::{self, Actor};
use super::auth::{hash_password, Role, MIN_PASSWORD_CHARS};
use super::i18n::Lang;
use crate::error::ApiError;
use crate::storage::db::Conn;
use crate::storage::users;
use crate::{Clock, Db, Settings};

/// Why a change to the users was refused (the CLI prints it; the page words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotAnEmail,
    ShortPassword,
    Exists,
    NoSuchUser,
    LastOwner,
    Storage(String),
}

impl Refusal {
    pub fn cli_text(&self, email: &str) -> String {
        match self {
            Refusal::NotAnEmail => format!("{email:?} is not an email address"),
            Refusal::ShortPassword => format!("the password must have at least {MIN_PASSWORD_CHARS} characters"),
            Refusal::Exists => format!("a console user {email} exists already"),
            Refusal::NoSuchUser => format!("there is no console user {email}"),
            Refusal::LastOwner => format!("{email} is the last owner: add another owner first"),
            Refusal::Storage(e) => e.clone(),
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Refusal {
        Refusal::Storage(e.message)
    }
}

impl From<crate::storage::Error> for Refusal {
    fn from(e: crate::storage::Error) -> Refusal {
        Refusal::Storage(e.to_string())
    }
}

pub fn normalise_email(email: &str) -> Result<String, Refusal> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(Refusal::NotAnEmail);
    }
    Ok(email)
}

fn checked_hash(password: &str) -> Result<String, Refusal> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Refusal::ShortPassword);
    }
    hash_password(password).map_err(Refusal::Storage)
}

/// One write transaction: `f`'s result, committed only when it is `Ok`.
async fn in_tx<T, F>(db: &Db, f: F) -> Result<T, Refusal>
where
    F: for<'c> FnOnce(&'c mut Conn) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Refusal>> + Send + 'c>>,
{
    let mut w = db.write().await?;
    let result = f(w.conn()).await;
    let keep = result.is_ok();
    // The refusal is kept apart: the transaction only learns whether to commit.
    let (ok, refusal) = match result {
        Ok(v) => (Some(v), None),
        Err(r) => (None, Some(r)),
    };
    w.finish_keeping(Ok(()), keep).await?;
    match (ok, refusal) {
        (Some(v), _) => Ok(v),
        (_, Some(r)) => Err(r),
        _ => Err(Refusal::Storage("no result".into())),
    }
}

/// Adds a user (or brings back a removed one), audited as `actor`.
pub async fn add(db: &Db, now: i64, actor: &Actor, email: &str, role: Role, lang: Lang, password: &str) -> Result<String, Refusal> {
    let email = normalise_email(email)?;
    let hash = checked_hash(password)?;
    let (e, name) = (email.clone(), actor.name.clone());
    let actor = Actor { user_id: actor.user_id, name };
    in_tx(db, move |c| {
        Box::pin(async move {
            if !users::revive(&mut *c, &e, &hash, role.code(), lang.code()).await?
                && !users::insert(&mut *c, &e, &hash, role.code(), lang.code(), now).await?
            {
                return Err(Refusal::Exists);
            }
            audit::record(c, now, &actor, "add_user", &e, role.code()).await?;
            Ok(())
        })
    })
    .await?;
    Ok(format!("console user {email} added ({}, {})", role.code(), lang.code()))
}

/// A new password for a user; their sessions end.
pub async fn reset_password(db: &Db, now: i64, actor: &Actor, email: &str, password: &str) -> Result<String, Refusal> {
    let email = normalise_email(email)?;
    let hash = checked_hash(password)?;
    let e = email.clone();
    let actor = Actor { user_id: actor.user_id, name: actor.name.clone() };
    in_tx(db, move |c| {
        Box::pin(async move {
            if !users::set_password(&mut *c, &e, &hash).await? {
                return Err(Refusal::NoSuchUser);
            }
            users::close_sessions_of_email(&mut *c, &e).await?;
            audit::record(c, now, &actor, "reset_password", &e, "").await?;
            Ok(())
        })
    })
    .await?;
    Ok(format!("password of {email} reset; their sessions ended"))
}

/// Removes a user: no more sign-in, their sessions end. Never the last owner.
pub async fn remove(db: &Db, now: i64, actor: &Actor, email: &str) -> Result<String, Refusal> {
    let email = normalise_email(email)?;
    let e = email.clone();
    let actor = Actor { user_id: actor.user_id, name: actor.name.clone() };
    in_tx(db, move |c| {
        Box::pin(async move {
            let Some((id, role)) = users::find(&mut *c, &e).await? else { return Err(Refusal::NoSuchUser) };
            if role == Role::Owner.code() && users::owners(&mut *c).await? <= 1 {
                return Err(Refusal::LastOwner);
            }
            users::remove(&mut *c, id, now).await?;
            audit::record(c, now, &actor, "remove_user", &e, &role).await?;
            Ok(())
        })
    })
    .await?;
    Ok(format!("console user {email} removed; their sessions ended"))
}

fn cli_actor() -> Actor {
    Actor { user_id: None, name: "cli".into() }
}

/// Creates the user from the command line; the line to print, or why not.
pub async fn add_user(db: &Db, clock: &Clock, email: &str, role: Role, lang: Lang, password: &str) -> Result<String, String> {
    add(db, clock.now(), &cli_actor(), email, role, lang, password).await.map_err(|r| r.cli_text(email.trim()))
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

pub const USAGE: &str = "usage: rewards-server admin add-user EMAIL --role owner|staff [--lang vi|en] [--settings FILE]
       rewards-server admin reset-password EMAIL [--settings FILE]
       rewards-server admin remove-user EMAIL [--settings FILE]
  a password comes from REWARDS_ADMIN_PASSWORD, or else the first line of standard input";

fn read_password() -> Result<String, String> {
    match std::env::var("REWARDS_ADMIN_PASSWORD") {
        Ok(p) => Ok(p),
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| format!("stdin: {e}"))?;
            Ok(line.trim_end_matches(['\r', '\n']).to_string())
        }
    }
}

/// The `admin` subcommand: `args` starts with `admin`.
pub async fn cli(args: &[String]) -> Result<String, String> {
    let command = args.get(1).map(String::as_str);
    let email = args.get(2).filter(|e| !e.starts_with("--")).ok_or(USAGE)?;
    let open = || async {
        let settings = Settings::load(flag(args, "--settings").as_deref().map(std::path::Path::new), &|k| std::env::var(k).ok())?;
        Db::open(&settings).await
    };
    let now = Clock::system().now();
    match command {
        Some("add-user") => {
            let role = flag(args, "--role").as_deref().and_then(Role::from_code).ok_or(USAGE)?;
            let lang = match flag(args, "--lang") {
                None => Lang::Vi,
                Some(l) => Lang::from_code(&l).ok_or(USAGE)?,
            };
            let password = read_password()?;
            add_user(&open().await?, &Clock::system(), email, role, lang, &password).await
        }
        Some("reset-password") => {
            let password = read_password()?;
            reset_password(&open().await?, now, &cli_actor(), email, &password).await.map_err(|r| r.cli_text(email))
        }
        Some("remove-user") => remove(&open().await?, now, &cli_actor(), email).await.map_err(|r| r.cli_text(email)),
        _ => Err(USAGE.into()),
    }
}
