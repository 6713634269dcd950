//! The program as a form, generated from the program's own JSON tree: one
//! fieldset per object, one field per value, named by its path in
//! `check-config`'s notation (`earning.step`, `tiers.levels[1].name.vi`)
//! with its JSON kind as a prefix (`n:` number, `s:` string, `b:` true or
//! false, `z:` null). What the merchant types goes back into the tree at
//! that path as that kind (a number field that is not a number goes in as
//! text), and the native validator checks the result against the program
//! types: its message shows at the field whose path it names. Lists of
//! objects get "add one like the last" and "remove" buttons.

use std::collections::BTreeMap;

use serde_json::Value;

use super::field_labels::label;
use super::html::Html;
use super::i18n::Lang;

/// Issues by path; an issue of a path with no field shows at its nearest fieldset.
pub type Issues = BTreeMap<String, Vec<String>>;

/// The `id` of the field at `path` (hex: unique and always a valid id).
pub fn field_id(path: &str) -> String {
    format!("f-{}", hex::encode(path.as_bytes()))
}

/// Every path the form has a field or fieldset for.
pub fn paths(v: &Value, path: &str, out: &mut Vec<String>) {
    out.push(path.to_string());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| paths(c, &join(path, k), out)),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| paths(c, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Where an issue at `path` is shown: the path itself, else its nearest parent with a field.
pub fn place(issue_path: &str, known: &[String]) -> String {
    let mut p = issue_path.to_string();
    loop {
        if known.contains(&p) {
            return p;
        }
        match p.rfind(['.', '[']) {
            Some(i) => p.truncate(i),
            None => return String::new(),
        }
    }
}

/// Renders the fields of `v` (the draft) with the issues at their places.
/// `shape` (the program in force) keeps a field's kind: a number field
/// where the merchant typed text stays a number field.
pub fn render(h: &mut Html, v: &Value, shape: &Value, issues: &Issues, lang: Lang) {
    let ctx = Ctx { shape, issues, lang };
    walk(h, v, "", "", &ctx);
}

struct Ctx<'a> {
    shape: &'a Value,
    issues: &'a Issues,
    lang: Lang,
}

/// The value at `path` in `shape`, an index that `shape` lacks read as its first item.
fn shape_at<'a>(shape: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = shape;
    for s in steps(path)? {
        v = match s {
            Step::Key(k) => v.get(&k)?,
            Step::Index(i) => v.get(i).or_else(|| v.get(0))?,
        };
    }
    Some(v)
}

fn issue_list(h: &mut Html, path: &str, issues: &Issues) -> bool {
    let Some(list) = issues.get(path) else { return false };
    h.lit("<ul class=\"field-error\" id=\"").text(&field_id(path)).lit("-error\">");
    for m in list {
        h.el("<li>", m, "</li>");
    }
    h.lit("</ul>");
    true
}

