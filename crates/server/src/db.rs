//! Storage: one code path over SQLite and PostgreSQL.
//!
//! Why sqlx's `Any` driver: the same runtime (non-macro) queries run on
//! both databases with one set of handlers, so the PostgreSQL deployment
//! cannot drift from the tested SQLite one. Queries use `$1` placeholders
//! (both drivers accept them) and portable SQL (`ON CONFLICT DO NOTHING`,
//! `RETURNING`, `CAST(SUM(..) AS BIGINT)` because PostgreSQL's SUM of a
//! bigint is NUMERIC, which `Any` cannot decode). The only dialect
//! differences are DDL (`schema.rs`) and row locking ([`Db::lock_shopper`]).
//!
//! Writes: SQLite has one writer, so write transactions are queued on an
//! in-process mutex (fair, no busy-retry storms) and start with
//! `BEGIN IMMEDIATE`; PostgreSQL writes lock the shopper row instead, so
//! several stateless instances can share one database.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Transaction};
use std::str::FromStr;
use tokio::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    write_queue: Mutex<()>,
}

/// A write transaction. Dropping it without `commit` rolls back.
pub struct WriteTx<'a> {
    pub tx: Transaction<'static, Any>,
    _queue: Option<MutexGuard<'a, ()>>,
}

impl WriteTx<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies migrations.
    pub async fn connect(url: &str) -> Result<Db, String> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(format!("DATABASE_URL: \"{}\" must start with sqlite: or postgres://", redact(url)));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
            }
            _ => url.to_string(),
        };
        let opts = AnyConnectOptions::from_str(&url).map_err(|e| format!("DATABASE_URL: {e}"))?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL syncs the
                        // WAL on every commit, so an acknowledged write survives
                        // a crash or power loss.
                        for pragma in
                            ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON"]
                        {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(|e| format!("cannot open database {}: {e}", redact(&url)))?;
        let db = Db { pool, backend, write_queue: Mutex::new(()) };
        crate::schema::migrate(&db).await.map_err(|e| format!("migration failed: {e}"))?;
        Ok(db)
    }

    pub async fn write(&self) -> Result<WriteTx<'_>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let guard = self.write_queue.lock().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx { tx, _queue: Some(guard) })
            }
            Backend::Postgres => Ok(WriteTx { tx: self.pool.begin().await?, _queue: None }),
        }
    }

    /// Serialises writers of one shopper (PostgreSQL). SQLite transactions
    /// are already serialised by [`Db::write`].
    pub async fn lock_shopper(&self, conn: &mut AnyConnection, shopper_id: &str) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT id FROM shoppers WHERE id = $1 FOR UPDATE").bind(shopper_id).fetch_optional(conn).await?;
        }
        Ok(())
    }

    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<Any>, sqlx::Error> {
        self.pool.acquire().await
    }
}

/// Hides a password in a database URL before printing it.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Exposed for the integration tests: a raw connection to a database URL.
pub async fn connect_raw(url: &str) -> Result<AnyConnection, sqlx::Error> {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(url).await
}
