//! Native validation of a program document (feature `schema`, std): what
//! the server runs at start-up and in `check-config`, and what an admin
//! editor will run.
//!
//! Libraries first, in three steps:
//! 1. **Structure**: the JSON Schema generated from the config types
//!    (`crate::schema`), checked by the `jsonschema` crate. Its errors are
//!    mapped to the engine's style: a path such as
//!    `tiers.levels[1].threshold`, a message such as `must be at least 1,
//!    found 0`, and "did you mean" hints by edit distance against the
//!    schema's own property names and enum values.
//! 2. **Types**: serde into [`Program`] over the exact JSON tree
//!    (`crate::json_de`), so numbers never pass through a float.
//! 3. **Rules between fields**: one pass over the typed program
//!    ([`semantic`]).
//!
//! Every problem is reported at once: sections with structural errors are
//! left out of steps 2 and 3 (and the rules that read them are skipped), the
//! others are still checked. Issues are sorted in document order (the
//! schema's field order, unknown fields last in source order).

use crate::config::{ActionKind, Program, RedemptionKind};
use crate::decimal::Decimal;
use crate::decode::suggest;
use crate::error::{Error, Issue};
use crate::json::Json;
use crate::json_de::integer_text;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;
use std::borrow::Cow;
use std::prelude::rust_2021::*;
use std::sync::OnceLock;
use std::{format, vec};

/// Parses and validates a program document: the program, or every issue.
pub fn program(text: &str) -> Result<Program, Error> {
    let json = Json::parse(text).map_err(|m| Error::at("", m))?;
    let schema = compiled()?;
    let mut issues = structure(&json, schema);
    let broken = broken_sections(&issues);
    let typed = match &json {
        Json::Object(_) => Some(Program::from_document(&repaired(&json, &broken))),
        _ => None,
    };
    let program = match typed {
        Some(Ok(p)) => {
            issues.extend(semantic_in(&p, &broken));
            if !broken.iter().any(|b| b == "store") {
                issues.extend(texts_without_default(&json, &schema.tree, &p.store.default_locale, &issues));
            }
            Some(p)
        }
        Some(Err(e)) => {
            issues.push(Issue { path: e.path, message: e.message });
            None
        }
        None => None,
    };
    if issues.is_empty() {
        if let Some(p) = program {
            return Ok(p);
        }
    }
    Err(Error::Invalid(sorted(issues, &json, &schema.tree)))
}

// ---------------------------------------------------------------------------
// 1. Structure
// ---------------------------------------------------------------------------

struct Compiled {
    /// The schema as ordered JSON (field order, for paths and sorting).
    tree: Json<'static>,
    validator: jsonschema::Validator,
}

/// The schema, compiled once. It is generated and tested (tests/schema.rs):
/// an error here is a bug in this crate, reported as an issue, not a panic.
fn compiled() -> Result<&'static Compiled, Error> {
    static SCHEMA: OnceLock<Result<Compiled, String>> = OnceLock::new();
    let c = SCHEMA.get_or_init(|| {
        let text = crate::schema::program_schema_json();
        let tree = Json::parse(&text).map(Json::into_owned)?;
        let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let validator = jsonschema::draft7::new(&value).map_err(|e| e.to_string())?;
        Ok(Compiled { tree, validator })
    });
    c.as_ref().map_err(|e| Error::at("", format!("the program schema does not compile: {e}")))
}

/// The document as `serde_json` sees it, without floats: integers (as the
/// browser's decoder reads them, `1e2` too) are numbers; any other number
/// becomes its exact text, so the schema checks decimals by pattern and the
/// messages name the number as written.
fn to_value(v: &Json) -> Value {
    match v {
        // `Written` is only ever output, never a parsed config.
        Json::Null | Json::Written(_) => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(t) => match integer_text(t) {
            Some(n) => n.into(),
            None => Value::String(t.to_string()),
        },
        Json::String(s) => Value::String(s.to_string()),
        Json::Array(a) => Value::Array(a.iter().map(to_value).collect()),
        Json::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.to_string(), to_value(v))).collect()),
    }
}