/// `key` is the title shown: the key's label, or the list's label and the item's number.
fn walk(h: &mut Html, v: &Value, path: &str, key: &str, ctx: &Ctx) {
    let (issues, lang) = (ctx.issues, ctx.lang);
    let id = field_id(path);
    let w = lang.words();
    match v {
        Value::Object(m) => {
            if !path.is_empty() {
                h.lit("<fieldset id=\"").text(&id).lit("\"><legend>").text(key).lit("</legend>");
            }
            issue_list(h, path, issues);
            for (k, c) in m {
                walk(h, c, &join(path, k), label(k, lang), ctx);
            }
            if !path.is_empty() {
                h.lit("</fieldset>");
            }
        }
        Value::Array(a) => {
            h.lit("<fieldset id=\"").text(&id).lit("\"><legend>").text(key).lit("</legend>");
            issue_list(h, path, issues);
            for (i, c) in a.iter().enumerate() {
                let item = format!("{path}[{i}]");
                let label = format!("{key} {}", i + 1);
                walk(h, c, &item, &label, ctx);
                if c.is_object() {
                    h.lit("<button type=\"submit\" class=\"secondary\" name=\"op\" value=\"remove:")
                        .text(&item)
                        .lit("\">")
                        .text(&super::i18n::fill(w.remove_item, &[&label]))
                        .lit("</button>");
                }
            }
            if a.last().is_some_and(|l| l.is_object() || l.is_string()) {
                h.lit("<button type=\"submit\" class=\"secondary\" name=\"op\" value=\"add:")
                    .text(path)
                    .lit("\">")
                    .text(&super::i18n::fill(w.add_item, &[key]))
                    .lit("</button>");
            }
            h.lit("</fieldset>");
        }
        leaf => {
            let (prefix, value) = match leaf {
                Value::Number(n) => ("n:", n.to_string()),
                Value::String(s) if shape_at(ctx.shape, path).is_some_and(Value::is_number) => ("n:", s.clone()),
                Value::String(s) => ("s:", s.clone()),
                Value::Bool(b) => ("b:", b.to_string()),
                _ => ("z:", String::new()),
            };
            // The label in words, and the path that check-config and the JSON file use.
            h.lit("<div class=\"field\"><label for=\"").text(&id).lit("\">").text(key).lit(" <code class=\"path\">").text(path);
            h.lit("</code></label>");
            let has_issue = issue_list(h, path, issues);
            let name = format!("{prefix}{path}");
            if let Value::Bool(b) = leaf {
                h.lit("<select id=\"").text(&id).lit("\" name=\"").text(&name).lit("\"");
                if has_issue {
                    h.lit(" aria-invalid=\"true\" aria-describedby=\"").text(&id).lit("-error\"");
                }
                h.lit(">");
                for (val, label) in [("true", w.yes), ("false", w.no)] {
                    h.lit("<option value=\"").text(val).lit("\"");
                    if (val == "true") == *b {
                        h.lit(" selected");
                    }
                    h.lit(">").text(label).lit("</option>");
                }
                h.lit("</select>");
            } else {
                h.lit("<input id=\"").text(&id).lit("\" name=\"").text(&name).lit("\" value=\"").text(&value).lit("\"");
                if prefix == "n:" {
                    h.lit(" inputmode=\"decimal\"");
                }
                if prefix == "z:" {
                    h.lit(" placeholder=\"null\"");
                }
                if has_issue {
                    h.lit(" aria-invalid=\"true\" aria-describedby=\"").text(&id).lit("-error\"");
                }
                h.lit(">");
            }
            h.lit("</div>");
        }
    }
}

/// One step of a path: a key or an index.
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        while !rest.is_empty() {
            let (i, after) = rest.split_once(']')?;
            out.push(Step::Index(i.parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    Some(out)
}

fn at_mut<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut v = root;
    for s in steps(path)? {
        v = match s {
            Step::Key(k) => v.as_object_mut()?.get_mut(&k)?,
            Step::Index(i) => v.as_array_mut()?.get_mut(i)?,
        };
    }
    Some(v)
}

/// Puts the submitted fields into `draft`. `Err(name)` for a field the draft has no place for.
pub fn apply(draft: &mut Value, fields: &[(String, String)]) -> Result<(), String> {
    for (name, text) in fields {
        let Some((prefix, path)) = name.split_once(':') else { continue };
        let value = match prefix {
            "n" => number(text),
            "s" => Value::String(text.clone()),
            "b" => Value::Bool(text == "true"),
            "z" if text.trim().is_empty() => Value::Null,
            "z" => exact_tree(text).unwrap_or_else(|| Value::String(text.clone())),
            _ => return Err(name.clone()),
        };
        *at_mut(draft, path).ok_or_else(|| name.clone())? = value;
    }
    Ok(())
}

/// A number field's value: a JSON number when it is an integer; anything
/// else stays the text typed, so a rate such as `1.25` reaches the
/// validator as the exact decimal string the schema prefers, never through
/// a float (the validator says what it expected where a string is wrong).
fn number(text: &str) -> Value {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Ok(u) = t.parse::<u64>() {
        return Value::Number(u.into());
    }
    Value::String(t.to_string())
}

/// A JSON text as a tree the editor can walk, with no float anywhere:
/// read by the core's exact reader (`rewards_core::json`), integers become
/// JSON numbers and every other number its exact decimal text (serde_json
/// without `arbitrary_precision` would round it through an `f64`).
pub fn exact_tree(text: &str) -> Option<Value> {
    fn convert(j: &rewards_core::json::Json) -> Value {
        use rewards_core::json::Json;
        match j {
            // `Written` is only ever output, never parsed text.
            Json::Null | Json::Written(_) => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(t) => t
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| t.parse::<u64>().map(Value::from))
                .unwrap_or_else(|_| Value::String(t.to_string())),
            Json::String(t) => Value::String(t.to_string()),
            Json::Array(a) => Value::Array(a.iter().map(convert).collect()),
            Json::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.to_string(), convert(v))).collect()),
        }
    }
    rewards_core::json::Json::parse(text).ok().map(|j| convert(&j))
}

