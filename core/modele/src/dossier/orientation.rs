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

impl TypeParcours {
    /// France Travail's code of the parcours (`orientationusager`): PED, parcours emploi
    /// direct; PSP, socio-professionnel; PSO, social.
    pub fn code_france_travail(self) -> &'static str {
        match self {
            TypeParcours::Professionnel => "PED",
            TypeParcours::SocioProfessionnel => "PSP",
            TypeParcours::Social => "PSO",
        }
    }

    /// The parcours of France Travail's code (`EO`, an entretien d'orientation still to
    /// hold, and `IND`, indéterminé, are no parcours).
    pub fn de_france_travail(code: &str) -> Option<Self> {
        match code {
            "PED" => Some(TypeParcours::Professionnel),
            "PSP" => Some(TypeParcours::SocioProfessionnel),
            "PSO" => Some(TypeParcours::Social),
            _ => None,
        }
    }
}

coded_enum!(
    /// The organisation that accompanies the person on the parcours (France Travail's list).
    OrganismeOrientation, "organisme d'orientation" {
        FranceTravail => ("FT", "France Travail"),
        ConseilDepartemental => ("CD", "Conseil départemental"),
        MissionLocale => ("ML", "Mission locale"),
        CapEmploi => ("CE", "Cap Emploi"),
        Indetermine => ("IND", "Indéterminé"),
    }
);

coded_enum!(
    /// How the orientation came about (France Travail's list, as départements' systems send it).
    OrigineOrientation, "origine de l'orientation" {
        InscriptionVolontaire => ("INSCRIPTION_VOLONTAIRE", "Inscription volontaire"),
        InscriptionAutoMilo => ("INSCRIPTION_AUTO_MILO", "Inscription automatique (mission locale)"),
        InscriptionAutoCaf => ("INSCRIPTION_AUTO_CAF", "Inscription automatique (CAF)"),
        InscriptionAutoMsa => ("INSCRIPTION_AUTO_MSA", "Inscription automatique (MSA)"),
        InscriptionConseillerFt => ("INSCRIPTION_CONSEILLER_FT", "Inscription par un conseiller France Travail"),
        InscriptionConseillerCd => ("INSCRIPTION_CONSEILLER_CD", "Inscription par un conseiller du département"),
        RdsLpe => ("RDS_LPE", "Rendez-vous de suivi (loi pour le plein emploi)"),
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
    /// The organisation in charge (France Travail's `organisme`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisme: Option<OrganismeOrientation>,
    /// How the orientation came about, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origine: Option<OrigineOrientation>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::codes::Coded;

    #[test]
    fn parcours_codes_both_ways() {
        for t in TypeParcours::ALL {
            assert_eq!(TypeParcours::de_france_travail(t.code_france_travail()), Some(*t));
        }
        assert_eq!(TypeParcours::de_france_travail("EO"), None);
        assert_eq!(OrganismeOrientation::from_code("CD"), Ok(OrganismeOrientation::ConseilDepartemental));
    }
}
