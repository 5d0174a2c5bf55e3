//! France Travail's live partner API, as the clients partners already run call it
//! (`../shared/reference-formats/france-travail-api/`): its paths, the `jetonUsager` in
//! the `ft-jeton-usager` header, its field names and code lists. Each route requires its
//! scope (`habilitation::scopes`), then calls the same use cases as the seed-named
//! `/partenaire/v1` — same habilitations, journal entries and measurement.

pub mod contrat;
pub mod diagnostic;
pub mod orientation;
pub mod recherche;
pub mod rendez_vous;
pub mod usager;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{delete, get, post};

use super::AppState;
use super::authenticated::SansEntetesAgent;
use super::problem::ApiError;
use crate::app::AppError;

pub fn router() -> Router<AppState> {
    // generation 1: the routes that never carried agent headers
    let generation1 = Router::new()
        .route("/rechercher-usager/v1/usagers/recherche", post(recherche::v1))
        .route("/diagnosticargumente/v1/individus/{identifiant}", get(diagnostic::individu))
        .route("/diagnosticargumente/v1/individus/{identifiant}/contraintes", get(diagnostic::contraintes_individu))
        .layer(axum::Extension(SansEntetesAgent));
    Router::new()
        .merge(generation1)
        .route("/rechercher-usager/v2/usagers/par-datenaissance-et-nir", post(recherche::par_naissance_et_nir))
        .route("/rechercher-usager/v2/usagers/par-numero-francetravail", post(recherche::par_numero))
        .route("/contrat-usager/v2/contrat", get(contrat::contrat))
        .route("/diagnosticargumente/v4/dossiers", get(diagnostic::dossiers))
        .route("/informations-administratives/v1/usager", get(usager::informations_administratives))
        .route("/donnees-rqth/v1/rqth", get(usager::rqth))
        .route("/orientationusager/v1/lectureOrientation", get(orientation::lecture))
        .route("/orientationusager/v1/orientation", post(orientation::orienter))
        .route("/rendez-vous-partenaire/v1/rendez-vous", post(rendez_vous::prendre).put(rendez_vous::modifier))
        .route("/rendez-vous-partenaire/v1/rendez-vous/{id}", delete(rendez_vous::annuler))
}

/// The person a generation-2 call is about: the `jetonUsager` of the search, in the
/// `ft-jeton-usager` header.
#[derive(Debug, Clone)]
pub struct JetonUsager(pub String);

pub const ENTETE_JETON: &str = "ft-jeton-usager";

impl<S: Send + Sync> FromRequestParts<S> for JetonUsager {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(ENTETE_JETON).and_then(|v| v.to_str().ok()).map(str::trim) {
            Some(j) if !j.is_empty() => Ok(JetonUsager(j.to_string())),
            _ => Err(ApiError::App(AppError::invalide(
                ENTETE_JETON,
                "en-tête ft-jeton-usager absent : rechercher l'usager d'abord (rechercher-usager v2)",
            ))),
        }
    }
}

/// An instant as France Travail writes it: ISO 8601 with milliseconds and offset
/// (`2022-12-08T23:00:00.000+00:00`). DUDE keeps days: midnight UTC of the day.
pub fn date_heure(jour: chrono::NaiveDate) -> String {
    format!("{}T00:00:00.000+00:00", jour.format("%Y-%m-%d"))
}
