//! `rewards-server`: serve | check-config <file> | publish <file> | tick | admin.
//! The demo stores and the load client are `rewards-demo` (crates/demo).
//! Run without arguments for help.

use std::path::PathBuf;
use std::process::ExitCode;

use rewards_server::services::lifecycle;
use rewards_server::{AppState, Clock, Db, LoadedProgram, Settings};

const HELP: &str = "rewards-server — the rewards widget's reference server

USAGE:
  rewards-server serve [--settings FILE]     serve the API, widget assets and admin
  rewards-server check-config FILE           validate a program config, print every error
  rewards-server publish FILE [--out OUT]    validate it and write what the browser reads (stdout or OUT;
                                             FILE - reads stdin): the file `data-config` names on a store
                                             without this server (the server itself publishes at /api/program)
  rewards-server tick [--settings FILE] [--since-hours N]
                                             apply lifecycle: inactivity expiry, birthday gifts; report pending → available
  rewards-server admin add-user EMAIL --role owner|staff [--lang vi|en] [--settings FILE]
  rewards-server admin reset-password EMAIL | remove-user EMAIL [--settings FILE]
                                             add a console user (/console), reset their password
                                             (their sessions end) or remove them; a password from
                                             REWARDS_ADMIN_PASSWORD or the first line of stdin

Settings come from the TOML file (or REWARDS_SETTINGS) and environment variables:
  REWARDS_BIND, REWARDS_PROGRAM, DATABASE_URL (default sqlite://rewards.sqlite),
  REWARDS_MERCHANT_SECRET, REWARDS_WEBHOOK_SECRET, REWARDS_ADMIN_TOKEN,
  REWARDS_ALLOWED_ORIGINS (comma-separated), REWARDS_WWW_DIST, REWARDS_SITE_DIR.
See docs/api.md. The demo stores and the webhook load client: rewards-demo (crates/demo).";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("{msg}");
    ExitCode::from(1)
}

async fn start(args: &[String]) -> Result<(rewards_server::App, Settings), String> {
    let settings = Settings::load(flag(args, "--settings").as_deref().map(std::path::Path::new), &|k| std::env::var(k).ok())?;
    let program = LoadedProgram::load(&settings.program_path)?;
    for w in &program.warnings {
        eprintln!("{}: warning: {w}", settings.program_path.display());
    }
    let db = Db::open(&settings).await?;
    let app = AppState::new(settings.clone(), program, db, Clock::system());
    // The console's newest published program, unless the file changed since.
    rewards_server::http::console::programs::adopt(&app).await?;
    Ok((app, settings))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => match start(&args).await {
            Err(e) => fail(e),
            Ok((app, settings)) => {
                println!(
                    "rewards-server listening on http://{} (program {}, {})",
                    settings.bind,
                    app.program.version,
                    rewards_server::storage::db::redact(&settings.database_url)
                );
                match rewards_server::serve(app).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(format!("cannot serve on {}: {e}", settings.bind)),
                }
            }
        },
        Some("check-config") => {
            let Some(path) = args.get(1) else { return fail("usage: rewards-server check-config FILE") };
            match LoadedProgram::load(&PathBuf::from(path)) {
                Ok(p) => {
                    for w in &p.warnings {
                        println!("{path}: warning: {w}");
                    }
                    println!("{path}: ok ({})", p.version);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Some("publish") => {
            let Some(path) = args.get(1) else { return fail("usage: rewards-server publish FILE [--out OUT]") };
            let loaded = if path == "-" {
                let mut text = String::new();
                match std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
                    Ok(_) => LoadedProgram::parse(text).map_err(|e| format!("-: invalid program config\n{e}")),
                    Err(e) => Err(format!("stdin: {e}")),
                }
            } else {
                LoadedProgram::load(&PathBuf::from(path))
            };
            let p = match loaded {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            for w in &p.warnings {
                eprintln!("{path}: warning: {w}");
            }
            match flag(&args, "--out") {
                None => {
                    println!("{}", p.published);
                    ExitCode::SUCCESS
                }
                Some(out) => match std::fs::write(&out, &p.published) {
                    Ok(()) => {
                        eprintln!("{path}: published {} to {out}", p.version);
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(format!("{out}: {e}")),
                },
            }
        }
        Some("tick") => match start(&args).await {
            Err(e) => fail(e),
            Ok((app, _)) => {
                let now = app.clock.now();
                let hours: i64 = flag(&args, "--since-hours").and_then(|h| h.parse().ok()).unwrap_or(24);
                match lifecycle::tick(&app.db, app.program(), &app.program.version, now - hours * 3_600_000, now).await {
                    Ok(r) => {
                        println!(
                            "tick: {} shoppers checked; {} points expired for {} inactive shoppers; {} points became available in the last {hours} h; {} points still pending; {} birthday gifts",
                            r.shoppers, r.expired_points, r.expired_shoppers, r.released_points, r.pending_points, r.birthdays
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(format!("tick failed: {}", e.message)),
                }
            }
        },
        Some("admin") => match rewards_server::http::console::users::cli(&args).await {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Some("help" | "--help" | "-h") => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        _ => fail(HELP),
    }
}
