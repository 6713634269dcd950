//! Storage: one code path over SQLite and PostgreSQL.
//!
//! Why sqlx's `Any` driver: the same runtime (non-macro) queries run on
//! both databases with one set of handlers, so the PostgreSQL deployment
//! cannot drift from the tested SQLite one. Queries use `$1` placeholders
//! (both drivers accept them) and portable SQL (`ON CONFLICT DO NOTHING`,
//! `RETURNING`, `CAST(SUM(..) AS BIGINT)` because PostgreSQL's SUM of a
//! bigint is NUMERIC, which `Any` cannot decode). The only dialect
//! differences are DDL (`schema.rs`) and how writes are serialised.
//!
//! Writes go through [`WriteTx`]: run statements on [`WriteTx::conn`],
//! then end with [`WriteTx::finish`] / `commit` / `rollback`, which return
//! only once the outcome is durable.
//! - SQLite has one writer, so the server keeps one write connection in a
//!   task of its own ([`group_commit`]) and commits writes in groups: each
//!   write runs alone on that connection inside its own `SAVEPOINT` (one
//!   failing write undoes only itself), then the group commits with one
//!   `COMMIT` (one WAL fsync with `synchronous=FULL`), and only then is any
//!   write of the group answered. An acknowledged write is therefore on
//!   disk exactly as with one transaction per write; the fsync is shared.
//!   (A background PASSIVE checkpointer was measured too: no gain over
//!   SQLite's own auto-checkpoint, and a WAL that grew to 64 MB.)
//! - PostgreSQL writes are plain transactions that lock the shopper's row
//!   ([`super::ledger::lock`]), so several stateless instances can share one
//!   database; its own group commit is the server's business.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};
use tokio::sync::{mpsc, oneshot};

// The request's error shape (a leaf module, below every layer): a write
// ends with the handler's result, and a failed one says if storage was full.
use crate::error::ApiResult;

/// A connection the storage functions run on: a reader from [`Db::read`]
/// (it derefs to one) or a write's [`WriteTx::conn`].
pub type Conn = AnyConnection;

/// A pooled reader ([`Db::read`]), given back to the pool when dropped.
pub type ReadConn = sqlx::pool::PoolConnection<Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The SQLite writer task's queue (`None` on PostgreSQL).
    writer: Option<mpsc::UnboundedSender<LeaseRequest>>,
    /// The runtime of the SQLite writer's own thread ([`Db::on_writer`]).
    writer_runtime: Option<tokio::runtime::Handle>,
    stats: Arc<GroupStats>,
}

/// Bounds of one SQLite commit group. A group takes queued writes one after
/// another until it holds `max_writes` or has run for `max_time`, then
/// commits; later writes wait for the next group. So a commit never holds
/// its first write for much more than `max_time` plus one fsync.
#[derive(Debug, Clone, Copy)]
pub struct GroupLimits {
    pub max_writes: usize,
    pub max_time: Duration,
}

impl Default for GroupLimits {
    fn default() -> GroupLimits {
        GroupLimits { max_writes: 64, max_time: Duration::from_millis(4) }
    }
}

/// Counters of the SQLite writer (all zero on PostgreSQL).
#[derive(Debug, Default)]
pub struct GroupStats {
    /// COMMITs issued, successful or not.
    pub commits: AtomicU64,
    /// Writes that ended inside a group (kept or undone).
    pub writes: AtomicU64,
    /// Time the writer spent in groups, from `BEGIN` to the end of `COMMIT` (µs).
    pub group_micros: AtomicU64,
    /// Of that, the time in `COMMIT` (the WAL's fsync) (µs).
    pub commit_micros: AtomicU64,
}

/// A write transaction. Ending it ([`WriteTx::finish`], `commit`,
/// `rollback`) waits until the outcome is durable; dropping it undoes its
/// statements without waiting (a cancelled request: nothing is answered).
pub struct WriteTx {
    inner: Inner,
}

