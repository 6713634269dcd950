//! The reference server: signups, the points ledger, shopper state,
//! webhooks, the preview fallback and the KPI report, on SQLite (default)
//! or PostgreSQL. Every number that is shown or awarded comes from
//! `rewards_core`, so the widget's preview and the ledger's award agree.
//!
//! Module map (ARCHITECTURE.md has it whole): `http` (route table,
//! extractors, error answers, endpoints, the console), `services` (what the
//! server does: orders, refunds, signup, redemption, lifecycle, referrals,
//! vouchers, the platform mappings), `storage` (pool, group commit, ledger
//! queries, migrations). Each imports only those below it
//! (`tests/layers.rs`). Below all three: `error` (the failure shape), `body`
//! (request field rules), `token`, `clock`, `settings`, `ratelimit`.

pub mod body;
pub mod clock;

pub mod error;
pub mod http;
pub mod ratelimit;
pub mod services;
pub mod settings;
pub mod storage;
pub mod token;

use std::sync::Arc;

use rewards_core::Engine;
use sha2::{Digest, Sha256};

pub use clock::Clock;
pub use settings::Settings;
pub use storage::db::Db;

/// A program config that passed the core's validation, with the version
/// string every ledger entry records (`v<config version>:<sha256 prefix>`
/// of the exact file bytes, so an award can be traced to its config), and
/// the document the browser reads (`rewards_core::publish`).
pub struct LoadedProgram {
    pub engine: Engine,
    pub text: String,
    pub version: String,
    pub published: String,
    /// Allowed but probably not meant (`validate::warnings`), as `path: message`.
    pub warnings: Vec<String>,
}

impl LoadedProgram {
    /// Validates `text` with the core's native validator (schema, types,
    /// rules between fields); the error has every issue and its path.
    pub fn parse(text: String) -> Result<LoadedProgram, rewards_core::Error> {
        let program = rewards_core::validate::program(&text)?;
        let hash = hex::encode(Sha256::digest(text.as_bytes()));
        let version = format!("v{}:{}", program.version, &hash[..12]);
        let published = rewards_core::publish::document(&program, &version);
        let warnings = rewards_core::validate::warnings(&program).iter().map(|w| format!("{}: {}", w.path, w.message)).collect();
        Ok(LoadedProgram { engine: Engine { program }, text, version, published, warnings })
    }

    pub fn load(path: &std::path::Path) -> Result<LoadedProgram, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        LoadedProgram::parse(text).map_err(|e| format!("{}: invalid program config\n{e}", path.display()))
    }
}

/// The program in force, replaced while the server runs when the console
/// publishes a version. `app.program.version` and the like read the
/// current one (`Deref`). Each program ever in force is leaked on purpose:
/// a request holds a `&'static` to the one it read, so no lock is held
/// across an await and nothing can dangle; a merchant publishes by hand,
/// so what is kept is a few programs' worth of memory.
pub struct CurrentProgram(std::sync::RwLock<&'static LoadedProgram>);

impl CurrentProgram {
    pub fn new(program: LoadedProgram) -> CurrentProgram {
        CurrentProgram(std::sync::RwLock::new(Box::leak(Box::new(program))))
    }

    /// The program in force now. A handler that needs one program for a
    /// whole request reads it once.
    pub fn get(&self) -> &'static LoadedProgram {
        *self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts `program` in force for every request from now on.
    pub fn replace(&self, program: LoadedProgram) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Box::leak(Box::new(program));
    }
}

impl std::ops::Deref for CurrentProgram {
    type Target = LoadedProgram;

    fn deref(&self) -> &LoadedProgram {
        self.get()
    }
}

/// Everything a request handler needs. Cheap to clone (one `Arc`).
pub struct AppState {
    pub settings: Settings,
    pub program: CurrentProgram,
    pub db: Db,
    pub clock: Clock,
    pub signup_limiter: ratelimit::RateLimiter,
    /// The bound on recording refused webhook deliveries (`deliveries`).
    pub delivery_log: http::deliveries::Bound,
    /// Console sign-in attempts per client address (`http::console::auth`).
    pub sign_in_limiter: ratelimit::RateLimiter,
}

pub type App = Arc<AppState>;

impl AppState {
    pub fn new(settings: Settings, program: LoadedProgram, db: Db, clock: Clock) -> App {
        let limiter = ratelimit::RateLimiter::new(settings.signup_rate_max, settings.signup_rate_window_ms);
        Arc::new(AppState {
            settings,
            program: CurrentProgram::new(program),
            db,
            clock,
            signup_limiter: limiter,
            delivery_log: Default::default(),
            sign_in_limiter: http::console::auth::sign_in_limiter(),
        })
    }

    pub fn engine(&self) -> &'static Engine {
        &self.program.get().engine
    }

    pub fn program(&self) -> &'static rewards_core::Program {
        &self.program.get().engine.program
    }
}

/// Largest request head (request line and headers): larger is `431`.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Binds `settings.bind` and serves until the process is stopped.
pub async fn serve(app: App) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(app.settings.bind).await?;
    serve_on(app, listener).await
}

/// Serves HTTP/1.1 on `listener` until the process is stopped, and keeps
/// the program in force up to date with the database's newest version
/// (`console::program_watch`). Each
/// connection must deliver a request's headers within the request timeout
/// (hyper closes it otherwise), so slow or idle clients cost only their
/// own connection.
pub async fn serve_on(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    // Versions published by other instances on the same database.
    http::console::program_watch::start(&app);
    let header_timeout = std::time::Duration::from_millis(app.settings.request_timeout_ms);
    serve_router(http::routes::router(app), header_timeout, listener).await
}

/// [`serve_on`] with the router built by the caller (the demo adds a layer).
pub async fn serve_router(
    router: axum::Router,
    header_timeout: std::time::Duration,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Per-connection failures (reset before accept): keep serving.
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset) => continue,
            // Out of file descriptors and the like: back off, keep serving.
            Err(e) => {
                eprintln!("accept failed: {e}; retrying in 1 s");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        // Small request/response pairs: do not wait to coalesce writes.
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut req: axum::extract::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            req
        });
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                // Without it hyper serves headers up to its ~400 KB read buffer
                // (more when they arrive in one read); no client of this API
                // needs more than a few KB.
                .max_header_size(MAX_HEADER_BYTES)
                .serve_connection(TokioIo::new(stream), hyper_util::service::TowerToHyperService::new(service));
            // A failed connection (client gone, timeout) concerns only itself.
            let _ = conn.await;
        });
    }
}
