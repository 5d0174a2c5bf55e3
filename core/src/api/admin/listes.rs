//! Monthly lists for départements (seed 003 §3).

use crate::api::extract::{Path, Query};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::problem::{ApiError, Problem};
use crate::app::listes::{self, Demandeur, ListeMensuelle};
use crate::dossier::codes::Coded;
use crate::dossier::contact::Departement;
use crate::dossier::listes::{Liste, Mois};
use crate::habilitation::administrateur::Administrateur;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListeQuery {
    /// inscrits, radies or cesses.
    pub liste: Option<String>,
}

/// Wants CSV rather than JSON.
pub(crate) fn wants_csv(headers: &HeaderMap) -> Result<bool, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("application/json");
    if accept.contains("text/csv") {
        Ok(true)
    } else if accept.contains("json") || accept.contains("*/*") {
        Ok(false)
    } else {
        Err(ApiError::NotAcceptable("Accept : application/json ou text/csv".into()))
    }
}

/// Monthly list of RSA beneficiaries for a département (seed 003 §3).
#[utoipa::path(get, path = "/admin/v1/departements/{code}/listes-mensuelles/{mois}", tag = "Listes mensuelles",
    params(("code" = String, Path, description = "Code du département"),
           ("mois" = String, Path, description = "Mois AAAA-MM"), ListeQuery),
    responses(
        (status = 200, body = ListeMensuelle, content_type = "application/json"),
        (status = 200, description = "CSV séparé par ;", body = String, content_type = "text/csv"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn liste_mensuelle(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path((code, mois)): Path<(String, String)>,
    Query(q): Query<ListeQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let departement = Departement::parse(&code).map_err(|e| ApiError::invalid("code", e.to_string()))?;
    let mois = Mois::parse(&mois).map_err(|e| ApiError::invalid("mois", e.to_string()))?;
    let liste = q
        .liste
        .as_deref()
        .ok_or_else(|| ApiError::invalid("liste", "liste : paramètre obligatoire (inscrits, radies, cesses)"))?;
    let liste = Liste::from_code(liste).map_err(|e| ApiError::invalid("liste", e.to_string()))?;
    let csv = wants_csv(&headers)?;
    let l =
        listes::liste_mensuelle(state.services(), Demandeur::Administrateur(&admin), &departement, mois, liste).await?;
    if csv {
        let body = listes::to_csv(&l)
            .map_err(|e| ApiError::App(crate::app::AppError::Invalide { champ: None, message: e.to_string() }))?;
        let name = format!("attachment; filename=\"liste-{}-{}-{}.csv\"", l.departement, l.mois, l.liste);
        let mut resp = body.into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        if let Ok(v) = HeaderValue::from_str(&name) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(resp)
    } else {
        Ok(axum::Json(l).into_response())
    }
}
