//! The KPI page (`/console/kpis`, owner and staff): the figures of
//! `kpis` drawn for a merchant. Cards for this period beside the previous
//! one and the change; a trend chart (retention, repeat purchases,
//! redemption) over [`PERIODS`] periods; program cost against revenue from
//! members; members against guests. Every chart has its table.
//!
//! Numbers are shown in the merchant's language (`Lang::money`, `number`,
//! a decimal comma in Vietnamese); ratios are rounded only here, half away
//! from zero ("KPI display rounding", `Q::fixed`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rewards_core::money::Currency;
use rewards_core::time::{civil_from_days, DAY_MS};

use super::auth::Console;
use super::chart::{self, Chart, Series};
use super::html::Html;
use super::i18n::{fill, Lang};
use super::kpi_words::KpiWords;
use super::kpis::{self, Figures, Kind, DEFAULT_ACTIVE_DAYS, PERIODS};
use super::layout;
use crate::services::kpi::Q;
use crate::App;

#[derive(serde::Deserialize, Default)]
pub struct KpiQuery {
    period: Option<String>,
    active_days: Option<String>,
}

pub async fn page(State(app): State<App>, console: Console, Query(q): Query<KpiQuery>) -> Response {
    let lang = console.lang();
    let kind = q.period.as_deref().and_then(Kind::from_code).unwrap_or(Kind::Month);
    let typed = q.active_days.clone().unwrap_or_default();
    let active = match q.active_days.as_deref().map(str::trim) {
        None | Some("") => Some(DEFAULT_ACTIVE_DAYS),
        Some(t) => t.parse::<i64>().ok().filter(|d| (1..=3650).contains(d)),
    };
    let program = app.program();
    let tz = program.store.time_zone.clone();
    let periods = kpis::periods(kind, &tz, app.clock.now(), PERIODS);
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return layout::message(Some(&console), lang, StatusCode::INTERNAL_SERVER_ERROR, lang.words().storage_error);
    };
    let facts = match kpis::load(&app, first.from, last.to).await {
        Ok(f) => f,
        Err(e) => return layout::storage_error(Some(&console), lang, e),
    };
    let figures = kpis::figures(&facts, &periods, active.unwrap_or(DEFAULT_ACTIVE_DAYS) * DAY_MS);
    let k = lang.kpi_words();
    let mut h = Html::new();
    h.el("<h1>", k.title, "</h1>");
    form(&mut h, lang, kind, if active.is_some() { None } else { Some(typed.as_str()) }, active.unwrap_or(DEFAULT_ACTIVE_DAYS));
    h.el("<p class=\"hint\">", &fill(k.lead, &[&tz]), "</p>");
    let view = View { lang, k, kind, currency: program.currency(), figures: &figures };
    view.cards(&mut h);
    view.trends(&mut h);
    view.cost(&mut h);
    view.versus(&mut h);
    layout::page(Some(&console), lang, k.title, h, if active.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY })
}

fn form(h: &mut Html, lang: Lang, kind: Kind, bad: Option<&str>, active: i64) {
    let k = lang.kpi_words();
    h.lit("<form method=\"get\" action=\"/console/kpis\" class=\"search\"><div><label for=\"kpi-period\">").text(k.period_kind);
    h.lit("</label><select id=\"kpi-period\" name=\"period\">");
    for (value, label) in [(Kind::Month, k.months), (Kind::Week, k.weeks)] {
        h.lit("<option value=\"").lit(value.code()).lit("\"").lit(if value == kind { " selected" } else { "" }).lit(">");
        h.text(label).lit("</option>");
    }
    h.lit("</select></div><div><label for=\"kpi-active\">").text(k.active_days).lit("</label>");
    if bad.is_some() {
        h.el("<p class=\"field-error\" id=\"kpi-active-error\">", k.active_invalid, "</p>");
    }
    h.lit("<input id=\"kpi-active\" name=\"active_days\" inputmode=\"numeric\" value=\"");
    match bad {
        Some(t) => h.text(t).lit("\" aria-invalid=\"true\" aria-describedby=\"kpi-active-error kpi-active-hint\">"),
        None => h.num(active).lit("\" aria-describedby=\"kpi-active-hint\">"),
    };
    h.el("<p class=\"hint\" id=\"kpi-active-hint\">", k.active_hint, "</p></div>");
    h.lit("<button type=\"submit\">").text(k.show).lit("</button></form>");
}

