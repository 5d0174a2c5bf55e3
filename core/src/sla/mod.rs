//! Service levels (seed 002 annex 2 §2–9): measurement of every partner call, probes,
//! availability, monthly indicators against the convention's targets, incidents and their
//! deadlines, the change calendar, the data-breach register, reports.

pub use dude_modele::sla::{api, regles};

pub mod agregat;
pub mod collecte;
pub mod gestion;
pub mod mesure;
pub mod metriques;
pub mod page;
pub mod rapport;
pub mod sonde;
