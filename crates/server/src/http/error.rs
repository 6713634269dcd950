//! Error answers: an [`ApiError`] as JSON in the core's shape, and what a
//! client is told about a storage failure (the detail goes to the log).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rewards_core::json::Json;

use crate::error::ApiError;
use crate::storage;

/// A JSON answer. `nosniff`: an error that quotes the request (an unknown
/// engine op, a customer id) is never sniffed into HTML by a browser.
pub fn json_body(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        text,
    )
        .into_response()
}

pub fn json_status(status: StatusCode, json: &Json) -> Response {
    (status, json_body(json.to_text())).into_response()
}

/// The `unavailable` message when the database has no room left.
const STORAGE_FULL: &str = "storage is full; nothing was written; retry later";

impl From<storage::Error> for ApiError {
    fn from(e: storage::Error) -> ApiError {
        // The detail goes to the log, not to the client.
        eprintln!("database error: {e}");
        let full = e.is_full();
        // When full, nothing of this request was written; the operator must free space.
        let message = if full { STORAGE_FULL } else { "storage error; retry later" };
        ApiError { storage_full: full, ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, json_body(self.to_json().to_text())).into_response()
    }
}