/// A number the schema saw as text (a fraction, or out of range).
fn as_text_number<'a>(v: Option<&'a Json>) -> Option<&'a str> {
    match v {
        Some(Json::Number(t)) if integer_text(t).is_none() => Some(t),
        _ => None,
    }
}

/// A value as a message names it: an integer as its value (`1e2` is 100).
fn found(v: Option<&Json>) -> String {
    match v {
        Some(Json::Number(t)) => integer_text(t).map_or_else(|| t.to_string(), |n| n.to_string()),
        Some(other) => other.to_text(),
        None => String::new(),
    }
}

fn structure(json: &Json, c: &Compiled) -> Vec<Issue> {
    let value = to_value(json);
    let mut out = Vec::new();
    for e in c.validator.iter_errors(&value) {
        map_error(&e, json, &c.tree, &mut out);
    }
    // One complaint per value, as the browser's decoder gives: a wrong type
    // says it all; otherwise the first (`""` is empty, not also a bad id).
    let typed: Vec<String> = out.iter().filter(|(_, t)| *t).map(|(i, _)| i.path.clone()).collect();
    let mut issues: Vec<Issue> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (issue, is_type) in out {
        if !is_type && (typed.contains(&issue.path) || seen.contains(&issue.path)) {
            continue;
        }
        if !issues.contains(&issue) {
            seen.push(issue.path.clone());
            issues.push(issue);
        }
    }
    issues
}

/// A JSON pointer (`/tiers/levels/1`) as an engine path (`tiers.levels[1]`),
/// with the segments for looking values up.
fn path_of(pointer: &str, doc: &Json) -> (String, Vec<Seg>) {
    let mut segs = Vec::new();
    let mut at = Some(doc);
    for raw in pointer.split('/').skip(1) {
        let key = raw.replace("~1", "/").replace("~0", "~");
        let seg = match (at, key.parse::<usize>()) {
            (Some(Json::Array(_)), Ok(i)) => Seg::Index(i),
            _ => Seg::Key(key),
        };
        at = at.and_then(|v| lookup_one(v, &seg));
        segs.push(seg);
    }
    (render(&segs), segs)
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `path.key`, or `key` at the root: how every issue path is written.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn lookup_one<'a>(v: &'a Json<'a>, seg: &Seg) -> Option<&'a Json<'a>> {
    match (v, seg) {
        (Json::Array(a), Seg::Index(i)) => a.get(*i),
        (Json::Object(_), Seg::Key(k)) => v.get(k),
        _ => None,
    }
}

fn lookup<'a>(doc: &'a Json<'a>, segs: &[Seg]) -> Option<&'a Json<'a>> {
    segs.iter().try_fold(doc, |v, s| lookup_one(v, s))
}

/// The schema node a keyword location points into, following `$ref`s, and
/// the last definition passed on the way (`Text`, `Percent`, …).
fn schema_node<'a>(tree: &'a Json<'a>, location: &str) -> (Option<&'a Json<'a>>, Option<String>) {
    let mut node = Some(tree);
    let mut definition = None;
    let mut segs = location.split('/').skip(1).peekable();
    while let Some(seg) = segs.next() {
        let Some(n) = node else { break };
        if seg == "$ref" {
            let target = n.get("$ref").and_then(Json::as_str).unwrap_or("");
            definition = target.strip_prefix("#/definitions/").map(str::to_string);
            node = resolve_pointer(tree, target.trim_start_matches('#'));
            continue;
        }
        let child = match n {
            Json::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => n.get(seg),
        };
        node = match (child, n.get("$ref").and_then(Json::as_str)) {
            (Some(c), _) => Some(c),
            // A location that skips over a `$ref`.
            (None, Some(target)) => {
                definition = target.strip_prefix("#/definitions/").map(str::to_string);
                resolve_pointer(tree, target.trim_start_matches('#')).and_then(|t| t.get(seg))
            }
            (None, None) => None,
        };
        if segs.peek().is_none() {
            break;
        }
    }
    (node, definition)
}

