//! The access report for the person concerned (RGPD art. 15): the HTTP side of
//! `app::rapport`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::{Body, Path};
use crate::api::partenaire::usagers::parse_date;
use crate::api::problem::{ApiError, Problem};
use crate::app::rapport::{self, RapportAcces};
use crate::dossier::Nir;
use crate::habilitation::administrateur::Administrateur;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RechercheDossier {
    pub nir: String,
    pub date_naissance: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Dossiers {
    pub dossiers: Vec<Uuid>,
}

/// Finds the internal ids of a person's dossiers (to answer a request of that person).
#[utoipa::path(post, path = "/admin/v1/dossiers/rechercher", tag = "droits des personnes", request_body = RechercheDossier,
    responses((status = 200, body = Dossiers), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn rechercher_dossier(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Body(r): Body<RechercheDossier>,
) -> Result<Json<Dossiers>, ApiError> {
    let nir = Nir::parse(&r.nir).map_err(|e| ApiError::invalid("nir", e.to_string()))?;
    let date = parse_date("dateNaissance", &r.date_naissance)?;
    Ok(Json(Dossiers { dossiers: rapport::rechercher_dossiers(state.services(), &admin, &nir, date).await? }))
}

/// The report, as JSON or CSV (`Accept: text/csv`: the accesses).
#[utoipa::path(get, path = "/admin/v1/dossiers/{id}/rapport-acces", tag = "droits des personnes", params(("id" = Uuid, Path)),
    responses((status = 200, body = RapportAcces), (status = 200, body = String, content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn rapport_acces(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csv = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/csv"));
    let r: RapportAcces = rapport::rapport_acces(state.services(), &admin, id).await?;
    if csv {
        let body = rapport::acces_en_csv(&r.acces)
            .map_err(|e| ApiError::App(crate::app::AppError::Invalide { champ: None, message: e.to_string() }))?;
        let mut resp = body.into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        return Ok(resp);
    }
    Ok(Json(r).into_response())
}
