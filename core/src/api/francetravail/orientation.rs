//! France Travail's `orientationusager/v1`: the orientation of the person read as a list
//! (`lectureOrientation`), and the orientation a département's system decides
//! (`orientation`, 201), on the same section as the seed's dossier.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{JetonUsager, date_heure};
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::{Body, Query};
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::{Origine, Reference, exiger_scope};
use crate::app::orientation::{self, Decision};
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;
use crate::dossier::orientation::{OrganismeOrientation, Orientation, OrigineOrientation, TypeParcours};
use crate::habilitation::Appelant;
use crate::habilitation::scopes;

/// A structure as France Travail names it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StructureOrientation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_aurore: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_safir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle_structure: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionOrientation {
    /// ACCEPTEE: the orientation recorded is decided.
    pub etat_decision: &'static str,
    pub date_decision: NaiveDate,
    pub organisme_decision: Option<&'static str>,
}

/// One orientation, France Travail's field names (snake_case, as its API writes them).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrientationUsager {
    /// PED (emploi direct), PSP (socio-professionnel), PSO (social).
    pub parcours: &'static str,
    /// FT, CD, ML, CE, IND.
    pub organisme: &'static str,
    /// DECIDE: DUDE records decided orientations.
    pub statut: &'static str,
    /// OUVERT.
    pub etat: &'static str,
    pub origine: Option<&'static str>,
    pub structure: Option<StructureOrientation>,
    pub structure_decision: Option<StructureOrientation>,
    pub date_entree_parcours: NaiveDate,
    pub date_sortie_parcours: Option<NaiveDate>,
    pub motif_sortie_parcours: Option<String>,
    pub agent_creation: Option<String>,
    pub agent_derniere_modification: Option<String>,
    /// ISO 8601 date-time.
    pub date_creation: String,
    pub date_modification: String,
    pub decision: DecisionOrientation,
}

fn reponse(o: &Orientation, origine: Option<&Origine>) -> OrientationUsager {
    let structure =
        o.structure.clone().map(|l| StructureOrientation { libelle_structure: Some(l), ..Default::default() });
    let organisme = o.organisme.unwrap_or(OrganismeOrientation::Indetermine);
    let modifie = origine.map(|x| x.maj_le.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string());
    let auteur = origine.and_then(|x| x.auteur.clone());
    OrientationUsager {
        parcours: o.type_parcours.code_france_travail(),
        organisme: organisme.code(),
        statut: "DECIDE",
        etat: "OUVERT",
        origine: o.origine.map(|x| x.code()),
        structure: structure.clone(),
        structure_decision: structure,
        date_entree_parcours: o.date,
        date_sortie_parcours: None,
        motif_sortie_parcours: None,
        agent_creation: auteur.clone(),
        agent_derniere_modification: auteur,
        date_creation: date_heure(o.date),
        date_modification: modifie.unwrap_or_else(|| date_heure(o.date)),
        decision: DecisionOrientation {
            etat_decision: "ACCEPTEE",
            date_decision: o.date,
            organisme_decision: o.organisme.map(|x| x.code()),
        },
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FiltreOrientation {
    /// OUVERT (the only state DUDE records), or absent.
    pub etat_orientation: Option<String>,
}

/// The orientations of the person of the `ft-jeton-usager` (DUDE records one: the
/// current); 204 when none was decided.
#[utoipa::path(get, path = "/partenaire/orientationusager/v1/lectureOrientation", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2"), FiltreOrientation),
    responses(
        (status = 200, body = Vec<OrientationUsager>),
        (status = 204, description = "pas d'orientation"),
        (status = 400, description = "R997", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 jeton d'un autre partenaire ou altéré, scope absent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn lecture(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
    Query(filtre): Query<FiltreOrientation>,
) -> Result<Response, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "orientation", scopes::ORIENTATION_USAGER_V1).await?;
    let etat = filtre.etat_orientation.as_deref().map(str::trim);
    if let Some(e) = etat
        && !matches!(e, "OUVERT" | "EN_ATTENTE" | "BROUILLON" | "CLOTURE")
    {
        return Err(ApiError::invalid("etatOrientation", "etatOrientation : OUVERT, EN_ATTENTE, BROUILLON ou CLOTURE"));
    }
    let l = orientation::lire(s, &appelant, Reference::Jeton(&jeton)).await?;
    let Some(o) = l.valeur else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let origine = l.provenance.as_ref().and_then(|p| p.get(Categorie::Orientation.code()));
    let liste: Vec<OrientationUsager> =
        if etat.is_none_or(|e| e == "OUVERT") { vec![reponse(&o, origine)] } else { Vec::new() };
    Ok(Json(liste).into_response())
}

/// The orientation a département's system decides.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrientationForcee {
    /// PED, PSP or PSO.
    pub parcours: String,
    /// FT, CD, ML, CE (IND: not decided).
    pub organisme: String,
    pub origine: Option<String>,
    #[serde(default)]
    pub structure: Option<StructureOrientation>,
    #[serde(default)]
    pub structure_decision: Option<StructureOrientation>,
}

/// Records the orientation a partner decides for the person of the `ft-jeton-usager`;
/// answers it, as `lectureOrientation` will.
#[utoipa::path(post, path = "/partenaire/orientationusager/v1/orientation", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    request_body = OrientationForcee,
    responses(
        (status = 201, body = OrientationUsager),
        (status = 400, description = "R997, le champ en cause nommé", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 (dont écriture de l'orientation non accordée, scope absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn orienter(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
    Body(req): Body<OrientationForcee>,
) -> Result<Response, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "orientation.ecrire", scopes::ORIENTATION_USAGER_V1).await?;
    let type_parcours = TypeParcours::de_france_travail(req.parcours.trim())
        .ok_or_else(|| ApiError::invalid("parcours", "parcours : PED, PSP ou PSO"))?;
    let organisme = OrganismeOrientation::from_code(req.organisme.trim())
        .ok()
        .filter(|o| *o != OrganismeOrientation::Indetermine)
        .ok_or_else(|| ApiError::invalid("organisme", "organisme : FT, CD, ML ou CE"))?;
    let origine = req
        .origine
        .as_deref()
        .map(|o| {
            OrigineOrientation::from_code(o.trim()).map_err(|e| ApiError::invalid("origine", format!("origine : {e}")))
        })
        .transpose()?;
    let structure = [&req.structure_decision, &req.structure]
        .into_iter()
        .flatten()
        .find_map(|x| x.libelle_structure.clone().or_else(|| x.code_safir.clone()));
    if structure.as_ref().is_some_and(|x| x.chars().count() > 200) {
        return Err(ApiError::invalid(
            "structure_decision.libelle_structure",
            "libelle_structure : 200 caractères au plus",
        ));
    }
    let decision = Decision { type_parcours, organisme, origine, structure };
    let (o, _) = orientation::orienter(s, &appelant, Reference::Jeton(&jeton), decision).await?;
    let origine =
        Origine { source: String::new(), auteur: Some(appelant.agent.identifiant.clone()), maj_le: s.clock.now() };
    Ok((StatusCode::CREATED, Json(reponse(&o, Some(&origine)))).into_response())
}
