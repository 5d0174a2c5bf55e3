//! What France Travail's clients read of the person besides the search and the status:
//! `informations-administratives/v1/usager` (identity, NIR, addresses, e-mails, phones)
//! and `donnees-rqth/v1/rqth`, as far as the dossier holds them.

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
use crate::dossier::identite::Civilite;
use crate::habilitation::Appelant;
use crate::habilitation::scopes;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdresseUsager {
    pub code_insee_commune: Option<String>,
    pub code_postal: String,
    pub complement_adresse: Option<String>,
    pub complement_destinataire: Option<String>,
    pub complement_distribution: Option<String>,
    pub libelle_commune: String,
    pub libelle_pays: &'static str,
    pub numero_type_libelle_voie: String,
    /// `QP` in a quartier prioritaire de la politique de la ville, `NQ` otherwise.
    #[serde(rename = "indicateurResidentQPV")]
    pub indicateur_resident_qpv: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailUsager {
    pub adresse_email: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TelephoneUsager {
    pub numero_telephone: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EtatCivil {
    /// `M.` or `Mme`.
    pub civilite: &'static str,
    pub date_naissance: NaiveDate,
    /// The NIR without its key (13 characters); null when the caller may not read it.
    pub nir: Option<String>,
    pub nom: String,
    pub nom_correspondance: String,
    pub prenom: String,
    pub prenom_correspondance: String,
}

/// France Travail's `informations-administratives` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InformationsAdministratives {
    pub numero_france_travail: Option<String>,
    pub adresses: Vec<AdresseUsager>,
    pub emails: Vec<EmailUsager>,
    pub etat_civil: Option<EtatCivil>,
    pub telephones: Vec<TelephoneUsager>,
}

/// The identity and contact details of the person of the `ft-jeton-usager`: each part
/// only where the caller's role and convention make it readable; 204 when none is.
#[utoipa::path(get, path = "/partenaire/informations-administratives/v1/usager", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    responses(
        (status = 200, body = InformationsAdministratives),
        (status = 204, description = "rien de lisible pour l'appelant"),
        (status = 400, description = "R997 (dont en-tête ft-jeton-usager absent ou mal formé)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 jeton d'un autre partenaire ou altéré, scope absent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn informations_administratives(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
) -> Result<Response, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "informations-administratives", scopes::INFORMATIONS_ADMINISTRATIVES_V1).await?;
    let i = usagers::informations_administratives(s, &appelant, Reference::Jeton(&jeton)).await?;
    if i.identite.is_none() && i.contact.is_none() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let contact = i.contact.as_ref();
    let reponse = InformationsAdministratives {
        numero_france_travail: i.identite.as_ref().and_then(|x| x.numero_france_travail.clone()),
        adresses: contact
            .map(|c| AdresseUsager {
                code_insee_commune: None,
                code_postal: c.adresse.code_postal.clone(),
                complement_adresse: c.adresse.ligne2.clone(),
                complement_destinataire: None,
                complement_distribution: None,
                libelle_commune: c.adresse.commune.to_uppercase(),
                libelle_pays: "FRANCE",
                numero_type_libelle_voie: c.adresse.ligne1.clone(),
                indicateur_resident_qpv: if c.qpv { "QP" } else { "NQ" },
            })
            .into_iter()
            .collect(),
        emails: contact
            .and_then(|c| c.courriel.clone())
            .map(|adresse_email| EmailUsager { adresse_email })
            .into_iter()
            .collect(),
        etat_civil: i.identite.as_ref().map(|x| EtatCivil {
            civilite: match x.civilite {
                Civilite::Monsieur => "M.",
                Civilite::Madame => "Mme",
            },
            date_naissance: x.date_naissance,
            nir: i.nir.as_ref().map(|n| n.expose().chars().take(13).collect()),
            nom: x.nom_naissance.clone().unwrap_or_else(|| x.nom.clone()),
            nom_correspondance: x.nom.clone(),
            prenom: x.prenom.clone(),
            prenom_correspondance: x.prenom.clone(),
        }),
        telephones: contact
            .and_then(|c| c.telephone.clone())
            .map(|numero_telephone| TelephoneUsager { numero_telephone })
            .into_iter()
            .collect(),
    };
    Ok(Json(reponse).into_response())
}

/// France Travail's `donnees-rqth` answer: empty strings (not null) and `false` when the
/// person has no RQTH; `9999-12-31` when it has no end.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DonneesRqth {
    pub date_debut_rqth: String,
    pub date_fin_rqth: String,
    pub source: String,
    #[serde(rename = "topValiditeRQTH")]
    pub top_validite_rqth: bool,
}

/// The RQTH of the person of the `ft-jeton-usager`.
#[utoipa::path(get, path = "/partenaire/donnees-rqth/v1/rqth", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    responses(
        (status = 200, body = DonneesRqth),
        (status = 400, description = "R997 (dont en-tête ft-jeton-usager absent ou mal formé)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 jeton d'un autre partenaire ou altéré, scope absent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn rqth(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
) -> Result<Json<DonneesRqth>, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "rqth", scopes::DONNEES_RQTH_V1).await?;
    let r = usagers::rqth(s, &appelant, Reference::Jeton(&jeton)).await?;
    let jour = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(Json(match r.reconnue {
        true => DonneesRqth {
            date_debut_rqth: r.debut.map(jour).unwrap_or_default(),
            date_fin_rqth: r.fin.map(jour).unwrap_or_else(|| "9999-12-31".into()),
            source: r.source.unwrap_or_default(),
            top_validite_rqth: true,
        },
        false => DonneesRqth {
            date_debut_rqth: String::new(),
            date_fin_rqth: String::new(),
            source: String::new(),
            top_validite_rqth: false,
        },
    }))
}
