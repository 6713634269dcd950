//! Issue 13, part 3: the console's KPI page. Orders, signups, a refund and
//! a redemption over two months; every figure the page shows for them is
//! computed here again from what the test sent (and the server's answers
//! for points and cashback), and looked for in the page, in Vietnamese
//! and English.

use std::collections::{BTreeMap, BTreeSet};

use rewards_core::money::Currency;
use rewards_server::http::console::i18n::Lang;
use serde_json::json;

use crate::console::{users, Browser, OWNER, PASSWORD, STAFF};
use crate::harness::*;

/// What the test did, per order.
struct Sent {
    at: i64,
    customer: Option<&'static str>,
    member: bool,
    net: i64,
    points: i64,
    cashback: i64,
}

/// Local month starts in Asia/Ho_Chi_Minh (UTC+7): 1 Oct and 1 Nov 2026.
const OCT: i64 = 1_790_787_600_000; // 2026-09-30T17:00:00Z
const NOV: i64 = 1_793_466_000_000; // 2026-10-31T17:00:00Z
const ACTIVE: i64 = 60 * DAY;

/// Rounded half away from zero to one decimal, as a percentage of `num / den`; `None` when undefined.
fn percent(num: i64, den: i64, lang: Lang) -> String {
    if den == 0 {
        return if lang == Lang::Vi { "không có".into() } else { "n/a".into() };
    }
    let tenths = (num as i128 * 1000 * 2 + den as i128) / (den as i128 * 2);
    let text = format!("{}.{} %", tenths / 10, tenths % 10);
    if lang == Lang::Vi {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Half away from zero to a whole (non-negative) number.
fn round(num: i64, den: i64) -> i64 {
    (2 * num + den) / (2 * den)
}

struct Expect {
    revenue: i64,
    orders: i64,
    signups: i64,
    crr: (i64, i64),
    repeat: (i64, i64),
    redemption: (i64, i64),
    cost: i64,
    members: (i64, i64, i64),
    guests: (i64, i64, i64),
}

/// The figures of `[from, to)`, from the test's own records.
fn expect(sent: &[Sent], signups: &[i64], redeemed: &[(i64, i64, i64)], from: i64, to: i64) -> Expect {
    let inside = |t: i64| t >= from && t < to;
    let active = |t: i64| -> BTreeSet<&str> { sent.iter().filter(|o| o.at >= t - ACTIVE && o.at < t).filter_map(|o| o.customer).collect() };
    let (s, e) = (active(from), active(to));
    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
    for o in sent {
        if let Some(c) = o.customer {
            let t = first.entry(c).or_insert(o.at);
            *t = (*t).min(o.at);
        }
    }
    let n = first.values().filter(|t| inside(**t)).count() as i64;
    let period: Vec<&Sent> = sent.iter().filter(|o| inside(o.at)).collect();
    let mut per: BTreeMap<&str, i64> = BTreeMap::new();
    for o in &period {
        if let Some(c) = o.customer {
            *per.entry(c).or_default() += 1;
        }
    }
    let side = |member: bool| {
        let orders: Vec<&&Sent> = period.iter().filter(|o| o.member == member).collect();
        let ids: BTreeSet<&str> = orders.iter().filter_map(|o| o.customer).collect();
        let anonymous = orders.iter().filter(|o| o.customer.is_none()).count() as i64;
        (orders.len() as i64, orders.iter().map(|o| o.net).sum::<i64>(), ids.len() as i64 + anonymous)
    };
    // Points issued: the orders' (as the server answered) and each signup's bonus (the program's).
    let program: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
    let bonus = program["actions"].as_array().unwrap().iter().find(|a| a["kind"] == "signup").unwrap()["points"].as_i64().unwrap();
    let issued: i64 = period.iter().map(|o| o.points).sum::<i64>() + bonus * signups.iter().filter(|t| inside(**t)).count() as i64;
    let spent: i64 = redeemed.iter().filter(|r| inside(r.0)).map(|r| r.1).sum();
    let vouchers: i64 = redeemed.iter().filter(|r| inside(r.0)).map(|r| r.2).sum();
    Expect {
        revenue: period.iter().map(|o| o.net).sum(),
        orders: period.len() as i64,
        signups: signups.iter().filter(|t| inside(**t)).count() as i64,
        crr: (e.len() as i64 - n, s.len() as i64),
        repeat: (per.values().filter(|c| **c >= 2).count() as i64, per.len() as i64),
        redemption: (spent, issued),
        cost: vouchers + period.iter().map(|o| o.cashback).sum::<i64>(),
        members: side(true),
        guests: side(false),
    }
}

/// One order webhook; what it was and what the server answered.
async fn order(srv: &Srv, n: &mut i64, customer: Option<&'static str>, email: Option<&str>, member: bool, price: i64) -> Sent {
    *n += 1;
    let mut body = json!({"order_id": format!("o-{n}"), "cart": cart(&[("Cà phê", price, 1)])});
    if let Some(c) = customer {
        body["customer"] = json!({"id": c});
        if let Some(e) = email {
            body["customer"]["email"] = json!(e);
        }
    }
    let r = srv.hook("/api/webhooks/orders", &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    Sent {
        at: srv.now(),
        customer,
        member,
        net: price,
        points: v["points"].as_i64().unwrap_or(0),
        cashback: v["cashback"].as_i64().unwrap_or(0),
    }
}

fn card(name: &str, now: &str, before: &str) -> String {
    format!("<h3>{name}</h3><p class=\"kpi-value\">{now}</p><dl><div><dt>{}</dt><dd>{before}</dd>", "Kỳ trước")
}

#[tokio::test]
async fn issue_13_console_kpis_match_the_orders_sent() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        let at = |t: i64| srv.app.clock.set(t);
        let mut sent: Vec<Sent> = Vec::new();
        let mut signups: Vec<i64> = Vec::new();
        // (at, points, voucher value)
        let mut redeemed: Vec<(i64, i64, i64)> = Vec::new();
        let mut sent_n = 0;
        // October.
        at(T0 - 50 * DAY);
        sent.push(order(&srv, &mut sent_n, Some("bao"), None, false, 300_000).await);
        at(T0 - 48 * DAY);
        assert_eq!(srv.signup("lan@cafe.vn").await.status, 201);
        signups.push(srv.now());
        sent.push(order(&srv, &mut sent_n, Some("lan"), Some("lan@cafe.vn"), true, 1_200_000).await);
        at(T0 - 40 * DAY);
        sent.push(order(&srv, &mut sent_n, None, None, false, 150_000).await);
        at(T0 - 35 * DAY);
        sent.push(order(&srv, &mut sent_n, Some("lan"), None, true, 800_000).await);
        at(T0 - 30 * DAY);
        sent.push(order(&srv, &mut sent_n, Some("bao"), None, false, 200_000).await);
        // November.
        at(T0 - 20 * DAY);
        let body = json!({"redemption_id": "giam-tien", "points": 100, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": "k1"});
        let r = srv.post("/api/redeem", &body.to_string(), &srv.bearer("lan")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        redeemed.push((srv.now(), 100, r.json()["discount"].as_i64().unwrap()));
        at(T0 - 15 * DAY);
        assert_eq!(srv.signup("minh@cafe.vn").await.status, 201);
        signups.push(srv.now());
        sent.push(order(&srv, &mut sent_n, Some("minh"), Some("minh@cafe.vn"), true, 500_000).await);
        let minh_order = format!("o-{}", sent.len());
        at(T0 - 10 * DAY);
        sent.push(order(&srv, &mut sent_n, Some("lan"), None, true, 400_000).await);
        at(T0 - 5 * DAY);
        sent.push(order(&srv, &mut sent_n, None, None, false, 250_000).await);
        sent.push(order(&srv, &mut sent_n, Some("bao"), None, false, 100_000).await);
        at(T0 - 3 * DAY);
        let r = srv.refund("r-1", &minh_order, Some(100_000)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let minh = sent.iter_mut().find(|o| o.customer == Some("minh")).unwrap();
        // Store credit comes back pro rata, rounded down (as points do).
        minh.cashback -= minh.cashback * 100_000 / minh.net;
        minh.net -= 100_000;
        at(T0);

        let vnd = Currency::from_code("VND").unwrap();
        let (oct, nov) = (expect(&sent, &signups, &redeemed, OCT, NOV), expect(&sent, &signups, &redeemed, NOV, T0));
        assert!(nov.redemption.0 > 0 && oct.crr.1 == 0 && nov.crr.1 > 0, "the data exercises each figure");

        let mut owner = Browser::new(&srv);
        assert_eq!(owner.sign_in(OWNER, PASSWORD).await.status, 303);
        let page = owner.get("/console/kpis").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let body = &page.body;
        let vi = Lang::Vi;
        assert!(body.contains("tháng 11/2026 (đến nay) so với tháng 10/2026"), "{body}");
        for (name, now, before) in [
            ("Doanh thu", vi.money(nov.revenue, vnd), vi.money(oct.revenue, vnd)),
            ("Đơn hàng", vi.number(nov.orders), vi.number(oct.orders)),
            ("Thành viên mới", vi.number(nov.signups), vi.number(oct.signups)),
            ("Tỷ lệ giữ chân khách hàng", percent(nov.crr.0, nov.crr.1, vi), percent(oct.crr.0, oct.crr.1, vi)),
            ("Tỷ lệ mua lại", percent(nov.repeat.0, nov.repeat.1, vi), percent(oct.repeat.0, oct.repeat.1, vi)),
            ("Tỷ lệ đổi điểm (điểm đã đổi / đã phát)", percent(nov.redemption.0, nov.redemption.1, vi), percent(0, oct.redemption.1, vi)),
            ("Chi phí chương trình", vi.money(nov.cost, vnd), vi.money(oct.cost, vnd)),
            ("Chi phí chương trình / doanh thu từ thành viên", percent(nov.cost, nov.members.1, vi), percent(oct.cost, oct.members.1, vi)),
        ] {
            assert!(body.contains(&card(name, &now, &before)), "{name}: {now} / {before} not in\n{body}");
        }
        // The change in revenue, with its sign; a rate's change in points.
        let diff = nov.revenue - oct.revenue;
        let change = format!("{}{}", if diff < 0 { "−" } else { "+" }, vi.money(diff.abs(), vnd));
        assert!(body.contains(&format!("<dt>Thay đổi</dt><dd>{change}</dd>")), "{change}");

        // The trend table, newest first: retention, repeat, redemption.
        let row = |name: &str, e: &Expect| {
            format!(
                "<tr><th scope=\"row\">{name}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                percent(e.crr.0, e.crr.1, vi),
                percent(e.repeat.0, e.repeat.1, vi),
                percent(e.redemption.0, e.redemption.1, vi)
            )
            .replace("không có", "—")
        };
        assert!(body.contains(&row("tháng 11/2026 (đến nay)", &nov)), "{}", row("tháng 11/2026 (đến nay)", &nov));
        assert!(body.contains(&row("tháng 10/2026", &oct)), "{}", row("tháng 10/2026", &oct));
        // Each defined value is a focusable mark named with its value.
        let mark = format!("aria-label=\"Tỷ lệ mua lại · tháng 11/2026 (đến nay): {}\"", percent(nov.repeat.0, nov.repeat.1, vi));
        assert!(body.contains(&mark), "{mark}");
        // Members against guests: average order value, rounded to a whole đồng.
        for (name, e) in [("Thành viên", &nov.members), ("Khách vãng lai", &nov.guests)] {
            let aov = vi.money(round(e.1, e.0), vnd);
            let mark = format!("aria-label=\"{name} · tháng 11/2026 (đến nay): {aov}\"");
            assert!(body.contains(&mark), "{mark}");
        }
        // The page runs no script and allows no inline style.
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline") && !body.contains("<script") && !body.contains("style="), "{csp}");

        // Staff read it too, in English; weeks as periods; a bad window is refused at its field.
        let mut staff = Browser::new(&srv);
        assert_eq!(staff.sign_in(STAFF, PASSWORD).await.status, 303);
        let en = staff.get("/console/kpis").await;
        assert_eq!(en.status, 200);
        let revenue = Lang::En.money(nov.revenue, vnd);
        assert!(en.body.contains(&format!("<h3>Revenue</h3><p class=\"kpi-value\">{revenue}</p>")), "{}", en.body);
        assert!(en.body.contains("November 2026 (so far) compared with October 2026"));
        let weeks = staff.get("/console/kpis?period=week").await;
        assert_eq!(weeks.status, 200);
        assert!(weeks.body.contains("16 Nov – 22 Nov 2026 (so far)"), "{}", weeks.body);
        let bad = staff.get("/console/kpis?active_days=0").await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("aria-invalid=\"true\"") && bad.body.contains("from 1 to 3650"));
    })
    .await;
}
