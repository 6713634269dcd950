//! Storage: the pool and the SQLite group-commit writer (`db`), the
//! migrations (`migrations`) and every query, one module per what it
//! stores: shoppers and the ledger (`ledger`, `shoppers`, `entries`),
//! vouchers, referrals, orders and refunds (`orders`), the webhook
//! delivery log (`deliveries`) and the platforms' delivery ids
//! (`delivery_ids`), statements run in one round trip (`batch`), program
//! versions and drafts (`programs`), the console's users, sessions and
//! audit rows (`users`, `audit`) and the KPI facts (`kpi`). Its failures
//! are [`Error`]; the HTTP layer alone decides what a client is told about
//! one (`crate::http::error`). Imports neither services nor HTTP.

pub mod audit;
pub mod batch;
pub mod db;
pub mod deliveries;
pub mod delivery_ids;
pub mod entries;
pub mod kpi;
pub mod ledger;
pub mod migrations;
pub mod orders;
pub mod programs;
pub mod referrals;
pub mod shoppers;
pub mod users;
pub mod vouchers;

/// A storage failure: the database's own error, kept for the log.
#[derive(Debug)]
pub struct Error(pub sqlx::Error);

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The database had no room left ([`db::is_storage_full`]): nothing of
    /// the write was kept, and the SQLite writer undoes its whole group.
    pub fn is_full(&self) -> bool {
        db::is_storage_full(&self.0)
    }

    /// A unique key or primary key refused the row: SQLite's
    /// `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY` (2067, 1555), PostgreSQL's
    /// `unique_violation` (23505). Callers decide what the conflict means.
    pub fn is_conflict(&self) -> bool {
        match &self.0 {
            sqlx::Error::Database(d) => matches!(d.code().as_deref(), Some("2067" | "1555" | "23505")),
            _ => false,
        }
    }

    /// A row the caller had just read or written is not there.
    pub fn missing() -> Error {
        Error(sqlx::Error::RowNotFound)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        Error(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}