fn resolve_pointer<'a>(tree: &'a Json<'a>, pointer: &str) -> Option<&'a Json<'a>> {
    pointer.split('/').skip(1).try_fold(tree, |v, seg| match v {
        Json::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => v.get(seg),
    })
}

/// The node holding the failing keyword: its location without the keyword.
fn keyword_parent<'a>(tree: &'a Json<'a>, location: &str) -> (Option<&'a Json<'a>>, Option<String>) {
    let parent = location.rsplit_once('/').map_or("", |(p, _)| p);
    schema_node(tree, parent)
}

fn property_names<'a>(node: Option<&'a Json<'a>>) -> Vec<&'a str> {
    match node.and_then(|n| n.get("properties")) {
        Some(Json::Object(p)) => p.iter().map(|(k, _)| k.as_ref()).collect(),
        _ => Vec::new(),
    }
}

fn enum_strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn unknown_value(s: &str, allowed: &[String]) -> String {
    let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let hint = suggest(s, &names).map(|h| format!(" (did you mean \"{h}\"?)")).unwrap_or_default();
    format!("unknown value \"{s}\"{hint}; expected one of: {}", names.join(", "))
}

/// A decimal field's verdict, exact: the schema's pattern is for editors
/// and accepts plain decimals only, the engine reads any exact decimal
/// text (`"2.5e1"`), so a value the engine reads in range is no issue.
fn decimal_issue(v: Option<&Json>, definition: &str) -> Option<String> {
    let Some(v) = v else { return Some("expected a decimal number".into()) };
    let hundred = Decimal { mantissa: 100, scale: 0 };
    match Decimal::from_json(v) {
        Err(m) => Some(m),
        Ok(d) if d.is_negative() || d.cmp_value(hundred).is_gt() || (definition == "Percent" && d.mantissa == 0) => {
            Some(if definition == "Percent" {
                format!("must be greater than 0 and at most 100, found {}", d.to_text())
            } else {
                format!("must be between 0 and 100, found {}", d.to_text())
            })
        }
        Ok(_) => None,
    }
}

fn locale_message(v: &str) -> String {
    format!("\"{v}\" is not a language tag such as \"vi\" or \"en-US\"")
}

fn type_names(kind: &TypeKind) -> Vec<String> {
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(ts) => ts.iter().map(|t| t.to_string()).collect(),
    };
    names.into_iter().filter(|t| t != "null").collect()
}

fn expected(types: &[String], whole_text: bool) -> String {
    if whole_text {
        return "a string or an object of locale → string".into();
    }
    let one = |t: &str| match t {
        "integer" => "an integer",
        "string" => "a string",
        "object" => "an object",
        "array" => "an array",
        "boolean" => "true or false",
        "number" => "a number",
        _ => "a value of another type",
    };
    types.iter().map(|t| one(t)).collect::<Vec<_>>().join(" or ")
}