/// The decimal point in this language.
fn local_decimal(lang: Lang, text: String) -> String {
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// `+`/`−` in front of a non-zero difference.
fn signed(text: String, negative: bool, zero: bool) -> String {
    if zero {
        text
    } else if negative {
        format!("−{}", text.trim_start_matches('-'))
    } else {
        format!("+{text}")
    }
}

/// `a − b`, exactly; undefined when either is.
fn minus(a: Q, b: Q) -> Q {
    if !a.defined() || !b.defined() {
        return Q::new(0, 0);
    }
    Q::new(a.num.saturating_mul(b.den).saturating_sub(b.num.saturating_mul(a.den)), a.den.saturating_mul(b.den))
}

/// How a KPI's value is written.
#[derive(Clone, Copy)]
enum Unit {
    Percent,
    Money,
    Count,
    Decimal,
    Days,
}

struct View<'a> {
    lang: Lang,
    k: &'static KpiWords,
    kind: Kind,
    currency: Currency,
    figures: &'a [Figures],
}

impl View<'_> {
    fn percent(&self, q: Q) -> String {
        if !q.defined() {
            return self.k.na.into();
        }
        format!("{} %", local_decimal(self.lang, Q::new(q.num.saturating_mul(100), q.den).fixed(1)))
    }

    /// A fraction of minor units, rounded to a whole minor unit.
    fn money(&self, q: Q) -> String {
        if !q.defined() {
            return self.k.na.into();
        }
        self.lang.money(q.fixed(0).parse().unwrap_or(i64::MAX), self.currency)
    }

    fn write(&self, unit: Unit, q: Q) -> String {
        if !q.defined() {
            return self.k.na.into();
        }
        match unit {
            Unit::Percent => self.percent(q),
            Unit::Money => self.money(q),
            Unit::Count => self.lang.number(q.fixed(0).parse().unwrap_or(0)),
            Unit::Decimal => local_decimal(self.lang, q.fixed(2)),
            Unit::Days => fill(self.k.days, &[&local_decimal(self.lang, q.fixed(1))]),
        }
    }

    /// The change from `before` to `now`: percentage points for rates.
    fn change(&self, unit: Unit, now: Q, before: Q) -> String {
        let d = minus(now, before);
        if !d.defined() {
            return "—".into();
        }
        let (negative, zero) = (d.num.signum() * d.den.signum() < 0, d.num == 0);
        match unit {
            Unit::Percent => {
                fill(self.k.pp, &[&signed(local_decimal(self.lang, Q::new(d.num.saturating_mul(100), d.den).fixed(1)), negative, zero)])
            }
            Unit::Money => {
                let abs = Q::new(d.num.abs(), d.den.abs());
                signed(self.money(abs), negative, zero)
            }
            _ => signed(self.write(unit, Q::new(d.num.abs(), d.den.abs())), negative, zero),
        }
    }

    /// A period's full name (`tháng 11/2026`, `November 2026`, a week's first and last day).
    fn period_name(&self, f: &Figures, newest: bool) -> String {
        let (y, m, d) = civil_from_days(f.period.first_day);
        let (y2, m2, d2) = civil_from_days(f.period.last_day);
        let name = match (self.kind, self.lang) {
            (Kind::Month, Lang::Vi) => format!("tháng {m}/{y}"),
            (Kind::Month, Lang::En) => format!("{} {y}", MONTHS_EN[m as usize - 1]),
            (Kind::Week, Lang::Vi) => format!("{d:02}/{m:02}/{y}–{d2:02}/{m2:02}/{y2}"),
            (Kind::Week, Lang::En) => format!("{d} {} – {d2} {} {y2}", &MONTHS_EN[m as usize - 1][..3], &MONTHS_EN[m2 as usize - 1][..3]),
        };
        if newest {
            fill(self.k.so_far, &[&name])
        } else {
            name
        }
    }

    /// The x-axis label of a period: short.
    fn period_short(&self, f: &Figures) -> String {
        let (_, m, d) = civil_from_days(f.period.first_day);
        match (self.kind, self.lang) {
            (Kind::Month, Lang::Vi) => format!("T{m}"),
            (Kind::Month, Lang::En) => MONTHS_EN[m as usize - 1][..3].to_string(),
            (Kind::Week, Lang::Vi) => format!("{d:02}/{m:02}"),
            (Kind::Week, Lang::En) => format!("{d} {}", &MONTHS_EN[m as usize - 1][..3]),
        }
    }

    fn x(&self) -> Vec<(String, String)> {
        let n = self.figures.len();
        self.figures.iter().enumerate().map(|(i, f)| (self.period_short(f), self.period_name(f, i + 1 == n))).collect()
    }

    /// The KPIs of one period: (name, unit, value).
    fn kpis(&self, f: &Figures) -> Vec<(&'static str, Unit, Q)> {
        let r = &f.report;
        let k = self.k;
        let n = |v: i64| Q::new(v.into(), 1);
        // Revenue, orders and their average count every order (guests
        // without an id too); the customer figures, identified customers.
        let (revenue, orders) = (f.members.revenue + f.guests.revenue, f.members.orders + f.guests.orders);
        vec![
            (k.revenue, Unit::Money, n(revenue)),
            (k.orders, Unit::Count, n(orders)),
            (k.signups, Unit::Count, n(f.signups)),
            (k.crr, Unit::Percent, r.crr),
            (k.churn, Unit::Percent, r.churn),
            (k.aov, Unit::Money, Q::new(revenue.into(), orders.into())),
            (k.frequency, Unit::Decimal, r.frequency),
            (k.clv, Unit::Money, r.clv),
            (k.adoption, Unit::Percent, r.adoption),
            (k.redemption, Unit::Percent, r.redemption_rate),
            (k.repeat, Unit::Percent, r.repeat_rate),
            (k.between, Unit::Days, r.time_between_days),
            (k.cost, Unit::Money, n(f.cost.total())),
            (k.cost_share, Unit::Percent, f.cost_share()),
        ]
    }

    fn cards(&self, h: &mut Html) {
        let k = self.k;
        let n = self.figures.len();
        let (Some(now), Some(before)) = (self.figures.last(), n.checked_sub(2).and_then(|i| self.figures.get(i))) else { return };
        h.lit("<section aria-labelledby=\"kpi-now-h\"><h2 id=\"kpi-now-h\">");
        h.text(&fill(k.compared, &[&self.period_name(now, true), &self.period_name(before, false)])).lit("</h2><ul class=\"kpis\">");
        for ((name, unit, a), (_, _, b)) in self.kpis(now).into_iter().zip(self.kpis(before)) {
            h.lit("<li class=\"card\"><h3>").text(name).lit("</h3><p class=\"kpi-value\">").text(&self.write(unit, a)).lit("</p>");
            h.lit("<dl><div><dt>").text(k.previous).lit("</dt><dd>").text(&self.write(unit, b)).lit("</dd></div>");
            h.lit("<div><dt>").text(k.change).lit("</dt><dd>").text(&self.change(unit, a, b)).lit("</dd></div></dl></li>");
        }
        h.lit("</ul></section>");
    }

    /// A table of `rows` (name, values per period), under a chart.
    fn table(&self, h: &mut Html, id: &'static str, caption: &str, rows: &[(&str, Vec<String>)]) {
        let k = self.k;
        h.lit("<details class=\"figures\"><summary>").text(k.figures).lit("</summary>");
        h.lit("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"").lit(id).lit("-c\"><table><caption id=\"");
        h.lit(id)
            .lit("-c\">")
            .text(caption)
            .lit(" · ")
            .text(k.figures)
            .lit("</caption><thead><tr><th scope=\"col\">")
            .text(k.period)
            .lit("</th>");
        for (name, _) in rows {
            h.lit("<th scope=\"col\" class=\"num\">").text(name).lit("</th>");
        }
        h.lit("</tr></thead><tbody>");
        for (i, (_, full)) in self.x().iter().enumerate().rev() {
            h.lit("<tr><th scope=\"row\">").text(full).lit("</th>");
            for (_, values) in rows {
                h.lit("<td class=\"num\">").text(values.get(i).map_or("", String::as_str)).lit("</td>");
            }
            h.lit("</tr>");
        }
        h.lit("</tbody></table></div></details>");
    }

    fn series<'s>(&self, name: &'s str, unit: Unit, value: impl Fn(&Figures) -> Q) -> Series<'s> {
        let points = self
            .figures
            .iter()
            .map(|f| {
                let q = value(f);
                q.defined().then(|| {
                    (if matches!(unit, Unit::Percent) { Q::new(q.num.saturating_mul(100), q.den) } else { q }, self.write(unit, q))
                })
            })
            .collect();
        Series { name, points }
    }

    /// A bar series: nothing drawn for a period without any order or cost.
    fn bar_series<'s>(&self, name: &'s str, unit: Unit, value: impl Fn(&Figures) -> Q) -> Series<'s> {
        let mut s = self.series(name, unit, value);
        for (p, f) in s.points.iter_mut().zip(self.figures) {
            if f.members.orders + f.guests.orders == 0 && f.cost.total() == 0 {
                *p = None;
            }
        }
        s
    }

    fn texts(s: &Series) -> Vec<String> {
        s.points.iter().map(|p| p.as_ref().map_or("—".to_string(), |(_, t)| t.clone())).collect()
    }

    fn section(&self, h: &mut Html, id: &'static str, title: &str, lead: &str) {
        h.lit("<section class=\"chart-card card\" aria-labelledby=\"").lit(id).lit("-h\"><h2 id=\"").lit(id).lit("-h\">").text(title);
        h.lit("</h2>").el("<p class=\"hint\">", lead, "</p>");
    }

    fn chart(&self, h: &mut Html, c: &Chart, bars: bool, caption: &str) {
        h.lit("<figure>");
        if bars {
            chart::bars(h, c);
        } else {
            chart::line(h, c);
        }
        h.lit("<figcaption>");
        let names: Vec<&str> = c.series.iter().map(|s| s.name).collect();
        chart::legend(h, &names, !bars);
        h.lit("</figcaption></figure>");
        let rows: Vec<(&str, Vec<String>)> = c.series.iter().map(|s| (s.name, Self::texts(s))).collect();
        self.table(h, c.id, caption, &rows);
    }

    fn percent_tick(&self) -> impl Fn(i64) -> String + '_ {
        move |t| format!("{} %", self.lang.number(t))
    }

    /// An axis tick in money, short: `20 tr ₫`, `500 N ₫` (vi); `20M VND`, `500K VND` (en).
    fn money_tick(&self) -> impl Fn(i64) -> String + '_ {
        move |t| compact_money(self.lang, t, self.currency)
    }

    /// A chart over the periods.
    fn over_periods<'c>(
        &self,
        id: &'static str,
        title: &'c str,
        y_label: &'c str,
        series: Vec<Series<'c>>,
        tick: &'c dyn Fn(i64) -> String,
    ) -> Chart<'c> {
        Chart { id, title, x_label: self.k.axis_period, y_label, x: self.x(), series, tick }
    }

    fn trends(&self, h: &mut Html) {
        let k = self.k;
        self.section(h, "kpi-trends", k.trends_title, k.trends_lead);
        let tick = self.percent_tick();
        let c = self.over_periods(
            "kpi-trends",
            k.trends_title,
            k.axis_percent,
            vec![
                self.series(k.crr, Unit::Percent, |f| f.report.crr),
                self.series(k.repeat, Unit::Percent, |f| f.report.repeat_rate),
                self.series(k.redemption, Unit::Percent, |f| f.report.redemption_rate),
            ],
            &tick,
        );
        self.chart(h, &c, false, k.trends_title);
        h.lit("</section>");
    }

    fn cost(&self, h: &mut Html) {
        let k = self.k;
        self.section(h, "kpi-cost", k.cost_title, k.cost_lead);
        let tick = self.money_tick();
        let n = |v: i64| Q::new(v.into(), 1);
        let c = self.over_periods(
            "kpi-cost",
            k.cost_title,
            k.axis_money,
            vec![
                self.bar_series(k.cost, Unit::Money, |f| n(f.cost.total())),
                self.bar_series(k.member_revenue, Unit::Money, |f| n(f.members.revenue)),
            ],
            &tick,
        );
        h.lit("<figure>");
        chart::bars(h, &c);
        h.lit("<figcaption>");
        chart::legend(h, &[k.cost, k.member_revenue], false);
        h.lit("</figcaption></figure>");
        let col = |name, unit, value: &dyn Fn(&Figures) -> Q| (name, Self::texts(&self.series(name, unit, value)));
        let rows = [
            col(k.cost_redeemed, Unit::Money, &|f| n(f.cost.redeemed)),
            col(k.cost_vouchers, Unit::Money, &|f| n(f.cost.other_vouchers)),
            col(k.cost_cashback, Unit::Money, &|f| n(f.cost.cashback)),
            col(k.cost, Unit::Money, &|f| n(f.cost.total())),
            col(k.member_revenue, Unit::Money, &|f| n(f.members.revenue)),
            col(k.cost_share, Unit::Percent, &|f| f.cost_share()),
        ];
        self.table(h, "kpi-cost", k.cost_title, &rows);
        h.lit("</section>");
    }

    fn versus(&self, h: &mut Html) {
        let k = self.k;
        self.section(h, "kpi-versus", k.versus_title, k.versus_lead);
        h.lit("<div class=\"cols\">");
        let money = self.money_tick();
        let aov = self.over_periods(
            "kpi-aov",
            k.aov_title,
            k.axis_money,
            vec![self.series(k.members, Unit::Money, |f| f.members.aov()), self.series(k.guests, Unit::Money, |f| f.guests.aov())],
            &money,
        );
        h.lit("<div>").el("<h3>", k.aov_title, "</h3>");
        self.chart(h, &aov, true, k.aov_title);
        h.lit("</div>");
        let count = |t: i64| self.lang.number(t);
        let freq = self.over_periods(
            "kpi-frequency",
            k.frequency_title,
            k.axis_orders,
            vec![
                self.series(k.members, Unit::Decimal, |f| f.members.frequency()),
                self.series(k.guests, Unit::Decimal, |f| f.guests.frequency()),
            ],
            &count,
        );
        h.lit("<div>").el("<h3>", k.frequency_title, "</h3>");
        self.chart(h, &freq, true, k.frequency_title);
        h.lit("</div></div></section>");
    }
}

