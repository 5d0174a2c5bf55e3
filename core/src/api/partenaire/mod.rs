//! Partner API v1 (seed 002 annex 2 §10): the five APIs, behind one gate.

pub mod accompagnement;
pub mod diagnostic;
pub mod incidents;
pub mod profil;
pub mod usagers;

use axum::Router;
use axum::routing::{get, post};
use uuid::Uuid;

use super::AppState;
use super::problem::ApiError;
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;
use crate::habilitation::Caller;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::habilitation::convention::{Action, Public};
use crate::habilitation::perimetre::{Personne, demande};
use crate::journal::Entree;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rechercher-usager", post(usagers::rechercher_usager))
        .route("/usagers/{id_national}/statut", get(usagers::statut_usager))
        .route("/usagers/{id_national}/diagnostic/besoins", get(diagnostic::besoins))
        .route(
            "/usagers/{id_national}/diagnostic/diagnostics",
            get(diagnostic::diagnostics).put(diagnostic::enregistrer_diagnostic),
        )
        .route(
            "/usagers/{id_national}/diagnostic/contraintes",
            get(diagnostic::contraintes).put(diagnostic::enregistrer_contraintes),
        )
        .route("/usagers/{id_national}/diagnostic/dossier", get(diagnostic::dossier))
        .route("/usagers/{id_national}/diagnostic/pouvoir-agir", get(diagnostic::pouvoir_agir))
        .route("/usagers/{id_national}/accompagnement-global/bilans", post(accompagnement::enregistrer_bilan))
        .route("/incidents", get(incidents::lister).post(incidents::signaler))
        .route("/incidents/{id}/validation", post(incidents::valider))
        .route("/usagers/{id_national}/metiers-recherches", get(profil::metiers_recherches))
        .route("/usagers/{id_national}/projets-creation-entreprise", get(profil::projets_creation))
}

/// `?provenance=true`: each group of fields returned comes with where it came from.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ProvenanceQuery {
    #[serde(default)]
    pub provenance: bool,
}

/// Provenance of a stored group of fields.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvenanceDto {
    pub source: String,
    pub auteur: Option<String>,
    pub maj_le: chrono::DateTime<chrono::Utc>,
}

/// A response, with the provenance of the categories the caller may read when asked.
#[derive(Debug, serde::Serialize)]
pub struct AvecProvenance<T> {
    #[serde(flatten)]
    pub reponse: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<std::collections::BTreeMap<String, ProvenanceDto>>,
}

pub(crate) async fn avec_provenance<T>(
    state: &AppState,
    q: &ProvenanceQuery,
    acces: &Accorde,
    reponse: T,
) -> Result<axum::Json<AvecProvenance<T>>, ApiError> {
    let provenance = if q.provenance {
        let sections = state.store().sections(acces.id, Some(&acces.categories)).await?;
        Some(
            sections
                .into_iter()
                .map(|s| (s.categorie, ProvenanceDto { source: s.source, auteur: s.auteur, maj_le: s.maj_le }))
                .collect(),
        )
    } else {
        None
    };
    Ok(axum::Json(AvecProvenance { reponse, provenance }))
}

/// The one gate every read or write of personal data goes through:
/// authenticated caller → authorize each category → journal (committed) → act.
pub(crate) struct Gate<'a> {
    state: &'a AppState,
    caller: &'a Caller,
    action: &'static str,
}

/// A person whose access was granted, with what the perimeter loaded.
pub(crate) struct Accorde {
    pub id: Uuid,
    pub personne: Personne,
    /// The categories granted among those asked.
    pub categories: Vec<Categorie>,
}

impl<'a> Gate<'a> {
    pub fn new(state: &'a AppState, caller: &'a Caller, action: &'static str) -> Self {
        Self { state, caller, action }
    }

    fn decide(&self, cat: Categorie, act: Action, p: Option<&Personne>) -> Result<Decision, ApiError> {
        let s = self.state.services();
        let d = demande(self.caller, cat, act, p, s.clock.today(), s.clock.now());
        Ok(s.gardien.courant().authorizer.decide(&d)?)
    }

