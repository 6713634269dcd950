//! What a request can fail with, whichever layer finds it: a status, a
//! kind, a message and every issue with its path. The HTTP layer renders
//! it as JSON in the core's shape (`crate::http::error`):
//! `{"error": kind, "message": …, "issues": [{"path", "message"}]}`, and
//! alone decides what a storage failure becomes.

use axum::http::StatusCode;
use rewards_core::json::{obj, s, Json};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
    pub issues: Vec<(String, String)>,
    /// The database had no room left (set only by the storage error's
    /// conversion, `crate::http::error`): the SQLite writer must then undo
    /// the whole group.
    pub storage_full: bool,
}

pub type ApiResult<T> = Result<T, ApiError>;

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
