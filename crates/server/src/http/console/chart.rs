//! Server-rendered SVG charts for the console (no script): a line chart
//! for trends and grouped bars for comparisons. Built with [`Html`], so
//! every label is escaped by construction; every coordinate is integer
//! arithmetic on the exact values ([`Q`]), rounded to whole viewBox units.
//!
//! Every mark is focusable (`tabindex="0"`) with its value as its name
//! (`aria-label`) and as a `<title>` (the hover tooltip); hovering or
//! focusing a mark also shows its value beside it (`.tip`, console.css),
//! so a keyboard user sees what a mouse user does. The caller puts the
//! same figures in a table under the chart.

use super::html::Html;
use crate::services::kpi::Q;

/// The viewBox: narrow enough that its type stays readable on a 375 px phone.
const W: i64 = 360;
const H: i64 = 250;
const TOP: i64 = 16;
const BOTTOM: i64 = 44;
const RIGHT: i64 = 12;
/// Type size in viewBox units.
const FONT: i64 = 15;
/// Width of one character of axis text, roughly, in viewBox units.
const CHAR_W: i64 = 8;

#[derive(Clone, Copy)]
pub enum Marker {
    Circle,
    Square,
    Diamond,
}

/// Colours that keep 3:1 against white and differ for common colour
/// blindness; each series also has its own marker shape.
pub const COLOURS: [&str; 3] = ["#0a4b78", "#b32d2e", "#1a7f37"];
pub const MARKERS: [Marker; 3] = [Marker::Circle, Marker::Square, Marker::Diamond];

pub struct Series<'a> {
    pub name: &'a str,
    /// Per x: the value and its text, `None` when undefined (drawn as a gap).
    pub points: Vec<Option<(Q, String)>>,
}

pub struct Chart<'a> {
    /// Unique on the page (ids of the title and axis labels).
    pub id: &'static str,
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Per x: the short axis label and the full name (for the marks' names).
    pub x: Vec<(String, String)>,
    pub series: Vec<Series<'a>>,
    /// Text of a y-axis tick (in the values' unit).
    pub tick: &'a dyn Fn(i64) -> String,
}

/// The smallest 1, 2 or 5 × 10^k at or above `max` (at least 1).
pub fn nice_ceiling(max: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if let Some(v) = step.checked_mul(m) {
                if v >= max {
                    return v;
                }
            } else {
                return i64::MAX;
            }
        }
        step = match step.checked_mul(10) {
            Some(s) => s,
            None => return i64::MAX,
        };
    }
}

/// The whole-unit ceiling of the largest value (0 for none).
fn max_value(c: &Chart) -> i64 {
    c.series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .filter(|(q, _)| q.den > 0)
        .map(|(q, _)| (q.num + q.den - 1).div_euclid(q.den).clamp(0, i64::MAX as i128) as i64)
        .max()
        .unwrap_or(0)
}

/// `q` of `top` as a distance in `span` units, rounded half up (`q ≥ 0`).
fn scale(q: Q, top: i64, span: i64) -> i64 {
    if q.den <= 0 || top <= 0 || q.num <= 0 {
        return 0;
    }
    let num = q.num.saturating_mul(span as i128).saturating_mul(2);
    let den = q.den.saturating_mul(top as i128);
    ((num / den + 1) / 2).min(span as i128) as i64
}

struct Frame {
    left: i64,
    top_value: i64,
    plot_h: i64,
    step: i64,
    n: i64,
}

impl Frame {
    fn y(&self, q: Q) -> i64 {
        TOP + self.plot_h - scale(q, self.top_value, self.plot_h)
    }

    /// The centre of column `i`.
    fn x(&self, i: i64) -> i64 {
        self.left + self.step * i + self.step / 2
    }
}

