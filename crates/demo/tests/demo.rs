//! `rewards-demo demo`: each store is served with its own program, so
//! the English store's signups and previews land in the USD program and
//! the Vietnamese store's in the VND one. Read through the pages
//! themselves: the API and config their script tag names.

use std::path::PathBuf;

use reqwest::Url;
use rewards_demo::demo::{self, Instance, Options};
use serde_json::{json, Value};

fn site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/demo")
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// An attribute of the page's widget tag (`<script src="/rewards.js" …>`).
fn script_attr(html: &str, name: &str) -> Option<String> {
    let tag = &html[html.find("<script src=\"/rewards.js\"")?..];
    let tag = &tag[..tag.find('>')?];
    let value = &tag[tag.find(&format!("{name}=\""))? + name.len() + 2..];
    Some(value[..value.find('"')?].to_string())
}

/// The API base and config URL a page's widget uses, resolved against the page.
fn widget_urls(page: &Url, html: &str) -> (Url, Url) {
    let attr = |name| script_attr(html, name).unwrap_or_else(|| panic!("{page}: no {name} on the widget's script tag"));
    (page.join(&attr("data-api")).unwrap(), page.join(&attr("data-config")).unwrap())
}

async fn get_ok(http: &reqwest::Client, url: &Url) -> String {
    let r = http.get(url.clone()).send().await.unwrap();
    let status = r.status();
    let body = r.text().await.unwrap();
    assert_eq!(status, 200, "GET {url}: {body}");
    body
}

async fn count(i: &Instance, sql: &str, arg: &str) -> i64 {
    let mut conn = i.app.db.read().await.unwrap();
    sqlx::Row::try_get(&sqlx::query(sql).bind(arg).fetch_one(&mut *conn).await.unwrap(), 0).unwrap()
}

