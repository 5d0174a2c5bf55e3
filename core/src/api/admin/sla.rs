//! Service levels: the month's report (JSON or CSV), the windows excluded from
//! availability (announced maintenance, partner-side unavailability), and the page a
//! person reads (`/admin/sla`).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{interdit, journaliser};
use crate::api::AppState;
use crate::api::caller::{Admin, Administrateur};
use crate::api::problem::{ApiError, Problem};
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
            RapportError::Store(s) => ApiError::Store(s),
            RapportError::Convention(c) => ApiError::NotFound(format!("convention {c} inconnue")),
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
            let c = state.services().gardien.courant().registre.conventions.get(id).cloned();
            let c = c.ok_or_else(|| ApiError::NotFound(format!("convention {id} inconnue")))?;
            admin.gere_organisations() || c.parties.iter().any(|p| admin.gere(p))
        }
    };
    if ok { Ok(()) } else { Err(interdit(state, admin, "admin.sla".into(), convention.unwrap_or("*").into()).await) }
}

pub(crate) async fn calculer(state: &AppState, q: &RapportQuery) -> Result<RapportSla, ApiError> {
    let conv = match &q.convention {
        Some(id) => Some(
            state
                .services()
                .gardien
                .courant()
                .registre
                .conventions
                .get(id)
                .cloned()
                .ok_or_else(|| ApiError::NotFound(format!("convention {id} inconnue")))?,
        ),
        None => None,
    };
    // the minutes still in memory count too
    if let Some(m) = &state.services().mesureur {
        crate::sla::collecte::ecrire_minutes_passees(m, state.store()).await;
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
        let body = rapport::en_csv(&r).map_err(|e| ApiError::InvalidInput { field: None, message: e.to_string() })?;
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
    crate::api::json::Body(mut f): crate::api::json::Body<Fenetre>,
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
        return Err(ApiError::invalid("api", format!("api : « {} » inconnue", a.chars().take(32).collect::<String>())));
    }
    f.annonce_le = state.clock().now();
    f.id = state.store().sla_ajouter_fenetre(&f).await?;
    journaliser(&state, &admin, format!("admin.sla.fenetre.{}", f.nature), f.id.clone(), None, "sla", true).await?;
    Ok((StatusCode::CREATED, Json(f)))
}