/// The frame: title, axes, ticks and x labels; returns its geometry.
fn frame(h: &mut Html, c: &Chart) -> Frame {
    let top_value = nice_ceiling(max_value(c));
    let ticks = [0, top_value / 2, top_value];
    let widest = ticks.iter().map(|&t| (c.tick)(t).chars().count() as i64).max().unwrap_or(1);
    let left = 28 + widest * CHAR_W;
    let n = c.x.len().max(1) as i64;
    let step = (W - left - RIGHT) / n;
    let plot_h = H - TOP - BOTTOM;
    h.lit("<svg class=\"chart\" viewBox=\"0 0 ").num(W).lit(" ").num(H).lit("\" role=\"group\" aria-labelledby=\"").lit(c.id).lit("-t\">");
    h.lit("<title id=\"").lit(c.id).lit("-t\">").text(c.title).lit("</title>");
    h.lit("<g font-size=\"").num(FONT).lit("\" fill=\"#3c434a\" aria-hidden=\"true\">");
    for t in ticks {
        let y = TOP + plot_h - scale(Q::new(t.into(), 1), top_value, plot_h);
        h.lit("<line x1=\"").num(left).lit("\" x2=\"").num(W - RIGHT).lit("\" y1=\"").num(y).lit("\" y2=\"").num(y);
        h.lit(if t == 0 { "\" stroke=\"#50575e\"/>" } else { "\" stroke=\"#dcdcde\"/>" });
        h.lit("<text x=\"").num(left - 6).lit("\" y=\"").num(y + FONT / 3).lit("\" text-anchor=\"end\">").text(&(c.tick)(t)).lit("</text>");
    }
    let widest_x = c.x.iter().map(|(s, _)| s.chars().count() as i64).max().unwrap_or(1);
    let every = if widest_x * CHAR_W + 4 > step { 2 } else { 1 };
    for (i, (short, _)) in c.x.iter().enumerate() {
        // The newest is always labelled.
        if (n - 1 - i as i64) % every == 0 {
            let x = left + step * i as i64 + step / 2;
            h.lit("<text x=\"")
                .num(x)
                .lit("\" y=\"")
                .num(TOP + plot_h + FONT + 4)
                .lit("\" text-anchor=\"middle\">")
                .text(short)
                .lit("</text>");
        }
    }
    h.lit("<text x=\"").num(left + (W - RIGHT - left) / 2).lit("\" y=\"").num(H - 6).lit("\" text-anchor=\"middle\" font-weight=\"600\">");
    h.text(c.x_label).lit("</text>");
    h.lit("<text transform=\"rotate(-90)\" x=\"").num(-(TOP + plot_h / 2)).lit("\" y=\"").num(FONT + 1);
    h.lit("\" text-anchor=\"middle\" font-weight=\"600\">").text(c.y_label).lit("</text></g>");
    Frame { left, top_value, plot_h, step, n }
}

/// A mark's focusable group: its name, tooltip and the value shown on focus.
fn mark_open(h: &mut Html, name: &str) {
    h.lit("<g class=\"mark\" tabindex=\"0\" role=\"img\" aria-label=\"").text(name).lit("\"><title>").text(name).lit("</title>");
}

/// The value beside a mark at (`x`, `y`), kept inside the viewBox.
fn tip(h: &mut Html, x: i64, y: i64, text: &str) {
    let w = text.chars().count() as i64 * CHAR_W + 10;
    let x0 = (x - w / 2).clamp(0, W - w);
    let y0 = (y - FONT - 16).max(0);
    h.lit("<g class=\"tip\" aria-hidden=\"true\"><rect x=\"").num(x0).lit("\" y=\"").num(y0).lit("\" width=\"").num(w);
    h.lit("\" height=\"").num(FONT + 8).lit("\" rx=\"3\" fill=\"#1d2327\"/><text x=\"").num(x0 + w / 2).lit("\" y=\"").num(y0 + FONT + 2);
    h.lit("\" text-anchor=\"middle\" font-size=\"").num(FONT).lit("\" fill=\"#fff\">").text(text).lit("</text></g>");
}

fn marker(h: &mut Html, m: Marker, colour: &'static str, x: i64, y: i64) {
    match m {
        Marker::Circle => {
            h.lit("<circle cx=\"").num(x).lit("\" cy=\"").num(y).lit("\" r=\"5\"");
        }
        Marker::Square => {
            h.lit("<rect x=\"").num(x - 5).lit("\" y=\"").num(y - 5).lit("\" width=\"10\" height=\"10\"");
        }
        Marker::Diamond => {
            h.lit("<path d=\"M").num(x).lit(" ").num(y - 6).lit("l6 6l-6 6l-6 -6z\"");
        }
    }
    h.lit(" fill=\"").lit(colour).lit("\" stroke=\"#fff\" stroke-width=\"1.5\"/>");
}

fn mark_name(series: &str, x_full: &str, text: &str) -> String {
    format!("{series} · {x_full}: {text}")
}

