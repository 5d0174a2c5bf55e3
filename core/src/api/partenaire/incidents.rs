//! Incidents reported by a partner (seed 002 annex 2 §3 and §5): a report is taken into
//! account within 15 minutes for an availability incident; the partner follows its
//! incidents and validates the return to service, which allows the closing.

use crate::api::extract::Path;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::Gate;
use crate::api::AppState;
use crate::api::caller::Partner;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::habilitation::authorizer::{Decision, Motif};
use crate::sla::gestion::{self, VueIncident};
use crate::sla::regles::incident::{EtapeIncident, OrigineIncident, TypeIncident};

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

async fn tracer(gate: &Gate<'_>) -> Result<(), ApiError> {
    gate.journal(None, &[], Decision { autorise: true, motif: Motif::Autorise }).await
}

/// Reports an incident under the caller's convention.
#[utoipa::path(post, path = "/partenaire/v1/incidents", tag = "Incidents", request_body = Signalement,
    responses((status = 201, body = VueIncident), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn signaler(
    State(state): State<AppState>,
    Partner(caller): Partner,
    Body(req): Body<Signalement>,
) -> Result<(StatusCode, Json<VueIncident>), ApiError> {
    let now = state.clock().now();
    tracer(&Gate::new(&state, &caller, "incident.signaler")).await?;
    let i = gestion::ouvrir_incident(
        state.services(),
        req.type_incident,
        OrigineIncident::Partenaire,
        req.api,
        Some(caller.convention.id.clone()),
        &req.resume,
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(i.vue(now))))
}

/// The incidents of the caller's convention and those of the whole platform.
#[utoipa::path(get, path = "/partenaire/v1/incidents", tag = "Incidents",
    responses((status = 200, body = Vec<VueIncident>)), security(("bearer" = [])))]
pub async fn lister(
    State(state): State<AppState>,
    Partner(caller): Partner,
) -> Result<Json<Vec<VueIncident>>, ApiError> {
    let now = state.clock().now();
    tracer(&Gate::new(&state, &caller, "incident.lister")).await?;
    let v = gestion::incidents(state.services(), false, None)
        .await?
        .into_iter()
        .filter(|i| i.convention.as_deref().is_none_or(|c| c == caller.convention.id))
        .map(|i| i.vue(now))
        .collect();
    Ok(Json(v))
}

/// Validates the return to service of one of the convention's incidents.
#[utoipa::path(post, path = "/partenaire/v1/incidents/{id}/validation", tag = "Incidents",
    params(("id" = String, Path)), request_body = Validation,
    responses((status = 200, body = VueIncident), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn valider(
    State(state): State<AppState>,
    Partner(caller): Partner,
    Path(id): Path<String>,
    Body(req): Body<Validation>,
) -> Result<Json<VueIncident>, ApiError> {
    let now = state.clock().now();
    tracer(&Gate::new(&state, &caller, "incident.valider")).await?;
    let i = gestion::incident(state.services(), &id).await?;
    if i.convention.as_deref() != Some(caller.convention.id.as_str()) {
        return Err(ApiError::NotFound("incident inconnu pour cette convention".into()));
    }
    let i = gestion::etape_incident(
        state.services(),
        &id,
        EtapeIncident::ValideParPartenaire,
        now,
        Some(req.reference),
        now,
    )
    .await?;
    Ok(Json(i.vue(now)))
}
