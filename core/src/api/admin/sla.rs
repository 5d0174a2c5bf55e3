//! Service levels: the month's report (JSON or CSV), the windows excluded from
//! availability (announced maintenance, partner-side unavailability), and the page a
//! person reads (`/admin/sla`).

use crate::api::extract::Query;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::problem::{ApiError, Problem};
use crate::app::sla::administration as sla;
use crate::habilitation::administrateur::Administrateur;
use crate::sla::rapport::{self, RapportSla};
use crate::store::sla::Fenetre;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RapportQuery {
    /// AAAA-MM.
    pub mois: String,
    /// One convention (its targets, its calls, its partner-side windows); all otherwise.
    pub convention: Option<String>,
}

/// The month's indicators per API against their targets (JSON, or CSV with
/// `Accept: text/csv`).
#[utoipa::path(get, path = "/admin/v1/sla/rapport", tag = "SLA", params(RapportQuery),
    responses((status = 200, body = RapportSla, content_type = "application/json"),
        (status = 200, description = "CSV séparé par ;", body = String, content_type = "text/csv"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn rapport_mensuel(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Query(q): Query<RapportQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csv = super::listes::wants_csv(&headers)?;
    let r = sla::rapport(state.services(), &admin, &q.mois, q.convention.as_deref()).await?;
    if csv {
        let body = rapport::en_csv(&r)
            .map_err(|e| ApiError::App(crate::app::AppError::Invalide { champ: None, message: e.to_string() }))?;
        let nom = format!(
            "attachment; filename=\"sla-{}{}.csv\"",
            r.mois,
            r.convention.as_deref().map(|c| format!("-{c}")).unwrap_or_default()
        );
        Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, nom)], body)
            .into_response())
    } else {
        Ok(Json(r).into_response())
    }
}