/// Lines with a marker at every defined value; an undefined one breaks the line.
pub fn line(h: &mut Html, c: &Chart) {
    let f = frame(h, c);
    for (si, s) in c.series.iter().enumerate() {
        let colour = COLOURS[si % COLOURS.len()];
        let mut run: Vec<(i64, i64)> = Vec::new();
        let mut runs: Vec<Vec<(i64, i64)>> = Vec::new();
        for (i, p) in s.points.iter().enumerate() {
            match p {
                Some((q, _)) if q.defined() => run.push((f.x(i as i64), f.y(*q))),
                _ => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for r in runs.iter().filter(|r| r.len() > 1) {
            h.lit("<polyline aria-hidden=\"true\" fill=\"none\" stroke-width=\"2.5\" stroke=\"").lit(colour).lit("\" points=\"");
            for (x, y) in r {
                h.num(*x).lit(",").num(*y).lit(" ");
            }
            h.lit("\"/>");
        }
    }
    for (si, s) in c.series.iter().enumerate() {
        for (i, p) in s.points.iter().enumerate() {
            let Some((q, text)) = p.as_ref().filter(|(q, _)| q.defined()) else { continue };
            let (x, y) = (f.x(i as i64), f.y(*q));
            mark_open(h, &mark_name(s.name, &c.x[i].1, text));
            marker(h, MARKERS[si % MARKERS.len()], COLOURS[si % COLOURS.len()], x, y);
            tip(h, x, y, text);
            h.lit("</g>");
        }
    }
    h.lit("</svg>");
}

/// One bar per series in each x group.
pub fn bars(h: &mut Html, c: &Chart) {
    let f = frame(h, c);
    let k = c.series.len().max(1) as i64;
    let bar_w = ((f.step - 8) / k).max(2);
    let _ = (f.n, f.top_value);
    for (i, _) in c.x.iter().enumerate() {
        let group_left = f.left + f.step * i as i64 + (f.step - bar_w * k) / 2;
        for (si, s) in c.series.iter().enumerate() {
            let Some((q, text)) = s.points.get(i).and_then(|p| p.as_ref()).filter(|(q, _)| q.defined()) else { continue };
            let y = f.y(*q);
            let x = group_left + bar_w * si as i64;
            mark_open(h, &mark_name(s.name, &c.x[i].1, text));
            h.lit("<rect x=\"")
                .num(x)
                .lit("\" y=\"")
                .num(y)
                .lit("\" width=\"")
                .num(bar_w - 2)
                .lit("\" height=\"")
                .num((TOP + f.plot_h - y).max(1));
            h.lit("\" fill=\"").lit(COLOURS[si % COLOURS.len()]).lit("\"/>");
            tip(h, x + bar_w / 2, y, text);
            h.lit("</g>");
        }
    }
    h.lit("</svg>");
}

/// The legend under a chart: each series' marker and name, as HTML text.
pub fn legend(h: &mut Html, names: &[&str], with_markers: bool) {
    h.lit("<ul class=\"legend\">");
    for (i, name) in names.iter().enumerate() {
        h.lit("<li><svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">");
        if with_markers {
            marker(h, MARKERS[i % MARKERS.len()], COLOURS[i % COLOURS.len()], 8, 8);
        } else {
            h.lit("<rect x=\"2\" y=\"2\" width=\"12\" height=\"12\" fill=\"").lit(COLOURS[i % COLOURS.len()]).lit("\"/>");
        }
        h.lit("</svg> ").text(name).lit("</li>");
    }
    h.lit("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_scales_and_escaping() {
        assert_eq!([0, 1, 3, 7, 10, 11, 250, 999].map(nice_ceiling), [1, 1, 5, 10, 10, 20, 500, 1000]);
        // 1/3 of 100 over 200 units: 66.67 → 67.
        assert_eq!(scale(Q::new(100, 3), 100, 200), 67);
        assert_eq!(scale(Q::new(1, 0), 100, 200), 0);
        assert_eq!(scale(Q::new(500, 1), 100, 200), 200);
        let tick = |t: i64| format!("{t} %");
        let c = Chart {
            id: "c",
            title: "<b>",
            x_label: "x",
            y_label: "y",
            x: vec![("a".into(), "\"a\"".into()), ("b".into(), "b".into())],
            series: vec![Series { name: "s&", points: vec![Some((Q::new(1, 2), "50 %".into())), None] }],
            tick: &tick,
        };
        let mut h = Html::new();
        line(&mut h, &c);
        let svg = h.into_string();
        assert!(svg.contains("&lt;b&gt;") && svg.contains("s&amp; · &quot;a&quot;: 50 %") && !svg.contains("<b>"), "{svg}");
        // One focusable mark: the undefined value is a gap, not a zero.
        assert_eq!(svg.matches("tabindex=\"0\"").count(), 1);
    }
}