/// One jsonschema error as engine issues; `true` marks a wrong type.
fn map_error(e: &ValidationError, doc: &Json, tree: &Json, out: &mut Vec<(Issue, bool)>) {
    let (path, segs) = path_of(e.instance_path.as_str(), doc);
    let exact = lookup(doc, &segs);
    let location = e.schema_path.as_str();
    let (node, definition) = keyword_parent(tree, location);
    let def = definition.as_deref().unwrap_or("");
    let mut push = |path: String, message: String, is_type: bool| out.push((Issue { path, message }, is_type));

    if matches!(def, "Multiplier" | "Percent") {
        let is_type = matches!(e.kind, ValidationErrorKind::Type { .. });
        let message = match (&e.kind, exact) {
            (ValidationErrorKind::Type { .. }, Some(v)) if !matches!(v, Json::String(_) | Json::Number(_)) => {
                Some(format!("expected a decimal number, found {}", v.kind()))
            }
            _ => decimal_issue(exact, def),
        };
        if let Some(message) = message {
            push(path, message, is_type);
        }
        return;
    }
    match &e.kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known = property_names(node);
            for k in unexpected {
                let hint = suggest(k, &known).map(|h| format!("; did you mean \"{h}\"?")).unwrap_or_default();
                push(join(&path, k), format!("unknown field{hint}"), false);
            }
        }
        ValidationErrorKind::FalseSchema => push(path, "unknown field".into(), false),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let message =
                if def == "Offers" && name == "default" { "is required (the offer for segments without their own)" } else { "is required" };
            push(join(&path, name), message.into(), false);
        }
        ValidationErrorKind::Type { kind } => {
            let types = type_names(kind);
            let message = match as_text_number(exact) {
                Some(t) if types.iter().any(|t| t == "integer") => match Decimal::parse(t) {
                    Ok(d) if d.scale > 0 => format!("must be a whole number, found {t}"),
                    _ => format!("{t} is out of range"),
                },
                _ => {
                    // The text itself (its `type`), not a string inside its map.
                    let whole_text = def == "Text" && location.rsplit_once("$ref").is_some_and(|(_, rest)| rest == "/type");
                    format!("expected {}, found {}", expected(&types, whole_text), exact.map_or("nothing", Json::kind))
                }
            };
            push(path, message, true);
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            push(path, format!("must be at least {limit}, found {}", found(exact)), false);
        }
        ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
            push(path, format!("must be at most {limit}, found {}", found(exact)), false);
        }
        ValidationErrorKind::MinLength { .. } if def == "Locale" => {
            push(path, locale_message(exact.and_then(Json::as_str).unwrap_or("")), false)
        }
        ValidationErrorKind::MaxLength { .. } if def == "Locale" => {
            push(path, locale_message(exact.and_then(Json::as_str).unwrap_or("")), false)
        }
        ValidationErrorKind::MinLength { .. } => push(path, "must not be empty".into(), false),
        ValidationErrorKind::MaxLength { limit } => push(path, format!("must be at most {limit} characters"), false),
        ValidationErrorKind::Pattern { pattern } => {
            let s = exact.and_then(Json::as_str).unwrap_or("");
            // The pattern as the schema writes it (jsonschema reports it rewritten).
            let written = node.and_then(|n| n.get("pattern")).and_then(Json::as_str).unwrap_or(pattern);
            let message = match written {
                crate::schema::NOT_BLANK => "must not be empty".into(),
                crate::schema::ID_PATTERN => "may contain only letters, digits, '-' and '_'".into(),
                crate::schema::LOCALE_PATTERN => locale_message(s),
                crate::schema::URL_PATTERN => "must be an http(s) URL".into(),
                other => format!("must match the pattern {other}"),
            };
            push(path, message, false);
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = enum_strings(options);
            let message = match exact {
                _ if def == "CurrencyCode" => format!("unknown ISO 4217 currency code \"{}\"", exact.and_then(Json::as_str).unwrap_or("")),
                // Action: `if kind is once-only then limit is "once"`.
                _ if location.ends_with("/then/properties/limit/enum") => {
                    let kind = lookup(doc, &segs[..segs.len().saturating_sub(1)]).and_then(|a| a.get("kind")).and_then(Json::as_str);
                    format!("a {} bonus can only be \"once\"", kind.unwrap_or("this"))
                }
                Some(Json::String(s)) => unknown_value(s, &allowed),
                Some(other) => return push(path, format!("expected a string, found {}", other.kind()), true),
                None => unknown_value("", &allowed),
            };
            push(path, message, false);
        }
        ValidationErrorKind::Constant { expected_value } => {
            push(path, format!("unsupported version {}; this engine reads version {expected_value}", found(exact)), false);
        }
        ValidationErrorKind::MinItems { limit } => {
            let message = if path.ends_with("levels") { "needs at least one tier".into() } else { format!("needs at least {limit} items") };
            push(path, message, false);
        }
        ValidationErrorKind::MinProperties { .. } => push(path, "needs at least one locale".into(), false),
        ValidationErrorKind::PropertyNames { error } => {
            let key = error.instance.as_str().unwrap_or_default().to_string();
            let message = match &error.kind {
                ValidationErrorKind::Enum { options } => unknown_value(&key, &enum_strings(options)),
                _ => locale_message(&key),
            };
            // Reported beside a wrong type of the same entry's value, as the key and the value are two problems.
            push(join(&path, &key), message, true);
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let keyword = if matches!(e.kind, ValidationErrorKind::AnyOf { .. }) { "anyOf" } else { "oneOf" };
            let (here, _) = schema_node(tree, location);
            let branches: Vec<&Json> = match here {
                Some(Json::Array(b)) => b.iter().collect(),
                _ => match here.and_then(|h| h.get(keyword)) {
                    Some(Json::Array(b)) => b.iter().collect(),
                    _ => Vec::new(),
                },
            };
            // A documented unit enum: a oneOf of one-value enums.
            let values: Vec<String> = branches.iter().filter_map(|b| b.get("enum")).flat_map(|e| enum_strings(&to_value(e))).collect();
            if !branches.is_empty() && values.len() == branches.len() {
                return match exact {
                    Some(Json::String(s)) => push(path, unknown_value(s, &values), false),
                    other => push(path, format!("expected a string, found {}", other.map_or("nothing", Json::kind)), true),
                };
            }
            // `anyOf: [T, null]` (an optional field): T's errors.
            let null = |b: &Json| b.get("type").and_then(Json::as_str) == Some("null");
            let real: Vec<usize> = (0..context.len()).filter(|i| branches.get(*i).is_none_or(|b| !null(b))).collect();
            if let [only] = real[..] {
                for inner in &context[only] {
                    map_error(inner, doc, tree, out);
                }
            } else {
                push(path, "matches none of the allowed forms".into(), false);
            }
        }
        ValidationErrorKind::Not { .. } => push(path, "is not allowed".into(), false),
        _ => push(path, e.to_string(), false),
    }
}

