//! Partner API v1 (seed 002 annex 2 §10): the five APIs.

pub mod diagnostic;
pub mod profil;
pub mod usagers;

use axum::Router;
use axum::routing::{get, post};
use uuid::Uuid;

use super::AppState;
use super::problem::ApiError;
use crate::habilitation::Caller;

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
        .route("/usagers/{id_national}/metiers-recherches", get(profil::metiers_recherches))
        .route("/usagers/{id_national}/projets-creation-entreprise", get(profil::projets_creation))
}

/// Decodes the caller's `idNational` and checks the dossier exists.
pub(crate) async fn dossier_of(state: &AppState, caller: &Caller, id_national: &str) -> Result<Uuid, ApiError> {
    let id = state.ids().decode(&caller.client.partenaire, id_national)?;
    if !state.store().exists(id).await? {
        return Err(ApiError::NotFound("aucun dossier pour cet idNational".into()));
    }
    Ok(id)
}
