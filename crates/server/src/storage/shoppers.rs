//! Shopper rows beyond what the ledger reads and creates (`ledger`): the
//! signup's profile, the paid membership, consents, erasure, the console's
//! member search and counts.

use sqlx::Row;

use super::db::Conn;
use super::Result;

/// The first signup's profile (name and birthday kept when not given).
pub async fn sign_up(conn: &mut Conn, id: &str, at: i64, name: Option<&str>, birthday: Option<&str>, locale: &str) -> Result<()> {
    sqlx::query(
        "UPDATE shoppers SET signed_up_at = $1, name = COALESCE($2, name), birthday = COALESCE($3, birthday), locale = $4 WHERE id = $5",
    )
    .bind(at)
    .bind(name)
    .bind(birthday)
    .bind(locale)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_membership(conn: &mut Conn, id: &str, membership_id: &str, status: &str) -> Result<()> {
    sqlx::query("UPDATE shoppers SET membership_id = $1, membership_status = $2 WHERE id = $3")
        .bind(membership_id)
        .bind(status)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every shopper id, in order.
pub async fn ids(conn: &mut Conn) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT id FROM shoppers ORDER BY id").fetch_all(conn).await?;
    Ok(rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?)
}

/// Shoppers, and of them those who signed up.
pub async fn counts(conn: &mut Conn) -> Result<(i64, i64)> {
    let all = sqlx::query("SELECT COUNT(*) FROM shoppers").fetch_one(&mut *conn).await?.try_get(0)?;
    let members = sqlx::query("SELECT COUNT(*) FROM shoppers WHERE signed_up_at IS NOT NULL").fetch_one(conn).await?.try_get(0)?;
    Ok((all, members))
}

/// One consent as given.
pub struct Consent<'a> {
    pub purpose: &'a str,
    pub version: i64,
    pub text: &'a str,
    pub text_sha256: &'a str,
    pub granted: bool,
    pub locale: &'a str,
    pub page_url: &'a str,
}

pub async fn record_consent(conn: &mut Conn, shopper_id: &str, c: &Consent<'_>, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO consents (shopper_id, purpose, version, text, text_sha256, granted, at, locale, page_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(shopper_id)
    .bind(c.purpose)
    .bind(c.version)
    .bind(c.text)
    .bind(c.text_sha256)
    .bind(i64::from(c.granted))
    .bind(at)
    .bind(c.locale)
    .bind(c.page_url)
    .execute(conn)
    .await?;
    Ok(())
}

/// A consent as recorded.
pub struct ConsentRow {
    pub purpose: String,
    pub version: i64,
    pub granted: bool,
    pub at: i64,
    pub text: String,
    pub locale: String,
}

/// A shopper's consents, in the order given.
pub async fn consents(conn: &mut Conn, shopper_id: &str) -> Result<Vec<ConsentRow>> {
    let rows = sqlx::query("SELECT purpose, version, granted, at, text, locale FROM consents WHERE shopper_id = $1 ORDER BY id")
        .bind(shopper_id)
        .fetch_all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let granted: i64 = r.try_get(2)?;
        out.push(ConsentRow {
            purpose: r.try_get(0)?,
            version: r.try_get(1)?,
            granted: granted == 1,
            at: r.try_get(3)?,
            text: r.try_get(4)?,
            locale: r.try_get(5)?,
        });
    }
    Ok(out)
}

/// A member and one consent of theirs (the signups export; a member
/// without consents is one row with `consent` None).
pub struct SignupRow {
    pub id: Option<String>,
    pub email: Option<String>,
    pub customer_id: Option<String>,
    pub name: Option<String>,
    pub birthday: Option<String>,
    pub locale: Option<String>,
    pub signed_up_at: Option<i64>,
    pub purpose: Option<String>,
    pub version: Option<i64>,
    pub granted: Option<i64>,
    pub consent_at: Option<i64>,
    pub text_sha256: Option<String>,
    pub text: Option<String>,
    pub consent_locale: Option<String>,
    pub page_url: Option<String>,
}

