//! A console action and its audit row in one write: the action's
//! statements, then (when it did something) who did it, kept together or
//! not at all, answered once durable.

use crate::error::ApiResult;
use crate::storage::audit::{record, Actor};
use crate::storage::db::{Db, WriteTx};

/// What the audit row says about an action that was done.
pub struct Audit<'a> {
    pub at: i64,
    pub actor: &'a Actor,
    pub action: &'a str,
    pub target: &'a str,
}

/// Runs `action` on one write. It answers its value and the audit row's
/// detail (`None`: it found nothing to do, so no row, as a repeated
/// request). An error undoes the whole write, audit row included.
pub async fn write<T>(db: &Db, audit: Audit<'_>, action: impl AsyncFnOnce(&mut WriteTx) -> ApiResult<(T, Option<String>)>) -> ApiResult<T> {
    let mut w = db.write().await?;
    let result = async {
        let (value, detail) = action(&mut w).await?;
        if let Some(detail) = detail {
            record(w.conn(), audit.at, audit.actor, audit.action, audit.target, &detail).await?;
        }
        Ok(value)
    }
    .await;
    w.finish(result).await
}