#[tokio::test]
async fn each_demo_store_runs_its_own_program_so_signups_and_previews_land_in_it() {
    let data = tempfile::tempdir().unwrap();
    let opts =
        Options { port: 0, site: site(), www_dist: data.path().join("dist"), data: data.path().to_path_buf(), keep: false, seed: true };
    let instances = demo::start(&opts).await.unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(instances.iter().map(|i| i.store.path).collect::<Vec<_>>(), ["vi", "en"]);
    // store → (currency, signup bonus, a cart line's unit price in minor units)
    let expected = [("VND", 50, 45_000), ("USD", 200, 1_800)];

    for (inst, (currency, bonus, price)) in instances.iter().zip(expected) {
        let store = inst.store.path;
        let origin = Url::parse(&format!("http://{}/", inst.addr)).unwrap();
        // Seeded in the store's own currency.
        let orders = count(inst, "SELECT COUNT(*) FROM orders WHERE currency = $1", currency).await;
        assert!(orders > 0, "{store}: no seeded {currency} orders ({})", inst.seeded);
        assert_eq!(count(inst, "SELECT COUNT(*) FROM orders WHERE currency <> $1", currency).await, 0, "{store}");

        // Every page's widget tag names an API running this store's program
        // and a config that is that program published, byte for byte.
        let mut pages = 0;
        for entry in std::fs::read_dir(site().join(store)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if !name.ends_with(".html") {
                continue;
            }
            let page = origin.join(&format!("{store}/{name}")).unwrap();
            let (api, config) = widget_urls(&page, &get_ok(&http, &page).await);
            let program = get_ok(&http, &api.join("api/program").unwrap()).await;
            assert_eq!(get_ok(&http, &config).await, program, "{page}: data-config is not the program its data-api runs");
            assert_eq!(serde_json::from_str::<Value>(&program).unwrap()["program"]["store"]["currency"], currency, "{page}");
            pages += 1;
        }
        assert!(pages >= 5, "{store}: {pages} pages");

        // A signup from the store's home page earns this program's bonus,
        // in this store's database only.
        let page = origin.join(&format!("{store}/")).unwrap();
        let (api, _) = widget_urls(&page, &get_ok(&http, &page).await);
        let published: Value = serde_json::from_str(&get_ok(&http, &api.join("api/program").unwrap()).await).unwrap();
        let consent = &published["program"]["popup"]["consents"][0];
        let text = consent["text"].get(store).unwrap_or(&consent["text"]).as_str().unwrap();
        let email = format!("visitor-{store}@example.com");
        let body = json!({
            "email": email, "name": "Lan", "locale": store, "page_url": page.as_str(),
            "consents": [{"id": consent["id"], "version": consent["version"], "granted": true, "text": text}],
            "hp": "", "started_at": now_ms() - 5_000
        });
        let r = http
            .post(api.join("api/signup").unwrap())
            .header("content-type", "application/json")
            .header("origin", origin.as_str().trim_end_matches('/'))
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = r.status();
        let signup: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(status, 201, "{store}: {signup}");
        assert_eq!(signup, json!({"ok": true}), "{store}: the same answer for every address");
        for other in &instances {
            let n = count(other, "SELECT COUNT(*) FROM shoppers WHERE email = $1 AND signed_up_at IS NOT NULL", &email).await;
            assert_eq!(n, i64::from(other.store.path == store), "{email} in the {} store's database", other.store.path);
        }

        // The signup bonus is in the ledger; the new member sees it once the store signs them in.
        let credited = count(
            inst,
            "SELECT CAST(SUM(l.delta) AS BIGINT) FROM ledger l JOIN shoppers s ON s.id = l.shopper_id WHERE s.email = $1",
            &email,
        )
        .await;
        assert_eq!(credited, bonus, "{store}");

        // A preview for the demo's signed-in customer, through the same API.
        let signed: Value = serde_json::from_str(&get_ok(&http, &api.join("demo/token?customer_id=demo-1").unwrap()).await).unwrap();
        let auth = format!("Bearer {}", signed["token"].as_str().unwrap());
        let cart = json!({"currency": currency, "lines": [{"id": "l1", "product_id": "p1", "quantity": 2, "unit_price": price}]});
        let r = http
            .post(api.join("api/engine/preview").unwrap())
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(json!({"input": cart}).to_string())
            .send()
            .await
            .unwrap();
        let status = r.status();
        let preview: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(status, 200, "{store}: {preview}");
        assert_eq!(preview["currency"], currency, "{store}: {preview}");
        assert!(preview["total_points"].as_i64().unwrap() > 0, "{store}: {preview}");
    }

    // A store's pages asked of the other store's server go to their own.
    for (from, to) in [(&instances[0], &instances[1]), (&instances[1], &instances[0])] {
        let path = format!("/{}/product.html?p=x", to.store.path);
        let r = http.get(format!("http://{}{path}", from.addr)).send().await.unwrap();
        assert_eq!(r.status(), 302, "{path} on the {} server", from.store.path);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, format!("http://{}{path}", to.addr));
        // Its own pages, the landing page and its API stay where they are.
        for own in [format!("/{}/", from.store.path), "/".into(), "/api/program".into()] {
            let r = http.get(format!("http://{}{own}", from.addr)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{own} on the {} server", from.store.path);
        }
    }
}

/// The demo checkout's `POST /demo/order` decodes its body as every
/// endpoint does: a malformed one is a 422 at its exact path, nothing
/// written (it left the server's own malformed-body table with the demo).
#[tokio::test]
async fn issue_11_the_demo_checkout_refuses_a_malformed_order_at_its_path() {
    let data = tempfile::tempdir().unwrap();
    let opts =
        Options { port: 0, site: site(), www_dist: data.path().join("dist"), data: data.path().to_path_buf(), keep: false, seed: false };
    let instances = demo::start(&opts).await.unwrap();
    let vi = &instances[0];
    let before = count(vi, "SELECT COUNT(*) FROM orders WHERE order_id <> $1", "").await;
    let cart = r#"{"currency":"VND","lines":[{"id":"l","unit_price":45000,"quantity":1}]}"#;
    let r = reqwest::Client::new()
        .post(format!("http://{}/demo/order", vi.addr))
        .header("content-type", "application/json")
        .body(format!(r#"{{"cart":{cart},"discount_codes":"RW-1"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["issues"][0]["path"], "discount_codes", "{body}");
    assert_eq!(body["issues"][0]["message"], "expected an array of codes, found a string", "{body}");
    assert_eq!(count(vi, "SELECT COUNT(*) FROM orders WHERE order_id <> $1", "").await, before);
}