    /// Appends the journal entry and waits for its commit (fail closed).
    pub async fn journal(&self, dossier: Option<Uuid>, cats: &[Categorie], d: Decision) -> Result<(), ApiError> {
        let c = self.caller;
        let e = Entree {
            horodatage: crate::journal::horodatage(self.state.clock().now()),
            request_id: c.request_id.clone(),
            agent: Some(c.agent.identifiant.clone()),
            organisation: Some(c.organisation.id.clone()),
            client: Some(c.client.client_id.clone()),
            convention: Some(c.convention.id.clone()),
            dossier,
            action: self.action.to_string(),
            categories: cats.iter().map(|c| c.code()).collect::<Vec<_>>().join(","),
            finalite: c.convention.finalites.first().cloned(),
            decision: if d.autorise { "ACCEPTE" } else { "REFUSE" }.into(),
            raison: d.motif.code().into(),
        };
        self.state.services().journal.ecrire(e).await?;
        Ok(())
    }

    async fn refuse(&self, dossier: Option<Uuid>, cats: &[Categorie], d: Decision) -> ApiError {
        if let Err(e) = self.journal(dossier, cats, d).await {
            return e;
        }
        match d.motif {
            Motif::HorsTerritoire | Motif::HorsPublic => ApiError::HorsPerimetre,
            m => ApiError::Refuse(m),
        }
    }

    /// Checks what does not depend on a person (role, habilitation, convention, MFA).
    pub async fn sans_personne(&self, asked: &[(Categorie, Action)]) -> Result<(), ApiError> {
        for &(cat, act) in asked {
            let d = self.decide(cat, act, None)?;
            if !d.autorise {
                let cats: Vec<Categorie> = asked.iter().map(|x| x.0).collect();
                return Err(self.refuse(None, &cats, d).await);
            }
        }
        Ok(())
    }

    /// Loads what the perimeter needs of a person.
    pub async fn personne(&self, id: Uuid) -> Result<Option<Personne>, ApiError> {
        let accomp = self.caller.convention.publics.contains(&Public::AccompagnementGlobal);
        Ok(self.state.store().personne(id, accomp).await?)
    }

    /// Whether a found person is within the caller's perimeter (territory and public).
    pub fn dans_perimetre(&self, p: &Personne, cat: Categorie) -> Result<bool, ApiError> {
        Ok(self.decide(cat, Action::Lire, Some(p))?.autorise)
    }

    /// Decodes the caller's `idNational`, checks every category asked for this person and
    /// journals the access. With `partiel`, categories refused for the role or the
    /// convention are left out (at least one must remain); otherwise any refusal refuses.
    pub async fn acceder(
        &self,
        id_national: &str,
        asked: &[(Categorie, Action)],
        partiel: bool,
    ) -> Result<Accorde, ApiError> {
        let id = self.state.ids().decode(self.caller.partenaire(), id_national)?;
        let Some(personne) = self.personne(id).await? else {
            return Err(ApiError::HorsPerimetre);
        };
        let cats: Vec<Categorie> = asked.iter().map(|x| x.0).collect();
        let mut granted = Vec::new();
        let mut first_refusal = None;
        for &(cat, act) in asked {
            let d = self.decide(cat, act, Some(&personne))?;
            if d.autorise {
                granted.push(cat);
            } else {
                // Perimeter refusals concern the person as a whole.
                if !partiel || matches!(d.motif, Motif::HorsTerritoire | Motif::HorsPublic) {
                    return Err(self.refuse(Some(id), &cats, d).await);
                }
                first_refusal.get_or_insert(d);
            }
        }
        if granted.is_empty() {
            let d = first_refusal.unwrap_or(Decision { autorise: false, motif: Motif::RoleNonAutorise });
            return Err(self.refuse(Some(id), &cats, d).await);
        }
        self.journal(Some(id), &granted, Decision { autorise: true, motif: Motif::Autorise }).await?;
        Ok(Accorde { id, personne, categories: granted })
    }
}
