use crate::harness::*;

#[tokio::test]
async fn admin_needs_its_token_and_shows_formulas_inputs_and_escaped_charts() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        // Customers a, b ordered 40 days ago; a and c order in the last 30 days.
        srv.app.clock.set(T0 - 40 * DAY);
        srv.order("o-1", "a", &cart(&[("Hạt", 300_000, 1)])).await;
        srv.order("o-2", "b", &cart(&[("Hạt", 300_000, 1)])).await;
        srv.app.clock.set(T0 - 10 * DAY);
        srv.order("o-3", "a", &cart(&[("Hạt", 500_000, 1)])).await;
        srv.order("o-4", "c<script>", &cart(&[("Hạt", 100_000, 1)])).await;
        srv.app.clock.set(T0);
        for (h, code) in [(vec![], 401), (vec![("authorization", "Bearer wrong-token-xxxxxxxx".to_string())], 401)] {
            let r = srv.get("/admin", &h).await;
            assert_eq!(r.status, code);
            assert!(r.headers.get("www-authenticate").is_some());
            assert_eq!(srv.get("/admin/export/ledger.csv", &h).await.status, 401);
        }
        use base64::Engine as _;
        let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("admin:{ADMIN}")));
        let page = srv.get("/admin?from=2026-10-24&to=2026-11-22&active_days=30", &[("authorization", basic.clone())]).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("CRR = (E − N) / S × 100"));
        // S = {a, b} active at the start, E = {a, c}, N = {c}: CRR = (2 − 1) / 2 = 50 %.
        assert!(page.body.contains("50.00 %") && page.body.contains("S = 2, E = 2, N = 1"), "{}", page.body);
        assert_eq!(page.body.matches("<svg").count(), 2);
        assert!(!page.body.contains("<script>"));
        let kpis = srv
            .get("/admin/kpis.json?from=2026-10-24&to=2026-11-22&active_days=30", &[("authorization", format!("Bearer {ADMIN}"))])
            .await
            .json();
        assert_eq!(kpis["crr_percent"]["value"], "50.0000");
        assert_eq!(kpis["churn_percent"]["value"], "50.0000");
        assert_eq!(kpis["aov"]["num"], "600000");
        assert_eq!(srv.get("/admin?from=2026-13-01", &[("authorization", basic.clone())]).await.status, 422);
        let csv = srv.get("/admin/export/ledger.csv", &[("authorization", basic)]).await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(csv.headers["x-content-type-options"], "nosniff");
        assert_eq!(csv.body.lines().count(), 5, "{}", csv.body);
        assert!(csv.body.contains(",order,o-4,40,\"Order o-4 ("), "{}", csv.body);
    })
    .await;
}

#[tokio::test]
async fn widget_assets_have_types_caching_and_compression_and_404_before_a_build() {
    let srv = Srv::start(&Kind::Sqlite).await;
    assert_eq!(srv.get("/rewards.js", &[]).await.status, 404);
    assert_eq!(srv.get("/assets/ui-0123456789.js", &[]).await.status, 404);
    let dist = srv.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    let js = "console.log('rewards');".repeat(200);
    std::fs::write(dist.join("rewards.js"), &js).unwrap();
    std::fs::write(dist.join("assets/rewards_wasm-0123456789.wasm"), b"\0asm\x01\0\0\0".repeat(100)).unwrap();
    std::fs::write(dist.join("assets/widget-0123456789.css"), ".rw{color:red}".repeat(100)).unwrap();
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let get = |path: &str, enc: &str| raw.get(format!("{}{path}", srv.base)).header("accept-encoding", enc).send();
    let r = get("/rewards.js", "gzip").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "public, max-age=300");
    // Issue 11: a store's page on another origin imports the chunks and fetches the wasm.
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert!(r.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let r = get("/assets/rewards_wasm-0123456789.wasm", "br").await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/wasm");
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(r.headers()["content-encoding"], "br");
    let r = get("/assets/widget-0123456789.css", "identity").await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/css");
    assert!(r.headers().get("content-encoding").is_none());
    // A precompressed sibling wins over compressing on the fly.
    std::fs::write(dist.join("assets/widget-0123456789.css.br"), b"BROTLI").unwrap();
    let r = get("/assets/widget-0123456789.css", "br").await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"BROTLI");
    let r = get("/assets/missing-0123456789.js", "gzip").await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["cache-control"].to_str().unwrap()), (404, "no-store"));
    // The program published (what the browser reads), as `rewards-server publish` writes it.
    let p = srv.get("/api/program", &[]).await;
    let published = std::process::Command::new(env!("CARGO_BIN_EXE_rewards-server")).arg("publish").arg(program_path()).output().unwrap();
    assert!(published.status.success(), "{}", String::from_utf8_lossy(&published.stderr));
    assert_eq!(p.body, String::from_utf8(published.stdout).unwrap().trim_end());
    let doc: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(
        (doc["published"].as_i64(), doc["version"].as_str()),
        (Some(1), p.headers["etag"].to_str().unwrap().strip_prefix('"').and_then(|e| e.strip_suffix('"')))
    );
    let etag = p.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(srv.get("/api/program", &[("if-none-match", etag)]).await.status, 304);
}

