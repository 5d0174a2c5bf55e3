//! API Diagnostic individu: besoins, diagnostics (read, write), contraintes (read,
//! write), dossier, pouvoir d'agir. Writes take enumerated values only: free text is
//! refused with R997 naming the field.

use crate::api::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Accorde, AvecProvenance, Gate, ProvenanceQuery, avec_provenance};
use crate::api::AppState;
use crate::api::caller::Partner;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;
use crate::dossier::contraintes::{
    CodeContrainte, Contrainte, Contraintes, ObjectifContrainte, SituationContrainte, ValeurContrainte, par_thematique,
};
use crate::dossier::diagnostic::{
    Conseiller, Diagnostic, DiagnosticMetier, PouvoirAgir, StatutDiagnostic, TypologieDiagnostic,
};
use crate::habilitation::Caller;
use crate::habilitation::convention::Action;
use crate::store::Provenance;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CodeLibelleValeur {
    pub code: &'static str,
    pub libelle: &'static str,
    pub valeur: &'static str,
}

fn clv<C: Coded, V: Coded>(c: C, v: V) -> CodeLibelleValeur {
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
pub struct Enregistrement {
    pub code_retour: &'static str,
    pub message: &'static str,
}

pub(super) const ENREGISTRE: Enregistrement =
    Enregistrement { code_retour: "S000", message: "L'enregistrement des données s'est bien déroulé" };

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

/// One constraint to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContrainteSaisie {
    pub code: CodeContrainte,
    pub valeur: ValeurContrainte,
    #[serde(default)]
    pub situations: Vec<SituationContrainte>,
    #[serde(default)]
    pub objectifs: Vec<ObjectifContrainte>,
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

fn besoins_dto(caller: &Caller, state: &AppState, d: &Diagnostic) -> Vec<BesoinsDiagnosticDto> {
    d.besoins_par_diagnostic
        .iter()
        .map(|b| BesoinsDiagnosticDto {
            id_metier: state.ids().encode_metier(caller.partenaire(), &b.id_metier),
            besoins: b.besoins.iter().map(|x| clv(x.code, x.valeur)).collect(),
        })
        .collect()
}

fn thematiques_dto(c: &Contraintes) -> Vec<ThematiqueDto> {
    par_thematique(c)
        .into_iter()
        .map(|(t, list)| ThematiqueDto {
            code: t.code(),
            libelle: t.libelle(),
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

async fn load_diagnostic(
    state: &AppState,
    caller: &Caller,
    id_national: &str,
    action: &'static str,
) -> Result<(Diagnostic, Accorde), ApiError> {
    let gate = Gate::new(state, caller, action);
    let acces = gate.acceder(id_national, &[(Categorie::Diagnostic, Action::Lire)], false).await?;
    let id = acces.id;
    Ok((state.store().load_section(id, Categorie::Diagnostic).await?.unwrap_or_default(), acces))
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
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<BesoinsReponse>>, ApiError> {
    let (d, acces) = load_diagnostic(&state, &caller, &id_national, "diagnostic.besoins").await?;
    let reponse = BesoinsReponse { besoins_par_diagnostic: besoins_dto(&caller, &state, &d) };
    avec_provenance(&state, &pq, &acces, reponse).await
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
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<DiagnosticsReponse>>, ApiError> {
    let (d, acces) = load_diagnostic(&state, &caller, &id_national, "diagnostic.diagnostics").await?;
    let reponse = DiagnosticsReponse {
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
                id_metier_chiffre: state.ids().encode_metier(caller.partenaire(), &x.id_metier),
                nom_metier: x.nom_metier.clone(),
                statut: x.statut,
                typologie: x.typologie,
            })
            .collect(),
    };
    avec_provenance(&state, &pq, &acces, reponse).await
}

/// Applies one modification to the diagnostics, refusing free text.
fn apply_diagnostic(
    d: &mut Diagnostic,
    id_metier: &str,
    m: &DiagnosticModification,
    caller: &Caller,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let conseiller = Conseiller {
        nom: caller.agent.nom.clone(),
        prenom: caller.agent.prenom.clone(),
        structure: caller.organisation.nom.clone(),
    };
    if let Some(c) = &m.conseiller
        && (c.nom != conseiller.nom || c.prenom != conseiller.prenom || c.structure != conseiller.structure)
    {
        return Err(ApiError::invalid(
            "diagnostic[0].conseiller",
            "diagnostic[0].conseiller : doit être l'agent appelant (en-têtes pa-nom-agent, pa-prenom-agent) et sa structure ; texte libre non admis",
        ));
    }
    let Some(target) = d.diagnostics.iter_mut().find(|x| x.id_metier == id_metier) else {
        return Err(ApiError::NotFound("aucun diagnostic pour cet idMetierChiffre".into()));
    };
    if let Some(n) = &m.nom_metier
        && *n != target.nom_metier
    {
        return Err(ApiError::invalid(
            "diagnostic[0].nomMetier",
            "diagnostic[0].nomMetier : doit être le métier du diagnostic ; texte libre non admis",
        ));
    }
    *target = DiagnosticMetier {
        id_metier: target.id_metier.clone(),
        nom_metier: target.nom_metier.clone(),
        statut: m.statut.unwrap_or(target.statut),
        typologie: m.typologie,
        est_prioritaire: m.est_prioritaire.unwrap_or(target.est_prioritaire),
        conseiller,
        date_mise_a_jour: today,
    };
    Ok(())
}

pub(super) fn provenance(caller: &Caller) -> Provenance {
    Provenance::new(
        format!("partenaire:{}/{}", caller.organisation.id, caller.client.client_id),
        Some(caller.agent.identifiant.clone()),
    )
}

/// Updates one diagnostic, identified by its `idMetierChiffre`.
#[utoipa::path(put, path = "/partenaire/v1/usagers/{id_national}/diagnostic/diagnostics", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré")),
    request_body = DiagnosticsEnregistrement,
    responses((status = 200, body = Enregistrement),
        (status = 400, description = "R997, the field is named", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_diagnostic(
    State(state): State<AppState>,
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Body(req): Body<DiagnosticsEnregistrement>,
) -> Result<Json<Enregistrement>, ApiError> {
    let gate = Gate::new(&state, &caller, "diagnostic.diagnostics.ecrire");
    let id = gate.acceder(&id_national, &[(Categorie::Diagnostic, Action::Ecrire)], false).await?.id;
    let [m] = req.diagnostic.as_slice() else {
        return Err(ApiError::invalid("diagnostic", "diagnostic : une liste d'un seul élément est attendue"));
    };
    let id_metier = state.ids().decode_metier(caller.partenaire(), &m.id_metier_chiffre).map_err(|e| {
        ApiError::invalid("diagnostic[0].idMetierChiffre", format!("diagnostic[0].idMetierChiffre : {e}"))
    })?;
    let today = state.clock().today();
    state
        .store()
        .update_section(id, Categorie::Diagnostic, &provenance(&caller), |d: Option<Diagnostic>| {
            let mut d = d.unwrap_or_default();
            apply_diagnostic(&mut d, &id_metier, m, &caller, today).map(|()| d)
        })
        .await?
        .ok_or_else(|| ApiError::HorsPerimetre)??;
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
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<ContraintesReponse>>, ApiError> {
    let gate = Gate::new(&state, &caller, "diagnostic.contraintes");
    let acces = gate.acceder(&id_national, &[(Categorie::Contraintes, Action::Lire)], false).await?;
    let id = acces.id;
    let c: Contraintes = state.store().load_section(id, Categorie::Contraintes).await?.unwrap_or_default();
    let reponse = ContraintesReponse { contraintes_individus: thematiques_dto(&c) };
    avec_provenance(&state, &pq, &acces, reponse).await
}

/// Records constraints: each one given replaces the stored one with the same code.
#[utoipa::path(put, path = "/partenaire/v1/usagers/{id_national}/diagnostic/contraintes", tag = "API Diagnostic individu",
    params(("id_national" = String, Path, description = "Identifiant national chiffré")),
    request_body = ContraintesEnregistrement,
    responses((status = 200, body = Enregistrement),
        (status = 400, description = "R997, the field is named", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_contraintes(
    State(state): State<AppState>,
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Body(req): Body<ContraintesEnregistrement>,
) -> Result<Json<Enregistrement>, ApiError> {
    let gate = Gate::new(&state, &caller, "diagnostic.contraintes.ecrire");
    let id = gate.acceder(&id_national, &[(Categorie::Contraintes, Action::Ecrire)], false).await?.id;
    let date_exploration = super::usagers::parse_date("dateExploration", &req.date_exploration)?;
    let today = state.clock().today();
    if date_exploration > today {
        return Err(ApiError::invalid("dateExploration", "dateExploration : date future non admise"));
    }
    if req.id_conseiller != caller.agent.identifiant {
        return Err(ApiError::invalid(
            "idConseiller",
            "idConseiller : doit être l'agent appelant (en-tête pa-identifiant-agent)",
        ));
    }
    for (i, c) in req.contraintes.iter().enumerate() {
        if req.contraintes[..i].iter().any(|o| o.code == c.code) {
            return Err(ApiError::invalid(
                format!("contraintes[{i}].code"),
                format!("contraintes[{i}].code : contrainte {} en double", c.code.code()),
            ));
        }
    }
    state
        .store()
        .update_section(id, Categorie::Contraintes, &provenance(&caller), |c: Option<Contraintes>| {
            let mut c = c.unwrap_or_default();
            for s in &req.contraintes {
                let new = Contrainte {
                    code: s.code,
                    valeur: s.valeur,
                    date: today,
                    situations: s.situations.clone(),
                    objectifs: s.objectifs.clone(),
                };
                match c.contraintes.iter_mut().find(|x| x.code == s.code) {
                    Some(x) => *x = new,
                    None => c.contraintes.push(new),
                }
            }
            c.date_exploration = Some(date_exploration);
            c.conseiller = Some(caller.agent.identifiant.clone());
            c.date_de_modification = Some(today);
            Ok::<_, ApiError>(c)
        })
        .await?
        .ok_or_else(|| ApiError::HorsPerimetre)??;
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
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<DossierReponse>>, ApiError> {
    let gate = Gate::new(&state, &caller, "diagnostic.dossier");
    let acces = gate
        .acceder(&id_national, &[(Categorie::Diagnostic, Action::Lire), (Categorie::Contraintes, Action::Lire)], true)
        .await?;
    let id = acces.id;
    let lire_diag = acces.categories.contains(&Categorie::Diagnostic);
    let lire_contraintes = acces.categories.contains(&Categorie::Contraintes);
    let d: Diagnostic = if lire_diag {
        state.store().load_section(id, Categorie::Diagnostic).await?.unwrap_or_default()
    } else {
        Diagnostic::default()
    };
    let c: Option<Contraintes> = if lire_contraintes {
        Some(state.store().load_section(id, Categorie::Contraintes).await?.unwrap_or_default())
    } else {
        None
    };
    let p = &caller.partenaire();
    let dtos = d
        .besoins_par_diagnostic
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
        .collect();
    let reponse = DossierReponse {
        dossier_individu: DossierIndividu {
            besoins_par_diagnostic_individu_dtos: lire_diag.then_some(dtos),
            contraintes_individus_dto: c.as_ref().map(thematiques_dto),
        },
    };
    avec_provenance(&state, &pq, &acces, reponse).await
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
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<PouvoirAgirReponse>>, ApiError> {
    let gate = Gate::new(&state, &caller, "diagnostic.pouvoir-agir");
    let acces = gate.acceder(&id_national, &[(Categorie::PouvoirAgir, Action::Lire)], false).await?;
    let id = acces.id;
    let p: Option<PouvoirAgir> = state.store().load_section(id, Categorie::PouvoirAgir).await?;
    let reponse = PouvoirAgirReponse {
        pouvoir_agir: p.map(|p| PouvoirAgirDto {
            confiance: p.confiance.code(),
            accompagnement: p.accompagnement.code(),
            resultat_analyse: p.resultat_analyse.code(),
        }),
    };
    avec_provenance(&state, &pq, &acces, reponse).await
}
