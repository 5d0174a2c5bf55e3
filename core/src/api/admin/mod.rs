//! Admin API v1: habilitations (organisations, conventions, agents, API clients), monthly
//! lists, access reports. Every change and every read of personal data is journaled.

pub mod adaptateurs;
pub mod habilitations;
pub mod listes;
pub mod rapport;
pub mod sla;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;

/// Largest file accepted by an import.
pub const TAILLE_MAX: usize = 512 << 20;
/// Largest adapter component accepted by an upload.
pub const COMPOSANT_MAX: usize = 128 << 20;
/// Largest set of authorization rules accepted.
pub const REGLES_MAX: usize = 1 << 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/departements/{code}/listes-mensuelles/{mois}", get(listes::liste_mensuelle))
        .route("/organisations", get(habilitations::organisations).post(habilitations::creer_organisation))
        .route("/organisations/{id}", get(habilitations::organisation).put(habilitations::modifier_organisation))
        .route("/conventions", get(habilitations::conventions).post(habilitations::creer_convention))
        .route("/conventions/{id}", get(habilitations::convention).put(habilitations::modifier_convention))
        .route("/agents", get(habilitations::agents).post(habilitations::habiliter_agent))
        .route("/agents/{identifiant}", get(habilitations::agent))
        .route("/agents/{identifiant}/renouveler", post(habilitations::renouveler_agent))
        .route("/agents/{identifiant}/revoquer", post(habilitations::revoquer_agent))
        .route("/clients", get(habilitations::clients).post(habilitations::creer_client))
        .route("/clients/{id}", get(habilitations::client))
        .route("/clients/{id}/revoquer", post(habilitations::revoquer_client))
        .route("/clients/{id}/secret", post(habilitations::renouveler_secret))
        .route("/regles", get(habilitations::regles).put(habilitations::deposer_regles))
        .route("/plugins", get(adaptateurs::lister).post(adaptateurs::televerser))
        .route("/conventions/{id}/imports", post(adaptateurs::importer_fichier))
        .route("/conventions/{id}/exports", get(adaptateurs::exports))
        .route("/conventions/{id}/exports/{export}", get(adaptateurs::export))
        .route("/sla/rapport", get(sla::rapport_mensuel))
        .route("/sla/fenetres", post(sla::ajouter_fenetre))
        .route("/sla/incidents", get(sla::incidents).post(sla::ouvrir_incident))
        .route("/sla/incidents/{id}/etapes", post(sla::etape_incident))
        .route("/sla/violations", get(sla::violations).post(sla::declarer_violation))
        .route("/sla/violations/{id}/notification", post(sla::notifier_violation))
        .route("/sla/changements", get(sla::changements).post(sla::annoncer_changement))
        .route("/sla/versions", get(sla::versions))
        .route("/sla/versions/{version}", axum::routing::put(sla::enregistrer_version))
        .route("/dossiers/rechercher", post(rapport::rechercher_dossier))
        .route("/dossiers/{id}/rapport-acces", get(rapport::rapport_acces))
}