// ---------------------------------------------------------------------------
// 2. Types: the sections that passed the schema
// ---------------------------------------------------------------------------

/// Top-level fields with structural issues.
fn broken_sections(issues: &[Issue]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in issues {
        let top = i.path.split(['.', '[']).next().unwrap_or("").to_string();
        if !out.contains(&top) {
            out.push(top);
        }
    }
    out
}

/// The document without its broken sections and "$schema"; a required
/// section that is broken is replaced by a neutral stand-in (the rules that
/// would read it are skipped, see [`semantic_in`]).
fn repaired<'a>(doc: &Json<'a>, broken: &[String]) -> Json<'a> {
    let Json::Object(fields) = doc else { return doc.clone() };
    let mut out: Vec<(Cow<'a, str>, Json<'a>)> =
        fields.iter().filter(|(k, _)| k != "$schema" && !broken.iter().any(|b| b == k)).cloned().collect();
    let stand_ins = [
        ("version", r#"1"#),
        ("store", r#"{"name": "-", "currency": "USD", "default_locale": "-"}"#),
        ("earning", r#"{"points_per_step": 0, "step": 1}"#),
    ];
    for (key, text) in stand_ins {
        if broken.iter().any(|b| b == key) {
            if let Ok(v) = Json::parse(text) {
                out.push((Cow::Borrowed(key), v.into_owned()));
            }
        }
    }
    Json::Object(out)
}

// ---------------------------------------------------------------------------
// 3. Rules between fields
// ---------------------------------------------------------------------------

/// The rules between fields that a schema cannot express, over a typed
/// program: ids unique, tier thresholds ascending, locales, redemption
/// ranges, members-only needs a membership, a known time zone. (That every
/// per-language text has the default locale is checked on the document,
/// see [`texts_without_default`], so that it needs no list of texts.)
pub fn semantic(p: &Program) -> Vec<Issue> {
    semantic_in(p, &[])
}

fn semantic_in(p: &Program, broken: &[String]) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut fail = |path: String, message: String| out.push(Issue { path, message });
    let ok = |section: &str| !broken.iter().any(|b| b == section);

    if ok("store") {
        let s = &p.store;
        if !s.locales.contains(&s.default_locale) {
            fail("store.locales".into(), format!("must include the default locale \"{}\"", s.default_locale));
        }
        if let Err(m) = time_zone(&s.time_zone) {
            fail("store.time_zone".into(), m);
        }
        for (loc, _) in &p.texts {
            if !s.locales.contains(loc) {
                fail(format!("texts.{loc}"), format!("locale \"{loc}\" is not in store.locales"));
            }
        }
    }
    unique_ids("actions", p.actions.iter().map(|a| a.id.as_str()), &mut fail);
    if let Some(t) = &p.tiers {
        for (i, pair) in t.levels.windows(2).enumerate() {
            if pair[1].threshold <= pair[0].threshold {
                let m = format!("must be greater than the previous tier's threshold ({})", pair[0].threshold);
                fail(format!("tiers.levels[{}].threshold", i + 1), m);
            }
        }
        unique_ids("tiers.levels", t.levels.iter().map(|l| l.id.as_str()), &mut fail);
    }
    unique_ids("redemptions", p.redemptions.iter().map(|r| r.id.as_str()), &mut fail);
    for (i, r) in p.redemptions.iter().enumerate() {
        let at = |field: &str| format!("redemptions[{i}].{field}");
        if r.members_only && p.membership.is_none() && ok("membership") {
            fail(at("members_only"), "needs a \"membership\" section".into());
        }
        if !matches!(r.kind, RedemptionKind::AmountOff { .. }) {
            continue;
        }
        if r.min_points < r.points {
            fail(at("min_points"), format!("must be at least \"points\" ({})", r.points));
        }
        if r.max_points < r.min_points {
            fail(at("max_points"), format!("must be at least min_points ({})", r.min_points));
        }
        if r.increment % r.points != 0 {
            fail(at("increment"), format!("must be a multiple of \"points\" ({}) so every step buys whole value", r.points));
        }
        if r.min_points % r.increment != 0 || r.max_points % r.increment != 0 {
            fail(at("increment"), format!("min_points and max_points must be multiples of the increment ({})", r.increment));
        }
    }
    if let Some(popup) = &p.popup {
        unique_ids("popup.consents", popup.consents.iter().map(|c| c.id.as_str()), &mut fail);
        // A membership offer's button goes to the membership's join page.
        let joinable = p.membership.as_ref().is_some_and(|m| m.join_url.is_some());
        let offers = core::iter::once(("default", &popup.offers.default)).chain(popup.offers.segments.iter().map(|(s, o)| (s.name(), o)));
        for (key, offer) in offers {
            if offer.membership && !joinable && ok("membership") {
                fail(format!("popup.offers.{key}.membership"), "needs a \"membership\" section with a \"join_url\"".into());
            }
        }
    }
    if let Some(r) = &p.referral {
        let has = |k: ActionKind| p.actions.iter().any(|a| a.kind == k);
        if !has(ActionKind::ReferralReferrer) {
            fail("referral".into(), "needs a \"referral_referrer\" action (the referrer's points)".into());
        }
        if !has(ActionKind::ReferralFriend) && r.friend_voucher.is_none() {
            fail("referral".into(), "needs a \"referral_friend\" action or \"friend_voucher\" (what the friend gets)".into());
        }
    }
    out
}

fn unique_ids<'a>(list: &str, ids: impl Iterator<Item = &'a str>, fail: &mut impl FnMut(String, String)) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, id) in ids.enumerate() {
        if seen.contains(&id) {
            fail(format!("{list}[{i}].id"), format!("duplicate id \"{id}\""));
        }
        seen.push(id);
    }
}

