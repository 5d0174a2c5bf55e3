//! API Recherche usager and API Statut usager.

use crate::api::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::Reference;
use crate::app::usagers::{self, Recherche};
use crate::dossier::Nir;
use crate::dossier::codes::Coded;
use crate::habilitation::Appelant;

use super::{AvecProvenance, ProvenanceQuery, repondre};

/// Search input.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RechercheUsager {
    /// NIR complet (13 ou 15 caractères).
    pub nir: String,
    /// Date de naissance, AAAA-MM-JJ.
    pub date_naissance: String,
}

/// Search output.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RechercheUsagerReponse {
    /// S001 trouvé, S002 aucun, S003 plusieurs.
    pub code_retour: &'static str,
    /// Only for RXXX codes.
    pub message: Option<String>,
    /// Identifiant national chiffré, for this partner.
    pub id_national: Option<String>,
    /// "Oui" or "Non".
    pub top_identite_certifiee: Option<&'static str>,
}

pub(crate) fn parse_date(field: &str, s: &str) -> Result<NaiveDate, ApiError> {
    if s.len() != 10 {
        return Err(ApiError::invalid(field, format!("{field} : date au format AAAA-MM-JJ attendue")));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, format!("{field} : date au format AAAA-MM-JJ attendue")))
}

/// Finds a person by NIR and date of birth; returns an `idNational` for the appelant.
#[utoipa::path(post, path = "/partenaire/v1/rechercher-usager", tag = "API Recherche usager",
    request_body = RechercheUsager,
    responses(
        (status = 200, description = "S001, S002 ou S003", body = RechercheUsagerReponse),
        (status = 400, description = "R997 données invalides", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 non autorisé", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "R999 indisponible", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn rechercher_usager(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Body(req): Body<RechercheUsager>,
) -> Result<Json<RechercheUsagerReponse>, ApiError> {
    let nir = Nir::parse(&req.nir).map_err(|e| ApiError::invalid("nir", e.to_string()))?;
    let date = parse_date("dateNaissance", &req.date_naissance)?;
    let r = usagers::rechercher(
        state.services(),
        &appelant,
        usagers::Critere::NirEtNaissance(&nir, date),
        usagers::Forme::IdNational,
    )
    .await?;
    let (code_retour, id_national, certifiee) = match r {
        Recherche::Trouve { reference, identite_certifiee } => ("S001", Some(reference), Some(identite_certifiee)),
        Recherche::Aucun => ("S002", None, None),
        Recherche::Plusieurs => ("S003", None, None),
    };
    Ok(Json(RechercheUsagerReponse {
        code_retour,
        message: None,
        id_national,
        top_identite_certifiee: certifiee.map(|c| if c { "Oui" } else { "Non" }),
    }))
}

/// Every field of "Statut usager".
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatutUsager {
    #[serde(rename = "idNat")]
    pub id_nat: String,
    /// Identifié, Inscrit, Cessé, Radié.
    #[serde(rename = "statutDE")]
    pub statut_de: &'static str,
    #[serde(rename = "dateEffetStatut")]
    pub date_effet_statut: Option<NaiveDate>,
    #[serde(rename = "dateInscription12")]
    pub date_inscription12: Option<NaiveDate>,
    #[serde(rename = "dateInscription24")]
    pub date_inscription24: Option<NaiveDate>,
    #[serde(rename = "dateInscription36")]
    pub date_inscription36: Option<NaiveDate>,
    #[serde(rename = "motifInscriptionCode")]
    pub motif_inscription_code: Option<&'static str>,
    #[serde(rename = "motifInscriptionLib")]
    pub motif_inscription_lib: Option<&'static str>,
    #[serde(rename = "categInscriptionCode")]
    pub categ_inscription_code: Option<&'static str>,
    #[serde(rename = "categInscriptionLib")]
    pub categ_inscription_lib: Option<&'static str>,
    #[serde(rename = "situationRegEmpCode")]
    pub situation_reg_emp_code: Option<&'static str>,
    #[serde(rename = "situationRegEmpLib")]
    pub situation_reg_emp_lib: Option<&'static str>,
    #[serde(rename = "motifClotureCode")]
    pub motif_cloture_code: Option<&'static str>,
    #[serde(rename = "motifClotureLib")]
    pub motif_cloture_lib: Option<&'static str>,
    #[serde(rename = "messageErreur")]
    pub message_erreur: Option<String>,
}

fn pair<T: Coded>(v: Option<T>) -> (Option<&'static str>, Option<&'static str>) {
    (v.map(T::code), v.map(T::libelle))
}

/// Registration status, dates and reasons, computed from the dated history.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/statut", tag = "API Statut usager",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses(
        (status = 200, body = StatutUsager),
        (status = 400, description = "R997 idNational invalide", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "S002", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn statut_usager(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<StatutUsager>>, ApiError> {
    let l = usagers::statut(state.services(), &appelant, Reference::IdNational(&id_national), pq.provenance).await?;
    Ok(repondre(l, |s| {
        let ouv = s.courant.ouverture.as_ref();
        let (mi_c, mi_l) = pair(ouv.and_then(|e| e.motif_inscription));
        let (ca_c, ca_l) = pair(ouv.and_then(|e| e.categorie));
        let (si_c, si_l) = pair(ouv.and_then(|e| e.situation));
        let (mc_c, mc_l) = pair(s.courant.cloture.as_ref().and_then(|e| e.motif_cloture));
        StatutUsager {
            id_nat: id_national.clone(),
            statut_de: s.courant.statut.code(),
            date_effet_statut: s.courant.date_effet,
            date_inscription12: s.date_inscription_12,
            date_inscription24: s.date_inscription_24,
            date_inscription36: s.date_inscription_36,
            motif_inscription_code: mi_c,
            motif_inscription_lib: mi_l,
            categ_inscription_code: ca_c,
            categ_inscription_lib: ca_l,
            situation_reg_emp_code: si_c,
            situation_reg_emp_lib: si_l,
            motif_cloture_code: mc_c,
            motif_cloture_lib: mc_l,
            message_erreur: None,
        }
    }))
}
