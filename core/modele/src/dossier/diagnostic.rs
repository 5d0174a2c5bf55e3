//! Diagnostic individu (seed 002 annex 2 §10.3): needs per diagnostic, diagnostics per
//! métier, pouvoir d'agir.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// Value of a need ("cases à cocher").
    ValeurBesoin, "valeur du besoin" {
        NonExplore => ("NON_EXPLORE", "Non exploré"),
        Besoin => ("BESOIN", "Besoin"),
        PointFort => ("POINT_FORT", "Point fort"),
    }
);

coded_enum!(
    /// Needs explored in a diagnostic.
    CodeBesoin, "besoin" {
        ElaborerProjet => ("ELABORER_PROJET", "Élaborer son projet professionnel"),
        ConfirmerProjet => ("CONFIRMER_PROJET", "Confirmer son projet professionnel"),
        ValoriserCompetences => ("VALORISER_COMPETENCES", "Valoriser ses compétences"),
        ReussirCandidatures => ("REUSSIR_CANDIDATURES", "Réussir ses candidatures"),
        PreparerEntretiens => ("PREPARER_ENTRETIENS", "Préparer ses entretiens d'embauche"),
        RechercherOffres => ("RECHERCHER_OFFRES", "Rechercher des offres et entreprises"),
        SeFormer => ("SE_FORMER", "Se former"),
        CompetencesNumeriques => ("COMPETENCES_NUMERIQUES", "Développer ses compétences numériques"),
        CreerEntreprise => ("CREER_ENTREPRISE", "Créer ou reprendre une entreprise"),
    }
);

coded_enum!(
    /// Statut of a diagnostic.
    StatutDiagnostic, "statut du diagnostic" {
        EnCours => ("EN_COURS", "En cours"),
        Valide => ("VALIDE", "Validé"),
        Archive => ("ARCHIVE", "Archivé"),
    }
);

coded_enum!(
    /// Typologie of a diagnostic.
    TypologieDiagnostic, "typologie du diagnostic" {
        MetierRecherche => ("METIER_RECHERCHE", "Métier recherché"),
        ProjetEvolution => ("PROJET_EVOLUTION", "Projet d'évolution professionnelle"),
        ProjetCreation => ("PROJET_CREATION", "Projet de création ou reprise d'entreprise"),
    }
);

coded_enum!(
    /// Levels of the pouvoir d'agir.
    NiveauPouvoirAgir, "niveau du pouvoir d'agir" {
        Faible => ("FAIBLE", "Faible"),
        Moyen => ("MOYEN", "Moyen"),
        Eleve => ("ELEVE", "Élevé"),
    }
);

coded_enum!(
    /// Result of the pouvoir d'agir analysis.
    ResultatPouvoirAgir, "résultat d'analyse du pouvoir d'agir" {
        Autonome => ("AUTONOME", "Autonome dans sa recherche"),
        AAccompagner => ("A_ACCOMPAGNER", "À accompagner"),
        ARenforcer => ("A_RENFORCER", "Accompagnement à renforcer"),
    }
);

/// One need and its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Besoin {
    pub code: CodeBesoin,
    pub valeur: ValeurBesoin,
}

/// The needs of one diagnostic (one métier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsParDiagnostic {
    pub id_metier: String,
    pub besoins: Vec<Besoin>,
}

/// Professional who last updated a diagnostic.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conseiller {
    pub nom: String,
    pub prenom: String,
    pub structure: String,
}

impl std::fmt::Debug for Conseiller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Conseiller(***, {})", self.structure)
    }
}

/// A diagnostic attached to a métier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticMetier {
    pub id_metier: String,
    pub nom_metier: String,
    pub statut: StatutDiagnostic,
    pub typologie: TypologieDiagnostic,
    pub est_prioritaire: bool,
    pub conseiller: Conseiller,
    pub date_mise_a_jour: NaiveDate,
}

/// The diagnostic part of the dossier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    #[serde(default)]
    pub besoins_par_diagnostic: Vec<BesoinsParDiagnostic>,
    #[serde(default)]
    pub diagnostics: Vec<DiagnosticMetier>,
}

/// A change of one diagnostic, as a partner asks for it: check boxes only.
#[derive(Debug, Clone, PartialEq)]
pub struct ModificationDiagnostic {
    /// Must be the métier of the diagnostic when given (no free text).
    pub nom_metier: Option<String>,
    pub typologie: TypologieDiagnostic,
    pub statut: Option<StatutDiagnostic>,
    pub est_prioritaire: Option<bool>,
    /// Must be the agent making the change when given (no free text).
    pub conseiller: Option<Conseiller>,
}

/// Why a change of a diagnostic is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusDiagnostic {
    #[error("le conseiller doit être l'agent qui modifie et sa structure ; texte libre non admis")]
    ConseillerAutre,
    #[error("aucun diagnostic pour ce métier")]
    MetierInconnu,
    #[error("le nom du métier ne peut pas changer ; texte libre non admis")]
    NomMetierChange,
}

impl Diagnostic {
    /// Applies a change to the diagnostic of métier `id_metier`: the conseiller recorded
    /// is always `agent` (the one who makes it), the métier's name cannot change.
    pub fn modifier(
        &mut self,
        id_metier: &str,
        m: &ModificationDiagnostic,
        agent: Conseiller,
        aujourdhui: NaiveDate,
    ) -> Result<(), RefusDiagnostic> {
        if m.conseiller.as_ref().is_some_and(|c| *c != agent) {
            return Err(RefusDiagnostic::ConseillerAutre);
        }
        let cible =
            self.diagnostics.iter_mut().find(|x| x.id_metier == id_metier).ok_or(RefusDiagnostic::MetierInconnu)?;
        if m.nom_metier.as_ref().is_some_and(|n| *n != cible.nom_metier) {
            return Err(RefusDiagnostic::NomMetierChange);
        }
        cible.statut = m.statut.unwrap_or(cible.statut);
        cible.typologie = m.typologie;
        cible.est_prioritaire = m.est_prioritaire.unwrap_or(cible.est_prioritaire);
        cible.conseiller = agent;
        cible.date_mise_a_jour = aujourdhui;
        Ok(())
    }
}

/// Pouvoir d'agir.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PouvoirAgir {
    pub confiance: NiveauPouvoirAgir,
    pub accompagnement: NiveauPouvoirAgir,
    pub resultat_analyse: ResultatPouvoirAgir,
}