/// Every per-language text (an object where the schema has `Text`) that
/// lacks the default locale, found by walking the document with the schema,
/// so the rule needs no list of where texts are and also covers sections
/// with other problems. A text with issues of its own is left to those.
fn texts_without_default(doc: &Json, tree: &Json, default: &str, issues: &[Issue]) -> Vec<Issue> {
    fn walk(tree: &Json, text: Option<&Json>, node: &Json, v: &Json, path: String, out: &mut Vec<String>) {
        let n = deref(tree, node);
        if text.is_some_and(|t| core::ptr::eq(t, n)) {
            if let Json::Object(_) = v {
                out.push(path);
            }
            return;
        }
        match v {
            Json::Object(fields) => {
                let props = properties_of(tree, n);
                for (k, x) in fields {
                    let child =
                        props.iter().find(|(name, _)| *name == k.as_ref()).map(|(_, s)| *s).or_else(|| n.get("additionalProperties"));
                    if let Some(child) = child {
                        walk(tree, text, child, x, join(&path, k), out);
                    }
                }
            }
            Json::Array(items) => {
                if let Some(item) = n.get("items") {
                    for (i, x) in items.iter().enumerate() {
                        walk(tree, text, item, x, format!("{path}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut paths = Vec::new();
    walk(tree, resolve_pointer(tree, "/definitions/Text"), tree, doc, String::new(), &mut paths);
    let troubled = |p: &str| issues.iter().any(|i| i.path == p || i.path.starts_with(&format!("{p}.")));
    paths
        .into_iter()
        .filter(|p| !troubled(p))
        .filter(|p| {
            let segs = split_path(p);
            !matches!(lookup(doc, &segs), Some(Json::Object(f)) if f.iter().any(|(k, _)| k == default))
        })
        .map(|path| Issue { path, message: format!("must include the default locale \"{default}\"") })
        .collect()
}

/// An IANA time zone name the bundled tz database knows (case-insensitive,
/// as the database's own lookups), with a hint for near misses.
fn time_zone(name: &str) -> Result<(), String> {
    let db = jiff::tz::db();
    if db.get(name).is_ok() {
        return Ok(());
    }
    let names: Vec<String> = db.available().map(|n| n.to_string()).collect();
    let lowered: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    let candidates: Vec<&str> = lowered.iter().map(String::as_str).collect();
    let near = suggest(&name.to_ascii_lowercase(), &candidates).and_then(|hit| lowered.iter().position(|n| n == hit)).map(|i| &names[i]);
    let hint = near.map(|h| format!(" (did you mean \"{h}\"?)")).unwrap_or_default();
    Err(format!("unknown time zone \"{name}\"{hint}; use an IANA name such as \"Asia/Ho_Chi_Minh\""))
}

// ---------------------------------------------------------------------------
// Order
// ---------------------------------------------------------------------------

/// Issues in document order: by the schema's field order at each level
/// (array items by index; unknown fields and map keys after, in source
/// order). Issues at one path keep the order they were found in.
fn sorted(issues: Vec<Issue>, doc: &Json, tree: &Json) -> Vec<Issue> {
    let mut keyed: Vec<(Vec<usize>, Issue)> = issues.into_iter().map(|i| (sort_key(&i.path, doc, tree), i)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, i)| i).collect()
}

fn sort_key(path: &str, doc: &Json, tree: &Json) -> Vec<usize> {
    let mut key = Vec::new();
    let mut node = Some(tree);
    let mut value = Some(doc);
    for seg in split_path(path) {
        match seg {
            Seg::Index(i) => {
                key.push(i);
                node = node.map(|n| deref(tree, n)).and_then(|n| n.get("items")).map(|n| deref(tree, n));
                value = value.and_then(|v| lookup_one(v, &Seg::Index(i)));
            }
            Seg::Key(k) => {
                let props = node.map(|n| properties_of(tree, n)).unwrap_or_default();
                let source = match value {
                    Some(Json::Object(f)) => f.iter().position(|(x, _)| *x == k).unwrap_or(0),
                    _ => 0,
                };
                match props.iter().position(|(name, _)| *name == k) {
                    Some(i) => {
                        key.push(i);
                        node = Some(props[i].1);
                    }
                    None => {
                        key.push(10_000 + source);
                        node = node.map(|n| deref(tree, n)).and_then(|n| n.get("additionalProperties"));
                    }
                }
                value = value.and_then(|v| v.get(&k));
            }
        }
    }
    key
}

fn split_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(k) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(Seg::Key(k.to_string()));
        }
        for idx in pieces {
            out.push(Seg::Index(idx.trim_end_matches(']').parse().unwrap_or(0)));
        }
    }
    out
}

/// A node with its `$ref`, `allOf` wrapper and `anyOf: [T, null]` seen through.
fn deref<'a>(tree: &'a Json<'a>, mut n: &'a Json<'a>) -> &'a Json<'a> {
    for _ in 0..8 {
        if let Some(target) = n.get("$ref").and_then(Json::as_str) {
            match resolve_pointer(tree, target.trim_start_matches('#')) {
                Some(t) => n = t,
                None => break,
            }
        } else if let Some(Json::Array(b)) = n.get("allOf").filter(|_| n.get("properties").is_none()) {
            match b.first() {
                Some(first) if b.len() == 1 => n = first,
                _ => break,
            }
        } else if let Some(Json::Array(b)) = n.get("anyOf") {
            match b.iter().find(|x| x.get("type").and_then(Json::as_str) != Some("null")) {
                Some(first) => n = first,
                None => break,
            }
        } else {
            break;
        }
    }
    n
}

fn properties_of<'a>(tree: &'a Json<'a>, n: &'a Json<'a>) -> Vec<(&'a str, &'a Json<'a>)> {
    match deref(tree, n).get("properties") {
        Some(Json::Object(p)) => p.iter().map(|(k, v)| (k.as_ref(), v)).collect(),
        _ => Vec::new(),
    }
}

/// What is allowed but almost certainly not what the merchant meant: each
/// with its path, for `check-config`, `publish` and the server's start-up
/// log. Nothing here stops a program from publishing.
pub fn warnings(p: &Program) -> Vec<Issue> {
    let mut out = Vec::new();
    let Some(popup) = &p.popup else { return out };
    for (i, pattern) in popup.exclude_paths.iter().enumerate() {
        let path = format!("popup.exclude_paths[{i}]");
        let trimmed = pattern.trim_end_matches('*');
        let message = if !pattern.starts_with('/') {
            // The widget matches the page's path, which always starts with "/".
            let after_host = pattern.split_once("://").map_or(pattern.as_str(), |(_, rest)| rest.find('/').map_or("", |at| &rest[at..]));
            let fix = if after_host.starts_with('/') { after_host.to_string() } else { format!("/{}", pattern.trim_start_matches('*')) };
            format!("\"{pattern}\" never matches: it is compared with the page's path, which starts with \"/\" (write \"{fix}\")")
        } else if !pattern.contains('*') && !trimmed.ends_with('/') && !trimmed.rsplit('/').next().unwrap_or("").contains('.') {
            format!(
                "\"{pattern}\" matches only that exact path: \"{pattern}/\", \"{pattern}.html\" and \"{pattern}/…\" still show the popup (write \"{pattern}*\" to exclude them all)"
            )
        } else {
            continue;
        };
        out.push(Issue { path, message });
    }
    out
}

#[cfg(test)]
mod warning_tests {
    use super::*;

    fn with_excludes(paths: &[&str]) -> Vec<Issue> {
        let config = format!(
            r#"{{"version":1,"store":{{"name":"S","currency":"USD","default_locale":"en"}},"earning":{{"points_per_step":1,"step":100}},
               "popup":{{"triggers":{{}},"exclude_paths":{},"offers":{{"default":{{"title":"t","body":"b","cta":"c"}}}}}}}}"#,
            serde_json::to_string(paths).unwrap()
        );
        warnings(&program(&config).unwrap())
    }

    #[test]
    fn issue_14_an_exclude_path_that_can_match_nothing_the_store_serves_is_a_warning() {
        let w = with_excludes(&["/cart", "/checkout*", "/account/", "/cart.html", "https://shop.example/orders", "pages/faq"]);
        let paths: Vec<&str> = w.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["popup.exclude_paths[0]", "popup.exclude_paths[4]", "popup.exclude_paths[5]"]);
        assert!(w[0].message.contains("\"/cart.html\"") && w[0].message.contains("write \"/cart*\""), "{}", w[0].message);
        assert!(w[1].message.contains("never matches") && w[1].message.contains("write \"/orders\""), "{}", w[1].message);
        assert!(w[2].message.contains("write \"/pages/faq\""), "{}", w[2].message);
        assert!(with_excludes(&["/checkout*", "/account*"]).is_empty());
    }
}
