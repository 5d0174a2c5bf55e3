//! Partner API v1 (seed 002 annex 2 §10): the five APIs, behind one gate.

pub mod accompagnement;
pub mod diagnostic;
pub mod incidents;
pub mod profil;
pub mod usagers;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;
use crate::app::acces::Lecture;

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

/// The response of a read: the value mapped for the wire, with the provenance read.
pub(crate) fn repondre<T, U>(l: Lecture<T>, dto: impl FnOnce(T) -> U) -> axum::Json<AvecProvenance<U>> {
    let provenance = l.provenance.map(|p| {
        p.into_iter()
            .map(|(cat, o)| (cat, ProvenanceDto { source: o.source, auteur: o.auteur, maj_le: o.maj_le }))
            .collect()
    });
    axum::Json(AvecProvenance { reponse: dto(l.valeur), provenance })
}