/// Records a window excluded from availability: an announced maintenance (operators and
/// France Travail's national administrators), or a partner-side unavailability of one
/// convention (an administrator of a party).
#[utoipa::path(post, path = "/admin/v1/sla/fenetres", tag = "SLA", request_body = Fenetre,
    responses((status = 201, body = Fenetre), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn ajouter_fenetre(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Body(f): crate::api::extract::Body<Fenetre>,
) -> Result<(StatusCode, Json<Fenetre>), ApiError> {
    Ok((StatusCode::CREATED, Json(sla::ajouter_fenetre(state.services(), &admin, f).await?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct IncidentsQuery {
    /// Only the open ones.
    #[serde(default)]
    pub ouverts: bool,
    pub convention: Option<String>,
}

/// Incidents with their deadlines and breaches.
#[utoipa::path(get, path = "/admin/v1/sla/incidents", tag = "SLA", params(IncidentsQuery),
    responses((status = 200, body = Vec<crate::app::sla::gestion::VueIncident>)), security(("bearer" = [])))]
pub async fn incidents(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Query(q): Query<IncidentsQuery>,
) -> Result<Json<Vec<crate::app::sla::gestion::VueIncident>>, ApiError> {
    Ok(Json(sla::incidents(state.services(), &admin, q.ouverts, q.convention.as_deref()).await?))
}

/// An incident found by the operator.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NouvelIncident {
    pub type_incident: crate::sla::regles::incident::TypeIncident,
    #[serde(default)]
    pub api: Option<String>,
    /// The convention concerned; none for the whole platform.
    #[serde(default)]
    pub convention: Option<String>,
    pub resume: String,
    /// When the dysfunction was found (default: now).
    #[serde(default)]
    pub detecte_le: Option<chrono::DateTime<chrono::Utc>>,
}

#[utoipa::path(post, path = "/admin/v1/sla/incidents", tag = "SLA", request_body = NouvelIncident,
    responses((status = 201, body = crate::app::sla::gestion::VueIncident), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn ouvrir_incident(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Body(req): crate::api::extract::Body<NouvelIncident>,
) -> Result<(StatusCode, Json<crate::app::sla::gestion::VueIncident>), ApiError> {
    let i = sla::ouvrir_incident(
        state.services(),
        &admin,
        req.type_incident,
        req.api,
        req.convention,
        &req.resume,
        req.detecte_le,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// A step of an incident's timeline.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Etape {
    pub etape: crate::sla::regles::incident::EtapeIncident,
    /// When (default: now).
    #[serde(default)]
    pub le: Option<chrono::DateTime<chrono::Utc>>,
    /// The partner's reference, for `VALIDE_PAR_PARTENAIRE` recorded on its behalf.
    #[serde(default)]
    pub reference: Option<String>,
}

#[utoipa::path(post, path = "/admin/v1/sla/incidents/{id}/etapes", tag = "SLA", params(("id" = String, Path)), request_body = Etape,
    responses((status = 200, body = crate::app::sla::gestion::VueIncident), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn etape_incident(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Path(id): crate::api::extract::Path<String>,
    crate::api::extract::Body(req): crate::api::extract::Body<Etape>,
) -> Result<Json<crate::app::sla::gestion::VueIncident>, ApiError> {
    Ok(Json(sla::etape_incident(state.services(), &admin, &id, req.etape, req.le, req.reference).await?))
}

/// A data breach to register.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NouvelleViolation {
    pub convention: String,
    pub sens: crate::sla::regles::violation::SensNotification,
    pub fait_generateur: crate::sla::regles::violation::FaitGenerateur,
    pub decouverte_le: chrono::DateTime<chrono::Utc>,
    pub natures: Vec<crate::sla::regles::violation::NatureViolation>,
    #[serde(default)]
    pub categories_donnees: Vec<crate::dossier::Categorie>,
    pub resume: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ViolationsQuery {
    pub convention: Option<String>,
}

/// The data-breach register (seed 002 art. 4, seed 004 art. 7).
#[utoipa::path(get, path = "/admin/v1/sla/violations", tag = "SLA", params(ViolationsQuery),
    responses((status = 200, body = Vec<crate::app::sla::gestion::ViolationEnregistree>)), security(("bearer" = [])))]
pub async fn violations(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Query(q): Query<ViolationsQuery>,
) -> Result<Json<Vec<crate::app::sla::gestion::ViolationEnregistree>>, ApiError> {
    Ok(Json(sla::violations(state.services(), &admin, q.convention.as_deref()).await?))
}

/// Registers a breach: its notification deadline is the convention's (48 h or 36 h).
#[utoipa::path(post, path = "/admin/v1/sla/violations", tag = "SLA", request_body = NouvelleViolation,
    responses((status = 201, body = crate::app::sla::gestion::ViolationEnregistree), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn declarer_violation(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Body(req): crate::api::extract::Body<NouvelleViolation>,
) -> Result<(StatusCode, Json<crate::app::sla::gestion::ViolationEnregistree>), ApiError> {
    let d = sla::Declaration {
        convention: req.convention,
        sens: req.sens,
        fait_generateur: req.fait_generateur,
        decouverte_le: req.decouverte_le,
        natures: req.natures,
        categories_donnees: req.categories_donnees,
        resume: req.resume,
    };
    Ok((StatusCode::CREATED, Json(sla::declarer_violation(state.services(), &admin, d).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Notification {
    #[serde(default)]
    pub le: Option<chrono::DateTime<chrono::Utc>>,
}

/// Records that the breach was notified.
#[utoipa::path(post, path = "/admin/v1/sla/violations/{id}/notification", tag = "SLA", params(("id" = String, Path)), request_body = Notification,
    responses((status = 200, body = crate::app::sla::gestion::ViolationEnregistree), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn notifier_violation(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Path(id): crate::api::extract::Path<String>,
    crate::api::extract::Body(req): crate::api::extract::Body<Notification>,
) -> Result<Json<crate::app::sla::gestion::ViolationEnregistree>, ApiError> {
    Ok(Json(sla::notifier_violation(state.services(), &admin, &id, req.le).await?))
}

/// The change calendar.
#[utoipa::path(get, path = "/admin/v1/sla/changements", tag = "SLA",
    responses((status = 200, body = Vec<crate::app::sla::gestion::ChangementEnregistre>)), security(("bearer" = [])))]
pub async fn changements(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
) -> Result<Json<Vec<crate::app::sla::gestion::ChangementEnregistre>>, ApiError> {
    Ok(Json(sla::changements(state.services()).await?))
}

/// Announces a change: minor ≥ 5 days before production, interface contract with a joint
/// decision, major ≥ 3 months.
#[utoipa::path(post, path = "/admin/v1/sla/changements", tag = "SLA", request_body = crate::sla::regles::changement::Changement,
    responses((status = 201, body = crate::app::sla::gestion::ChangementEnregistre), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn annoncer_changement(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Body(c): crate::api::extract::Body<crate::sla::regles::changement::Changement>,
) -> Result<(StatusCode, Json<crate::app::sla::gestion::ChangementEnregistre>), ApiError> {
    Ok((StatusCode::CREATED, Json(sla::annoncer_changement(state.services(), &admin, c).await?)))
}

/// Every API version served — the seed-named surface and each API of France Travail's
/// live surface — with its status, deprecation and sunset dates.
#[utoipa::path(get, path = "/admin/v1/sla/versions", tag = "SLA",
    responses((status = 200, body = Vec<crate::app::sla::gestion::VersionListee>)), security(("bearer" = [])))]
pub async fn versions(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
) -> Json<Vec<crate::app::sla::gestion::VersionListee>> {
    Json(sla::versions(state.services()))
}

/// Records a version's lifetime (a deprecated version answers with Deprecation/Sunset).
#[utoipa::path(put, path = "/admin/v1/sla/versions/{version}", tag = "SLA", params(("version" = String, Path)),
    request_body = crate::sla::regles::changement::VersionApi,
    responses((status = 200, body = crate::sla::regles::changement::VersionApi), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_version(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    crate::api::extract::Path(version): crate::api::extract::Path<String>,
    crate::api::extract::Body(v): crate::api::extract::Body<crate::sla::regles::changement::VersionApi>,
) -> Result<Json<crate::sla::regles::changement::VersionApi>, ApiError> {
    Ok(Json(sla::enregistrer_version(state.services(), &admin, &version, v).await?))
}

/// The month's report as a page a person reads: indicators against targets, daily
/// availability and latency charts per API, excluded windows, incidents and deadlines.
#[utoipa::path(get, path = "/admin/sla", tag = "SLA", params(RapportQuery),
    responses((status = 200, description = "Page HTML", content_type = "text/html"),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn page(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Query(q): Query<RapportQuery>,
) -> Result<Response, ApiError> {
    let html = sla::page(state.services(), &admin, &q.mois, q.convention.as_deref()).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