/// Every member with each of their consents, by signup time.
pub async fn signups(conn: &mut Conn) -> Result<Vec<SignupRow>> {
    let rows = sqlx::query(
        "SELECT s.id, s.email, s.customer_id, s.name, s.birthday, s.locale, s.signed_up_at,
                c.purpose, c.version, c.granted, c.at, c.text_sha256, c.text, c.locale, c.page_url
         FROM shoppers s LEFT JOIN consents c ON c.shopper_id = s.id
         WHERE s.signed_up_at IS NOT NULL ORDER BY s.signed_up_at, s.id, c.id",
    )
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(SignupRow {
            id: r.try_get(0)?,
            email: r.try_get(1)?,
            customer_id: r.try_get(2)?,
            name: r.try_get(3)?,
            birthday: r.try_get(4)?,
            locale: r.try_get(5)?,
            signed_up_at: r.try_get(6)?,
            purpose: r.try_get(7)?,
            version: r.try_get(8)?,
            granted: r.try_get(9)?,
            consent_at: r.try_get(10)?,
            text_sha256: r.try_get(11)?,
            text: r.try_get(12)?,
            consent_locale: r.try_get(13)?,
            page_url: r.try_get(14)?,
        });
    }
    Ok(out)
}

/// When and by whom the shopper was erased, if they were.
pub async fn erasure(conn: &mut Conn, shopper_id: &str) -> Result<Option<(i64, String)>> {
    let r = sqlx::query("SELECT at, actor FROM erasures WHERE shopper_id = $1").bind(shopper_id).fetch_optional(conn).await?;
    Ok(match r {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// Erases what identifies the person; the row stays (the ledger, orders
/// and vouchers refer to it), with the erasure recorded.
pub async fn erase(conn: &mut Conn, shopper_id: &str, at: i64, actor: &str) -> Result<()> {
    sqlx::query("UPDATE shoppers SET customer_id = NULL, email = NULL, name = NULL, birthday = NULL, locale = NULL WHERE id = $1")
        .bind(shopper_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO erasures (shopper_id, at, actor) VALUES ($1, $2, $3)")
        .bind(shopper_id)
        .bind(at)
        .bind(actor)
        .execute(conn)
        .await?;
    Ok(())
}

/// One way the console's search box finds members. `sql` is a condition
/// on `shoppers` with `{}` where the typed text goes (always a bound
/// parameter); `value` turns the typed text into what is bound. Another
/// way (a referral code, a phone number) is one more entry here.
pub struct SearchBy {
    pub sql: &'static str,
    pub value: fn(&str) -> String,
}

fn as_typed(q: &str) -> String {
    q.to_string()
}

/// Emails are stored lower-case; the typed text matches from the start.
fn email_prefix(q: &str) -> String {
    let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("{escaped}%")
}

pub const SEARCH_BY: &[SearchBy] = &[
    SearchBy { sql: "email LIKE {} ESCAPE '\\'", value: email_prefix },
    SearchBy { sql: "customer_id = {}", value: as_typed },
    SearchBy { sql: "id = {}", value: as_typed },
];

/// Ids of at most `limit` members matching `q` (the newest first), or the newest members for an empty `q`.
pub async fn search(conn: &mut Conn, q: &str, limit: i64) -> Result<Vec<String>> {
    let q = q.trim();
    let mut values = Vec::new();
    let mut conditions = Vec::new();
    if !q.is_empty() {
        for (i, by) in SEARCH_BY.iter().enumerate() {
            conditions.push(by.sql.replace("{}", &format!("${}", i + 1)));
            values.push((by.value)(q));
        }
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" OR ")) };
    let sql = format!("SELECT id FROM shoppers {filter} ORDER BY created_at DESC, id LIMIT {limit}");
    let mut query = sqlx::query(&sql);
    for v in &values {
        query = query.bind(v);
    }
    Ok(query.fetch_all(conn).await?.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?)
}
