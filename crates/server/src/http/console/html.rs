//! HTML escaped by construction: a page is a [`Html`] built from literal
//! markup (`&'static str`, written in this crate) and text, which is always
//! escaped. There is no way to push a runtime string unescaped.

use std::fmt::Write;

#[derive(Default)]
pub struct Html(String);

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Html {
    pub fn new() -> Html {
        Html::default()
    }

    /// Markup written in the source: tags, attribute names, literal words.
    pub fn lit(&mut self, markup: &'static str) -> &mut Html {
        self.0.push_str(markup);
        self
    }

    /// Text from anywhere (a shopper's email, a reason, a translation), escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        self.0.push_str(&escape(text));
        self
    }

    /// A number, which needs no escaping.
    pub fn num(&mut self, n: i64) -> &mut Html {
        let _ = write!(self.0, "{n}");
        self
    }

    /// `<tag>text</tag>` for a literal tag name.
    pub fn el(&mut self, open: &'static str, text: &str, close: &'static str) -> &mut Html {
        self.lit(open).text(text).lit(close)
    }

    /// A hidden form field.
    pub fn hidden(&mut self, name: &'static str, value: &str) -> &mut Html {
        self.lit("<input type=\"hidden\" name=\"").lit(name).lit("\" value=\"").text(value).lit("\">")
    }

    /// Another page's markup, already escaped by its own construction.
    pub fn append(&mut self, other: Html) -> &mut Html {
        self.0.push_str(&other.0);
        self
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut h = Html::new();
        h.lit("<p title=\"").text("\"><script>").lit("\">").text("<b>a & 'b'</b>").lit("</p>");
        assert_eq!(h.into_string(), "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;b&gt;a &amp; &#39;b&#39;&lt;/b&gt;</p>");
    }
}
