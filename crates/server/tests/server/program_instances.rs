//! Issue 13, scale-out publishing: two `rewards-server` processes on one
//! database (the same PostgreSQL database, or the same SQLite file). A
//! publish on one is served by the other within its `program_poll_ms`; a
//! form loaded before someone else's publish is refused with what changed
//! even where that publish has not been seen yet (the check reads the
//! database in the publishing transaction); two publishes at once on two
//! instances cannot both pass; a version that does not load is logged and
//! the one in force stays.

use std::future::Future;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::console::{Browser, OWNER, PASSWORD};
use crate::console_program::{form_fields, set, submit};
use crate::crash::wait_healthy;
use crate::harness::*;

/// A long interval: this instance does not look again during the test.
const NEVER: u64 = 3_600_000;

/// One `rewards-server serve` process, killed when dropped; its stderr kept.
struct Instance {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
}

impl Instance {
    async fn start(dir: &Path, name: &str, url: &str, poll_ms: u64) -> Instance {
        let settings = settings_file(dir, name, poll_ms);
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_rewards-server"))
            .args(["serve", "--settings"])
            .arg(&settings)
            .env("DATABASE_URL", url)
            .env("REWARDS_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rewards-server");
        let log = Arc::new(Mutex::new(String::new()));
        let (stderr, kept) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[{}] {line}", port);
                kept.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let base = format!("http://127.0.0.1:{port}");
        wait_healthy(&reqwest::Client::new(), &base).await;
        Instance { child, base, log }
    }

    /// `GET /api/program`: its ETag and body.
    async fn program(&self) -> (String, String) {
        let r = reqwest::get(format!("{}/api/program", self.base)).await.unwrap();
        assert_eq!(r.status(), 200);
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        (etag, r.text().await.unwrap())
    }

    async fn signed_in(&self) -> Browser {
        let mut b = Browser::at(&self.base);
        assert_eq!(b.sign_in(OWNER, PASSWORD).await.status, 303);
        b
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings_file(dir: &Path, name: &str, poll_ms: u64) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    let text = format!(
        "program = \"{}\"\nmerchant_secret = \"{MERCHANT}\"\nwebhook_secret = \"{WEBHOOK}\"\nadmin_token = \"{ADMIN}\"\nprogram_poll_ms = {poll_ms}\n",
        program_path()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// A fresh database with the console's owner (added by the `admin` CLI),
/// and instance A on it, then B (`poll_b` its interval; A's is short).
async fn two_instances(kind: &Kind, dir: &Path, poll_b: u64) -> (String, Instance, Instance) {
    let url = fresh_url(kind, dir).await;
    let out = Command::new(env!("CARGO_BIN_EXE_rewards-server"))
        .args(["admin", "add-user", OWNER, "--role", "owner", "--settings"])
        .arg(settings_file(dir, "cli", 100))
        .env("DATABASE_URL", &url)
        .env("REWARDS_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let a = Instance::start(dir, "a", &url, 100).await;
    let b = Instance::start(dir, "b", &url, poll_b).await;
    (url, a, b)
}

/// Waits for `done`, failing after a deadline that no healthy poll misses.
async fn until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < Duration::from_secs(20), "{what}: not within 20 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Publishes the program in force with `earning.step` changed, from a freshly loaded form.
async fn publish_earn_step(browser: &mut Browser, step: &str) {
    let mut edit = form_fields(&browser.get("/console/program").await);
    set(&mut edit, "n:earning.step", step);
    let published = submit(browser, edit, "publish").await;
    assert_eq!(published.status, 303, "{}", published.body);
}

/// The ETag a published document is served with: its version.
fn etag_of(doc: &serde_json::Value) -> String {
    format!("\"{}\"", doc["version"].as_str().unwrap())
}

async fn scalar(url: &str, sql: &str) -> i64 {
    let mut conn = rewards_server::storage::db::connect_raw(url).await.unwrap();
    sqlx::Row::try_get(&sqlx::query(sql).fetch_one(&mut conn).await.unwrap(), 0).unwrap()
}

#[tokio::test]
async fn issue_13_a_publish_on_one_instance_is_served_by_the_other_and_a_rollback_comes_back() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let (url, a, b) = two_instances(&k, dir.path(), 100).await;
        let (mut on_a, mut on_b) = (a.signed_in().await, b.signed_in().await);
        let (first, first_doc) = b.program().await;
        let loaded_on_b = form_fields(&on_b.get("/console/program").await);

        publish_earn_step(&mut on_a, "5000").await;
        let (second, doc) = a.program().await;
        assert_ne!(second, first);
        until("B serves A's publish", || async { b.program().await.0 == second }).await;
        // The same document the widget fetches, the new rule in it; a cached copy is revalidated.
        assert_eq!(b.program().await.1, doc);
        let (now, was): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&doc).unwrap(), serde_json::from_str(&first_doc).unwrap());
        assert_eq!(etag_of(&now), second);
        assert_ne!(now["engine"], was["engine"], "the engine's bytes carry the new earn step");
        let revalidated =
            reqwest::Client::new().get(format!("{}/api/program", b.base)).header("if-none-match", &first).send().await.unwrap();
        assert_eq!(revalidated.status(), 200);

        // The form B showed before A's publish: refused on B, saying what A changed.
        let mut stale = loaded_on_b;
        set(&mut stale, "s:store.name", "Quán khác");
        let refused = submit(&mut on_b, stale, "publish").await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        let version = second.trim_matches('"');
        assert!(refused.body.contains(version) && refused.body.contains("<code>earning.step</code>: 10000 → 5000"), "{}", refused.body);
        assert_eq!(b.program().await.0, second);

        // Rolled back on B: A serves the first version again.
        let first_version = first.trim_matches('"');
        let seq = scalar(&url, &format!("SELECT MIN(seq) FROM program_versions WHERE version = '{first_version}'")).await.to_string();
        let page = on_b.get("/console/program").await;
        let (csrf, base) = (page.field("csrf"), page.field("base"));
        assert_eq!(base, version, "the page B shows now is built on A's publish");
        let back = on_b.post("/console/program/rollback", &[("csrf", &csrf), ("base", &base), ("seq", &seq)]).await;
        assert_eq!(back.status, 303, "{}", back.body);
        until("A serves B's rollback", || async { a.program().await.0 == first }).await;
        assert_eq!(a.program().await.1, first_doc);
        assert_eq!(scalar(&url, "SELECT COUNT(*) FROM program_versions").await, 3);
    })
    .await;
}

