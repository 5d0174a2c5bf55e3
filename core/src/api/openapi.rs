//! The OpenAPI 3.1 document, generated from the handlers (utoipa), at `/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::AppState;
use super::{admin, health, oauth, partenaire};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "DUDE — Dossier unique du demandeur d'emploi", description = "API partenaires v1 et administration"),
    modifiers(&Security),
    paths(
        health::healthz,
        health::readyz,
        health::metrics,
        oauth::token,
        oauth::jwks,
        partenaire::usagers::rechercher_usager,
        partenaire::usagers::statut_usager,
        partenaire::diagnostic::besoins,
        partenaire::diagnostic::diagnostics,
        partenaire::diagnostic::enregistrer_diagnostic,
        partenaire::diagnostic::contraintes,
        partenaire::diagnostic::enregistrer_contraintes,
        partenaire::accompagnement::enregistrer_bilan,
        partenaire::diagnostic::dossier,
        partenaire::diagnostic::pouvoir_agir,
        partenaire::profil::metiers_recherches,
        partenaire::profil::projets_creation,
        admin::listes::liste_mensuelle,
        admin::habilitations::organisations,
        admin::habilitations::organisation,
        admin::habilitations::creer_organisation,
        admin::habilitations::modifier_organisation,
        admin::habilitations::conventions,
        admin::habilitations::convention,
        admin::habilitations::creer_convention,
        admin::habilitations::modifier_convention,
        admin::habilitations::agents,
        admin::habilitations::agent,
        admin::habilitations::habiliter_agent,
        admin::habilitations::renouveler_agent,
        admin::habilitations::revoquer_agent,
        admin::habilitations::clients,
        admin::habilitations::client,
        admin::habilitations::creer_client,
        admin::habilitations::revoquer_client,
        admin::habilitations::renouveler_secret,
        admin::rapport::rechercher_dossier,
        admin::adaptateurs::lister,
        admin::adaptateurs::televerser,
        admin::adaptateurs::importer_fichier,
        admin::adaptateurs::exports,
        admin::sla::rapport_mensuel,
        admin::sla::ajouter_fenetre,
        admin::sla::incidents,
        admin::sla::ouvrir_incident,
        admin::sla::etape_incident,
        admin::sla::violations,
        admin::sla::declarer_violation,
        admin::sla::notifier_violation,
        admin::sla::changements,
        admin::sla::annoncer_changement,
        admin::sla::versions,
        admin::sla::enregistrer_version,
        admin::sla::page,
        partenaire::incidents::signaler,
        partenaire::incidents::lister,
        partenaire::incidents::valider,
        admin::adaptateurs::export,
        admin::rapport::rapport_acces,
    )
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
