//! Storage: the pool and the SQLite group-commit writer (`db`), the
//! migrations (`migrations`), the queries on shoppers and the ledger
//! (`ledger`) and the console's audit rows (`audit`). Its failures are [`Error`]; the HTTP layer alone decides
//! what a client is told about one (`crate::http::error`). Imports neither
//! services nor HTTP.

pub mod audit;
pub mod batch;
pub mod db;
pub mod deliveries;
pub mod ledger;
pub mod migrations;
pub mod orders;

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
