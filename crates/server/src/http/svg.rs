//! Server-rendered SVG bar charts for the KPI page. Every piece of text is
//! escaped; bar heights are integer arithmetic.

use std::fmt::Write;

/// The console's escaping (`&`, `<`, `>`, `"`, `'`), one rule for every page.
pub use crate::http::console::html::escape;

pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
    pub values: Vec<i64>,
}

/// Grouped bars, one group per label.
pub fn bars(title: &str, labels: &[String], series: &[Series]) -> String {
    let (w, h, left, bottom, top) = (760i64, 260i64, 48i64, 40i64, 34i64);
    let plot_h = h - bottom - top;
    let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(1);
    let groups = labels.len().max(1) as i64;
    let group_w = (w - left - 10) / groups;
    let bar_w = (group_w - 2).max(1) / series.len().max(1) as i64;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title><text x="{left}" y="18" font-size="14" font-weight="bold">{t}</text>"#,
        t = escape(title)
    );
    let _ = write!(out, r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#888"/>"##, y = h - bottom, x2 = w - 10);
    let _ =
        write!(out, r#"<text x="4" y="{}" font-size="11">{max}</text><text x="4" y="{}" font-size="11">0</text>"#, top + 10, h - bottom);
    for (gi, label) in labels.iter().enumerate() {
        let gx = left + gi as i64 * group_w;
        for (si, s) in series.iter().enumerate() {
            let v = s.values.get(gi).copied().unwrap_or(0).max(0);
            let bh = v * plot_h / max;
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{bh}" fill="{}"><title>{}: {}</title></rect>"#,
                gx + 1 + si as i64 * bar_w,
                h - bottom - bh,
                bar_w.max(1),
                escape(s.color),
                escape(&format!("{label} · {}", s.name)),
                v
            );
        }
        // Label every group when few, else every 7th.
        if groups <= 14 || gi % 7 == 0 {
            let _ = write!(out, r#"<text x="{gx}" y="{}" font-size="10">{}</text>"#, h - bottom + 14, escape(label));
        }
    }
    for (si, s) in series.iter().enumerate() {
        let x = left + si as i64 * 170;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>"#,
            h - 14,
            escape(s.color),
            x + 14,
            h - 5,
            escape(s.name)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let svg = bars("<script>&", &["a\"b".into()], &[Series { name: "<x>", color: "#123", values: vec![5] }]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;"));
        assert!(svg.contains("a&quot;b"));
        assert!(svg.contains("&lt;x&gt;"));
    }
}
