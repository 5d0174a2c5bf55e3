//! Incidents reported by a partner (seed 002 annex 2 §3 and §5): a report is taken into
//! account within 15 minutes for an availability incident; the partner follows its
//! incidents and validates the return to service, which allows the closing.

use crate::api::extract::Path;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::app::sla::gestion::VueIncident;
use crate::app::sla::partenaires;
use crate::habilitation::Appelant;
use crate::sla::regles::incident::TypeIncident;

/// A report.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Signalement {
    pub type_incident: TypeIncident,
    /// The API concerned (`recherche-usager`, `statut-usager`, `diagnostic-individu`,
    /// `metiers-projets`, `creation-entreprise`, `accompagnement-global`), if one.
    #[serde(default)]
    pub api: Option<String>,
    /// What happens, as the partner's pre-diagnosis found it (no personal data).
    pub resume: String,
}

/// The partner's validation of the return to service.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Validation {
    /// The partner's reference (ticket, message).
    pub reference: String,
}

/// Reports an incident under the caller's convention.
#[utoipa::path(post, path = "/partenaire/v1/incidents", tag = "Incidents", request_body = Signalement,
    responses((status = 201, body = VueIncident), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn signaler(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Body(req): Body<Signalement>,
) -> Result<(StatusCode, Json<VueIncident>), ApiError> {
    let i = partenaires::signaler(state.services(), &appelant, req.type_incident, req.api, &req.resume).await?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// The incidents of the caller's convention and those of the whole platform.
#[utoipa::path(get, path = "/partenaire/v1/incidents", tag = "Incidents",
    responses((status = 200, body = Vec<VueIncident>)), security(("bearer" = [])))]
pub async fn lister(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
) -> Result<Json<Vec<VueIncident>>, ApiError> {
    Ok(Json(partenaires::lister(state.services(), &appelant).await?))
}

/// Validates the return to service of one of the convention's incidents.
#[utoipa::path(post, path = "/partenaire/v1/incidents/{id}/validation", tag = "Incidents",
    params(("id" = String, Path)), request_body = Validation,
    responses((status = 200, body = VueIncident), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn valider(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id): Path<String>,
    Body(req): Body<Validation>,
) -> Result<Json<VueIncident>, ApiError> {
    Ok(Json(partenaires::valider(state.services(), &appelant, &id, req.reference).await?))
}
