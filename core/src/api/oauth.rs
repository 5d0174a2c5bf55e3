//! OAuth2 client credentials (RFC 6749 §4.4) and the public key set.
//!
//! Errors here follow RFC 6749 §5.2 (`{"error", "error_description"}`), which OAuth2
//! clients expect, rather than problem documents: `invalid_request` (400) for a request
//! malformed in any way, `unsupported_grant_type` (400), `invalid_scope` (400),
//! `unauthorized_client` (400) for an application whose organisation is no longer party
//! to its convention, `invalid_client` (401, with `WWW-Authenticate`) for failed client
//! authentication.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::Serialize;

use super::AppState;
use super::problem::ApiError;
use crate::habilitation::scopes;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth2/token", post(token))
        .route("/connexion/oauth2/access_token", post(access_token))
        .route("/.well-known/jwks.json", get(jwks))
}

/// The realms of France Travail's token endpoint: partners' applications and agents'.
const ROYAUMES: [&str; 2] = ["/partenaire", "/agent"];

/// The form of a token request (`application/x-www-form-urlencoded`).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// `client_credentials`.
    pub grant_type: String,
    /// With `client_secret`, when HTTP Basic is not used.
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Space-separated scopes asked for (default: all those of the application).
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub scope: String,
}

/// An error of RFC 6749 §5.2.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OAuthErrorResponse {
    /// `invalid_request`, `invalid_client`, `unauthorized_client`,
    /// `unsupported_grant_type` or `invalid_scope`.
    pub error: &'static str,
    pub error_description: String,
}

/// Largest token request.
const MAX_FORMULAIRE: usize = 8 * 1024;

/// Every error of the token endpoint, mapped once to RFC 6749 §5.2.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// A request malformed in any way (`invalid_request`, 400).
    #[error("{0}")]
    RequeteInvalide(String),
    /// Client authentication failed (`invalid_client`, 401).
    #[error("{0}")]
    ClientInvalide(&'static str),
    /// The application's organisation is no longer party to its convention
    /// (`unauthorized_client`, 400).
    #[error("l'organisation de l'application n'est pas partie à sa convention")]
    ClientNonAutorise,
    #[error("seul client_credentials est accepté")]
    TypeNonPrisEnCharge,
    #[error("{0}")]
    ScopeInvalide(String),
    /// `invalid_request`, 413, the connection closed.
    #[error("requête trop volumineuse")]
    TropVolumineux,
    /// `invalid_request`, 408, the connection closed.
    #[error("requête incomplète dans le délai")]
    Delai,
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let (status, error) = match &self {
            OAuthError::RequeteInvalide(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            OAuthError::ClientInvalide(_) => (StatusCode::UNAUTHORIZED, "invalid_client"),
            OAuthError::ClientNonAutorise => (StatusCode::BAD_REQUEST, "unauthorized_client"),
            OAuthError::TypeNonPrisEnCharge => (StatusCode::BAD_REQUEST, "unsupported_grant_type"),
            OAuthError::ScopeInvalide(_) => (StatusCode::BAD_REQUEST, "invalid_scope"),
            OAuthError::TropVolumineux => (StatusCode::PAYLOAD_TOO_LARGE, "invalid_request"),
            OAuthError::Delai => (StatusCode::REQUEST_TIMEOUT, "invalid_request"),
        };
        let mut r = (status, Json(OAuthErrorResponse { error, error_description: self.to_string() })).into_response();
        let h = r.headers_mut();
        h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
        if status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Basic realm=\"dude\""));
        }
        if matches!(status, StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT) {
            h.insert(header::CONNECTION, header::HeaderValue::from_static("close"));
        }
        r
    }
}

/// The form's parameters, each at most once (RFC 6749 §3.2).
fn parametres(corps: &[u8]) -> Result<TokenRequest, OAuthError> {
    let mut vus = std::collections::HashSet::new();
    for (k, _) in form_urlencoded::parse(corps) {
        if !vus.insert(k) {
            return Err(OAuthError::RequeteInvalide("un paramètre est répété (chacun au plus une fois)".into()));
        }
    }
    super::extract::urlencoded::<TokenRequest>(corps).map_err(|e| match e {
        ApiError::App(crate::app::AppError::Invalide { message, .. }) => OAuthError::RequeteInvalide(message),
        e => OAuthError::RequeteInvalide(e.to_string()),
    })
}

