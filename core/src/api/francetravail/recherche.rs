//! Rechercher usager, both generations: v1 answers an `identifiant` (the caller's
//! `idNational`), v2 a `jetonUsager` for the `ft-jeton-usager` header. HTTP 200 for
//! S001, S002 and S003, with France Travail's messages.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::Body;
use crate::api::partenaire::usagers::parse_date;
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::exiger_scope;
use crate::app::usagers::{self, Critere, Forme, Recherche};
use crate::dossier::Nir;
use crate::habilitation::Appelant;
use crate::habilitation::scopes;

/// A search by NIR and date of birth (both generations).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RechercheParNir {
    /// NIR, 13 characters or 15 with the key.
    pub nir: String,
    /// AAAA-MM-JJ.
    pub date_naissance: String,
}

/// A search by numéro France Travail (v2).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RechercheParNumero {
    /// 11 characters.
    pub numero_france_travail: String,
}

/// The answer of v1.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReponseRechercheV1 {
    /// S001 found, S002 none, S003 several.
    pub code_retour: &'static str,
    /// The person's identifier for this partner (S001 only).
    pub identifiant: Option<String>,
    pub message: &'static str,
    /// `O` certified identity, `N` not; null when nobody is found.
    pub top_identite_certifiee: Option<&'static str>,
}

/// The answer of v2.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReponseRechercheV2 {
    pub code_retour: &'static str,
    pub message: &'static str,
    /// For the `ft-jeton-usager` header of the next calls (S001 only); it expires.
    pub jeton_usager: Option<String>,
    pub top_identite_certifiee: Option<&'static str>,
}

fn certification(c: bool) -> &'static str {
    if c { "O" } else { "N" }
}

async fn chercher(
    state: &AppState,
    appelant: &Appelant,
    scope: &str,
    critere: Critere<'_>,
    forme: Forme,
) -> Result<Recherche, ApiError> {
    exiger_scope(state.services(), appelant, "rechercher-usager", scope).await?;
    Ok(usagers::rechercher(state.services(), appelant, critere, forme).await?)
}

fn nir_et_naissance(req: &RechercheParNir) -> Result<(Nir, chrono::NaiveDate), ApiError> {
    let nir = Nir::parse(&req.nir).map_err(|e| ApiError::invalid("nir", e.to_string()))?;
    Ok((nir, parse_date("dateNaissance", &req.date_naissance)?))
}

/// Generation 1: finds a person by NIR and date of birth; answers an `identifiant`.
#[utoipa::path(post, path = "/partenaire/rechercher-usager/v1/usagers/recherche", tag = "France Travail",
    request_body = RechercheParNir,
    responses(
        (status = 200, description = "S001, S002 ou S003", body = ReponseRechercheV1),
        (status = 400, description = "R997 une erreur de validation s'est produite", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 accès non autorisé (dont scope api_rechercher-usagerv1 absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn v1(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Body(req): Body<RechercheParNir>,
) -> Result<Json<ReponseRechercheV1>, ApiError> {
    let (nir, naissance) = nir_et_naissance(&req)?;
    let r = chercher(
        &state,
        &appelant,
        scopes::RECHERCHER_USAGER_V1,
        Critere::NirEtNaissance(&nir, naissance),
        Forme::IdNational,
    )
    .await?;
    Ok(Json(match r {
        Recherche::Trouve { reference, identite_certifiee } => ReponseRechercheV1 {
            code_retour: "S001",
            identifiant: Some(reference),
            message: "Approchant trouvé",
            top_identite_certifiee: Some(certification(identite_certifiee)),
        },
        Recherche::Aucun => ReponseRechercheV1 {
            code_retour: "S002",
            identifiant: None,
            message: "Aucun approchant trouvé",
            top_identite_certifiee: None,
        },
        Recherche::Plusieurs => ReponseRechercheV1 {
            code_retour: "S003",
            identifiant: None,
            message: "Plusieurs usagers trouvés",
            top_identite_certifiee: None,
        },
    }))
}

fn reponse_v2(r: Recherche) -> ReponseRechercheV2 {
    match r {
        Recherche::Trouve { reference, identite_certifiee } => ReponseRechercheV2 {
            code_retour: "S001",
            message: if identite_certifiee { "Usager trouvé" } else { "Usager trouvé non certifié" },
            jeton_usager: Some(reference),
            top_identite_certifiee: Some(certification(identite_certifiee)),
        },
        Recherche::Aucun => ReponseRechercheV2 {
            code_retour: "S002",
            message: "Aucun usager trouvé",
            jeton_usager: None,
            top_identite_certifiee: None,
        },
        Recherche::Plusieurs => ReponseRechercheV2 {
            code_retour: "S003",
            message: "Plusieurs usagers trouvés",
            jeton_usager: None,
            top_identite_certifiee: None,
        },
    }
}

/// Generation 2: finds a person by NIR and date of birth; answers a `jetonUsager`.
#[utoipa::path(post, path = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", tag = "France Travail",
    request_body = RechercheParNir,
    responses(
        (status = 200, description = "S001, S002 ou S003", body = ReponseRechercheV2),
        (status = 400, description = "R997", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 (dont scope api_rechercher-usagerv2 absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn par_naissance_et_nir(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Body(req): Body<RechercheParNir>,
) -> Result<Json<ReponseRechercheV2>, ApiError> {
    let (nir, naissance) = nir_et_naissance(&req)?;
    let r = chercher(
        &state,
        &appelant,
        scopes::RECHERCHER_USAGER_V2,
        Critere::NirEtNaissance(&nir, naissance),
        Forme::Jeton,
    )
    .await?;
    Ok(Json(reponse_v2(r)))
}

/// Generation 2: finds a person by numéro France Travail; answers a `jetonUsager`.
#[utoipa::path(post, path = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail", tag = "France Travail",
    request_body = RechercheParNumero,
    responses(
        (status = 200, description = "S001, S002 ou S003", body = ReponseRechercheV2),
        (status = 400, description = "R997", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 (dont scope api_rechercher-usagerv2 absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn par_numero(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Body(req): Body<RechercheParNumero>,
) -> Result<Json<ReponseRechercheV2>, ApiError> {
    let n = req.numero_france_travail.trim();
    if !crate::dossier::identite::numero_france_travail_valide(n) {
        return Err(ApiError::invalid(
            "numeroFranceTravail",
            "numeroFranceTravail : 11 chiffres ou lettres majuscules attendus",
        ));
    }
    let r = chercher(&state, &appelant, scopes::RECHERCHER_USAGER_V2, Critere::NumeroFranceTravail(n), Forme::Jeton)
        .await?;
    Ok(Json(reponse_v2(r)))
}