enum Inner {
    Sqlite(Lease),
    Postgres(Transaction<'static, Any>),
    Ended,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            Inner::Sqlite(lease) => lease.conn.as_mut().expect("a lease holds the connection until it ends"),
            Inner::Postgres(tx) => tx,
            Inner::Ended => unreachable!("a WriteTx is consumed when it ends"),
        }
    }

    /// Keeps the statements; returns once they are durable.
    pub async fn commit(self) -> super::Result<()> {
        Ok(self.end(true, false).await?)
    }

    /// Undoes the statements; returns once everything this write may have
    /// read is durable (so an answer built from it never shows a state
    /// that a crash could still take back).
    pub async fn rollback(self) -> super::Result<()> {
        Ok(self.end(false, false).await?)
    }

    /// Ends the write with a handler's result: `Ok` keeps the statements,
    /// `Err` undoes them. A storage failure while ending replaces the result.
    pub async fn finish<T>(self, result: ApiResult<T>) -> ApiResult<T> {
        let keep = result.is_ok();
        self.finish_keeping(result, keep).await
    }

    /// [`WriteTx::finish`] with the choice to keep made by the caller.
    /// A failed write answers its own error even if undoing it failed too
    /// (it is undone either way): that error says what went wrong.
    pub async fn finish_keeping<T>(self, result: ApiResult<T>, keep: bool) -> ApiResult<T> {
        let full = result.as_ref().is_err_and(|e| e.storage_full);
        let ended = self.end(keep && result.is_ok(), full).await;
        match (ended, result) {
            (Err(e), Ok(_)) => Err(super::Error(e).into()),
            (_, result) => result,
        }
    }

    /// `full`: this write failed because the storage is full (SQLite may
    /// then have rolled the whole group back; the group's failure says so).
    async fn end(mut self, keep: bool, full: bool) -> Result<(), sqlx::Error> {
        match std::mem::replace(&mut self.inner, Inner::Ended) {
            Inner::Sqlite(mut lease) => {
                let (durable, outcome) = oneshot::channel();
                lease.give_back(keep, full, Some(durable));
                match outcome.await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(failure)) => Err(storage_error(failure)),
                    Err(_) => Err(storage_error(Failure::stopped())),
                }
            }
            Inner::Postgres(tx) if keep => tx.commit().await,
            Inner::Postgres(tx) => tx.rollback().await,
            Inner::Ended => Ok(()),
        }
    }
}

fn storage_error(f: Failure) -> sqlx::Error {
    let kind = if f.full { std::io::ErrorKind::StorageFull } else { std::io::ErrorKind::Other };
    sqlx::Error::Io(std::io::Error::new(kind, f.message))
}

/// Why the SQLite writer could not run or commit a write. Cloned to every
/// write of a failed group; `full` keeps "the disk is full" distinguishable
/// (the client gets a clear 503 for it, see [`is_storage_full`]).
#[derive(Debug, Clone)]
struct Failure {
    message: String,
    full: bool,
}

impl Failure {
    fn stopped() -> Failure {
        Failure { message: "the SQLite writer stopped".into(), full: false }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Failure {
        Failure { full: is_storage_full(&e), message: e.to_string() }
    }
}

/// The database has no room left: SQLite's `SQLITE_FULL` (13, also when
/// `max_page_count` is reached), PostgreSQL's `disk_full` (53100), or an
/// I/O error `ENOSPC`.
pub fn is_storage_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            let code = d.code();
            let code = code.as_deref().unwrap_or("");
            // SQLite reports extended codes; the primary code is the low byte.
            code == "53100" || code.parse::<i32>().is_ok_and(|c| c & 0xff == 13)
        }
        sqlx::Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

/// The write connection, lent to one write at a time. Dropped without
/// being given back (a cancelled request), it returns itself to the writer
/// with "undo".
struct Lease {
    conn: Option<AnyConnection>,
    back: Option<oneshot::Sender<Returned>>,
}