#[test]
fn check_config_prints_every_error_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"version": 1, "store": {"name": "x", "currency": "XYZ", "default_locale": "vi"}, "earning": {"points_per_step": 1, "step": 0, "rounding": "sideways"}, "colour": 1}"#).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rewards-server")).arg("check-config").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for path in ["store.currency", "earning.step", "earning.rounding", "colour"] {
        assert!(err.contains(&format!("{path}: ")), "{path} missing in:\n{err}");
    }
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_rewards-server")).arg("check-config").arg(program_path()).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(!String::from_utf8_lossy(&ok.stdout).contains("warning"), "the demo program has nothing to warn about");
}

#[test]
fn issue_14_check_config_warns_about_an_exclude_path_that_matches_nothing_but_accepts_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let mut config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
    config["popup"]["exclude_paths"] = serde_json::json!(["/cart", "/checkout*"]);
    let file = dir.path().join("program.json");
    std::fs::write(&file, config.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rewards-server")).arg("check-config").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("warning: popup.exclude_paths[0]: \"/cart\" matches only that exact path") && stdout.contains("\"/cart*\""),
        "{stdout}"
    );
    assert!(!stdout.contains("exclude_paths[1]"), "{stdout}");
}

#[test]
fn issue_10_publish_writes_what_the_browser_reads_and_refuses_an_invalid_config() {
    use std::io::Write;
    let bin = env!("CARGO_BIN_EXE_rewards-server");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"version": 1, "store": {"name": "x", "currency": "XYZ", "default_locale": "vi"}, "earning": {"points_per_step": 1, "step": 0}}"#).unwrap();
    let out_file = dir.path().join("program.json");
    let out = std::process::Command::new(bin).args(["publish"]).arg(&bad).arg("--out").arg(&out_file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("store.currency: ") && err.contains("earning.step: "), "{err}");
    assert!(!out_file.exists(), "an invalid config publishes nothing");

    let config = std::fs::read_to_string(program_path()).unwrap();
    let out = std::process::Command::new(bin).args(["publish"]).arg(program_path()).arg("--out").arg(&out_file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(doc["published"], 1);
    // Defaults filled in: the config leaves out whether a consent is required.
    let raw: serde_json::Value = serde_json::from_str(&config).unwrap();
    assert!(raw["popup"]["consents"][0].get("required").is_none());
    assert_eq!(doc["program"]["popup"]["consents"][0]["required"], false);
    assert_eq!(doc["program"]["store"]["exponent"], 0);
    let engine = doc["engine"].as_str().unwrap();
    assert!(engine.len() > 100 && engine.len().is_multiple_of(4), "base64 engine bytes");

    // `-` reads the config from standard input and writes the same document.
    let mut child = std::process::Command::new(bin)
        .args(["publish", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(config.as_bytes()).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(piped.status.success());
    assert_eq!(String::from_utf8(piped.stdout).unwrap().trim_end(), std::fs::read_to_string(&out_file).unwrap());
}

#[tokio::test]
async fn issue_14_csv_exports_open_in_excel_and_say_each_entry_in_words() {
    let srv = Srv::start(&Kind::Sqlite).await;
    let admin = [("authorization", format!("Bearer {ADMIN}"))];
    assert_eq!(srv.signup("lan@example.vn").await.status, 201);
    assert_eq!(srv.order("1001", "c-1", &cart(&[("Cà phê", 45_000, 3), ("Hạt", 220_000, 1)])).await.status, 200);
    assert_eq!(srv.refund("r-77", "1001", Some(100_000)).await.status, 200);
    for path in ["/admin/export/signups.csv", "/admin/export/ledger.csv"] {
        let r = srv.get(path, &admin).await;
        // Excel reads UTF-8 only with a byte order mark; without it "Lan" stays fine but "Phố Cổ" does not.
        assert!(r.body.starts_with('\u{feff}'), "{path} starts with a BOM");
    }
    let ledger = srv.get("/admin/export/ledger.csv", &admin).await.body;
    let head = ledger.lines().next().unwrap();
    assert_eq!(head, "\u{feff}entry_id,shopper_id,at,available_at,cause,ref,delta,description,program_version,detail_json");
    assert!(ledger.contains(",Signup bonus: +50 points,"), "{ledger}");
    assert!(ledger.contains(",\"Order 1001 (355,000 VND qualifying): +65 points\","), "{ledger}");
    assert!(ledger.contains(",\"Refund r-77 of order 1001 (100,000 VND of 355,000 VND refunded): −18 points\","), "{ledger}");
    let signups = srv.get("/admin/export/signups.csv", &admin).await.body;
    assert!(signups.contains("Tôi đồng ý nhận email"), "the consent wording is there as UTF-8");
}

/// Rules between fields and the store's time zone are checked natively too.
#[test]
fn check_config_reports_rules_between_fields_and_unknown_time_zones() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"version": 1, "store": {"name": "x", "currency": "VND", "default_locale": "vi", "time_zone": "Asia/Ho_Chi_Mihn"},
        "earning": {"points_per_step": 1, "step": 10000},
        "tiers": {"metric": "spend", "levels": [{"id": "a", "name": "A", "threshold": 5}, {"id": "b", "name": "B", "threshold": 5}]}}"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rewards-server")).arg("check-config").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("store.time_zone: unknown time zone \"Asia/Ho_Chi_Mihn\" (did you mean \"Asia/Ho_Chi_Minh\"?)"), "{err}");
    assert!(err.contains("tiers.levels[1].threshold: must be greater than the previous tier's threshold (5)"), "{err}");
}
