//! Contraintes personnelles: thématiques (the seven freins périphériques), contraintes,
//! situations and objectifs, all coded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Coded, coded_enum};

coded_enum!(
    /// Thématique of constraints; the same seven as the freins périphériques of seed 004.
    Thematique, "thématique de contraintes" {
        Finances => ("FINANCES", "Faire face à des difficultés financières"),
        Logement => ("LOGEMENT", "Faire face à des difficultés de logement"),
        Sante => ("SANTE", "Prendre en compte son état de santé"),
        AdministratifJuridique => ("ADMIN_JURIDIQUE", "Faire face à des difficultés administratives ou juridiques"),
        Famille => ("FAMILLE", "Surmonter des contraintes familiales"),
        InsertionCommunication => ("INSERTION_COMMUNICATION", "Développer ses capacités d'insertion et de communication"),
        Transport => ("TRANSPORT", "Accéder à un moyen de transport"),
    }
);

coded_enum!(
    /// A constraint, within its thématique.
    CodeContrainte, "contrainte" {
        Endettement => ("ENDETTEMENT", "Faire face à un endettement"),
        Budget => ("BUDGET", "Gérer son budget"),
        SansLogement => ("SANS_LOGEMENT", "Être sans logement ou en hébergement précaire"),
        MaintienLogement => ("MAINTIEN_LOGEMENT", "Se maintenir dans son logement"),
        AccesSoins => ("ACCES_SOINS", "Accéder aux soins"),
        Handicap => ("HANDICAP", "Faire reconnaître un handicap"),
        AccesDroits => ("ACCES_DROITS", "Accéder à ses droits"),
        TitreSejour => ("TITRE_SEJOUR", "Régulariser sa situation administrative"),
        GardeEnfants => ("GARDE_ENFANTS", "Trouver une solution de garde d'enfants"),
        Aidant => ("AIDANT", "Concilier un rôle d'aidant familial"),
        Francais => ("FRANCAIS", "Maîtriser le français"),
        Numerique => ("NUMERIQUE", "Utiliser les outils numériques"),
        Permis => ("PERMIS", "Obtenir le permis de conduire"),
        Vehicule => ("VEHICULE", "Disposer d'un véhicule ou d'un transport en commun"),
    }
);

impl CodeContrainte {
    /// The thématique the constraint belongs to.
    pub fn thematique(self) -> Thematique {
        use CodeContrainte::*;
        match self {
            Endettement | Budget => Thematique::Finances,
            SansLogement | MaintienLogement => Thematique::Logement,
            AccesSoins | Handicap => Thematique::Sante,
            AccesDroits | TitreSejour => Thematique::AdministratifJuridique,
            GardeEnfants | Aidant => Thematique::Famille,
            Francais | Numerique => Thematique::InsertionCommunication,
            Permis | Vehicule => Thematique::Transport,
        }
    }
}

coded_enum!(
    /// Value of a constraint.
    ValeurContrainte, "valeur de la contrainte" {
        Oui => ("OUI", "Contrainte identifiée"),
        Non => ("NON", "Pas de contrainte"),
        NonAbordee => ("NON_ABORDEE", "Non abordée"),
    }
);

coded_enum!(
    /// Situations that describe a constraint.
    CodeSituation, "situation" {
        SansRessources => ("SANS_RESSOURCES", "Sans ressources"),
        Surendettement => ("SURENDETTEMENT", "Dossier de surendettement"),
        HebergeTiers => ("HEBERGE_TIERS", "Hébergé chez un tiers"),
        SansDomicile => ("SANS_DOMICILE", "Sans domicile stable"),
        ArretMaladie => ("ARRET_MALADIE", "En arrêt maladie"),
        RqthEnCours => ("RQTH_EN_COURS", "Demande de RQTH en cours"),
        DroitsNonOuverts => ("DROITS_NON_OUVERTS", "Droits sociaux non ouverts"),
        ParentIsole => ("PARENT_ISOLE", "Parent isolé"),
        SansPermis => ("SANS_PERMIS", "Sans permis de conduire"),
        SansVehicule => ("SANS_VEHICULE", "Sans véhicule"),
        IllettrismeNumerique => ("ILLETTRISME_NUMERIQUE", "Illettrisme numérique"),
    }
);

coded_enum!(
    /// Value of a situation.
    ValeurSituation, "valeur de la situation" {
        Oui => ("OUI", "Oui"),
        Non => ("NON", "Non"),
        NonAbordee => ("NON_ABORDEE", "Non abordée"),
    }
);

