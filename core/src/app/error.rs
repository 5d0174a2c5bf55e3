//! What a use case can answer instead of its result. The edges map it once: the API to a
//! problem document (`api::problem`), the commands to a message and an exit code.
//! Messages name fields and the values admitted, never a value received.

use crate::crypto::id_national::IdNationalError;
use crate::dossier::codes::Coded;
use crate::habilitation::authorizer::{AuthzError, Motif};
use crate::journal::JournalError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Refused by the habilitations (journaled), with the reason.
    #[error("accès refusé : {}", .0.libelle())]
    Refus(Motif),
    /// Unknown, or outside the caller's perimeter: the same answer, so that nothing
    /// tells one from the other.
    #[error("aucun usager dans le périmètre de la convention")]
    HorsPerimetre,
    /// An administrator acting beyond their organisation (journaled).
    #[error("{0}")]
    Interdit(String),
    #[error("{0}")]
    Conflit(String),
    /// A resource other than a person, unknown.
    #[error("{0}")]
    Inconnu(String),
    #[error("{message}")]
    Invalide { champ: Option<String>, message: String },
    /// An id the caller was given, not recognised for this person and this caller
    /// (France Travail's `ID_NON_RECONNU`).
    #[error("{0}")]
    IdNonReconnu(String),
    #[error(transparent)]
    IdNational(#[from] IdNationalError),
    #[error(transparent)]
    JetonUsager(#[from] crate::crypto::jeton_usager::JetonUsagerError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Gestion(super::sla::gestion::GestionError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// An invalid input field.
    pub fn invalide(champ: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalide { champ: Some(champ.into()), message: message.into() }
    }
}

impl From<super::sla::gestion::GestionError> for AppError {
    fn from(e: super::sla::gestion::GestionError) -> Self {
        use super::sla::gestion::GestionError as G;
        match e {
            G::Store(s) => AppError::Store(s),
            G::Inconnu(x) => AppError::Inconnu(x),
            G::Invalide { champ, message } => AppError::invalide(champ, format!("{champ} : {message}")),
            e => AppError::Gestion(e),
        }
    }
}

/// A write refused by a rule of the model (`R`), or by the application (`AppError`).
#[derive(Debug, thiserror::Error)]
pub enum Refus<R: std::error::Error + 'static> {
    #[error(transparent)]
    Regle(R),
    #[error(transparent)]
    App(#[from] AppError),
}
