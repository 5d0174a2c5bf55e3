//! Errors at the API edge, mapped once to `application/problem+json` (RFC 9457) carrying
//! the functional code of seed 002 (`codeRetour`: R001, R997, R999, S002…).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::app::AppError;
use crate::crypto::id_national::IdNationalError;
use crate::dossier::codes::Coded;
use crate::habilitation::AuthError;
use crate::habilitation::authorizer::AuthzError;
use crate::journal::JournalError;
use crate::store::StoreError;

/// Every error an API handler can return: a use case's ([`AppError`]), or the edge's own
/// (authentication, media types, sizes, delays, routes).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Unauthenticated(#[from] AuthError),
    #[error("format de réponse non disponible : {0}")]
    NotAcceptable(String),
    #[error("corps de requête trop volumineux (limite : {0} octets)")]
    PayloadTooLarge(u64),
    #[error("type de contenu non pris en charge (Content-Type attendu : {0})")]
    UnsupportedMediaType(&'static str),
    #[error("requête incomplète dans le délai imparti : connexion fermée")]
    Timeout,
    #[error("ressource inconnue : voir /openapi.json")]
    UnknownRoute,
    #[error("méthode non permise pour cette ressource (voir l'en-tête Allow)")]
    MethodNotAllowed,
}

/// The infrastructure's errors reach the edge through the application's.
macro_rules! par_erreur_app {
    ($($t:ty),+) => {
        $(impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                ApiError::App(AppError::from(e))
            }
        })+
    };
}
par_erreur_app!(
    StoreError,
    JournalError,
    AuthzError,
    IdNationalError,
    crate::import::ImportError,
    crate::export::ExportError,
    crate::app::sla::gestion::GestionError
);

impl ApiError {
    /// An invalid input field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::App(AppError::invalide(field, message))
    }
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Functional return code (SXXX or RXXX).
    pub code_retour: String,
    /// Label of the functional return code (same as `detail`).
    pub message: String,
    /// The input field at fault, for R997.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub champ: Option<String>,
    /// Reason of a refusal (R001).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub motif: Option<String>,
    /// France Travail's error code, where its clients read one (`ID_NON_RECONNU`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_erreur: Option<&'static str>,
    /// The HTTP status again, beside `codeErreur`, as France Travail writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_http: Option<u16>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title) = match &self {
            ApiError::App(e) => statut_app(e),
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "R001", "Accès non autorisé"),
            ApiError::NotAcceptable(_) => (StatusCode::NOT_ACCEPTABLE, "R997", "Format non disponible"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "R997", "Requête trop volumineuse"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "R997", "Type de contenu non pris en charge")
            }
            ApiError::Timeout => (StatusCode::REQUEST_TIMEOUT, "R997", "Délai de requête dépassé"),
            ApiError::UnknownRoute => (StatusCode::NOT_FOUND, "R997", "Ressource inconnue"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "R997", "Méthode non permise"),
        };
        let detail = match &self {
            // Never leak storage details to callers; the log has them (no personal data:
            // store errors name dossiers by their internal id only).
            ApiError::App(AppError::Store(e)) => {
                tracing::error!(error = %e, "erreur de stockage");
                "Service momentanément indisponible, réessayer plus tard".to_string()
            }
            ApiError::App(AppError::Authz(e)) => {
                tracing::error!(error = %e, "moteur d'autorisation");
                "Service momentanément indisponible, réessayer plus tard".to_string()
            }
            other => other.to_string(),
        };
        let motif = match &self {
            ApiError::App(AppError::Refus(m)) => Some(m.code().to_string()),
            _ => None,
        };
        let champ = match &self {
            ApiError::App(AppError::Invalide { champ, .. }) => champ.clone(),
            ApiError::App(AppError::IdNational(_)) => Some("idNational".into()),
            ApiError::App(AppError::JetonUsager(_)) => Some("ft-jeton-usager".into()),
            ApiError::PayloadTooLarge(_) | ApiError::Timeout => Some("corps".into()),
            ApiError::UnsupportedMediaType(_) => Some("Content-Type".into()),
            _ => None,
        };
        let code_erreur = match &self {
            ApiError::App(AppError::IdNonReconnu(_)) => Some("ID_NON_RECONNU"),
            _ => None,
        };
        let body = Problem {
            type_uri: format!("urn:dude:probleme:{}", code.to_ascii_lowercase()),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.clone(),
            code_retour: code.to_string(),
            message: detail,
            champ,
            motif,
            code_http: code_erreur.map(|_| status.as_u16()),
            code_erreur,
        };
        let mut resp = (status, axum::Json(body)).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        // the rest of a body too large or too slow is not read: the connection closes
        if matches!(self, ApiError::PayloadTooLarge(_) | ApiError::Timeout) {
            resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        resp
    }
}

/// The status, return code and title of a use case's error.
fn statut_app(e: &AppError) -> (StatusCode, &'static str, &'static str) {
    match e {
        AppError::Refus(_) | AppError::Interdit(_) => (StatusCode::FORBIDDEN, "R001", "Accès non autorisé"),
        // Out of territory or public: answered like an unknown person, so that a partner
        // cannot learn who exists outside its perimeter.
        AppError::HorsPerimetre => (StatusCode::NOT_FOUND, "S002", "Aucun usager trouvé"),
        AppError::Conflit(_) => (StatusCode::CONFLICT, "R997", "Conflit"),
        AppError::Inconnu(_) => (StatusCode::NOT_FOUND, "R997", "Ressource inconnue"),
        AppError::Invalide { .. } => (StatusCode::BAD_REQUEST, "R997", "Données d'entrée invalides"),
        AppError::IdNonReconnu(_) => (StatusCode::BAD_REQUEST, "R997", "Identifiant non reconnu"),
        AppError::IdNational(_) => (StatusCode::BAD_REQUEST, "R997", "Identifiant national invalide"),
        AppError::JetonUsager(e) => {
            use crate::crypto::jeton_usager::JetonUsagerError as J;
            match e {
                J::Malforme => (StatusCode::BAD_REQUEST, "R997", "Une erreur de validation s'est produite"),
                // altered or another partner's: answered as an access not allowed
                J::NonReconnu => (StatusCode::FORBIDDEN, "R001", "Accès non autorisé"),
                // redo the search (France Travail's clients read 401 as "start again")
                J::Expire => (StatusCode::UNAUTHORIZED, "R001", "Accès non autorisé"),
            }
        }
        AppError::Gestion(_) => (StatusCode::BAD_REQUEST, "R997", "Règle de gestion du service non respectée"),
        AppError::Import(e) => {
            use crate::adaptateur::AdaptateurError as P;
            use crate::import::ImportError as I;
            match e {
                I::Store(_) | I::Journal(_) | I::Plugin(P::Hote(_)) | I::Adaptateur { erreur: P::Hote(_), .. } => {
                    (StatusCode::SERVICE_UNAVAILABLE, "R999", "Service indisponible")
                }
                I::Convention(..)
                | I::Archive(..)
                | I::Lecture(..)
                | I::Plugin(P::Refus(..) | P::EntreeTropGrande(..))
                | I::Adaptateur { erreur: P::Refus(..) | P::EntreeTropGrande(..), .. } => {
                    (StatusCode::BAD_REQUEST, "R997", "Fichier refusé")
                }
                _ => (StatusCode::UNPROCESSABLE_ENTITY, "R997", "Échec de l'adaptateur"),
            }
        }
        AppError::Journal(_) | AppError::Authz(_) | AppError::Export(_) | AppError::Store(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, "R999", "Service indisponible")
        }
    }
}
