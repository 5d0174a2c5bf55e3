//! Diagnostic argumenté as France Travail's clients read it: v1 by `identifiant`
//! (`individus/{identifiant}` and its older `…/contraintes`), v4 by `ft-jeton-usager`
//! (`dossiers`). Field for field as the reference: `idMetierChiffre`, ISO date-times, the
//! `typologie` label, every besoin, contrainte, situation and objectif of France Travail's
//! lists with the values recorded or "non exploré / non abordé(e)", `statut` and
//! `estPrioritaire` always present; 204 when there is no dossier.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{JetonUsager, date_heure};
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::Path;
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::{Reference, exiger_scope};
use crate::app::diagnostic::{self, DossierConsolide};
use crate::dossier::codes::Coded;
use crate::dossier::contraintes::{CodeContrainte, ContrainteComplete, Contraintes, THEMATIQUE, ValeurContrainte};
use crate::dossier::diagnostic::{
    CodeBesoin, Conseiller, Diagnostic, DiagnosticMetier, StatutDiagnostic, ThematiqueBesoin, ValeurBesoin,
};
use crate::habilitation::Appelant;
use crate::habilitation::scopes;

// the same triple on both surfaces
use crate::api::partenaire::diagnostic::{CodeLibelleValeur, clv};

/// One métier's diagnostic with its besoins (v1).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsParDiagnosticIndividu {
    pub id_metier_chiffre: String,
    pub nom_metier: Option<String>,
    /// The label, e.g. "métier recherché".
    pub typologie: Option<&'static str>,
    pub statut: &'static str,
    pub est_prioritaire: bool,
    /// ISO 8601 date-time.
    pub date_mise_a_jour: Option<String>,
    pub besoins: Vec<CodeLibelleValeur>,
}

/// A contrainte as v1 lists it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContrainteV1 {
    pub code: &'static str,
    pub libelle: &'static str,
    pub valeur: &'static str,
    /// ISO 8601 date-time; null when never explored.
    pub date: Option<String>,
    pub situations: Vec<CodeLibelleValeur>,
    pub objectifs: Vec<CodeLibelleValeur>,
}

/// The thématique "7" and its contraintes (v1).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContraintesIndividu {
    pub conseiller: Option<String>,
    pub date_de_modification: Option<String>,
    pub code: &'static str,
    pub libelle: &'static str,
    pub contraintes: Vec<ContrainteV1>,
}

/// `diagnosticargumente/v1/individus/{identifiant}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DossierIndividuV1 {
    /// Null when the caller may not read the diagnostic category.
    pub besoins_par_diagnostic_individu_dtos: Option<Vec<BesoinsParDiagnosticIndividu>>,
    /// Null when the caller may not read the contraintes category.
    pub contraintes_individus_dto: Option<ContraintesIndividu>,
}

/// A contrainte as the older `…/contraintes` lists it (`id`, `nom`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContrainteAncienne {
    pub id: &'static str,
    pub nom: &'static str,
    pub valeur: &'static str,
    pub date: Option<String>,
    pub situations: Vec<CodeLibelleValeur>,
    pub objectifs: Vec<CodeLibelleValeur>,
}

/// `diagnosticargumente/v1/individus/{identifiant}/contraintes`: the thématique alone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContraintesAnciennes {
    pub conseiller: Option<String>,
    pub date_de_modification: Option<String>,
    pub code: &'static str,
    pub libelle: &'static str,
    pub contraintes: Vec<ContrainteAncienne>,
}

/// The diagnostic of a métier: the diagnostic recorded, or only its besoins.
struct Metier<'a> {
    id_metier: &'a str,
    fiche: Option<&'a DiagnosticMetier>,
    besoins: Vec<(CodeBesoin, ValeurBesoin)>,
}

