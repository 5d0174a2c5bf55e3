//! The extractor that authenticates a call: [`Authenticated<Appelant>`] for the partner API
//! (JWT from `/oauth2/token` + agent headers), [`Authenticated<Administrateur>`] for the
//! admin API (operator token or OpenID Connect).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::AppState;
use super::problem::ApiError;
use crate::habilitation::administrateur::Administrateur;
use crate::habilitation::agent::Role;
use crate::habilitation::authorizer::Motif;
use crate::habilitation::{Appelant, AuthError, EntetesAgent, identifier_agent};

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

/// Marks the routes that never carried agent headers (France Travail's generation 1):
/// a convention whose callers are declared by the application may call them without.
#[derive(Debug, Clone, Copy)]
pub struct SansEntetesAgent;

/// An authenticated caller of type `T`: the partner's call ([`Appelant`]: application,
/// convention and habilitated agent) or an administrator ([`Administrateur`]).
#[derive(Debug, Clone)]
pub struct Authenticated<T>(pub T);

impl FromRequestParts<AppState> for Authenticated<Appelant> {
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
        if let Some(a) = parts.extensions.get::<crate::api::mesure::Attribution>() {
            a.renseigner(&client.convention_id, &client.client_id);
        }
        let convention = r.conventions.get(&client.convention_id).ok_or(AuthError::UnknownClient)?;
        let organisation = r.organisations.get(&client.organisation_id).ok_or(AuthError::UnknownClient)?;
        // Agents' names may carry accents: header values are read as UTF-8, not ASCII only.
        let hd = |name: &str| parts.headers.get(name).and_then(|v| std::str::from_utf8(v.as_bytes()).ok());
        let entetes = EntetesAgent {
            identifiant: hd("pa-identifiant-agent"),
            nom: hd("pa-nom-agent"),
            prenom: hd("pa-prenom-agent"),
        };
        let sans_entetes = parts.extensions.get::<SansEntetesAgent>().is_some();
        let agent = identifier_agent(r, client, convention, entetes, sans_entetes)?;
        let request_id = hd("x-request-id").unwrap_or("").chars().take(64).collect();
        Ok(Authenticated(Appelant {
            mfa: client.mfa_agents(),
            client: client.clone(),
            organisation: organisation.clone(),
            convention: convention.clone(),
            agent,
            request_id,
            scopes: claims.scope.split_ascii_whitespace().map(str::to_string).collect(),
        }))
    }
}

impl FromRequestParts<AppState> for Authenticated<Administrateur> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let s = state.services();
        let token = bearer(parts)?;
        let request_id =
            parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(64).collect();
        if s.admins.is_admin(token) {
            return Ok(Authenticated(Administrateur {
                identifiant: "operateur".into(),
                organisation: None,
                role: Role::Administrateur,
                request_id,
            }));
        }
        let oidc = s.oidc.as_ref().ok_or(AuthError::UnknownToken)?;
        let now = s.clock.now();
        let claims = oidc.verifier(token, now).await.map_err(|_| AuthError::UnknownToken)?;
        let h = s.gardien.courant();
        let r = &h.registre;
        let agent = r.agents.get(&claims.sub).ok_or(AuthError::UnknownAdministrator)?;
        let organisation = r.organisations.get(&agent.organisation_id).ok_or(AuthError::UnknownAdministrator)?;
        let today = s.clock.today();
        if !matches!(agent.role, Role::Administrateur | Role::AuditeurDpo) {
            return Err(ApiError::App(crate::app::AppError::Refus(Motif::RoleNonAutorise)));
        }
        if agent.revoque_au(now) {
            return Err(ApiError::App(crate::app::AppError::Refus(Motif::Revoque)));
        }
        if today < agent.habilitation_debut {
            return Err(ApiError::App(crate::app::AppError::Refus(Motif::HabilitationNonCommencee)));
        }
        if today > agent.habilitation_fin {
            return Err(ApiError::App(crate::app::AppError::Refus(Motif::HabilitationExpiree)));
        }
        // Where a convention of the organisation requires MFA, the token must show it.
        let mfa_requise = r.conventions.values().any(|c| c.mfa_requise && c.parties.contains(&organisation.id));
        if mfa_requise && !claims.mfa() {
            return Err(ApiError::App(crate::app::AppError::Refus(Motif::MfaRequise)));
        }
        Ok(Authenticated(Administrateur {
            identifiant: agent.identifiant.clone(),
            organisation: Some(organisation.clone()),
            role: agent.role,
            request_id,
        }))
    }
}