#[tokio::test]
async fn issue_13_a_stale_form_is_refused_on_an_instance_that_has_not_seen_the_publish() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        // B does not look at the database by itself during this test.
        let (url, a, b) = two_instances(&k, dir.path(), NEVER).await;
        let (mut on_a, mut on_b) = (a.signed_in().await, b.signed_in().await);
        let (first, _) = b.program().await;
        let loaded_on_b = form_fields(&on_b.get("/console/program").await);
        publish_earn_step(&mut on_a, "5000").await;
        let (second, doc) = a.program().await;
        assert_eq!(b.program().await.0, first, "B still serves what it had");

        // B's own copy says the form is current; the database says otherwise.
        let mut stale = loaded_on_b.clone();
        set(&mut stale, "s:store.name", "Quán khác");
        let refused = submit(&mut on_b, stale, "publish").await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(
            refused.body.contains(second.trim_matches('"')) && refused.body.contains("<code>earning.step</code>: 10000 → 5000"),
            "{}",
            refused.body
        );
        assert_eq!(scalar(&url, "SELECT COUNT(*) FROM program_versions").await, 2, "the refused form wrote nothing");
        // Refused, B put the newest version in force: the next form it shows is current.
        assert_eq!(b.program().await, (second.clone(), doc));
        let base = |v: &str| format!("name=\"base\" value=\"{}\"", v.trim_matches('"'));
        assert!(refused.body.contains(&base(&second)) && !refused.body.contains(&base(&first)), "{}", refused.body);

        // A rollback from a page built on the old version is refused the same way.
        let seq = scalar(&url, "SELECT MIN(seq) FROM program_versions").await.to_string();
        let csrf = loaded_on_b.iter().find(|(n, _)| n == "csrf").unwrap().1.clone();
        let back = on_b.post("/console/program/rollback", &[("csrf", &csrf), ("base", first.trim_matches('"')), ("seq", &seq)]).await;
        assert_eq!(back.status, 409, "{}", back.body);
        assert!(back.body.contains("<code>earning.step</code>: 10000 → 5000"), "{}", back.body);
        assert_eq!(a.program().await.0, second);
    })
    .await;
}