/// `add:<path>`: one more item like the last; `remove:<path>[i]`: that item gone.
pub fn edit(draft: &mut Value, op: &str) -> bool {
    if let Some(path) = op.strip_prefix("add:") {
        if let Some(list) = at_mut(draft, path).and_then(Value::as_array_mut) {
            if let Some(last) = list.last().cloned() {
                let copy = match last {
                    // An id must stay unique: the copy's says it is a copy.
                    Value::Object(mut m) => {
                        if let Some(Value::String(id)) = m.get("id") {
                            let fresh = format!("{id}-{}", list.len() + 1);
                            m.insert("id".into(), Value::String(fresh));
                        }
                        Value::Object(m)
                    }
                    other => other,
                };
                list.push(copy);
                return true;
            }
        }
        return false;
    }
    if let Some(path) = op.strip_prefix("remove:") {
        let Some((parent, index)) = path.rsplit_once('[') else { return false };
        let Ok(i) = index.trim_end_matches(']').parse::<usize>() else { return false };
        if let Some(list) = at_mut(draft, parent).and_then(Value::as_array_mut) {
            if i < list.len() {
                list.remove(i);
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod exact_tests {
    use super::*;

    #[test]
    fn issue_13_decimals_never_pass_through_a_float() {
        // An f64 would read this as 0.1.
        let tree = exact_tree(r#"{"m": 0.1000000000000000055511151231257827, "n": 12, "p": "2.50", "big": 18446744073709551615}"#).unwrap();
        assert_eq!(tree["m"], Value::String("0.1000000000000000055511151231257827".into()));
        assert_eq!((tree["n"].as_i64(), tree["p"].as_str(), tree["big"].as_u64()), (Some(12), Some("2.50"), Some(u64::MAX)));
        let mut draft = tree.clone();
        apply(&mut draft, &[("n:m".into(), " 1.250000000000000000001 ".into()), ("n:n".into(), "7".into())]).unwrap();
        assert_eq!(draft["m"], Value::String("1.250000000000000000001".into()));
        assert_eq!(draft["n"], Value::from(7));
        assert!(exact_tree("{").is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_go_back_at_their_paths_as_their_kinds() {
        let mut d = json!({"earning": {"step": 10000, "rounding": "floor"}, "tiers": {"levels": [{"id": "a", "threshold": 0}]}, "x": null, "on": true});
        let f = |n: &str, v: &str| (n.to_string(), v.to_string());
        apply(
            &mut d,
            &[
                f("n:earning.step", "5000"),
                f("s:tiers.levels[0].id", "dong"),
                f("n:tiers.levels[0].threshold", "abc"),
                f("b:on", "false"),
                f("z:x", ""),
            ],
        )
        .unwrap();
        assert_eq!(d["earning"]["step"], 5000);
        assert_eq!(d["tiers"]["levels"][0]["id"], "dong");
        assert_eq!(d["tiers"]["levels"][0]["threshold"], "abc", "a non-number goes in as text, for the validator to name");
        assert_eq!(d["on"], false);
        assert!(apply(&mut d, &[f("n:earning.nope", "1")]).is_err());
        assert!(apply(&mut d, &[f("q:earning.step", "1")]).is_err());
        assert!(edit(&mut d, "add:tiers.levels"));
        assert_eq!(d["tiers"]["levels"][1]["id"], "dong-2");
        assert!(edit(&mut d, "remove:tiers.levels[0]"));
        assert_eq!(d["tiers"]["levels"].as_array().unwrap().len(), 1);
        assert!(!edit(&mut d, "remove:tiers.levels[7]"));
    }

    #[test]
    fn an_issue_shows_at_its_field_or_the_nearest_fieldset() {
        let d = json!({"earning": {"step": 1}, "tiers": {"levels": [{"id": "a"}]}});
        let mut known = Vec::new();
        paths(&d, "", &mut known);
        assert_eq!(place("earning.step", &known), "earning.step");
        assert_eq!(place("earning.bogus", &known), "earning");
        assert_eq!(place("tiers.levels[0].threshold", &known), "tiers.levels[0]");
        assert_eq!(place("", &known), "");
    }

    #[test]
    fn rendered_fields_are_named_by_path_and_escaped() {
        let d = json!({"store": {"name": "<Cà phê>"}, "n": 1});
        let mut issues = Issues::new();
        issues.insert("n".into(), vec!["must be at least 2".into()]);
        let mut h = Html::new();
        render(&mut h, &json!({"store": {"name": "<Cà phê>"}, "n": "many"}), &d, &issues, Lang::En);
        let html = h.into_string();
        assert!(html.contains("name=\"s:store.name\" value=\"&lt;Cà phê&gt;\""), "{html}");
        assert!(html.contains("name=\"n:n\" value=\"many\""), "a number field stays one: {html}");
        assert!(html.contains("must be at least 2") && html.contains("aria-invalid=\"true\""), "{html}");
    }
}
