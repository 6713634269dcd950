//! HTTP errors, always JSON in the core's shape:
//! `{"error": kind, "message": …, "issues": [{"path", "message"}]}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rewards_core::json::{obj, s, Json};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
    pub issues: Vec<(String, String)>,
    /// The database had no room left (set only by the `sqlx::Error`
    /// conversion): the SQLite writer must then undo the whole group.
    pub storage_full: bool,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The `unavailable` message when the database has no room left.
const STORAGE_FULL: &str = "storage is full; nothing was written; retry later";

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind, message: message.into(), issues: Vec::new(), storage_full: false }
    }

    /// 422 with one issue at `path`.
    pub fn invalid(path: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let text = if path.is_empty() { message.clone() } else { format!("{path}: {message}") };
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: "invalid",
            message: text,
            issues: vec![(path.into(), message)],
            storage_full: false,
        }
    }

    /// 422 with every issue collected.
    pub fn issues(issues: Vec<(String, String)>) -> ApiError {
        let message = issues.iter().map(|(p, m)| if p.is_empty() { m.clone() } else { format!("{p}: {m}") }).collect::<Vec<_>>().join("\n");
        ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, kind: "invalid", message, issues, storage_full: false }
    }

    /// A core error, with its paths prefixed by where the value sat in the request.
    pub fn core(e: rewards_core::Error, prefix: &str) -> ApiError {
        match e {
            rewards_core::Error::Invalid(list) => ApiError::issues(
                list.into_iter()
                    .map(|i| {
                        let p = match (prefix.is_empty(), i.path.is_empty()) {
                            (true, _) => i.path,
                            (false, true) => prefix.to_string(),
                            (false, false) => format!("{prefix}.{}", i.path),
                        };
                        (p, i.message)
                    })
                    .collect(),
            ),
            rewards_core::Error::Overflow(step) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "overflow", format!("arithmetic overflow in {step}"))
            }
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn to_json(&self) -> Json<'static> {
        obj(vec![
            ("error", s(self.kind)),
            ("message", s(&*self.message)),
            ("issues", Json::Array(self.issues.iter().map(|(p, m)| obj(vec![("path", s(&**p)), ("message", s(&**m))])).collect())),
        ])
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        // The detail goes to the log, not to the client.
        eprintln!("database error: {e}");
        let full = crate::db::is_storage_full(&e);
        // When full, nothing of this request was written; the operator must free space.
        let message = if full { STORAGE_FULL } else { "storage error; retry later" };
        ApiError { storage_full: full, ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, crate::routes::json_body(self.to_json().to_text())).into_response()
    }
}
