//! The access report for the person concerned (RGPD art. 15): the data held, with its
//! provenance, and who accessed it, when and why. For the data protection officer.

use crate::api::extract::Path;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::journaliser;
use crate::api::AppState;
use crate::api::caller::Admin;
use crate::api::extract::Body;
use crate::api::partenaire::usagers::parse_date;
use crate::api::problem::{ApiError, Problem};
use crate::dossier::Nir;
use crate::store::SectionStockee;

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
    Admin(admin): Admin,
    Body(r): Body<RechercheDossier>,
) -> Result<Json<Dossiers>, ApiError> {
    if !admin.dpo() {
        return Err(super::interdit(&state, &admin, "admin.dossier.rechercher".into(), "dossiers".into()).await);
    }
    let nir = Nir::parse(&r.nir).map_err(|e| ApiError::invalid("nir", e.to_string()))?;
    let date = parse_date("dateNaissance", &r.date_naissance)?;
    let dossiers = state.store().find_by_nir(&nir, date).await?;
    for id in &dossiers {
        journaliser(
            &state,
            &admin,
            "admin.dossier.rechercher".into(),
            "droit d'accès".into(),
            Some(*id),
            "nir,identite",
            true,
        )
        .await?;
    }
    Ok(Json(Dossiers { dossiers }))
}

/// One access to the dossier.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Acces {
    pub horodatage: DateTime<Utc>,
    pub organisation: Option<String>,
    pub agent: Option<String>,
    pub convention: Option<String>,
    pub finalite: Option<String>,
    pub action: String,
    pub categories: String,
    pub decision: String,
    pub raison: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RapportAcces {
    pub dossier: Uuid,
    pub etabli_le: DateTime<Utc>,
    /// NIR, first seven characters only.
    pub nir_partiel: String,
    /// The data held, per category, with its provenance.
    pub donnees: Vec<SectionStockee>,
    #[schema(value_type = Object)]
    pub historique_inscription: serde_json::Value,
    pub acces: Vec<Acces>,
}

/// The report, as JSON or CSV (`Accept: text/csv`: the accesses).
#[utoipa::path(get, path = "/admin/v1/dossiers/{id}/rapport-acces", tag = "droits des personnes", params(("id" = Uuid, Path)),
    responses((status = 200, body = RapportAcces), (status = 200, body = String, content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn rapport_acces(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !admin.dpo() {
        return Err(super::interdit(&state, &admin, "admin.rapport-acces".into(), id.to_string()).await);
    }
    let csv = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/csv"));
    let Some(d) = state.store().load_dossier(id).await? else {
        return Err(ApiError::NotFound("dossier inconnu".into()));
    };
    // The report itself reads personal data: journaled first.
    journaliser(
        &state,
        &admin,
        "admin.rapport-acces".into(),
        "droit d'accès (RGPD art. 15)".into(),
        Some(id),
        "toutes",
        true,
    )
    .await?;
    let acces: Vec<Acces> = state
        .store()
        .journal_dossier(id)
        .await?
        .into_iter()
        .map(|c| Acces {
            horodatage: c.entree.horodatage,
            organisation: c.entree.organisation,
            agent: c.entree.agent,
            convention: c.entree.convention,
            finalite: c.entree.finalite,
            action: c.entree.action,
            categories: c.entree.categories,
            decision: c.entree.decision,
            raison: c.entree.raison,
        })
        .collect();
    if csv {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
        let io = |e: csv::Error| ApiError::InvalidInput { field: None, message: e.to_string() };
        w.write_record([
            "horodatage",
            "organisation",
            "agent",
            "convention",
            "finalite",
            "action",
            "categories",
            "decision",
            "raison",
        ])
        .map_err(io)?;
        for a in &acces {
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            w.write_record([
                a.horodatage.to_rfc3339(),
                o(&a.organisation),
                o(&a.agent),
                o(&a.convention),
                o(&a.finalite),
                a.action.clone(),
                a.categories.clone(),
                a.decision.clone(),
                a.raison.clone(),
            ])
            .map_err(io)?;
        }
        let body = w.into_inner().map_err(|e| ApiError::InvalidInput { field: None, message: e.to_string() })?;
        let mut resp = body.into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        return Ok(resp);
    }
    Ok(Json(RapportAcces {
        dossier: id,
        etabli_le: state.clock().now(),
        nir_partiel: d.nir.partial(),
        donnees: state.store().sections(id, None).await?,
        historique_inscription: serde_json::to_value(d.inscription.historique.evenements()).unwrap_or_default(),
        acces,
    })
    .into_response())
}
