//! Accompagnement: modalité de suivi and, for the accompagnement global, the exchange of
//! seed 004 annex 1 (freins périphériques, motifs de non-intégration, bilan and exits).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;
use super::contraintes::Thematique;

coded_enum!(
    ModaliteAccompagnement, "modalité d'accompagnement" {
        Suivi => ("SUIVI", "Suivi"),
        Guide => ("GUIDE", "Guidé"),
        Renforce => ("RENFORCE", "Renforcé"),
        Global => ("GLOBAL", "Accompagnement global"),
    }
);

coded_enum!(
    /// Motifs de non-intégration en accompagnement global.
    MotifNonIntegration, "motif de non-intégration" {
        AbsentNonExcuse => ("NON_ADHESION_ABSENT", "Non adhésion : absent non excusé"),
        RefusGlobal => ("NON_ADHESION_REFUS_GLOBAL", "Non adhésion : ne souhaite plus l'intégration dans l'accompagnement global"),
        RefusSocial => ("NON_ADHESION_REFUS_SOCIAL", "Non adhésion : ne souhaite plus l'accompagnement social"),
        FreinsNonIdentifies => ("FREINS_NON_IDENTIFIES", "Freins sociaux à l'emploi non identifiés"),
        RepriseEmploi => ("REPRISE_EMPLOI_FORMATION", "Reprise d'emploi, formation ou suivi de prestations longues"),
        PublicNonConcerne => ("PUBLIC_NON_CONCERNE", "Public non concerné"),
    }
);

coded_enum!(
    /// Outcome of the 6-month bilan.
    ResultatBilan, "résultat du bilan" {
        Atteint => ("OBJECTIF_ATTEINT", "Objectif atteint"),
        Partiel => ("OBJECTIF_PARTIELLEMENT_ATTEINT", "Objectif partiellement atteint"),
        NonAtteint => ("OBJECTIF_NON_ATTEINT", "Objectif non atteint"),
    }
);

coded_enum!(
    /// Decision taken at the bilan.
    DecisionBilan, "décision du bilan" {
        Maintien => ("MAINTIEN_AXE2", "Maintien en accompagnement global – Axe 2"),
        SocialExclusif => ("ORIENTATION_SOCIAL_EXCLUSIF", "Orientation vers le suivi social exclusif"),
        Fin => ("FIN_AXE2", "Fin d'accompagnement global axe 2"),
    }
);

coded_enum!(
    /// Exit at the end of the accompagnement global axe 2.
    SortieAccompagnement, "sortie d'accompagnement global" {
        EmploiCdi => ("EMPLOI_CDI", "Emploi CDI"),
        EmploiLong => ("EMPLOI_CDD_CTT_PLUS_6_MOIS", "Emploi CDD/CTT > 6 mois"),
        EmploiCourt => ("EMPLOI_CDD_CTT_MOINS_6_MOIS", "Emploi CDD/CTT < 6 mois"),
        Creation => ("CREATION_REPRISE", "Création/reprise d'entreprise"),
        Autre => ("AUTRE_SORTIE", "Autre sortie"),
        ServiceCivique => ("SERVICE_CIVIQUE", "Service civique"),
        AutresSuivis => ("AUTRES_SUIVIS_FT", "Autres suivis France Travail"),
        RetraitMarche => ("RETRAIT_MARCHE_TRAVAIL", "Retrait du marché du travail"),
        Axe3 => ("AXE3_SOCIAL_EXCLUSIF", "Accompagnement global en axe 3 – volet social exclusif"),
    }
);

/// The 6-month bilan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BilanGlobal {
    pub date: NaiveDate,
    pub resultat: ResultatBilan,
    pub decision: DecisionBilan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sortie: Option<SortieAccompagnement>,
}

/// Accompagnement global data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccompagnementGlobal {
    /// Freins périphériques (the seven thématiques).
    #[serde(default)]
    pub freins: Vec<Thematique>,
    #[serde(default)]
    pub motifs_non_integration: Vec<MotifNonIntegration>,
    #[serde(default)]
    pub bilans: Vec<BilanGlobal>,
    /// Dates until which the accompaniment was prolonged.
    #[serde(default)]
    pub prolongations: Vec<NaiveDate>,
}

/// Current accompaniment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Accompagnement {
    pub modalite: ModaliteAccompagnement,
    pub date_debut: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_fin_prevue: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<AccompagnementGlobal>,
}