impl Lease {
    fn give_back(&mut self, keep: bool, full: bool, durable: Option<oneshot::Sender<Result<(), Failure>>>) {
        if let (Some(conn), Some(back)) = (self.conn.take(), self.back.take()) {
            // If the writer is gone, the connection is dropped, which rolls back.
            let _ = back.send(Returned { conn, keep, full, durable });
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.give_back(false, false, None);
    }
}

struct Returned {
    conn: AnyConnection,
    keep: bool,
    /// The write failed on a full storage.
    full: bool,
    /// Told the group's outcome after its COMMIT (`None`: nobody waits).
    durable: Option<oneshot::Sender<Result<(), Failure>>>,
}

type LeaseRequest = oneshot::Sender<Result<Lease, Failure>>;

/// How long a request may wait for a pooled connection: half its request
/// timeout. sqlx's default (30 s) outlasts the request, so with the
/// database unreachable (connecting is retried until this runs out) the
/// client would get the request's `timeout` instead of `unavailable`;
/// half leaves the rest of the request time for the work itself.
pub fn acquire_timeout(request_timeout_ms: u64) -> Duration {
    Duration::from_millis((request_timeout_ms / 2).max(1))
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies migrations,
    /// with pool waits sized for the default request timeout.
    pub async fn connect(url: &str) -> Result<Db, String> {
        Db::connect_with(url, GroupLimits::default()).await
    }

    /// [`Db::connect`] for a server with `settings`: its database URL, and
    /// pool waits that end before its request timeout ([`acquire_timeout`]).
    pub async fn open(settings: &crate::Settings) -> Result<Db, String> {
        Db::connect_inner(&settings.database_url, GroupLimits::default(), acquire_timeout(settings.request_timeout_ms)).await
    }

    /// [`Db::connect`] with the SQLite commit-group bounds chosen.
    pub async fn connect_with(url: &str, limits: GroupLimits) -> Result<Db, String> {
        let wait = acquire_timeout(crate::Settings::defaults().request_timeout_ms);
        Db::connect_inner(url, limits, wait).await
    }

    async fn connect_inner(url: &str, limits: GroupLimits, acquire_timeout: Duration) -> Result<Db, String> {
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
            .acquire_timeout(acquire_timeout)
            // A SQLite connection is a file handle in this process: pinging
            // it before every read (sqlx's default) is one more round trip
            // to its worker thread and can find nothing a read would not.
            .test_before_acquire(backend != Backend::Sqlite)
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
                        // Readers map the file instead of copying pages through
                        // read(2) and each connection's page cache (measured:
                        // ~40% more shopper reads per second on 2 cores).
                        sqlx::query("PRAGMA mmap_size=268435456").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(|e| format!("cannot open database {}: {e}", redact(&url)))?;
        let mut db = Db { pool, backend, writer: None, writer_runtime: None, stats: Arc::default() };
        super::migrations::migrate(&db).await.map_err(|e| format!("migration failed: {e}"))?;
        if backend == Backend::Sqlite {
            // The writer keeps its own connection: its page cache stays warm
            // (no other connection writes), and readers keep the pool.
            let conn = db.pool.acquire().await.map_err(|e| format!("cannot open database {}: {e}", redact(&url)))?.detach();
            let (queue, requests) = mpsc::unbounded_channel();
            // The writer runs on a thread of its own, with the writes sent
            // there (`on_writer`): each of a write's round trips to the
            // connection then wakes a task on a run queue that holds only
            // the write, not behind every request the server is parsing.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the SQLite writer's thread: {e}"))?;
            db.writer_runtime = Some(runtime.handle().clone());
            let stats = db.stats.clone();
            std::thread::Builder::new()
                .name("sqlite-writer".into())
                .spawn(move || runtime.block_on(group_commit(conn, requests, limits, stats)))
                .map_err(|e| format!("cannot start the SQLite writer's thread: {e}"))?;
            db.writer = Some(queue);
        }
        Ok(db)
    }

    /// Starts a write. On SQLite it waits for its turn on the write connection.
    pub async fn write(&self) -> super::Result<WriteTx> {
        Ok(self.write_inner().await?)
    }

    async fn write_inner(&self) -> Result<WriteTx, sqlx::Error> {
        match &self.writer {
            Some(queue) => {
                let (request, lease) = oneshot::channel();
                queue.send(request).map_err(|_| storage_error(Failure::stopped()))?;
                match lease.await {
                    Ok(Ok(lease)) => Ok(WriteTx { inner: Inner::Sqlite(lease) }),
                    Ok(Err(failure)) => Err(storage_error(failure)),
                    Err(_) => Err(storage_error(Failure::stopped())),
                }
            }
            None => Ok(WriteTx { inner: Inner::Postgres(self.pool.begin().await?) }),
        }
    }

    /// Runs `work`, a whole write (from [`Db::write`] to its end), on the
    /// SQLite writer's own thread; on PostgreSQL, here. The write's round
    /// trips to the write connection are serialised with every other
    /// write, so their wake-ups are the writer's throughput: on the
    /// server's runtime each waits behind the other requests' tasks (two
    /// cores, docs/benchmarks.md). Dropping the returned future stops
    /// `work` at its next await, as dropping a [`WriteTx`] undoes it.
    pub async fn on_writer<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: std::future::Future<Output = ApiResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        let Some(runtime) = &self.writer_runtime else { return work.await };
        struct AbortOnDrop(tokio::task::AbortHandle);
        impl Drop for AbortOnDrop {
            fn drop(&mut self) {
                self.0.abort();
            }
        }
        let task = runtime.spawn(work);
        let _abort = AbortOnDrop(task.abort_handle());
        match task.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(super::Error(storage_error(Failure::stopped())).into()),
        }
    }

    /// How the SQLite writer has grouped writes so far.
    pub fn group_stats(&self) -> &GroupStats {
        &self.stats
    }

    pub async fn read(&self) -> super::Result<ReadConn> {
        Ok(self.pool.acquire().await?)
    }
}

