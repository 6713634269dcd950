//! Statements that a write runs together, in one call to the connection.
//!
//! On SQLite every statement of a write is a round trip between the
//! request's task and the connection's worker thread (two wake-ups), and
//! the writes are serialised on the one write connection, so round trips
//! inside a write cost throughput directly (docs/benchmarks.md, issue 11).
//! A [`Batch`] joins its statements into one multi-statement query (sqlx's
//! SQLite driver runs them in order in one call; `$N` placeholders name
//! arguments by position in the whole list, so each statement's own `$1…`
//! are renumbered). PostgreSQL cannot prepare several statements at once:
//! there they run one after another, the same text each.
//!
//! The statements stop at the first failure (what ran before it is undone
//! with the write). A batch returns no rows: statements whose outcome the
//! caller needs to decide on run alone.

use sqlx::AnyConnection;

/// A bound value.
#[derive(Debug, Clone)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}

/// Statements to run in order, in one round trip on SQLite.
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<(&'static str, Vec<Value>)>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a statement written with its own `$1…$n` for `args`.
    pub fn push(&mut self, sql: &'static str, args: Vec<Value>) {
        debug_assert!(!sql.contains(';'), "one statement per push: {sql}");
        self.statements.push((sql, args));
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Runs the statements in order; stops at the first failure.
    pub async fn run(self, conn: &mut AnyConnection) -> super::Result<()> {
        if self.statements.is_empty() {
            return Ok(());
        }
        if conn.backend_name() != "SQLite" || self.statements.len() == 1 {
            for (sql, args) in self.statements {
                bind(sqlx::query(sql), args).execute(&mut *conn).await?;
            }
            return Ok(());
        }
        let mut sql = String::new();
        let mut all = Vec::new();
        for (text, args) in self.statements {
            if !sql.is_empty() {
                sql.push_str(";\n");
            }
            renumber(text, all.len(), &mut sql);
            all.extend(args);
        }
        bind(sqlx::query(&sql), all).execute(&mut *conn).await?;
        Ok(())
    }
}

fn bind<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: Vec<Value>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Value::Int(v) => q.bind(v),
            Value::Text(v) => q.bind(v),
        };
    }
    q
}

/// Appends `sql` to `out` with every `$N` outside a quoted literal shifted by `offset`.
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = 0usize;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n * 10 + d as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(n + offset).to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn placeholders_are_shifted_outside_literals_only() {
        let mut out = String::new();
        renumber("INSERT INTO t (a, b, c) VALUES ($1, '$2', $12)", 3, &mut out);
        assert_eq!(out, "INSERT INTO t (a, b, c) VALUES ($4, '$2', $15)");
    }
}
