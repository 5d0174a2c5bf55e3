//! Diagnostic individu (seed 002 annex 2 §10.3): needs per diagnostic, diagnostics per
//! métier, pouvoir d'agir.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Coded, coded_enum};

coded_enum!(
    /// Value of a need ("cases à cocher").
    ValeurBesoin, "valeur du besoin" {
        NonExplore => ("NON_EXPLORE", "Non exploré"),
        Besoin => ("BESOIN", "Besoin"),
        PointFort => ("POINT_FORT", "Point fort"),
    }
);

coded_enum!(
    /// Needs explored in a diagnostic: France Travail's codes and labels (the v1 reference
    /// lists 1–6 and 8–21; 7, the services numériques, belongs to the autonomie numérique
    /// of v4). Former DUDE codes are still read.
    CodeBesoin, "besoin" {
        PointsForts => ("1", "Identifier ses points forts et ses compétences"),
        OpportunitesEmploi => ("2", "Connaître les opportunités d’emploi"),
        DecouvrirMetier => ("3", "Découvrir un métier ou un secteur d’activité"),
        ConfirmerMetier => ("4", "Confirmer son choix de métier"),
        TrouverFormation => ("5", "Trouver sa formation"),
        DossierFormation => ("6", "Monter son dossier de formation"),
        ServicesNumeriques => ("7", "Connaître et utiliser les services numériques"),
        ValoriserCompetences => ("8", "Valoriser ses compétences"),
        CvLettre => ("9", "Réaliser un CV et/ou une lettre de motivation"),
        Reseau => ("10", "Développer son réseau"),
        OrganiserRecherche => ("11", "Organiser ses démarches de recherche d’emploi"),
        RepondreOffres => ("12", "Répondre à des offres d’emploi"),
        CandidaturesSpontanees => ("13", "Faire des candidatures spontanées"),
        SuivreCandidatures => ("14", "Suivre ses candidatures et relancer les recruteurs"),
        Entretien => ("15", "Convaincre un recruteur en entretien"),
        DefinirCreation => ("16", "Définir son projet de création d’entreprise"),
        StructurerCreation => ("17", "Structurer son projet de création d’entreprise"),
        DevelopperEntreprise => ("18", "Développer son entreprise"),
        EmploiEtranger => ("19", "Connaître les opportunités d’emploi à l’étranger"),
        AidesEtranger => ("20", "S’informer sur les aides pour travailler à l’étranger"),
        RetourFrance => ("21", "S’organiser suite à son retour en France"),
    }
    anciens {
        "ELABORER_PROJET" => DecouvrirMetier, "CONFIRMER_PROJET" => ConfirmerMetier,
        "VALORISER_COMPETENCES" => ValoriserCompetences, "REUSSIR_CANDIDATURES" => CvLettre,
        "PREPARER_ENTRETIENS" => Entretien, "RECHERCHER_OFFRES" => OrganiserRecherche,
        "SE_FORMER" => TrouverFormation, "COMPETENCES_NUMERIQUES" => ServicesNumeriques,
        "CREER_ENTREPRISE" => DefinirCreation,
    }
);

coded_enum!(
    /// Thématiques of the needs (v4 `thematiquesBesoins`): 1 and 2 are France Travail's
    /// (public client fixtures); the reference gives no others, so the rest are DUDE's.
    ThematiqueBesoin, "thématique de besoins" {
        ChoisirMetier => ("1", "Choisir un métier"),
        SeFormer => ("2", "Se former"),
        Candidature => ("CANDIDATURE", "Préparer sa candidature"),
        RechercheEmploi => ("RECHERCHE_EMPLOI", "Trouver un emploi"),
        Creation => ("CREATION", "Créer ou développer son entreprise"),
        International => ("INTERNATIONAL", "Travailler à l'étranger"),
    }
);

impl CodeBesoin {
    /// The besoins a diagnostic lists (France Travail's v1: all but 7).
    pub fn du_diagnostic() -> impl Iterator<Item = CodeBesoin> {
        CodeBesoin::ALL.iter().copied().filter(|b| *b != CodeBesoin::ServicesNumeriques)
    }

    /// Its thématique (`None` for 7, part of the autonomie numérique).
    pub fn thematique(self) -> Option<ThematiqueBesoin> {
        use CodeBesoin::*;
        Some(match self {
            PointsForts | OpportunitesEmploi | DecouvrirMetier | ConfirmerMetier => ThematiqueBesoin::ChoisirMetier,
            TrouverFormation | DossierFormation => ThematiqueBesoin::SeFormer,
            ServicesNumeriques => return None,
            ValoriserCompetences | CvLettre | Reseau => ThematiqueBesoin::Candidature,
            OrganiserRecherche | RepondreOffres | CandidaturesSpontanees | SuivreCandidatures | Entretien => {
                ThematiqueBesoin::RechercheEmploi
            }
            DefinirCreation | StructurerCreation | DevelopperEntreprise => ThematiqueBesoin::Creation,
            EmploiEtranger | AidesEtranger | RetourFrance => ThematiqueBesoin::International,
        })
    }
}

coded_enum!(
    /// Statut of a diagnostic.
    StatutDiagnostic, "statut du diagnostic" {
        EnCours => ("EN_COURS", "En cours"),
        Valide => ("VALIDE", "Validé"),
        Archive => ("ARCHIVE", "Archivé"),
    }
);