/// Credentials from HTTP Basic or from the form, not both (RFC 6749 §2.3.1).
fn credentials(headers: &HeaderMap, form: &TokenRequest) -> Result<(String, String), OAuthError> {
    let basic = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
                .and_then(|raw| String::from_utf8(raw).ok())
                .and_then(|s| s.split_once(':').map(|(id, secret)| (id.to_string(), secret.to_string())))
                .ok_or(OAuthError::ClientInvalide(
                    "en-tête Authorization illisible : Basic base64(client_id:client_secret) attendu",
                ))?,
        ),
    };
    match (basic, &form.client_id, &form.client_secret) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(OAuthError::RequeteInvalide(
            "identifiants à la fois en HTTP Basic et dans le formulaire : un seul moyen".into(),
        )),
        (Some(c), None, None) => Ok(c),
        (None, Some(id), Some(secret)) => Ok((id.clone(), secret.clone())),
        (None, Some(_), None) => Err(OAuthError::RequeteInvalide("client_secret absent".into())),
        (None, None, Some(_)) => Err(OAuthError::RequeteInvalide("client_id absent".into())),
        (None, None, None) => Err(OAuthError::ClientInvalide("identifiants de l'application absents")),
    }
}

/// Issues a short-lived access token to a partner application.
#[utoipa::path(post, path = "/oauth2/token", tag = "authentification",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenResponse),
        (status = 400, body = OAuthErrorResponse, description = "invalid_request, unsupported_grant_type, invalid_scope, unauthorized_client"),
        (status = 401, body = OAuthErrorResponse, description = "invalid_client"),
        (status = 408, body = OAuthErrorResponse, description = "invalid_request : requête incomplète dans le délai"),
        (status = 413, body = OAuthErrorResponse, description = "invalid_request : requête trop volumineuse")))]
pub async fn token(State(state): State<AppState>, req: Request) -> Result<Response, OAuthError> {
    delivrer(&state, req).await
}

/// Issues an access token the way France Travail's token endpoint does
/// (`?realm=/partenaire` or `?realm=/agent`): form-encoded client credentials and the
/// scopes asked for, among those the application's convention grants.
#[utoipa::path(post, path = "/connexion/oauth2/access_token", tag = "France Travail",
    params(("realm" = String, Query, description = "/partenaire ou /agent")),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenResponse),
        (status = 400, body = OAuthErrorResponse, description = "invalid_request (dont realm absent ou inconnu), unsupported_grant_type, invalid_scope, unauthorized_client"),
        (status = 401, body = OAuthErrorResponse, description = "invalid_client"),
        (status = 408, body = OAuthErrorResponse, description = "invalid_request : requête incomplète dans le délai"),
        (status = 413, body = OAuthErrorResponse, description = "invalid_request : requête trop volumineuse")))]
pub async fn access_token(State(state): State<AppState>, req: Request) -> Result<Response, OAuthError> {
    let realm = form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "realm")
        .map(|(_, v)| v.into_owned());
    match realm.as_deref() {
        Some(r) if ROYAUMES.contains(&r) => delivrer(&state, req).await,
        _ => Err(OAuthError::RequeteInvalide("paramètre realm : /partenaire ou /agent attendu".into())),
    }
}

async fn delivrer(state: &AppState, req: Request) -> Result<Response, OAuthError> {
    let headers = req.headers().clone();
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !media.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(OAuthError::RequeteInvalide("Content-Type application/x-www-form-urlencoded attendu".into()));
    }
    let corps = super::extract::lire_corps(req, state, MAX_FORMULAIRE).await.map_err(|e| match e {
        ApiError::PayloadTooLarge(_) => OAuthError::TropVolumineux,
        ApiError::Timeout => OAuthError::Delai,
        _ => OAuthError::RequeteInvalide("corps de requête illisible".into()),
    })?;
    let form = parametres(&corps)?;
    if form.grant_type != "client_credentials" {
        return Err(OAuthError::TypeNonPrisEnCharge);
    }
    let (id, secret) = credentials(&headers, &form)?;
    let s = state.services();
    let h = s.gardien.courant();
    let now = s.clock.now();
    let client = h.registre.clients.get(&id).filter(|c| c.revoque_le.is_none_or(|r| r > now));
    // Verify even for an unknown client, so timing does not tell which ids exist.
    let stored = client.map(|c| c.secret_hash.as_str()).unwrap_or("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let ok = s.secrets.verify(&id, &secret, stored);
    let client = client
        .filter(|_| ok)
        .ok_or(OAuthError::ClientInvalide("application inconnue, révoquée ou secret incorrect"))?;
    let convention = h
        .registre
        .conventions
        .get(&client.convention_id)
        .filter(|c| c.parties.contains(&client.organisation_id))
        .ok_or(OAuthError::ClientNonAutorise)?;
    let accordables = scopes::accordables(&convention.scopes, &client.scopes, &client.client_id);
    let scope = scopes::accorder(&accordables, form.scope.as_deref())
        .map_err(|e| OAuthError::ScopeInvalide(e.to_string()))?
        .join(" ");
    let mut r = Json(TokenResponse {
        access_token: s.emetteur.emettre_pour(client, &scope, now),
        token_type: "Bearer",
        expires_in: s.emetteur.duree_s,
        scope,
    })
    .into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Public keys that verify the access tokens.
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "authentification", responses((status = 200)))]
pub async fn jwks(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.services().emetteur.jwks())
}
