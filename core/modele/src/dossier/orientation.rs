//! Orientation of an RSA beneficiary towards a parcours, and the référent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// Type de parcours.
    TypeParcours, "type de parcours" {
        Social => ("SOCIAL", "Parcours social"),
        SocioProfessionnel => ("SOCIOPRO", "Parcours socio-professionnel"),
        Professionnel => ("PRO", "Parcours professionnel"),
    }
);

/// The référent unique.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Referent {
    pub nom: String,
    pub prenom: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
}

impl std::fmt::Debug for Referent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Referent(***)")
    }
}

/// Orientation decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Orientation {
    pub type_parcours: TypeParcours,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referent: Option<Referent>,
    /// Structure in charge of the accompaniment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
}