coded_enum!(
    /// Typologie of a diagnostic: `MR` and its label are France Travail's (`codeTypologie`,
    /// `typologie`); the reference gives no other, so the two others are DUDE's.
    TypologieDiagnostic, "typologie du diagnostic" {
        MetierRecherche => ("MR", "métier recherché"),
        ProjetEvolution => ("PROJET_EVOLUTION", "projet d'évolution professionnelle"),
        ProjetCreation => ("PROJET_CREATION", "projet de création ou reprise d'entreprise"),
    }
    anciens { "METIER_RECHERCHE" => MetierRecherche }
);

coded_enum!(
    /// Answers of the pouvoir d'agir (confiance, accompagnement), France Travail's values.
    NiveauPouvoirAgir, "réponse du pouvoir d'agir" {
        Oui => ("OUI", "Oui"),
        Non => ("NON", "Non"),
        NeSaitPas => ("NE_SAIT_PAS", "Ne sait pas"),
    }
    anciens { "FAIBLE" => Non, "MOYEN" => NeSaitPas, "ELEVE" => Oui }
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
    #[error("besoin hors du diagnostic (les services numériques relèvent de l'autonomie numérique)")]
    BesoinHorsDiagnostic,
    #[error("besoin en double")]
    BesoinEnDouble,
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

impl Diagnostic {
    /// Records the values of needs explored in the diagnostic of métier `id_metier` (one
    /// value per need, by check box): each need given replaces the stored one; the others
    /// stay.
    pub fn enregistrer_besoins(&mut self, id_metier: &str, besoins: &[Besoin]) -> Result<(), RefusDiagnostic> {
        if !self.diagnostics.iter().any(|x| x.id_metier == id_metier)
            && !self.besoins_par_diagnostic.iter().any(|x| x.id_metier == id_metier)
        {
            return Err(RefusDiagnostic::MetierInconnu);
        }
        if besoins.iter().any(|b| b.code.thematique().is_none()) {
            return Err(RefusDiagnostic::BesoinHorsDiagnostic);
        }
        if (0..besoins.len()).any(|i| besoins[..i].iter().any(|o| o.code == besoins[i].code)) {
            return Err(RefusDiagnostic::BesoinEnDouble);
        }
        let cible = match self.besoins_par_diagnostic.iter().position(|x| x.id_metier == id_metier) {
            Some(i) => &mut self.besoins_par_diagnostic[i],
            None => {
                self.besoins_par_diagnostic.push(BesoinsParDiagnostic { id_metier: id_metier.into(), besoins: vec![] });
                self.besoins_par_diagnostic.last_mut().expect("just pushed")
            }
        };
        for b in besoins {
            match cible.besoins.iter_mut().find(|x| x.code == b.code) {
                Some(x) => x.valeur = b.valeur,
                None => cible.besoins.push(b.clone()),
            }
        }
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

#[cfg(test)]
mod tests_besoins {
    use super::*;

    fn diagnostic() -> Diagnostic {
        Diagnostic {
            besoins_par_diagnostic: vec![],
            diagnostics: vec![DiagnosticMetier {
                id_metier: "M1".into(),
                nom_metier: "Commis de cuisine".into(),
                statut: StatutDiagnostic::EnCours,
                typologie: TypologieDiagnostic::MetierRecherche,
                est_prioritaire: true,
                conseiller: Conseiller { nom: "N".into(), prenom: "P".into(), structure: "S".into() },
                date_mise_a_jour: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            }],
        }
    }

    #[test]
    fn needs_are_recorded_per_diagnostic_one_value_each() {
        let mut d = diagnostic();
        let b = |code, valeur| Besoin { code, valeur };
        d.enregistrer_besoins("M1", &[b(CodeBesoin::CvLettre, ValeurBesoin::Besoin)]).unwrap();
        d.enregistrer_besoins(
            "M1",
            &[b(CodeBesoin::CvLettre, ValeurBesoin::PointFort), b(CodeBesoin::Reseau, ValeurBesoin::Besoin)],
        )
        .unwrap();
        assert_eq!(d.besoins_par_diagnostic.len(), 1);
        assert_eq!(
            d.besoins_par_diagnostic[0].besoins,
            vec![b(CodeBesoin::CvLettre, ValeurBesoin::PointFort), b(CodeBesoin::Reseau, ValeurBesoin::Besoin)]
        );
        assert_eq!(
            d.enregistrer_besoins("M2", &[b(CodeBesoin::CvLettre, ValeurBesoin::Besoin)]),
            Err(RefusDiagnostic::MetierInconnu)
        );
        assert_eq!(
            d.enregistrer_besoins("M1", &[b(CodeBesoin::ServicesNumeriques, ValeurBesoin::Besoin)]),
            Err(RefusDiagnostic::BesoinHorsDiagnostic)
        );
        assert_eq!(
            d.enregistrer_besoins(
                "M1",
                &[b(CodeBesoin::Reseau, ValeurBesoin::Besoin), b(CodeBesoin::Reseau, ValeurBesoin::PointFort)]
            ),
            Err(RefusDiagnostic::BesoinEnDouble)
        );
    }
}
