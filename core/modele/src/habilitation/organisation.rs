//! Organisations that take part in the DUDE.

use serde::{Deserialize, Serialize};

use crate::dossier::codes::coded_enum;
use crate::dossier::contact::Departement;

coded_enum!(
    /// Kind of organisation (seed 000 §5, seed 002, seed 004).
    TypeOrganisation, "type d'organisation" {
        FranceTravailNational => ("FT_NATIONAL", "France Travail — direction générale"),
        FranceTravailRegional => ("FT_REGIONAL", "France Travail — direction régionale"),
        FranceTravailAgence => ("FT_AGENCE", "France Travail — agence"),
        Etat => ("ETAT", "État — ministère chargé de l'emploi et services déconcentrés"),
        Unedic => ("UNEDIC", "Unédic"),
        ConseilDepartemental => ("CONSEIL_DEPARTEMENTAL", "Conseil départemental"),
        Gip => ("GIP", "GIP Plateforme de l'inclusion"),
        Prestataire => ("PRESTATAIRE", "Prestataire"),
        SousTraitant => ("SOUS_TRAITANT", "Sous-traitant"),
    }
);

impl TypeOrganisation {
    /// State, France Travail and Unédic agents have a national scope (seed 000 §5), and
    /// so has the GIP Plateforme de l'inclusion, whose service is national.
    pub fn portee_nationale(self) -> bool {
        matches!(
            self,
            Self::FranceTravailNational
                | Self::FranceTravailRegional
                | Self::FranceTravailAgence
                | Self::Etat
                | Self::Unedic
                | Self::Gip
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub id: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub type_organisation: TypeOrganisation,
    /// Départements of competence.
    #[serde(default)]
    pub departements: Vec<Departement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}
