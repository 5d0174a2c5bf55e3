//! OAuth2 client credentials (RFC 6749 §4.4) and the public key set.
//!
//! Errors here follow RFC 6749 §5.2 (`{"error", "error_description"}`), which OAuth2
//! clients expect, rather than problem documents.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/oauth2/token", post(token)).route("/.well-known/jwks.json", get(jwks))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub grant_type: String,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub scope: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OAuthError {
    pub error: &'static str,
    pub error_description: &'static str,
}

fn oauth_error(status: StatusCode, error: &'static str, error_description: &'static str) -> Response {
    let mut r = (status, Json(OAuthError { error, error_description })).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Basic"));
    }
    r
}

/// Credentials from HTTP Basic, else from the form.
fn credentials(headers: &HeaderMap, form: &TokenRequest) -> Option<(String, String)> {
    if let Some(basic) =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "))
    {
        let raw = base64::engine::general_purpose::STANDARD.decode(basic.trim()).ok()?;
        let s = String::from_utf8(raw).ok()?;
        let (id, secret) = s.split_once(':')?;
        return Some((id.to_string(), secret.to_string()));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

/// Issues a short-lived access token to a partner application.
#[utoipa::path(post, path = "/oauth2/token", tag = "authentification",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenResponse), (status = 400, body = OAuthError), (status = 401, body = OAuthError)))]
pub async fn token(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<TokenRequest>) -> Response {
    if form.grant_type != "client_credentials" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "seul client_credentials est accepté");
    }
    let Some((id, secret)) = credentials(&headers, &form) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "identifiants de l'application absents");
    };
    let s = state.services();
    let h = s.gardien.courant();
    let now = s.clock.now();
    let client = h.registre.clients.get(&id).filter(|c| c.revoque_le.is_none_or(|r| r > now));
    // Verify even for an unknown client, so timing does not tell which ids exist.
    let stored = client.map(|c| c.secret_hash.as_str()).unwrap_or("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let ok = s.secrets.verify(&id, &secret, stored);
    match client {
        Some(c) if ok => Json(TokenResponse {
            access_token: s.emetteur.emettre(c, now),
            token_type: "Bearer",
            expires_in: s.emetteur.duree_s,
            scope: c.scopes.join(" "),
        })
        .into_response(),
        _ => oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "application inconnue, révoquée ou secret incorrect",
        ),
    }
}

/// Public keys that verify the access tokens.
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "authentification", responses((status = 200)))]
pub async fn jwks(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.services().emetteur.jwks())
}
