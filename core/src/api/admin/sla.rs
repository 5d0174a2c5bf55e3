//! Service levels: the month's report (JSON or CSV), the windows excluded from
//! availability (announced maintenance, partner-side unavailability), and the page a
//! person reads (`/admin/sla`).

use crate::api::extract::Query;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{interdit, journaliser};
use crate::api::AppState;
use crate::api::caller::Admin;
use crate::api::problem::{ApiError, Problem};
use crate::habilitation::administrateur::Administrateur;
use crate::sla::rapport::{self, RapportError, RapportSla};
use crate::store::sla::Fenetre;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RapportQuery {
    /// AAAA-MM.
    pub mois: String,
    /// One convention (its targets, its calls, its partner-side windows); all otherwise.
    pub convention: Option<String>,
}

impl From<RapportError> for ApiError {
    fn from(e: RapportError) -> Self {
        match e {
            RapportError::Store(s) => ApiError::from(s),
            RapportError::Convention(_) => ApiError::App(crate::app::Erreur::Inconnu("convention inconnue".into())),
            e @ RapportError::Mois(_) => ApiError::invalid("mois", e.to_string()),
        }
    }
}

/// Who may read: operators and France Travail's national administrators for everything;
/// an administrator of a party for a convention.
async fn autoriser(state: &AppState, admin: &Administrateur, convention: Option<&str>) -> Result<(), ApiError> {
    let ok = match convention {
        None => admin.gere_organisations(),
        Some(id) => {
            let c = super::convention_connue(state, id)?;
            admin.gere_organisations() || c.parties.iter().any(|p| admin.gere(p))
        }
    };
    if ok { Ok(()) } else { Err(interdit(state, admin, "admin.sla".into(), convention.unwrap_or("*").into()).await) }
}

