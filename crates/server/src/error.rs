//! API errors: one table of stable codes, each with its HTTP status.
//!
//! A client gets `{"error": {"code": "unknown_device", "message": "..."}}`;
//! the code never changes meaning, the message is for people. Internal
//! causes go to the log, never to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hark_store::StoreError;
use serde_json::json;

/// An error the API answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The stable code.
    pub code: &'static str,
    /// What happened, for people.
    pub message: String,
}

/// Every code the API uses, its status and what it means.
pub const CODES: &[(&str, u16, &str)] = &[
    (
        "invalid_json",
        400,
        "the body is not the JSON this endpoint expects",
    ),
    (
        "invalid_request",
        400,
        "a field has a value that is not allowed",
    ),
    (
        "invalid_audio",
        400,
        "the body is not audio hark can read (its message names why: not_wav, truncated_header, empty_audio, audio_too_long, ...)",
    ),
    (
        "unauthorized",
        401,
        "no token, or a token that is unknown or revoked",
    ),
    ("forbidden", 403, "the token may not do this"),
    (
        "unknown_device",
        404,
        "no device of this household has that id or name",
    ),
    ("not_found", 404, "no such resource in this household"),
    (
        "list_not_found",
        404,
        "no list of this household has that name",
    ),
    (
        "list_item_not_found",
        404,
        "the list has no item with that id",
    ),
    (
        "method_not_allowed",
        405,
        "the endpoint exists, but not with this method",
    ),
    ("conflict", 409, "the name is already taken"),
    ("body_too_large", 413, "the body is over 64 KiB"),
    (
        "unsupported_media_type",
        415,
        "the body must be application/json",
    ),
    (
        "range_not_satisfiable",
        416,
        "the Range (or a media_read's offset) starts past the end of the file (Content-Range, or the message, says its size)",
    ),
    (
        "internal",
        500,
        "something went wrong on the server; the log has the cause",
    ),
];

impl ApiError {
    /// An error with a stable code from [`CODES`].
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            CODES.iter().any(|(c, _, _)| *c == code),
            "unknown error code {code}"
        );
        Self {
            code,
            message: message.into(),
        }
    }

    /// The HTTP status of this error's code.
    pub fn status(&self) -> StatusCode {
        let status = CODES
            .iter()
            .find(|(c, _, _)| *c == self.code)
            .map_or(500, |(_, s, _)| *s);
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// 401 with a fixed message (never says which part was wrong).
    pub fn unauthorized() -> Self {
        Self::new(
            "unauthorized",
            "a valid token is required: Authorization: Bearer <token>",
        )
    }
}

impl ApiError {
    /// `{"code", "message"}`, as every error body and stream error carries it.
    pub fn body(&self) -> serde_json::Value {
        json!({"code": self.code, "message": self.message})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, Json(json!({"error": self.body()}))).into_response();
        response.extensions_mut().insert(ErrorCode(self.code));
        response
    }
}

/// The code of an error response, for the metrics middleware.
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::new("not_found", "not found"),
            StoreError::Conflict(message) => ApiError::new("conflict", message),
            StoreError::Invalid(message) => ApiError::new("invalid_request", message),
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::new("internal", "internal error")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_lists_exactly_these_codes() {
        let document: serde_json::Value = serde_json::from_str(crate::OPENAPI).unwrap();
        let listed: Vec<&str> = document["components"]["schemas"]["Error"]["properties"]["error"]
            ["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        let ours: Vec<&str> = CODES.iter().map(|(code, _, _)| *code).collect();
        assert_eq!(listed, ours);
    }
}
