//! API Diagnostic individu: besoins, diagnostics (read, write), contraintes (read,
//! write), dossier, pouvoir d'agir. Writes take enumerated values only: free text is
//! refused with R997 naming the field.

use crate::api::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AvecProvenance, ProvenanceQuery, repondre};
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::app::AppError;
use crate::app::acces::Reference;
use crate::app::diagnostic;
use crate::app::error::Refus;
use crate::dossier::codes::Coded;
use crate::dossier::contraintes::{ContrainteSaisie, Contraintes, RefusContraintes, ValeurContrainte, par_thematique};
use crate::dossier::diagnostic::{
    Conseiller, Diagnostic, ModificationDiagnostic, RefusDiagnostic, StatutDiagnostic, TypologieDiagnostic,
};
use crate::habilitation::Appelant;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CodeLibelleValeur {
    pub code: &'static str,
    pub libelle: &'static str,
    pub valeur: &'static str,
}

/// A coded value with its label and the value recorded (both surfaces).
pub(crate) fn clv<C: Coded, V: Coded>(c: C, v: V) -> CodeLibelleValeur {
    CodeLibelleValeur { code: c.code(), libelle: c.libelle(), valeur: v.code() }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsDiagnosticDto {
    /// Identifiant chiffré du métier rattaché au diagnostic.
    pub id_metier: String,
    pub besoins: Vec<CodeLibelleValeur>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsReponse {
    pub besoins_par_diagnostic: Vec<BesoinsDiagnosticDto>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConseillerDto {
    pub nom: String,
    pub prenom: String,
    pub structure: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticDto {
    pub date_mise_a_jour: NaiveDate,
    pub conseiller: ConseillerDto,
    pub est_prioritaire: bool,
    pub id_metier_chiffre: String,
    pub nom_metier: String,
    pub statut: StatutDiagnostic,
    pub typologie: TypologieDiagnostic,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticsReponse {
    pub liste_diagnostics: Vec<DiagnosticDto>,
}

/// One diagnostic to update, identified by its `idMetierChiffre`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiagnosticModification {
    pub id_metier_chiffre: String,
    /// Must be the métier of the diagnostic (no free text).
    #[serde(default)]
    pub nom_metier: Option<String>,
    pub typologie: TypologieDiagnostic,
    #[serde(default)]
    pub statut: Option<StatutDiagnostic>,
    #[serde(default)]
    pub est_prioritaire: Option<bool>,
    /// Must be the calling agent and its organisation (no free text).
    #[serde(default)]
    pub conseiller: Option<ConseillerDto>,
}

/// Body of the diagnostic update: a list of exactly one element.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticsEnregistrement {
    pub diagnostic: Vec<DiagnosticModification>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccuseEnregistrement {
    pub code_retour: &'static str,
    pub message: &'static str,
}

pub(super) const ENREGISTRE: AccuseEnregistrement =
    AccuseEnregistrement { code_retour: "S000", message: "L'enregistrement des données s'est bien déroulé" };

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContrainteDto {
    pub id: &'static str,
    pub nom: &'static str,
    pub valeur: ValeurContrainte,
    pub date: NaiveDate,
    pub objectifs: Vec<CodeLibelleValeur>,
    pub situations: Vec<CodeLibelleValeur>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThematiqueDto {
    pub code: &'static str,
    pub libelle: &'static str,
    pub conseiller: Option<String>,
    pub date_de_modification: Option<NaiveDate>,
    pub contraintes: Vec<ContrainteDto>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContraintesReponse {
    pub contraintes_individus: Vec<ThematiqueDto>,
}

/// Body of the constraints update.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContraintesEnregistrement {
    /// AAAA-MM-JJ.
    pub date_exploration: String,
    /// Must be the calling agent (`pa-identifiant-agent`).
    pub id_conseiller: String,
    pub contraintes: Vec<ContrainteSaisie>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsParDiagnosticIndividuDto {
    pub besoins: Vec<CodeLibelleValeur>,
    pub date_mise_a_jour: Option<NaiveDate>,
    pub est_prioritaire: Option<bool>,
    pub id_metier: String,
    pub nom_metier: Option<String>,
    pub statut: Option<StatutDiagnostic>,
    pub typologie: Option<TypologieDiagnostic>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DossierIndividu {
    /// Absent when the caller may not read the diagnostic category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub besoins_par_diagnostic_individu_dtos: Option<Vec<BesoinsParDiagnosticIndividuDto>>,
    /// Absent when the caller may not read the contraintes category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contraintes_individus_dto: Option<Vec<ThematiqueDto>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DossierReponse {
    pub dossier_individu: DossierIndividu,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PouvoirAgirDto {
    pub confiance: &'static str,
    pub accompagnement: &'static str,
    pub resultat_analyse: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PouvoirAgirReponse {
    pub pouvoir_agir: Option<PouvoirAgirDto>,
}

fn besoins_dto(appelant: &Appelant, state: &AppState, d: &Diagnostic) -> Vec<BesoinsDiagnosticDto> {
    d.besoins_par_diagnostic
        .iter()
        .map(|b| BesoinsDiagnosticDto {
            id_metier: state.ids().encode_metier(appelant.partenaire(), &b.id_metier),
            besoins: b.besoins.iter().map(|x| clv(x.code, x.valeur)).collect(),
        })
        .collect()
}

fn thematiques_dto(c: &Contraintes) -> Vec<ThematiqueDto> {
    par_thematique(c)
        .into_iter()
        .map(|((code, libelle), list)| ThematiqueDto {
            code,
            libelle,
            conseiller: c.conseiller.clone(),
            date_de_modification: c.date_de_modification,
            contraintes: list
                .into_iter()
                .map(|x| ContrainteDto {
                    id: x.code.code(),
                    nom: x.code.libelle(),
                    valeur: x.valeur,
                    date: x.date,
                    objectifs: x.objectifs.iter().map(|o| clv(o.code, o.valeur)).collect(),
                    situations: x.situations.iter().map(|s| clv(s.code, s.valeur)).collect(),
                })
                .collect(),
        })
        .collect()
}

/// Needs per diagnostic.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/diagnostic/besoins", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = BesoinsReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn besoins(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<BesoinsReponse>>, ApiError> {
    let l = diagnostic::diagnostic(
        state.services(),
        &appelant,
        Reference::IdNational(&id_national),
        "diagnostic.besoins",
        pq.provenance,
    )
    .await?;
    Ok(repondre(l, |d| BesoinsReponse { besoins_par_diagnostic: besoins_dto(&appelant, &state, &d) }))
}

/// Diagnostics of the person.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/diagnostic/diagnostics", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = DiagnosticsReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn diagnostics(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<DiagnosticsReponse>>, ApiError> {
    let l = diagnostic::diagnostic(
        state.services(),
        &appelant,
        Reference::IdNational(&id_national),
        "diagnostic.diagnostics",
        pq.provenance,
    )
    .await?;
    Ok(repondre(l, |d| DiagnosticsReponse {
        liste_diagnostics: d
            .diagnostics
            .iter()
            .map(|x| DiagnosticDto {
                date_mise_a_jour: x.date_mise_a_jour,
                conseiller: ConseillerDto {
                    nom: x.conseiller.nom.clone(),
                    prenom: x.conseiller.prenom.clone(),
                    structure: x.conseiller.structure.clone(),
                },
                est_prioritaire: x.est_prioritaire,
                id_metier_chiffre: state.ids().encode_metier(appelant.partenaire(), &x.id_metier),
                nom_metier: x.nom_metier.clone(),
                statut: x.statut,
                typologie: x.typologie,
            })
            .collect(),
    }))
}

/// Updates one diagnostic, identified by its `idMetierChiffre`.
#[utoipa::path(put, path = "/partenaire/v1/usagers/{id_national}/diagnostic/diagnostics", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré")),
    request_body = DiagnosticsEnregistrement,
    responses((status = 200, body = AccuseEnregistrement),
        (status = 400, description = "R997, the field is named", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_diagnostic(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Body(req): Body<DiagnosticsEnregistrement>,
) -> Result<Json<AccuseEnregistrement>, ApiError> {
    let [m] = req.diagnostic.as_slice() else {
        return Err(ApiError::invalid("diagnostic", "diagnostic : une liste d'un seul élément est attendue"));
    };
    let modification = ModificationDiagnostic {
        nom_metier: m.nom_metier.clone(),
        typologie: m.typologie,
        statut: m.statut,
        est_prioritaire: m.est_prioritaire,
        conseiller: m.conseiller.as_ref().map(|c| Conseiller {
            nom: c.nom.clone(),
            prenom: c.prenom.clone(),
            structure: c.structure.clone(),
        }),
    };
    diagnostic::modifier_diagnostic(
        state.services(),
        &appelant,
        Reference::IdNational(&id_national),
        &m.id_metier_chiffre,
        &modification,
    )
    .await
    .map_err(|e| match e {
        Refus::App(AppError::IdNational(e)) => {
            ApiError::invalid("diagnostic[0].idMetierChiffre", format!("diagnostic[0].idMetierChiffre : {e}"))
        }
        Refus::Regle(r @ RefusDiagnostic::ConseillerAutre) => ApiError::invalid(
            "diagnostic[0].conseiller",
            format!("diagnostic[0].conseiller : {r} (en-têtes pa-nom-agent, pa-prenom-agent)"),
        ),
        Refus::Regle(r @ RefusDiagnostic::NomMetierChange) => {
            ApiError::invalid("diagnostic[0].nomMetier", format!("diagnostic[0].nomMetier : {r}"))
        }
        Refus::Regle(RefusDiagnostic::MetierInconnu) => {
            ApiError::App(AppError::Inconnu("aucun diagnostic pour cet idMetierChiffre".into()))
        }
        // rules of the needs' recording, which this change does not make
        Refus::Regle(r @ (RefusDiagnostic::BesoinHorsDiagnostic | RefusDiagnostic::BesoinEnDouble)) => {
            ApiError::invalid("diagnostic[0]", format!("diagnostic[0] : {r}"))
        }
        Refus::App(e) => ApiError::App(e),
    })?;
    Ok(Json(ENREGISTRE))
}

/// Constraints by thématique.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/diagnostic/contraintes", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = ContraintesReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn contraintes(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<ContraintesReponse>>, ApiError> {
    let l = diagnostic::contraintes(state.services(), &appelant, Reference::IdNational(&id_national), pq.provenance)
        .await?;
    Ok(repondre(l, |c| ContraintesReponse { contraintes_individus: thematiques_dto(&c) }))
}

/// Records constraints: each one given replaces the stored one with the same code.
#[utoipa::path(put, path = "/partenaire/v1/usagers/{id_national}/diagnostic/contraintes", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré")),
    request_body = ContraintesEnregistrement,
    responses((status = 200, body = AccuseEnregistrement),
        (status = 400, description = "R997, the field is named", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_contraintes(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Body(req): Body<ContraintesEnregistrement>,
) -> Result<Json<AccuseEnregistrement>, ApiError> {
    let date_exploration = super::usagers::parse_date("dateExploration", &req.date_exploration)?;
    diagnostic::enregistrer_contraintes(
        state.services(),
        &appelant,
        Reference::IdNational(&id_national),
        &req.contraintes,
        date_exploration,
        &req.id_conseiller,
    )
    .await
    .map_err(|e| match e {
        Refus::Regle(r @ RefusContraintes::ExplorationFuture) => {
            ApiError::invalid("dateExploration", format!("dateExploration : {r}"))
        }
        Refus::Regle(r @ RefusContraintes::ConseillerAutre) => {
            ApiError::invalid("idConseiller", format!("idConseiller : {r} (en-tête pa-identifiant-agent)"))
        }
        Refus::Regle(RefusContraintes::EnDouble(i)) => ApiError::invalid(
            format!("contraintes[{i}].code"),
            format!("contraintes[{i}].code : contrainte {} en double", req.contraintes[i].code.code()),
        ),
        Refus::Regle(RefusContraintes::AutreContrainte(i)) => ApiError::invalid(
            format!("contraintes[{i}]"),
            format!(
                "contraintes[{i}] : situations et objectifs de la contrainte {} seulement (voir /openapi.json)",
                req.contraintes[i].code.code()
            ),
        ),
        Refus::App(e) => ApiError::App(e),
    })?;
    Ok(Json(ENREGISTRE))
}

/// The diagnostic dossier: diagnostics with their needs, and constraints.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/diagnostic/dossier", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = DossierReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn dossier(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<DossierReponse>>, ApiError> {
    let l =
        diagnostic::dossier(state.services(), &appelant, Reference::IdNational(&id_national), pq.provenance).await?;
    let p = appelant.partenaire();
    Ok(repondre(l, |x| {
        let dtos = x.diagnostic.as_ref().map(|d| {
            d.besoins_par_diagnostic
                .iter()
                .map(|b| {
                    let diag = d.diagnostics.iter().find(|x| x.id_metier == b.id_metier);
                    BesoinsParDiagnosticIndividuDto {
                        besoins: b.besoins.iter().map(|x| clv(x.code, x.valeur)).collect(),
                        date_mise_a_jour: diag.map(|x| x.date_mise_a_jour),
                        est_prioritaire: diag.map(|x| x.est_prioritaire),
                        id_metier: state.ids().encode_metier(p, &b.id_metier),
                        nom_metier: diag.map(|x| x.nom_metier.clone()),
                        statut: diag.map(|x| x.statut),
                        typologie: diag.map(|x| x.typologie),
                    }
                })
                .collect()
        });
        DossierReponse {
            dossier_individu: DossierIndividu {
                besoins_par_diagnostic_individu_dtos: dtos,
                contraintes_individus_dto: x.contraintes.as_ref().map(thematiques_dto),
            },
        }
    }))
}

/// Pouvoir d'agir.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/diagnostic/pouvoir-agir", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = PouvoirAgirReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn pouvoir_agir(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<PouvoirAgirReponse>>, ApiError> {
    let l = diagnostic::pouvoir_agir(state.services(), &appelant, Reference::IdNational(&id_national), pq.provenance)
        .await?;
    Ok(repondre(l, |p| PouvoirAgirReponse {
        pouvoir_agir: p.map(|p| PouvoirAgirDto {
            confiance: p.confiance.code(),
            accompagnement: p.accompagnement.code(),
            resultat_analyse: p.resultat_analyse.code(),
        }),
    }))
}
