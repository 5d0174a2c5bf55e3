//! API Recherche usager and API Statut usager.

use crate::api::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::AppState;
use crate::api::caller::Partner;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::dossier::Categorie;
use crate::dossier::Nir;
use crate::dossier::codes::Coded;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::habilitation::convention::Action;
use crate::service::usagers;

use super::{AvecProvenance, Gate, ProvenanceQuery, avec_provenance};

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

/// Finds a person by NIR and date of birth; returns an `idNational` for the caller.
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
    Partner(caller): Partner,
    Body(req): Body<RechercheUsager>,
) -> Result<Json<RechercheUsagerReponse>, ApiError> {
    let nir = Nir::parse(&req.nir).map_err(|e| ApiError::invalid("nir", e.to_string()))?;
    let date = parse_date("dateNaissance", &req.date_naissance)?;
    let gate = Gate::new(&state, &caller, "rechercher-usager");
    let asked = [(Categorie::Nir, Action::Lire), (Categorie::Identite, Action::Lire)];
    gate.sans_personne(&asked).await?;
    let today = state.clock().today();
    // Found: registered or closed less than three years ago, and within the perimeter
    // (others are answered as unknown, so nothing leaks outside it).
    let mut found = Vec::new();
    for id in state.store().find_by_nir(&nir, date).await? {
        if let Some(p) = gate.personne(id).await?
            && p.historique.recherchable_au(today)
            && gate.dans_perimetre(&p, Categorie::Identite)?
        {
            found.push(id);
        }
    }
    let cats = [Categorie::Nir, Categorie::Identite];
    let ok = Decision { autorise: true, motif: Motif::Autorise };
    let reponse = match found.as_slice() {
        [id] => {
            gate.journal(Some(*id), &cats, ok).await?;
            let certifiee = usagers::identite_certifiee(state.store(), *id).await?;
            RechercheUsagerReponse {
                code_retour: "S001",
                message: None,
                id_national: Some(state.ids().encode(caller.partenaire(), *id)),
                top_identite_certifiee: Some(if certifiee { "Oui" } else { "Non" }),
            }
        }
        list => {
            gate.journal(None, &cats, ok).await?;
            RechercheUsagerReponse {
                code_retour: if list.is_empty() { "S002" } else { "S003" },
                message: None,
                id_national: None,
                top_identite_certifiee: None,
            }
        }
    };
    Ok(Json(reponse))
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
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<StatutUsager>>, ApiError> {
    let gate = Gate::new(&state, &caller, "statut");
    let acces = gate.acceder(&id_national, &[(Categorie::Inscription, Action::Lire)], false).await?;
    let s = usagers::statut(&acces.personne.historique, state.clock().today());
    let ouv = s.courant.ouverture.as_ref();
    let (mi_c, mi_l) = pair(ouv.and_then(|e| e.motif_inscription));
    let (ca_c, ca_l) = pair(ouv.and_then(|e| e.categorie));
    let (si_c, si_l) = pair(ouv.and_then(|e| e.situation));
    let (mc_c, mc_l) = pair(s.courant.cloture.as_ref().and_then(|e| e.motif_cloture));
    let reponse = StatutUsager {
        id_nat: id_national,
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
    };
    avec_provenance(&state, &pq, &acces, reponse).await
}
