//! Métiers recherchés, projets d'évolution and projets de création, reprise ou franchise
//! (seed 002 annex 2 §10.4–5).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    TypeContrat, "type de contrat" {
        Cdi => ("CDI", "Contrat à durée indéterminée"),
        Cdd => ("CDD", "Contrat à durée déterminée"),
        Interim => ("MIS", "Mission intérimaire"),
        Saisonnier => ("SAI", "Contrat saisonnier"),
        Liberal => ("LIB", "Profession libérale"),
        Alternance => ("ALT", "Contrat en alternance"),
    }
);

coded_enum!(
    TempsTravail, "temps de travail" {
        Plein => ("TEMPS_PLEIN", "Temps plein"),
        Partiel => ("TEMPS_PARTIEL", "Temps partiel"),
        Indifferent => ("INDIFFERENT", "Indifférent"),
    }
);

coded_enum!(
    TypeLieu, "type de lieu" {
        Commune => ("COMMUNE", "Commune"),
        Departement => ("DEPARTEMENT", "Département"),
        Region => ("REGION", "Région"),
        France => ("FRANCE", "France entière"),
    }
);

coded_enum!(
    UniteMobilite, "unité de mobilité" {
        Kilometres => ("KM", "Kilomètres"),
        Minutes => ("MIN", "Minutes"),
    }
);

coded_enum!(
    UniteDuree, "unité de durée" {
        Mois => ("MOIS", "Mois"),
        Annees => ("ANNEES", "Années"),
    }
);

coded_enum!(
    UniteSalaire, "unité de salaire" {
        Horaire => ("HORAIRE", "Horaire"),
        Mensuel => ("MENSUEL", "Mensuel"),
        Annuel => ("ANNUEL", "Annuel"),
    }
);

coded_enum!(
    TypologieEmploi, "typologie d'emploi" {
        MetierRecherche => ("METIER_RECHERCHE", "Métier recherché"),
        ProjetEvolution => ("PROJET_EVOLUTION", "Projet d'évolution professionnelle"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Appellation {
    pub code: String,
    pub libelle: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contrat {
    #[serde(rename = "type")]
    pub type_contrat: TypeContrat,
    pub critere_ore: bool,
    pub priorite: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DureeExperience {
    pub valeur: u16,
    pub unite: UniteDuree,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DureesHebdomadaires {
    pub critere_ore: bool,
    pub temps_travail: TempsTravail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Lieu {
    #[serde(rename = "type")]
    pub type_lieu: TypeLieu,
    pub code: String,
    pub libelle: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Mobilite {
    pub lieu: Lieu,
    pub mobilite_prioritaire: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rayon: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unite: Option<UniteMobilite>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Salaire {
    pub montant: u32,
    pub unite: UniteSalaire,
}

/// A métier recherché or a projet d'évolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetierRecherche {
    pub identifiant: String,
    pub appellation: Appellation,
    /// ROME code, one letter and four digits.
    pub rome: String,
    #[serde(default)]
    pub contrats: Vec<Contrat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_validation_passeport_emploi: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_experience: Option<DureeExperience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durees_hebdomadaires: Option<DureesHebdomadaires>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobilite_habitation: Option<bool>,
    #[serde(default)]
    pub mobilites: Vec<Mobilite>,
    pub mrs: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passeport_emploi: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salaire: Option<Salaire>,
    pub typologie_emploi: TypologieEmploi,
}

/// A projet de création, reprise ou franchise d'entreprise (CREF).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjetCref {
    pub identifiant: String,
    pub appellation: Appellation,
    pub rome: String,
    #[serde(default)]
    pub mobilites: Vec<Mobilite>,
    pub type_cref_creation: bool,
    pub type_cref_reprise: bool,
    pub type_cref_franchise: bool,
}

/// Checks a ROME code: one letter A–N and four digits.
pub fn rome_valide(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && (b'A'..=b'N').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
}