pub(crate) async fn calculer(state: &AppState, q: &RapportQuery) -> Result<RapportSla, ApiError> {
    let conv = match &q.convention {
        Some(id) => Some(super::convention_connue(state, id)?),
        None => None,
    };
    // the minutes still in memory count too
    if let Some(m) = &state.services().mesureur {
        let lot = crate::app::sla::collecte::ecrire_minutes_passees(m, state.store()).await;
        crate::app::sla::collecte::detecter_pics(state.services(), &lot).await;
    }
    Ok(rapport::calculer(state.store(), &q.mois, conv.as_deref(), state.clock().now()).await?)
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
    Admin(admin): Admin,
    Query(q): Query<RapportQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csv = super::listes::wants_csv(&headers)?;
    autoriser(&state, &admin, q.convention.as_deref()).await?;
    let r = calculer(&state, &q).await?;
    if csv {
        let body = rapport::en_csv(&r)
            .map_err(|e| ApiError::App(crate::app::Erreur::Invalide { champ: None, message: e.to_string() }))?;
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
    Admin(admin): Admin,
    crate::api::extract::Body(mut f): crate::api::extract::Body<Fenetre>,
) -> Result<(StatusCode, Json<Fenetre>), ApiError> {
    match f.nature.as_str() {
        "maintenance" => autoriser(&state, &admin, None).await?,
        "partenaire" => {
            let c = f.convention.clone().ok_or_else(|| {
                ApiError::invalid("convention", "convention : obligatoire pour une indisponibilité du partenaire")
            })?;
            autoriser(&state, &admin, Some(&c)).await?
        }
        _ => return Err(ApiError::invalid("nature", "nature : maintenance ou partenaire")),
    }
    if f.fin <= f.debut {
        return Err(ApiError::invalid("fin", "fin : après le début"));
    }
    if let Some(a) = &f.api
        && <crate::sla::api::Api as crate::dossier::codes::Coded>::from_code(a).is_err()
    {
        return Err(ApiError::invalid("api", "api : inconnue (voir GET /admin/v1/sla/rapport)"));
    }
    f.annonce_le = state.clock().now();
    f.id = state.store().sla_ajouter_fenetre(&f).await?;
    journaliser(&state, &admin, format!("admin.sla.fenetre.{}", f.nature), f.id.clone(), None, "sla", true).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// Operators and France Travail's national administrators run service management.
async fn exploitant(state: &AppState, admin: &Administrateur, action: &str) -> Result<(), ApiError> {
    if admin.gere_organisations() { Ok(()) } else { Err(interdit(state, admin, action.into(), "sla".into()).await) }
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
    Admin(admin): Admin,
    Query(q): Query<IncidentsQuery>,
) -> Result<Json<Vec<crate::app::sla::gestion::VueIncident>>, ApiError> {
    autoriser(&state, &admin, q.convention.as_deref()).await?;
    let now = state.clock().now();
    let v = crate::app::sla::gestion::incidents(state.services(), q.ouverts, q.convention.as_deref()).await?;
    Ok(Json(v.into_iter().map(|i| i.vue(now)).collect()))
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
    Admin(admin): Admin,
    crate::api::extract::Body(req): crate::api::extract::Body<NouvelIncident>,
) -> Result<(StatusCode, Json<crate::app::sla::gestion::VueIncident>), ApiError> {
    exploitant(&state, &admin, "admin.sla.incident").await?;
    let now = state.clock().now();
    let detecte = req.detecte_le.unwrap_or(now).min(now);
    let i = crate::app::sla::gestion::ouvrir_incident(
        state.services(),
        req.type_incident,
        crate::sla::regles::incident::OrigineIncident::Operateur,
        req.api,
        req.convention,
        &req.resume,
        detecte,
    )
    .await?;
    journaliser(&state, &admin, "admin.sla.incident.ouvrir".into(), i.id.clone(), None, "sla", true).await?;
    Ok((StatusCode::CREATED, Json(i.vue(now))))
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
    Admin(admin): Admin,
    crate::api::extract::Path(id): crate::api::extract::Path<String>,
    crate::api::extract::Body(req): crate::api::extract::Body<Etape>,
) -> Result<Json<crate::app::sla::gestion::VueIncident>, ApiError> {
    exploitant(&state, &admin, "admin.sla.incident").await?;
    let now = state.clock().now();
    let le = req.le.unwrap_or(now);
    if le > now {
        return Err(ApiError::invalid("le", "le : date future non admise"));
    }
    let i = crate::app::sla::gestion::etape_incident(state.services(), &id, req.etape, le, req.reference, now).await?;
    journaliser(
        &state,
        &admin,
        format!("admin.sla.incident.{}", crate::dossier::codes::Coded::code(req.etape)),
        id,
        None,
        "sla",
        true,
    )
    .await?;
    Ok(Json(i.vue(now)))
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
    Admin(admin): Admin,
    Query(q): Query<ViolationsQuery>,
) -> Result<Json<Vec<crate::app::sla::gestion::ViolationEnregistree>>, ApiError> {
    autoriser(&state, &admin, q.convention.as_deref()).await?;
    Ok(Json(crate::app::sla::gestion::violations(state.services(), q.convention.as_deref()).await?))
}

/// Registers a breach: its notification deadline is the convention's (48 h or 36 h).
#[utoipa::path(post, path = "/admin/v1/sla/violations", tag = "SLA", request_body = NouvelleViolation,
    responses((status = 201, body = crate::app::sla::gestion::ViolationEnregistree), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn declarer_violation(
    State(state): State<AppState>,
    Admin(admin): Admin,
    crate::api::extract::Body(req): crate::api::extract::Body<NouvelleViolation>,
) -> Result<(StatusCode, Json<crate::app::sla::gestion::ViolationEnregistree>), ApiError> {
    autoriser(&state, &admin, Some(&req.convention)).await?;
    let conv = super::convention_connue(&state, &req.convention)?;
    let now = state.clock().now();
    if req.decouverte_le > now {
        return Err(ApiError::invalid("decouverteLe", "decouverteLe : date future non admise"));
    }
    let v = crate::sla::regles::violation::Violation::sous_convention(
        &conv,
        req.sens,
        req.fait_generateur,
        req.decouverte_le,
        req.natures,
        req.categories_donnees,
    )
    .map_err(crate::app::sla::gestion::GestionError::from)?;
    let v = crate::app::sla::gestion::declarer_violation(state.services(), v, &req.resume, now).await?;
    journaliser(&state, &admin, "admin.sla.violation.declarer".into(), v.id.clone(), None, "sla", true).await?;
    Ok((StatusCode::CREATED, Json(v)))
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
    Admin(admin): Admin,
    crate::api::extract::Path(id): crate::api::extract::Path<String>,
    crate::api::extract::Body(req): crate::api::extract::Body<Notification>,
) -> Result<Json<crate::app::sla::gestion::ViolationEnregistree>, ApiError> {
    let now = state.clock().now();
    let v = crate::app::sla::gestion::violation(state.services(), &id).await?;
    autoriser(&state, &admin, Some(&v.violation.convention_id)).await?;
    let v = crate::app::sla::gestion::violation_notifiee(state.services(), &id, req.le.unwrap_or(now).min(now), now)
        .await?;
    journaliser(&state, &admin, "admin.sla.violation.notifiee".into(), id, None, "sla", true).await?;
    Ok(Json(v))
}

/// The change calendar.
#[utoipa::path(get, path = "/admin/v1/sla/changements", tag = "SLA",
    responses((status = 200, body = Vec<crate::app::sla::gestion::ChangementEnregistre>)), security(("bearer" = [])))]
pub async fn changements(
    State(state): State<AppState>,
    Admin(_admin): Admin,
) -> Result<Json<Vec<crate::app::sla::gestion::ChangementEnregistre>>, ApiError> {
    Ok(Json(crate::app::sla::gestion::changements(state.services()).await?))
}

/// Announces a change: minor ≥ 5 days before production, interface contract with a joint
/// decision, major ≥ 3 months.
#[utoipa::path(post, path = "/admin/v1/sla/changements", tag = "SLA", request_body = crate::sla::regles::changement::Changement,
    responses((status = 201, body = crate::app::sla::gestion::ChangementEnregistre), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn annoncer_changement(
    State(state): State<AppState>,
    Admin(admin): Admin,
    crate::api::extract::Body(mut c): crate::api::extract::Body<crate::sla::regles::changement::Changement>,
) -> Result<(StatusCode, Json<crate::app::sla::gestion::ChangementEnregistre>), ApiError> {
    exploitant(&state, &admin, "admin.sla.changement").await?;
    let now = state.clock().now();
    // announced now, whatever the body says
    c.annonce_le = now;
    let c = crate::app::sla::gestion::annoncer_changement(state.services(), c, now).await?;
    journaliser(&state, &admin, "admin.sla.changement.annoncer".into(), c.id.clone(), None, "sla", true).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The API versions in service, with their deprecation and sunset dates.
#[utoipa::path(get, path = "/admin/v1/sla/versions", tag = "SLA",
    responses((status = 200, body = Vec<crate::sla::regles::changement::VersionApi>)), security(("bearer" = [])))]
pub async fn versions(
    State(state): State<AppState>,
    Admin(_admin): Admin,
) -> Json<Vec<crate::sla::regles::changement::VersionApi>> {
    Json(state.services().versions.liste())
}

/// Records a version's lifetime (a deprecated version answers with Deprecation/Sunset).
#[utoipa::path(put, path = "/admin/v1/sla/versions/{version}", tag = "SLA", params(("version" = String, Path)),
    request_body = crate::sla::regles::changement::VersionApi,
    responses((status = 200, body = crate::sla::regles::changement::VersionApi), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_version(
    State(state): State<AppState>,
    Admin(admin): Admin,
    crate::api::extract::Path(version): crate::api::extract::Path<String>,
    crate::api::extract::Body(v): crate::api::extract::Body<crate::sla::regles::changement::VersionApi>,
) -> Result<Json<crate::sla::regles::changement::VersionApi>, ApiError> {
    exploitant(&state, &admin, "admin.sla.version").await?;
    if v.version != version {
        return Err(ApiError::invalid("version", "version : celle du chemin"));
    }
    let now = state.clock().now();
    // n−1 is kept at least 6 months after its successor's production
    for autre in state.services().versions.liste() {
        if autre.mise_en_production > v.mise_en_production
            && let Err(e) = v.verifier_fin_de_vie(autre.mise_en_production)
        {
            return Err(crate::app::sla::gestion::GestionError::from(e).into());
        }
    }
    let v = crate::app::sla::gestion::enregistrer_version(state.services(), v, now).await?;
    state.services().versions.recharger(state.services()).await?;
    journaliser(&state, &admin, "admin.sla.version".into(), version, None, "sla", true).await?;
    Ok(Json(v))
}

/// The month's report as a page a person reads: indicators against targets, daily
/// availability and latency charts per API, excluded windows, incidents and deadlines.
#[utoipa::path(get, path = "/admin/sla", tag = "SLA", params(RapportQuery),
    responses((status = 200, description = "Page HTML", content_type = "text/html"),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Query(q): Query<RapportQuery>,
) -> Result<Response, ApiError> {
    use crate::dossier::codes::Coded;
    autoriser(&state, &admin, q.convention.as_deref()).await?;
    let r = calculer(&state, &q).await?;
    let now = state.clock().now();
    let libelle_api =
        |a: &str| <crate::sla::api::Api as Coded>::from_code(a).map(|x| x.libelle().to_string()).unwrap_or(a.into());
    let incidents: Vec<crate::sla::page::LigneIncident> =
        crate::app::sla::gestion::incidents(state.services(), false, q.convention.as_deref())
            .await?
            .into_iter()
            .filter(|i| {
                let d = i.incident.detecte_le();
                (d < r.fin && i.incident.clos_le().is_none_or(|c| c >= r.debut)) || !i.incident.est_clos()
            })
            .map(|i| {
                let depasses: Vec<_> = i.incident.depassements(now).into_iter().map(|d| d.etape).collect();
                crate::sla::page::LigneIncident {
                    id: i.id.clone(),
                    type_incident: i.incident.type_incident().libelle().to_string(),
                    origine: i.incident.origine().libelle().to_string(),
                    api: i.api.as_deref().map(libelle_api),
                    convention: i.convention.clone(),
                    etat: i.incident.etape_courante().libelle().to_string(),
                    detecte_le: i.incident.detecte_le(),
                    echeances: i
                        .incident
                        .echeances()
                        .liste()
                        .into_iter()
                        .map(|e| {
                            (
                                e.etape.libelle().to_string(),
                                e.echeance,
                                i.incident.date_etape(e.etape),
                                depasses.contains(&e.etape),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
    let html = crate::sla::page::rendre(&r, &incidents, now);
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