/// The SQLite writer: takes queued writes, runs each in its own savepoint
/// inside one transaction, commits the group once, then tells every write
/// of the group the outcome. Ends when the [`Db`] is dropped.
async fn group_commit(
    conn: AnyConnection,
    mut requests: mpsc::UnboundedReceiver<LeaseRequest>,
    limits: GroupLimits,
    stats: Arc<GroupStats>,
) {
    let mut conn = Some(conn);
    let mut carried: Option<LeaseRequest> = None;
    loop {
        let first = match carried.take() {
            Some(r) => r,
            None => match requests.recv().await {
                Some(r) => r,
                None => return,
            },
        };
        let Some(c) = conn.as_mut() else { return };
        if let Err(e) = exec(c, "BEGIN IMMEDIATE; SAVEPOINT write").await {
            let _ = exec(c, "ROLLBACK").await;
            let _ = first.send(Err(e.into()));
            continue;
        }
        let started = Instant::now();
        let mut waiting: Vec<oneshot::Sender<Result<(), Failure>>> = Vec::new();
        let mut writes = 0;
        let mut next = Some(first);
        let mut failed: Option<Failure> = None;
        // Invariant at the top of this loop: a transaction is open and
        // savepoint `write` is open inside it.
        while let Some(request) = next.take() {
            let (back, returned) = oneshot::channel();
            let lease = Lease { conn: conn.take(), back: Some(back) };
            // A requester that gave up before its turn drops the lease,
            // which gives the connection straight back ("undo").
            let delivered = request.send(Ok(lease)).is_ok();
            let Ok(r) = returned.await else {
                failed = Some(Failure { message: "the write connection was lost".into(), full: false });
                break;
            };
            conn = Some(r.conn);
            waiting.extend(r.durable);
            writes += usize::from(delivered);
            let more = writes < limits.max_writes && started.elapsed() < limits.max_time;
            next = if more { requests.try_recv().ok() } else { None };
            let sql = match (r.keep, next.is_some()) {
                (true, true) => "RELEASE write; SAVEPOINT write",
                (true, false) => "RELEASE write",
                (false, true) => "ROLLBACK TO write; RELEASE write; SAVEPOINT write",
                (false, false) => "ROLLBACK TO write; RELEASE write",
            };
            let c = conn.as_mut().expect("given back above");
            if let Err(e) = exec(c, sql).await {
                // On SQLITE_FULL SQLite may roll back the whole transaction
                // itself; the savepoint is then gone, and the group fails
                // for the reason its write gave.
                let mut f = Failure::from(e);
                f.full |= r.full;
                failed = Some(f);
                carried = next.take();
                break;
            }
        }
        let Some(c) = conn.as_mut() else {
            // Dropping the lost connection rolled its transaction back.
            tell(waiting, Err(failed.unwrap_or_else(Failure::stopped)));
            return;
        };
        stats.writes.fetch_add(writes as u64, Ordering::Relaxed);
        stats.commits.fetch_add(1, Ordering::Relaxed);
        let committing = Instant::now();
        let outcome = match failed {
            Some(message) => Err(message),
            None => exec(c, "COMMIT").await.map_err(Failure::from),
        };
        stats.commit_micros.fetch_add(committing.elapsed().as_micros() as u64, Ordering::Relaxed);
        stats.group_micros.fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        if outcome.is_err() {
            let _ = exec(c, "ROLLBACK").await;
        }
        tell(waiting, outcome);
    }
}

/// One or more statements without parameters (savepoints, BEGIN, COMMIT).
async fn exec(conn: &mut AnyConnection, sql: &str) -> Result<(), sqlx::Error> {
    conn.execute(sqlx::raw_sql(sql)).await.map(drop)
}

fn tell(waiting: Vec<oneshot::Sender<Result<(), Failure>>>, outcome: Result<(), Failure>) {
    if let Err(f) = &outcome {
        eprintln!("database error: group commit failed: {}", f.message);
    }
    for w in waiting {
        let _ = w.send(outcome.clone());
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