/// Every métier with a diagnostic or besoins, each with all of France Travail's besoins.
fn metiers(d: &Diagnostic) -> Vec<Metier<'_>> {
    let mut ids: Vec<&str> = d.diagnostics.iter().map(|x| x.id_metier.as_str()).collect();
    for b in &d.besoins_par_diagnostic {
        if !ids.contains(&b.id_metier.as_str()) {
            ids.push(&b.id_metier);
        }
    }
    ids.into_iter()
        .map(|id| {
            let enregistres = d.besoins_par_diagnostic.iter().find(|b| b.id_metier == id);
            let besoins = CodeBesoin::du_diagnostic()
                .map(|c| {
                    let v = enregistres.and_then(|b| b.besoins.iter().find(|x| x.code == c)).map(|x| x.valeur);
                    (c, v.unwrap_or(ValeurBesoin::NonExplore))
                })
                .collect();
            Metier { id_metier: id, fiche: d.diagnostics.iter().find(|x| x.id_metier == id), besoins }
        })
        .collect()
}

fn besoins_v1(state: &AppState, appelant: &Appelant, d: &Diagnostic) -> Vec<BesoinsParDiagnosticIndividu> {
    metiers(d)
        .into_iter()
        .map(|m| BesoinsParDiagnosticIndividu {
            id_metier_chiffre: state.ids().encode_metier(appelant.partenaire(), m.id_metier),
            nom_metier: m.fiche.map(|f| f.nom_metier.clone()),
            typologie: m.fiche.map(|f| f.typologie.libelle()),
            statut: m.fiche.map_or(StatutDiagnostic::EnCours, |f| f.statut).code(),
            est_prioritaire: m.fiche.is_some_and(|f| f.est_prioritaire),
            date_mise_a_jour: m.fiche.map(|f| date_heure(f.date_mise_a_jour)),
            besoins: m.besoins.into_iter().map(|(c, v)| clv(c, v)).collect(),
        })
        .collect()
}

fn completes(c: &Contraintes) -> impl Iterator<Item = ContrainteComplete> + '_ {
    CodeContrainte::de_la_thematique().map(|code| c.complete(code))
}

fn contraintes_v1(c: &Contraintes) -> ContraintesIndividu {
    ContraintesIndividu {
        conseiller: c.conseiller.clone(),
        date_de_modification: c.date_de_modification.map(date_heure),
        code: THEMATIQUE.0,
        libelle: THEMATIQUE.1,
        contraintes: completes(c)
            .map(|x| ContrainteV1 {
                code: x.code.code(),
                libelle: x.code.libelle(),
                valeur: x.valeur.code(),
                date: x.date.map(date_heure),
                situations: x.situations.into_iter().map(|(c, v)| clv(c, v)).collect(),
                objectifs: x.objectifs.into_iter().map(|(c, v)| clv(c, v)).collect(),
            })
            .collect(),
    }
}

/// 204 when the caller may read nothing recorded.
fn ou_rien<T: Serialize>(vide: bool, corps: impl FnOnce() -> T) -> Response {
    if vide { StatusCode::NO_CONTENT.into_response() } else { Json(corps()).into_response() }
}