coded_enum!(
    /// Objectives set for a constraint.
    CodeObjectif, "objectif" {
        EtablirBudget => ("ETABLIR_BUDGET", "Établir un budget"),
        TraiterDettes => ("TRAITER_DETTES", "Traiter ses dettes"),
        TrouverLogement => ("TROUVER_LOGEMENT", "Trouver un logement"),
        AccederSoins => ("ACCEDER_SOINS", "Accéder aux soins"),
        ObtenirRqth => ("OBTENIR_RQTH", "Obtenir la RQTH"),
        OuvrirDroits => ("OUVRIR_DROITS", "Ouvrir ses droits"),
        TrouverGarde => ("TROUVER_GARDE", "Trouver un mode de garde"),
        ApprendreFrancais => ("APPRENDRE_FRANCAIS", "Suivre une formation en français"),
        FormationNumerique => ("FORMATION_NUMERIQUE", "Se former au numérique"),
        PasserPermis => ("PASSER_PERMIS", "Passer le permis de conduire"),
        SolutionMobilite => ("SOLUTION_MOBILITE", "Trouver une solution de mobilité"),
    }
);

coded_enum!(
    /// Value of an objective.
    ValeurObjectif, "valeur de l'objectif" {
        EnCours => ("EN_COURS", "En cours"),
        Realise => ("REALISE", "Réalisé"),
        Abandonne => ("ABANDONNE", "Abandonné"),
        NonAborde => ("NON_ABORDE", "Non abordé"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SituationContrainte {
    pub code: CodeSituation,
    pub valeur: ValeurSituation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectifContrainte {
    pub code: CodeObjectif,
    pub valeur: ValeurObjectif,
}

/// One constraint with its situations and objectives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contrainte {
    pub code: CodeContrainte,
    pub valeur: ValeurContrainte,
    pub date: NaiveDate,
    #[serde(default)]
    pub situations: Vec<SituationContrainte>,
    #[serde(default)]
    pub objectifs: Vec<ObjectifContrainte>,
}

/// Constraints of a person, with who explored them and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contraintes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_exploration: Option<NaiveDate>,
    /// Identifier of the professional who made the last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conseiller: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_de_modification: Option<NaiveDate>,
    #[serde(default)]
    pub contraintes: Vec<Contrainte>,
}

/// A constraint as a partner records it: check boxes only (dated on recording).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContrainteSaisie {
    pub code: CodeContrainte,
    pub valeur: ValeurContrainte,
    #[serde(default)]
    pub situations: Vec<SituationContrainte>,
    #[serde(default)]
    pub objectifs: Vec<ObjectifContrainte>,
}

/// Why a recording of constraints is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusContraintes {
    #[error("date d'exploration future non admise")]
    ExplorationFuture,
    #[error("le conseiller doit être l'agent qui enregistre")]
    ConseillerAutre,
    /// The index of the second occurrence.
    #[error("contrainte en double")]
    EnDouble(usize),
}

impl Contraintes {
    /// Records constraints explored by agent `agent`: each one given replaces the one
    /// stored with the same code; the explorer named must be the agent recording.
    pub fn enregistrer(
        &mut self,
        saisies: &[ContrainteSaisie],
        date_exploration: NaiveDate,
        conseiller: &str,
        agent: &str,
        aujourdhui: NaiveDate,
    ) -> Result<(), RefusContraintes> {
        if date_exploration > aujourdhui {
            return Err(RefusContraintes::ExplorationFuture);
        }
        if conseiller != agent {
            return Err(RefusContraintes::ConseillerAutre);
        }
        if let Some(i) = (0..saisies.len()).find(|&i| saisies[..i].iter().any(|o| o.code == saisies[i].code)) {
            return Err(RefusContraintes::EnDouble(i));
        }
        for s in saisies {
            let nouvelle = Contrainte {
                code: s.code,
                valeur: s.valeur,
                date: aujourdhui,
                situations: s.situations.clone(),
                objectifs: s.objectifs.clone(),
            };
            match self.contraintes.iter_mut().find(|x| x.code == s.code) {
                Some(x) => *x = nouvelle,
                None => self.contraintes.push(nouvelle),
            }
        }
        self.date_exploration = Some(date_exploration);
        self.conseiller = Some(agent.into());
        self.date_de_modification = Some(aujourdhui);
        Ok(())
    }
}

/// Constraints grouped by thématique, as the API returns them.
pub fn par_thematique(c: &Contraintes) -> Vec<(Thematique, Vec<&Contrainte>)> {
    Thematique::ALL
        .iter()
        .map(|t| (*t, c.contraintes.iter().filter(|x| x.code.thematique() == *t).collect::<Vec<_>>()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}
