//! sea-orm entities, one per table.

pub mod dossier;
pub mod dossier_section;
pub mod inscription_evenement;
