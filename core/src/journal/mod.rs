//! The access journal: every read and write of personal data — who, what, when, why,
//! decision and reason — appended to a hash chain (each entry's SHA-256 covers the
//! previous hash) by a single writer task per instance that batches commits, sequenced by the database.

pub mod checkpoint;
pub mod verify;
pub mod writer;

pub use dude_modele::journal::*;

pub use writer::{Journal, Suspension};

/// Journal failures: the API answers 503 (fail closed).
#[derive(Debug, Clone, thiserror::Error)]
pub enum JournalError {
    #[error("journal d'accès indisponible : {0}")]
    Indisponible(String),
}
