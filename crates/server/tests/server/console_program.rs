//! Issue 13, part 1: the program editor. A field error carries
//! `check-config`'s message and publishes nothing; a valid draft gets a
//! preview document; publishing records a version, swaps it into the
//! running server (`GET /api/program`, awards); a stale form is refused
//! with what changed; rollback; the newest version survives a restart.

use rewards_server::http::console::programs;
use rewards_server::LoadedProgram;

use crate::console::{users, Browser, Page, OWNER, PASSWORD, STAFF};
use crate::harness::*;

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&")
}

/// The fields of the page's first program form, as a browser would send them (no `op`).
pub fn form_fields(page: &Page) -> Vec<(String, String)> {
    let start = page.body.find("<form method=\"post\" action=\"/console/program\"").expect("the editor form");
    let html = &page.body[start..start + page.body[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    for part in html.split("<input").skip(1) {
        let attr = |name: &str| part.split(&format!(" {name}=\"")).nth(1).map(|r| unescape(&r[..r.find('"').unwrap()]));
        if let Some(n) = attr("name") {
            out.push((n, attr("value").unwrap_or_default()));
        }
    }
    for part in html.split("<select").skip(1) {
        let name = part.split(" name=\"").nth(1).map(|r| r[..r.find('"').unwrap()].to_string()).unwrap();
        let selected = part.split("<option value=\"").skip(1).find(|o| o[..o.find('>').unwrap()].contains(" selected")).unwrap();
        out.push((name, selected[..selected.find('"').unwrap()].to_string()));
    }
    out
}

pub fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let f = fields.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no field {name}"));
    f.1 = value.to_string();
}

pub async fn submit(b: &mut Browser, mut fields: Vec<(String, String)>, op: &str) -> Page {
    fields.push(("op".into(), op.into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    b.post("/console/program", &refs).await
}

#[tokio::test]
async fn issue_13_the_program_editor_checks_previews_publishes_and_rolls_back() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        programs::adopt(&srv.app).await.unwrap();
        let first = srv.app.program.version.clone();
        let mut staff = Browser::new(&srv);
        staff.sign_in(STAFF, PASSWORD).await;
        assert_eq!(staff.get("/console/program").await.status, 403, "staff do not change the program");
        let mut b = Browser::new(&srv);
        b.sign_in(OWNER, PASSWORD).await;
        let page = b.get("/console/program").await;
        assert_eq!(page.status, 200);
        let fields = form_fields(&page);
        assert!(fields.iter().any(|(n, v)| n == "n:earning.step" && v == "10000"), "{fields:?}");
        assert!(fields.iter().any(|(n, _)| n == "s:tiers.levels[2].name.vi"), "{:?}", fields.iter().map(|f| &f.0).collect::<Vec<_>>());

        // A field error: check-config's message at the field; nothing stored or published.
        let mut bad = fields.clone();
        set(&mut bad, "n:earning.step", "-5");
        set(&mut bad, "n:tiers.levels[1].threshold", "nhiều");
        let refused = submit(&mut b, bad.clone(), "publish").await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("earning.step: must be at least 1, found -5"), "{}", refused.body);
        assert!(refused.body.contains("tiers.levels[1].threshold: expected an integer, found a string"));
        let at_field = refused.body.find("earning.step: must be at least 1").unwrap();
        let input = refused.body[at_field..].find("name=\"n:earning.step\" value=\"-5\"").unwrap();
        assert!(input < 300, "the message sits just before its field");
        assert_eq!(srv.app.program.version, first);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM program_drafts").await, 0);

        // Fixed, with a tier added: a preview document from the draft.
        let mut good = form_fields(&refused);
        set(&mut good, "n:earning.step", "5000");
        set(&mut good, "n:tiers.levels[1].threshold", "2000000");
        let added = submit(&mut b, good, "add:tiers.levels").await;
        // The copy of the last tier repeats its threshold: said at the new tier's field.
        assert_eq!(added.status, 422);
        assert!(
            added.body.contains("tiers.levels[3].threshold: must be greater than the previous tier&#39;s threshold (5000000)"),
            "{}",
            added.body
        );
        let mut with_tier = form_fields(&added);
        set(&mut with_tier, "n:tiers.levels[3].threshold", "20000000");
        set(&mut with_tier, "s:tiers.levels[3].name.vi", "Kim cương");
        set(&mut with_tier, "s:tiers.levels[3].name.en", "Diamond");
        let checked = submit(&mut b, with_tier.clone(), "preview").await;
        assert_eq!(checked.status, 200, "{}", checked.body);
        assert!(checked.body.contains("<code>earning.step</code>: 10000 → 5000"), "{}", checked.body);
        let at = checked.body.find("/console/program/preview?draft=").unwrap() + 31;
        let draft = checked.body[at..at + 24].to_string();
        let doc = b.get(&format!("/console/program/drafts/{draft}.json")).await;
        assert_eq!(doc.status, 200);
        let doc: serde_json::Value = serde_json::from_str(&doc.body).unwrap();
        assert_ne!(doc["version"], first.as_str(), "the draft's own version");
        assert_eq!(doc["program"]["tiers"]["levels"][3]["name"]["vi"], "Kim cương");
        let frame = b.get(&format!("/console/program/preview?draft={draft}&who=tier:bac&view=explainer&lang=vi")).await;
        assert_eq!(frame.status, 200);
        let csp = frame.headers["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(
            frame.body.contains(&format!("data-config=\"/console/program/drafts/{draft}.json\""))
                && frame.body.contains("&quot;tier&quot;"),
            "{}",
            frame.body
        );
        assert_eq!(staff.get(&format!("/console/program/drafts/{draft}.json")).await.status, 403);

        // Published: in force at once for the API and awards; the ledger records it.
        let before = srv.order("o-before", "c-1", &cart(&[("Hạt", 300_000, 1)])).await.json()["points"].as_i64().unwrap();
        let published = submit(&mut b, form_fields(&checked), "publish").await;
        assert_eq!(published.status, 303, "{}", published.body);
        let second = srv.app.program.version.clone();
        assert_ne!(second, first);
        let api = srv.get("/api/program", &[]).await;
        assert_eq!(api.headers["etag"].to_str().unwrap(), format!("\"{second}\""));
        assert_eq!(api.json()["program"]["tiers"]["levels"].as_array().unwrap().len(), 4);
        let after = srv.order("o-after", "c-2", &cart(&[("Hạt", 300_000, 1)])).await.json()["points"].as_i64().unwrap();
        // Each a first order (+30 first_order bonus): 300,000 ₫ at 1 point per 10,000 ₫, then per 5,000 ₫.
        assert_eq!((before, after), (30 + 30, 60 + 30));
        assert_eq!(srv.scalar(&format!("SELECT COUNT(*) FROM ledger WHERE ref = 'o-after' AND program_version = '{second}'")).await, 1);
        assert_eq!(
            srv.scalar(&format!("SELECT COUNT(*) FROM ledger WHERE ref = 'o-before' AND program_version = '{first}'")).await,
            1,
            "nothing awarded changes"
        );

        // A stale form (built before that publish) is refused with what changed.
        let mut stale = fields.clone();
        set(&mut stale, "s:store.name", "Quán khác");
        let conflict = submit(&mut b, stale, "publish").await;
        assert_eq!(conflict.status, 409);
        assert!(conflict.body.contains(&second) && conflict.body.contains("<code>earning.step</code>: 10000 → 5000"), "{}", conflict.body);
        assert_eq!(srv.app.program.version, second);

        // A restart with the unchanged file keeps the published version.
        srv.app.program.replace(LoadedProgram::load(std::path::Path::new(&program_path())).unwrap());
        programs::adopt(&srv.app).await.unwrap();
        assert_eq!(srv.app.program.version, second);

        // Rollback to the first version: published anew, every version kept.
        let seq = srv.scalar(&format!("SELECT MIN(seq) FROM program_versions WHERE version = '{first}'")).await.to_string();
        let page = b.get("/console/program").await;
        let csrf = page.field("csrf");
        let back = b.post("/console/program/rollback", &[("csrf", &csrf), ("base", &second), ("seq", &seq)]).await;
        assert_eq!(back.status, 303, "{}", back.body);
        assert_eq!(srv.app.program.version, first);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM program_versions").await, 3);
        for action in ["publish_program", "rollback_program"] {
            assert_eq!(srv.scalar(&format!("SELECT COUNT(*) FROM admin_audit WHERE action = '{action}'")).await, 1);
        }
        // The JSON file stays the format: export is the text in force; an import is checked like a form.
        assert_eq!(b.get("/console/program/export.json").await.body, srv.app.program.text);
        let page = b.get("/console/program").await;
        let csrf = page.field("csrf");
        let broken = b
            .post("/console/program", &[("csrf", &csrf), ("base", &first), ("draft", "{}"), ("json", "{\"version\": 1,"), ("op", "import")])
            .await;
        assert_eq!(broken.status, 422);
        assert!(broken.body.contains("not JSON"));
    })
    .await;
}
