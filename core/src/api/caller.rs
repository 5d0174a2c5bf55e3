//! Extractors that authenticate callers: [`Partner`] for the partner API, [`Admin`] for
//! the admin API.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::AppState;
use super::problem::ApiError;
use crate::habilitation::{AuthError, Caller, agent_from_headers};

fn bearer(parts: &Parts) -> Result<&str, AuthError> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::MissingToken)
}

/// An authenticated partner call: application, convention and agent.
#[derive(Debug, Clone)]
pub struct Partner(pub Caller);

impl FromRequestParts<AppState> for Partner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let client = state.tokens().partner(bearer(parts)?)?.clone();
        let h = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let agent = agent_from_headers(h("pa-identifiant-agent"), h("pa-nom-agent"), h("pa-prenom-agent"))?;
        Ok(Partner(Caller { client, agent }))
    }
}

/// An authenticated administrator.
#[derive(Debug, Clone)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.tokens().is_admin(bearer(parts)?) { Ok(Admin) } else { Err(AuthError::UnknownToken.into()) }
    }
}
