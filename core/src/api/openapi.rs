//! The OpenAPI 3.1 document, generated from the handlers (utoipa), at `/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::AppState;
use super::{admin, francetravail, health, oauth, partenaire};

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

/// The answers every operation of a kind can give, added where an operation does not
/// document them itself: every rejection is a problem document (`application/problem+json`).
struct ReponsesCommunes;

fn probleme(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build()
}

impl Modify for ReponsesCommunes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        for (chemin, item) in openapi.paths.paths.iter_mut() {
            let protege = chemin.starts_with("/partenaire/") || chemin.starts_with("/admin/");
            let partenaire = chemin.starts_with("/partenaire/");
            // France Travail's generation 1 never carried them: optional where the
            // convention lets the application declare its callers
            let generation1 = chemin.starts_with("/partenaire/rechercher-usager/v1/")
                || chemin.starts_with("/partenaire/diagnosticargumente/v1/");
            let ops: [&mut Option<Operation>; 5] =
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                if partenaire {
                    // the habilitated agent acting, on every partner call
                    let params = op.parameters.get_or_insert_with(Vec::new);
                    for (nom, description) in [
                        ("pa-identifiant-agent", "Identifiant de l'agent habilité (ou BATCH)"),
                        ("pa-nom-agent", "Nom de l'agent"),
                        ("pa-prenom-agent", "Prénom de l'agent"),
                    ] {
                        if !params.iter().any(|p| p.name == nom) {
                            params.push(
                                ParameterBuilder::new()
                                    .name(nom)
                                    .parameter_in(ParameterIn::Header)
                                    .required(if generation1 { Required::False } else { Required::True })
                                    .description(Some(description))
                                    .schema(Some(ObjectBuilder::new().schema_type(Type::String).max_length(Some(128))))
                                    .build(),
                            );
                        }
                    }
                }
                let a_parametres = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let corps = op.request_body.as_ref().map(|b| b.content.keys().cloned().collect::<Vec<_>>());
                let json = corps.as_ref().is_some_and(|c| c.iter().any(|t| t.ends_with("json")));
                let mut attendues: Vec<(&str, &str)> = Vec::new();
                if a_parametres || corps.is_some() {
                    attendues.push(("400", "R997 : paramètre ou corps invalide (le champ est nommé)"));
                }
                if protege {
                    attendues.push(("401", "R001 : jeton absent, invalide ou expiré ; agent non identifié"));
                    attendues.push(("403", "R001 : accès non autorisé (le motif est donné)"));
                    attendues.push(("404", "S002 : aucun usager dans le périmètre ; ou ressource désignée inconnue"));
                    attendues.push(("503", "R999 : service momentanément indisponible"));
                } else if chemin.contains('{') {
                    attendues.push(("404", "R997 : ressource inconnue"));
                }
                if chemin.starts_with("/admin/") && corps.is_some() {
                    attendues.push(("409", "R997 : déjà enregistré, ou contraire à l'état de la ressource"));
                }
                let csv = op.responses.responses.get("200").is_some_and(|r| match r {
                    utoipa::openapi::RefOr::T(r) => r.content.contains_key("text/csv"),
                    _ => false,
                });
                if csv {
                    attendues.push(("406", "R997 : format demandé (Accept) non disponible"));
                }
                if corps.is_some() {
                    attendues.push(("408", "R997 : corps de requête incomplet dans le délai (connexion fermée)"));
                    attendues.push(("413", "R997 : corps de requête trop volumineux (connexion fermée)"));
                }
                if json {
                    attendues.push(("415", "R997 : Content-Type application/json attendu"));
                }
                for (code, description) in attendues {
                    op.responses.responses.entry(code.to_string()).or_insert_with(|| probleme(description).into());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "DUDE — Dossier unique du demandeur d'emploi", description = "API partenaires v1 (noms de la convention de 2022), API de France Travail telle que ses clients l'appellent (/partenaire/<api>/vN, /connexion/oauth2/access_token) et administration"),
    modifiers(&Security, &ReponsesCommunes),
    paths(
        health::healthz,
        health::readyz,
        health::metrics,
        oauth::token,
        oauth::access_token,
        francetravail::recherche::v1,
        francetravail::recherche::par_naissance_et_nir,
        francetravail::recherche::par_numero,
        francetravail::contrat::contrat,
        francetravail::diagnostic::individu,
        francetravail::diagnostic::contraintes_individu,
        francetravail::diagnostic::dossiers,
        francetravail::usager::informations_administratives,
        francetravail::usager::rqth,
        francetravail::orientation::lecture,
        francetravail::orientation::orienter,
        francetravail::rendez_vous::prendre,
        francetravail::rendez_vous::modifier,
        francetravail::rendez_vous::annuler,
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
        admin::habilitations::regles,
        admin::habilitations::deposer_regles,
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

/// The document, as JSON (the portal renders its reference page from it).
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises")
}

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