/// Generation 1: the besoins of each diagnostic and the contraintes, by `identifiant`
/// (the one rechercher-usager v1 answered).
#[utoipa::path(get, path = "/partenaire/diagnosticargumente/v1/individus/{identifiant}", tag = "France Travail",
    params(("identifiant" = String, Path, description = "identifiant de rechercher-usager v1 (encodé dans l'URL)")),
    responses(
        (status = 200, body = DossierIndividuV1),
        (status = 204, description = "aucun dossier de diagnostic"),
        (status = 400, description = "R997 identifiant invalide", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 (dont scope api_diagnosticargumentev1 absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn individu(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(identifiant): Path<String>,
) -> Result<Response, ApiError> {
    exiger_scope(state.services(), &appelant, "diagnostic.dossier", scopes::DIAGNOSTIC_ARGUMENTE_V1).await?;
    let l = diagnostic::dossier(state.services(), &appelant, Reference::IdNational(&identifiant), false).await?;
    let v = l.valeur;
    let vide = v.diagnostic.as_ref().is_none_or(|d| d.diagnostics.is_empty() && d.besoins_par_diagnostic.is_empty())
        && v.contraintes.as_ref().is_none_or(|c| c.contraintes.is_empty() && c.date_exploration.is_none());
    Ok(ou_rien(vide, || DossierIndividuV1 {
        besoins_par_diagnostic_individu_dtos: v.diagnostic.as_ref().map(|d| besoins_v1(&state, &appelant, d)),
        contraintes_individus_dto: v.contraintes.as_ref().map(contraintes_v1),
    }))
}

/// Generation 1, the older resource: the thématique "7" alone, `contraintes[].id`/`nom`.
#[utoipa::path(get, path = "/partenaire/diagnosticargumente/v1/individus/{identifiant}/contraintes", tag = "France Travail",
    params(("identifiant" = String, Path, description = "identifiant de rechercher-usager v1")),
    responses(
        (status = 200, body = ContraintesAnciennes),
        (status = 204, description = "aucune contrainte explorée"),
        (status = 400, description = "R997", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn contraintes_individu(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(identifiant): Path<String>,
) -> Result<Response, ApiError> {
    exiger_scope(state.services(), &appelant, "diagnostic.contraintes", scopes::DIAGNOSTIC_ARGUMENTE_V1).await?;
    let c =
        diagnostic::contraintes(state.services(), &appelant, Reference::IdNational(&identifiant), false).await?.valeur;
    let vide = c.contraintes.is_empty() && c.date_exploration.is_none();
    Ok(ou_rien(vide, || ContraintesAnciennes {
        conseiller: c.conseiller.clone(),
        date_de_modification: c.date_de_modification.map(date_heure),
        code: THEMATIQUE.0,
        libelle: THEMATIQUE.1,
        contraintes: completes(&c)
            .map(|x| ContrainteAncienne {
                id: x.code.code(),
                nom: x.code.libelle(),
                valeur: x.valeur.code(),
                date: x.date.map(date_heure),
                situations: x.situations.into_iter().map(|(c, v)| clv(c, v)).collect(),
                objectifs: x.objectifs.into_iter().map(|(c, v)| clv(c, v)).collect(),
            })
            .collect(),
    }))
}

/// Who explored or last updated (v4): DUDE keeps the conseiller's name and structure of a
/// diagnostic, the identifier of whoever recorded the contraintes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentV4 {
    pub id: Option<String>,
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub structure: Option<String>,
}

impl From<&Conseiller> for AgentV4 {
    fn from(c: &Conseiller) -> Self {
        AgentV4 {
            id: None,
            nom: Some(c.nom.clone()),
            prenom: Some(c.prenom.clone()),
            structure: Some(c.structure.clone()),
        }
    }
}

fn agent_identifiant(id: &Option<String>) -> Option<AgentV4> {
    id.as_ref().map(|i| AgentV4 { id: Some(i.clone()), nom: None, prenom: None, structure: None })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticV4 {
    pub id_diagnostic: String,
    pub id_metier_chiffre: String,
    pub nom_metier: Option<String>,
    pub typologie: Option<&'static str>,
    /// `MR` for a métier recherché.
    pub code_typologie: Option<&'static str>,
    pub code_rome: Option<String>,
    pub code_appellation: Option<String>,
    pub statut: &'static str,
    pub est_prioritaire: bool,
    pub agent: Option<AgentV4>,
    pub date_mise_a_jour: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinV4 {
    pub code: &'static str,
    pub libelle: &'static str,
    pub valeur: &'static str,
    pub agent: Option<AgentV4>,
    pub date_exploration: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThematiqueBesoinsV4 {
    pub code: &'static str,
    pub libelle: &'static str,
    pub besoins: Vec<BesoinV4>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsParDiagnosticV4 {
    pub diagnostic: DiagnosticV4,
    pub thematiques_besoins: Vec<ThematiqueBesoinsV4>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SituationObjectifV4 {
    pub code: &'static str,
    pub libelle: &'static str,
    pub valeur: &'static str,
    pub agent: Option<AgentV4>,
    pub date_exploration: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContrainteV4 {
    pub code: &'static str,
    pub libelle: &'static str,
    pub valeur: &'static str,
    pub est_prioritaire: bool,
    pub date_exploration: Option<String>,
    /// Not kept by DUDE: null.
    pub impact: Option<&'static str>,
    pub situations: Vec<SituationObjectifV4>,
    pub objectifs: Vec<SituationObjectifV4>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SansContrainte {
    pub flag: bool,
    pub date: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThematiqueContrainteV4 {
    pub agent: Option<AgentV4>,
    pub date_exploration: Option<String>,
    pub code: &'static str,
    pub libelle: &'static str,
    /// Explored, and no contrainte identified.
    pub declare_sans_contrainte: SansContrainte,
    pub contraintes: Vec<ContrainteV4>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PouvoirAgirV4 {
    /// OUI, NON, NE_SAIT_PAS.
    pub confiance: &'static str,
    pub accompagnement: &'static str,
    /// A label.
    pub resultat_analyse: &'static str,
    pub agent: Option<AgentV4>,
    pub date_exploration: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AutonomieNumeriqueV4 {
    pub date_exploration: Option<String>,
    pub agent: Option<AgentV4>,
    pub contrainte: ContrainteV4,
    pub besoin: BesoinV4,
}

/// `diagnosticargumente/v4/dossiers`: every field present, null when not known or not
/// readable for the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DossierV4 {
    pub besoins_par_diagnostic: Vec<BesoinsParDiagnosticV4>,
    pub thematique_contrainte: Option<ThematiqueContrainteV4>,
    pub pouvoir_agir: Option<PouvoirAgirV4>,
    pub autonomie_numerique: Option<AutonomieNumeriqueV4>,
}

fn contrainte_v4(c: &Contraintes, code: CodeContrainte) -> ContrainteV4 {
    let x = c.complete(code);
    let agent = || agent_identifiant(&c.conseiller);
    let so = |code: &'static str, libelle: &'static str, valeur: &'static str, explore: bool| SituationObjectifV4 {
        code,
        libelle,
        valeur,
        agent: explore.then(agent).flatten(),
        date_exploration: if explore { x.date.map(date_heure) } else { None },
    };
    ContrainteV4 {
        code: code.code(),
        libelle: code.libelle(),
        valeur: x.valeur.code(),
        est_prioritaire: false,
        date_exploration: x.date.map(date_heure),
        impact: None,
        situations: x
            .situations
            .iter()
            .map(|(s, v)| {
                so(s.code(), s.libelle(), v.code(), *v != crate::dossier::contraintes::ValeurSituation::NonAbordee)
            })
            .collect(),
        objectifs: x
            .objectifs
            .iter()
            .map(|(o, v)| {
                so(o.code(), o.libelle(), v.code(), *v != crate::dossier::contraintes::ValeurObjectif::NonAborde)
            })
            .collect(),
    }
}

fn dossier_v4(state: &AppState, appelant: &Appelant, v: &DossierConsolide) -> DossierV4 {
    let partenaire = appelant.partenaire();
    let besoins_par_diagnostic = v
        .diagnostic
        .as_ref()
        .map(|d| {
            metiers(d)
                .into_iter()
                .map(|m| {
                    let metier = v.metiers.as_ref().and_then(|l| l.iter().find(|x| x.identifiant == m.id_metier));
                    let agent = m.fiche.map(|f| AgentV4::from(&f.conseiller));
                    let date = m.fiche.map(|f| date_heure(f.date_mise_a_jour));
                    let diagnostic = DiagnosticV4 {
                        id_diagnostic: state.ids().encode_metier(partenaire, &format!("diagnostic/{}", m.id_metier)),
                        id_metier_chiffre: state.ids().encode_metier(partenaire, m.id_metier),
                        nom_metier: m.fiche.map(|f| f.nom_metier.clone()),
                        typologie: m.fiche.map(|f| f.typologie.libelle()),
                        code_typologie: m.fiche.map(|f| f.typologie.code()),
                        code_rome: metier.map(|x| x.rome.clone()),
                        code_appellation: metier.map(|x| x.appellation.code.clone()),
                        statut: m.fiche.map_or(StatutDiagnostic::EnCours, |f| f.statut).code(),
                        est_prioritaire: m.fiche.is_some_and(|f| f.est_prioritaire),
                        agent,
                        date_mise_a_jour: date.clone(),
                    };
                    let thematiques_besoins = ThematiqueBesoin::ALL
                        .iter()
                        .map(|t| ThematiqueBesoinsV4 {
                            code: t.code(),
                            libelle: t.libelle(),
                            besoins: m
                                .besoins
                                .iter()
                                .filter(|(c, _)| c.thematique() == Some(*t))
                                .map(|(c, val)| {
                                    let explore = *val != ValeurBesoin::NonExplore;
                                    BesoinV4 {
                                        code: c.code(),
                                        libelle: c.libelle(),
                                        valeur: val.code(),
                                        agent: if explore {
                                            m.fiche.map(|f| AgentV4::from(&f.conseiller))
                                        } else {
                                            None
                                        },
                                        date_exploration: if explore { date.clone() } else { None },
                                    }
                                })
                                .collect(),
                        })
                        .collect();
                    BesoinsParDiagnosticV4 { diagnostic, thematiques_besoins }
                })
                .collect()
        })
        .unwrap_or_default();
    let thematique_contrainte = v.contraintes.as_ref().map(|c| ThematiqueContrainteV4 {
        agent: agent_identifiant(&c.conseiller),
        date_exploration: c.date_exploration.map(date_heure),
        code: THEMATIQUE.0,
        libelle: THEMATIQUE.1,
        declare_sans_contrainte: SansContrainte {
            flag: c.date_exploration.is_some()
                && !c
                    .contraintes
                    .iter()
                    .any(|x| x.code != CodeContrainte::Numerique && x.valeur == ValeurContrainte::Oui),
            date: c.date_exploration.map(date_heure),
        },
        contraintes: CodeContrainte::de_la_thematique().map(|code| contrainte_v4(c, code)).collect(),
    });
    let pouvoir_agir = v.pouvoir_agir.as_ref().and_then(|p| p.as_ref()).map(|p| PouvoirAgirV4 {
        confiance: p.confiance.code(),
        accompagnement: p.accompagnement.code(),
        resultat_analyse: p.resultat_analyse.libelle(),
        agent: None,
        date_exploration: None,
    });
    // the besoin 7 of any diagnostic, and the contrainte 22
    let besoin_numerique = v
        .diagnostic
        .as_ref()
        .and_then(|d| {
            d.besoins_par_diagnostic.iter().flat_map(|b| &b.besoins).find(|b| b.code == CodeBesoin::ServicesNumeriques)
        })
        .map_or(ValeurBesoin::NonExplore, |b| b.valeur);
    let autonomie_numerique = v.contraintes.as_ref().map(|c| AutonomieNumeriqueV4 {
        date_exploration: c.date_exploration.map(date_heure),
        agent: agent_identifiant(&c.conseiller),
        contrainte: contrainte_v4(c, CodeContrainte::Numerique),
        besoin: BesoinV4 {
            code: CodeBesoin::ServicesNumeriques.code(),
            libelle: CodeBesoin::ServicesNumeriques.libelle(),
            valeur: besoin_numerique.code(),
            agent: None,
            date_exploration: None,
        },
    });
    DossierV4 { besoins_par_diagnostic, thematique_contrainte, pouvoir_agir, autonomie_numerique }
}

/// Generation 4: the consolidated diagnostic of the person of the `ft-jeton-usager`.
#[utoipa::path(get, path = "/partenaire/diagnosticargumente/v4/dossiers", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    responses(
        (status = 200, body = DossierV4),
        (status = 204, description = "aucun dossier de diagnostic"),
        (status = 400, description = "R997 (dont en-tête ft-jeton-usager absent ou mal formé)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 (dont scope api_diagnosticargumentev4 absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn dossiers(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
) -> Result<Response, ApiError> {
    exiger_scope(state.services(), &appelant, "diagnostic.dossier", scopes::DIAGNOSTIC_ARGUMENTE_V4).await?;
    let l = diagnostic::dossier_consolide(state.services(), &appelant, Reference::Jeton(&jeton)).await?;
    Ok(ou_rien(l.valeur.vide(), || dossier_v4(&state, &appelant, &l.valeur)))
}
