//! Identity of the person and personal situation (seed 002 annex 1, seed 004 annex 1).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// Civilité.
    Civilite, "civilité" {
        Monsieur => ("M", "Monsieur"),
        Madame => ("MME", "Madame"),
    }
);

coded_enum!(
    /// Sexe, as the first digit of the NIR codes it.
    Sexe, "sexe" {
        Homme => ("1", "Homme"),
        Femme => ("2", "Femme"),
    }
);

coded_enum!(
    /// Nationalité (groupes de la fiche d'inscription).
    Nationalite, "nationalité" {
        Francaise => ("FR", "Française"),
        UnionEuropeenne => ("UE", "Ressortissant de l'Union européenne ou de l'EEE"),
        HorsUnion => ("HUE", "Ressortissant hors Union européenne"),
    }
);

coded_enum!(
    /// Situation familiale (seed 004 annex 1: seul ou en couple).
    SituationFamiliale, "situation familiale" {
        Seul => ("SEUL", "Seul"),
        EnCouple => ("COUPLE", "En couple"),
    }
);

/// Identity. The NIR is not part of it: it lives encrypted beside the dossier.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identite {
    pub civilite: Civilite,
    pub nom: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom_naissance: Option<String>,
    pub prenom: String,
    pub date_naissance: NaiveDate,
    pub sexe: Sexe,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationalite: Option<Nationalite>,
    /// Identity certified against the national registry ("Top identité certifiée").
    pub identite_certifiee: bool,
}

impl std::fmt::Debug for Identite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identite")
            .field("civilite", &self.civilite)
            .field("nom", &"***")
            .field("prenom", &"***")
            .field("date_naissance", &"****-**-**")
            .field("identite_certifiee", &self.identite_certifiee)
            .finish_non_exhaustive()
    }
}

/// Personal situation (vie personnelle, seed 004 annex 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SituationPersonnelle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub situation_familiale: Option<SituationFamiliale>,
    #[serde(default)]
    pub enfants_a_charge: u8,
    /// Reconnaissance de la qualité de travailleur handicapé.
    #[serde(default)]
    pub rqth: bool,
}
