//! Extractors that authenticate callers: [`Partner`] for the partner API (JWT from
//! `/oauth2/token` + agent headers), [`Admin`] for the admin API.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::AppState;
use super::problem::ApiError;
use crate::habilitation::{AuthError, Caller, agent_from_headers, resoudre_agent};

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

/// An authenticated partner call: application, convention and habilitated agent.
#[derive(Debug, Clone)]
pub struct Partner(pub Caller);

impl FromRequestParts<AppState> for Partner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let s = state.services();
        let now = s.clock.now();
        let claims = s.emetteur.verifier(bearer(parts)?, now).map_err(|_| AuthError::UnknownToken)?;
        let h = s.gardien.courant();
        let r = &h.registre;
        let client = r
            .clients
            .get(&claims.sub)
            .filter(|c| c.revoque_le.is_none_or(|t| t > now))
            .ok_or(AuthError::UnknownClient)?;
        let convention = r.conventions.get(&client.convention_id).ok_or(AuthError::UnknownClient)?;
        let organisation = r.organisations.get(&client.organisation_id).ok_or(AuthError::UnknownClient)?;
        let hd = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let declare = agent_from_headers(hd("pa-identifiant-agent"), hd("pa-nom-agent"), hd("pa-prenom-agent"))?;
        let agent = resoudre_agent(r, client, convention, &declare)?;
        let request_id = hd("x-request-id").unwrap_or("").chars().take(64).collect();
        Ok(Partner(Caller {
            mfa: client.mfa_agents(),
            client: client.clone(),
            organisation: organisation.clone(),
            convention: convention.clone(),
            agent,
            request_id,
        }))
    }
}

/// An authenticated administrator.
#[derive(Debug, Clone)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.services().admins.is_admin(bearer(parts)?) { Ok(Admin) } else { Err(AuthError::UnknownToken.into()) }
    }
}
