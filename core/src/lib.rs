//! DUDE core: the dossier unique du demandeur d'emploi.
//!
//! See `ARCHITECTURE.md` at the repository root for the map of modules.

pub mod api;
pub mod app;
pub mod cli;
pub mod clock;
pub mod crypto;
pub mod demo;
pub use dude_modele::dossier;
pub mod adaptateur;
pub mod export;
pub mod habilitation;
pub mod import;
pub mod journal;
#[cfg(test)]
mod layers;
pub mod portail;

pub mod sla;
pub mod store;
