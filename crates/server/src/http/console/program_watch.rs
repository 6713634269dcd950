//! Versions published elsewhere: several instances on one PostgreSQL
//! database (or processes on one SQLite file) each keep the program in
//! force in memory, so each looks at the newest `program_versions` row
//! every `program_poll_ms` (docs/api.md, "Settings") and puts a newer
//! one in force the way a local publish does ([`put_in_force`]): the
//! program, its version (the ETag of `GET /api/program`) and the document
//! the widget fetches, all one value swapped at once. A version that does
//! not load is logged and the one in force stays.
//!
//! Publishing itself never trusts this copy: the stale-form check reads
//! the newest row inside the publishing transaction
//! ([`super::programs::publish`]).

use std::sync::Weak;
use std::time::Duration;

use super::programs;
use crate::{App, AppState, LoadedProgram};

/// The one way a program is put in force while the server runs: a local
/// publish or rollback, or a version another instance published.
pub fn put_in_force(app: &AppState, program: LoadedProgram) {
    app.program.replace(program);
}

use crate::storage::programs::newest;

/// Puts version row `seq`'s `text` in force unless it already is. A text
/// that no longer validates (another build's rules, a hand-edited row) is
/// logged and changes nothing. Whether the program in force changed.
pub fn adopt_text(app: &AppState, seq: i64, text: String) -> bool {
    if text == app.program.text {
        return false;
    }
    match LoadedProgram::parse(text) {
        Ok(p) => {
            eprintln!("program: version {} (row {seq}), published elsewhere, now in force (was {})", p.version, app.program.version);
            put_in_force(app, p);
            true
        }
        Err(e) => {
            eprintln!("program: version row {seq} does not load; keeping {} in force:\n{e}", app.program.version);
            false
        }
    }
}

/// One look at the newest row. `seen` is the newest row already looked
/// at, so a version that failed to load is tried (and logged) once.
pub async fn check(app: &AppState, seen: &mut Option<i64>) -> crate::storage::Result<bool> {
    // Not between a local publish's commit and its swap (which would put
    // back the version it replaces).
    let _one = programs::PUBLISHING.lock().await;
    let mut conn = app.db.read().await?;
    let Some((seq, version)) = newest(&mut conn).await? else { return Ok(false) };
    if *seen == Some(seq) {
        return Ok(false);
    }
    let mut changed = false;
    if version != app.program.version {
        if let Some(text) = programs::text_of(&mut conn, seq).await? {
            changed = adopt_text(app, seq, text);
        }
    }
    *seen = Some(seq);
    Ok(changed)
}

/// Starts the watch: a task that looks every `settings.program_poll_ms`
/// and ends with the server (it holds the state weakly).
pub fn start(app: &App) {
    let every = Duration::from_millis(app.settings.program_poll_ms);
    tokio::spawn(run(std::sync::Arc::downgrade(app), every));
}

async fn run(app: Weak<AppState>, every: Duration) {
    // The first look one interval after start-up (`adopt` has just read the newest).
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let (mut seen, mut failing) = (None, false);
    loop {
        tick.tick().await;
        let Some(app) = app.upgrade() else { return };
        // An unreachable database is said once, and its return once.
        match check(&app, &mut seen).await {
            Ok(_) if failing => {
                eprintln!("program: the version watch reads the database again");
                failing = false;
            }
            Ok(_) => {}
            Err(e) if !failing => {
                eprintln!("program: the version watch cannot read the database ({e}); retrying every {} ms", every.as_millis());
                failing = true;
            }
            Err(_) => {}
        }
    }
}