#[tokio::test]
async fn issue_13_two_publishes_at_once_on_two_instances_one_is_refused() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let (url, a, b) = two_instances(&k, dir.path(), 100).await;
        let (mut on_a, mut on_b) = (a.signed_in().await, b.signed_in().await);
        for round in 0..3_i64 {
            until("both serve one version", || async { a.program().await.0 == b.program().await.0 }).await;
            let (mut fa, mut fb) = (form_fields(&on_a.get("/console/program").await), form_fields(&on_b.get("/console/program").await));
            set(&mut fa, "n:earning.step", &(5_000 + round).to_string());
            set(&mut fb, "n:earning.step", &(7_000 + round).to_string());
            let (ra, rb) = tokio::join!(submit(&mut on_a, fa, "publish"), submit(&mut on_b, fb, "publish"));
            let mut statuses = [ra.status, rb.status];
            statuses.sort();
            assert_eq!(statuses, [303, 409], "round {round}: {}\n{}", ra.body, rb.body);
            assert_eq!(scalar(&url, "SELECT COUNT(*) FROM program_versions").await, round + 2);
        }
    })
    .await;
}

#[tokio::test]
async fn issue_13_a_version_that_does_not_load_is_logged_and_the_one_in_force_stays() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let (url, a, b) = two_instances(&k, dir.path(), 100).await;
        let (before, doc) = a.program().await;
        // A row no build of this server publishes: it fails validation.
        let mut conn = rewards_server::storage::db::connect_raw(&url).await.unwrap();
        sqlx::query("INSERT INTO program_versions (version, text, source, actor, at) VALUES ('v1:000000000000', '{\"version\": 1}', 'console', 'test', 0)")
            .execute(&mut conn)
            .await
            .unwrap();
        for i in [&a, &b] {
            until("the bad version is logged", || async { i.log.lock().unwrap().contains("does not load; keeping") }).await;
            assert_eq!(i.program().await, (before.clone(), doc.clone()));
        }
    })
    .await;
}

/// A publish in progress elsewhere (begun, the newest version written, not
/// committed yet): a publish on A from a form built before it must wait for
/// it and then be refused, never pass beside it.
#[tokio::test]
async fn issue_13_a_publish_waits_for_one_in_progress_elsewhere_and_is_then_refused() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let (url, a, _b) = two_instances(&k, dir.path(), NEVER).await;
        let mut on_a = a.signed_in().await;
        let mut form = form_fields(&on_a.get("/console/program").await);
        set(&mut form, "s:store.name", "Quán khác");

        let mut tree: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
        tree["earning"]["step"] = 5000.into();
        let text = serde_json::to_string_pretty(&tree).unwrap();
        let elsewhere = rewards_server::LoadedProgram::parse(text.clone()).unwrap().version;
        let postgres = matches!(k, Kind::Postgres(_));
        let mut other = rewards_server::storage::db::connect_raw(&url).await.unwrap();
        let begin = if postgres { "BEGIN; LOCK TABLE program_versions IN SHARE ROW EXCLUSIVE MODE" } else { "BEGIN IMMEDIATE" };
        sqlx::raw_sql(begin).execute(&mut other).await.unwrap();
        sqlx::query("INSERT INTO program_versions (version, text, source, actor, at) VALUES ($1, $2, 'console', 'elsewhere', 0)")
            .bind(&elsewhere)
            .bind(&text)
            .execute(&mut other)
            .await
            .unwrap();

        let publish = tokio::spawn(async move { submit(&mut on_a, form, "publish").await });
        if postgres {
            // Wait until A's publish waits for the lock (it must not finish first).
            let mut watch = rewards_server::storage::db::connect_raw(&url).await.unwrap();
            let waiting = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
            let start = Instant::now();
            loop {
                assert!(!publish.is_finished(), "a publish finished while another was in progress");
                let n: i64 = sqlx::Row::get(&sqlx::query(waiting).fetch_one(&mut watch).await.unwrap(), 0);
                if n > 0 {
                    break;
                }
                assert!(start.elapsed() < Duration::from_secs(20), "A's publish never waited for the lock");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        // (SQLite: the file has one writer; A's publish waits for this commit wherever it is.)
        sqlx::raw_sql("COMMIT").execute(&mut other).await.unwrap();
        let refused = publish.await.unwrap();
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(refused.body.contains(&elsewhere) && refused.body.contains("<code>earning.step</code>: 10000 → 5000"), "{}", refused.body);
        assert_eq!(scalar(&url, "SELECT COUNT(*) FROM program_versions").await, 2);
        assert_eq!(a.program().await.0, format!("\"{elsewhere}\""), "refused, A put the newest version in force");
    })
    .await;
}
