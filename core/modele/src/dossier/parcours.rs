//! "Parcours insertion emploi" (seed 002 annex 4 option 2): the partner's record of an RSA
//! beneficiary's path in the experimentation — entry in the scheme, orientation
//! appointment, needs found, accompaniment appointments, prestations.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::diagnostic::Besoin;

/// A prestation or service of accompaniment, individual or collective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Prestation {
    pub libelle: String,
    pub date_debut: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_jours: Option<u32>,
    pub collective: bool,
}

/// The path as the partner last sent it (a file replaces it whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParcoursInsertion {
    pub date_entree_dispositif: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_rendez_vous_orientation: Option<NaiveDate>,
    /// Needs found by the partner's diagnostic.
    #[serde(default)]
    pub besoins: Vec<Besoin>,
    #[serde(default)]
    pub rendez_vous: Vec<NaiveDate>,
    #[serde(default)]
    pub prestations: Vec<Prestation>,
}
