//! sea-orm entities, one per table.

pub mod agent;
pub mod api_client;
pub mod convention;
pub mod dossier;
pub mod dossier_section;
pub mod export_sortant;
pub mod import_fichier;
pub mod inscription_evenement;
pub mod journal;
pub mod organisation;
pub mod session_portail;
pub mod sla_battement;
pub mod sla_fenetre;
pub mod sla_minute;
pub mod sla_registre;
pub mod sla_sonde;