/// A round amount of minor units in thousands, millions or billions of the
/// major unit when it divides exactly (axis ticks are 1, 2 or 5 × 10^k), else in full.
pub fn compact_money(lang: Lang, minor: i64, currency: Currency) -> String {
    let unit = 10i64.pow(u32::from(currency.exponent));
    let code = if lang == Lang::Vi && currency.code() == "VND" { "₫" } else { currency.code() };
    let steps: [(i64, &str, &str); 3] = [(1_000_000_000, " tỷ", "B"), (1_000_000, " tr", "M"), (1_000, " N", "K")];
    for (size, vi, en) in steps {
        let Some(whole) = unit.checked_mul(size) else { continue };
        if minor != 0 && minor % whole == 0 {
            let n = lang.number(minor / whole);
            return match lang {
                Lang::Vi => format!("{n}{vi} {code}"),
                Lang::En => format!("{n}{en} {code}"),
            };
        }
    }
    lang.money(minor, currency)
}

const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_exact_and_signed() {
        assert_eq!(minus(Q::new(1, 3), Q::new(1, 4)), Q::new(1, 12));
        assert!(!minus(Q::new(1, 0), Q::new(1, 4)).defined());
        assert_eq!(signed("2.5".into(), false, false), "+2.5");
        assert_eq!(signed("-2.5".into(), true, false), "−2.5");
        assert_eq!(signed("0.0".into(), false, true), "0.0");
        assert_eq!(local_decimal(Lang::Vi, "12.5".into()), "12,5");
        let (vnd, usd) = (Currency::from_code("VND").unwrap(), Currency::from_code("USD").unwrap());
        assert_eq!(compact_money(Lang::Vi, 20_000_000, vnd), "20 tr ₫");
        assert_eq!(compact_money(Lang::En, 500_000, vnd), "500K VND");
        assert_eq!(compact_money(Lang::En, 200_000, usd), "2K USD");
        assert_eq!(compact_money(Lang::En, 50, usd), "0.50 USD");
        assert_eq!(compact_money(Lang::Vi, 0, vnd), "0 ₫");
    }
}
