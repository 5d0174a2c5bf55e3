//! Errors at the API edge, mapped once to `application/problem+json` (RFC 9457) carrying
//! the functional code of seed 002 (`codeRetour`: R001, R997, R999, S002…).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::crypto::id_national::IdNationalError;
use crate::dossier::codes::Coded;
use crate::habilitation::AuthError;
use crate::habilitation::authorizer::{AuthzError, Motif};
use crate::journal::JournalError;
use crate::store::StoreError;

/// Every error an API handler can return.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Unauthenticated(#[from] AuthError),
    #[error("accès refusé : {}", .0.libelle())]
    Refuse(Motif),
    /// Unknown, or outside the caller's perimeter: the same answer, so that nothing
    /// tells one from the other.
    #[error("aucun usager dans le périmètre de la convention")]
    HorsPerimetre,
    #[error("{0}")]
    AdminInterdit(String),
    #[error("{0}")]
    Conflit(String),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Gestion(crate::sla::gestion::GestionError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("{message}")]
    InvalidInput { field: Option<String>, message: String },
    #[error(transparent)]
    IdNational(#[from] IdNationalError),
    #[error("{0}")]
    NotFound(String),
    #[error("format de réponse non disponible : {0}")]
    NotAcceptable(String),
    #[error("corps de requête trop volumineux (limite : {0} octets)")]
    TropVolumineux(u64),
    #[error("type de contenu non pris en charge (Content-Type attendu : {0})")]
    TypeMedia(&'static str),
    #[error("requête incomplète dans le délai imparti : connexion fermée")]
    Delai,
    #[error("ressource inconnue : voir /openapi.json")]
    RouteInconnue,
    #[error("méthode non permise pour cette ressource (voir l'en-tête Allow)")]
    MethodeNonPermise,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::sla::gestion::GestionError> for ApiError {
    fn from(e: crate::sla::gestion::GestionError) -> Self {
        use crate::sla::gestion::GestionError as G;
        match e {
            G::Store(s) => ApiError::Store(s),
            G::Inconnu(x) => ApiError::NotFound(x),
            G::Invalide { champ, message } => ApiError::invalid(champ, format!("{champ} : {message}")),
            e => ApiError::Gestion(e),
        }
    }
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidInput { field: Some(field.into()), message: message.into() }
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
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title) = match &self {
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "R001", "Accès non autorisé"),
            ApiError::Refuse(_) => (StatusCode::FORBIDDEN, "R001", "Accès non autorisé"),
            // Out of territory or public: answered like an unknown person, so that a
            // partner cannot learn who exists outside its perimeter.
            ApiError::HorsPerimetre => (StatusCode::NOT_FOUND, "S002", "Aucun usager trouvé"),
            ApiError::AdminInterdit(_) => (StatusCode::FORBIDDEN, "R001", "Accès non autorisé"),
            ApiError::Conflit(_) => (StatusCode::CONFLICT, "R997", "Conflit"),
            ApiError::Import(e) => {
                use crate::import::ImportError as I;
                use crate::plugin::PluginError as P;
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
            ApiError::Journal(_) | ApiError::Authz(_) | ApiError::Export(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "R999", "Service indisponible")
            }
            ApiError::InvalidInput { .. } => (StatusCode::BAD_REQUEST, "R997", "Données d'entrée invalides"),
            ApiError::Gestion(_) => (StatusCode::BAD_REQUEST, "R997", "Règle de gestion du service non respectée"),
            ApiError::IdNational(_) => (StatusCode::BAD_REQUEST, "R997", "Identifiant national invalide"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "R997", "Ressource inconnue"),
            ApiError::NotAcceptable(_) => (StatusCode::NOT_ACCEPTABLE, "R997", "Format non disponible"),
            ApiError::TropVolumineux(_) => (StatusCode::PAYLOAD_TOO_LARGE, "R997", "Requête trop volumineuse"),
            ApiError::TypeMedia(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "R997", "Type de contenu non pris en charge")
            }
            ApiError::Delai => (StatusCode::REQUEST_TIMEOUT, "R997", "Délai de requête dépassé"),
            ApiError::RouteInconnue => (StatusCode::NOT_FOUND, "R997", "Ressource inconnue"),
            ApiError::MethodeNonPermise => (StatusCode::METHOD_NOT_ALLOWED, "R997", "Méthode non permise"),
            ApiError::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, "R999", "Service indisponible"),
        };
        let detail = match &self {
            // Never leak storage details to callers; the log has them (no personal data:
            // store errors name dossiers by their internal id only).
            ApiError::Store(e) => {
                tracing::error!(error = %e, "erreur de stockage");
                "Service momentanément indisponible, réessayer plus tard".to_string()
            }
            ApiError::Authz(e) => {
                tracing::error!(error = %e, "moteur d'autorisation");
                "Service momentanément indisponible, réessayer plus tard".to_string()
            }
            other => other.to_string(),
        };
        let motif = match &self {
            ApiError::Refuse(m) => Some(m.code().to_string()),
            _ => None,
        };
        let champ = match &self {
            ApiError::InvalidInput { field, .. } => field.clone(),
            ApiError::IdNational(_) => Some("idNational".into()),
            ApiError::TropVolumineux(_) | ApiError::Delai => Some("corps".into()),
            ApiError::TypeMedia(_) => Some("Content-Type".into()),
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
        };
        let mut resp = (status, axum::Json(body)).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        // the rest of a body too large or too slow is not read: the connection closes
        if matches!(self, ApiError::TropVolumineux(_) | ApiError::Delai) {
            resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        resp
    }
}
