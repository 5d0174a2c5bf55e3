//! Statut usager as France Travail's contrat-usager v2 answers it: `{"m_contrat": {…}}`,
//! every `m_` field present (null when unknown), computed from the dated history like the
//! seed-named `/partenaire/v1/usagers/{id}/statut`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;

use super::JetonUsager;
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::{Reference, exiger_scope};
use crate::app::usagers;
use crate::dossier::codes::Coded;
use crate::dossier::inscription::StatutDe;
use crate::habilitation::Appelant;
use crate::habilitation::scopes;

/// The status of a person, France Travail's field names.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Contrat {
    /// Identifié, Inscrit, Cessé, Radié.
    pub m_statut: &'static str,
    pub m_date_effet_statut: Option<NaiveDate>,
    /// Months registered within the last 12 months (12: the whole year).
    pub m_duree_inscription_12: u32,
    pub m_duree_inscription_24: u32,
    pub m_duree_inscription_36: u32,
    pub m_motif_inscription_code: Option<&'static str>,
    pub m_motif_inscription_lib: Option<&'static str>,
    pub m_categ_inscription_code: Option<&'static str>,
    pub m_categ_inscription_lib: Option<&'static str>,
    pub m_situation_reg_emp_code: Option<&'static str>,
    pub m_situation_reg_emp_lib: Option<&'static str>,
    pub m_motif_cloture_code: Option<&'static str>,
    pub m_motif_cloture_lib: Option<&'static str>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReponseContrat {
    pub m_contrat: Contrat,
}

fn paire<T: Coded>(v: Option<T>) -> (Option<&'static str>, Option<&'static str>) {
    (v.map(T::code), v.map(T::libelle))
}

/// The registration status of the person of the `ft-jeton-usager`; 204 when the person
/// was never registered (nothing to say).
#[utoipa::path(get, path = "/partenaire/contrat-usager/v2/contrat", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    responses(
        (status = 200, body = ReponseContrat),
        (status = 204, description = "jamais inscrit : rien à dire"),
        (status = 400, description = "R997 (dont en-tête ft-jeton-usager absent ou mal formé)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 jeton d'un autre partenaire ou altéré, scope absent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn contrat(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
) -> Result<Response, ApiError> {
    exiger_scope(state.services(), &appelant, "statut", scopes::CONTRAT_USAGER_V2).await?;
    let l = usagers::statut(state.services(), &appelant, Reference::Jeton(&jeton), false).await?;
    let s = l.valeur;
    if s.courant.statut == StatutDe::Identifie {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let ouverture = s.courant.ouverture.as_ref();
    let (mi_c, mi_l) = paire(ouverture.and_then(|e| e.motif_inscription));
    let (ca_c, ca_l) = paire(ouverture.and_then(|e| e.categorie));
    let (si_c, si_l) = paire(ouverture.and_then(|e| e.situation));
    let (mc_c, mc_l) = paire(s.courant.cloture.as_ref().and_then(|e| e.motif_cloture));
    let [m12, m24, m36] = s.mois_inscrits;
    Ok(Json(ReponseContrat {
        m_contrat: Contrat {
            m_statut: s.courant.statut.code(),
            m_date_effet_statut: s.courant.date_effet,
            m_duree_inscription_12: m12,
            m_duree_inscription_24: m24,
            m_duree_inscription_36: m36,
            m_motif_inscription_code: mi_c,
            m_motif_inscription_lib: mi_l,
            m_categ_inscription_code: ca_c,
            m_categ_inscription_lib: ca_l,
            m_situation_reg_emp_code: si_c,
            m_situation_reg_emp_lib: si_l,
            m_motif_cloture_code: mc_c,
            m_motif_cloture_lib: mc_l,
        },
    })
    .into_response())
}
