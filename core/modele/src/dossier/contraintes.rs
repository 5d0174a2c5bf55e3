//! Contraintes personnelles, with France Travail's code lists (the reference fixture of
//! `diagnosticargumente` v1): the thématique "7", its contraintes, their situations and
//! objectifs. Each situation and objectif belongs to one contrainte.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Coded, coded_enum};

/// The thématique of the contraintes, France Travail's ("Résoudre ses contraintes
/// personnelles"): the seven freins périphériques of seed 004 are its contraintes 23–29.
pub const THEMATIQUE: (&str, &str) = ("7", "Résoudre ses contraintes personnelles");

coded_enum!(
    /// A contrainte, France Travail's code list (`diagnosticargumente` v1 reference): 23–29,
    /// the seven freins périphériques; 22, the autonomie numérique of v4. Former DUDE codes
    /// (and the former thématiques, for the freins) are still read.
    CodeContrainte, "contrainte" {
        Numerique => ("22", "Accéder au numérique et en maîtriser les fondamentaux"),
        Mobilite => ("23", "Développer sa mobilité"),
        Famille => ("24", "Surmonter ses contraintes familiales"),
        Sante => ("25", "Prendre en compte son état de santé"),
        LectureEcritureCalcul => ("26", "Développer ses capacités en lecture, écriture et calcul"),
        Logement => ("27", "Faire face à des difficultés de logement"),
        Finances => ("28", "Faire face à des difficultés financières"),
        AdministratifJuridique => ("29", "Faire face à des difficultés administratives ou juridiques"),
    }
    anciens {
        "ENDETTEMENT" => Finances, "BUDGET" => Finances, "FINANCES" => Finances,
        "SANS_LOGEMENT" => Logement, "MAINTIEN_LOGEMENT" => Logement, "LOGEMENT" => Logement,
        "ACCES_SOINS" => Sante, "HANDICAP" => Sante, "SANTE" => Sante,
        "ACCES_DROITS" => AdministratifJuridique, "TITRE_SEJOUR" => AdministratifJuridique,
        "ADMIN_JURIDIQUE" => AdministratifJuridique,
        "GARDE_ENFANTS" => Famille, "AIDANT" => Famille, "FAMILLE" => Famille,
        "FRANCAIS" => LectureEcritureCalcul, "INSERTION_COMMUNICATION" => LectureEcritureCalcul,
        "NUMERIQUE" => Numerique,
        "PERMIS" => Mobilite, "VEHICULE" => Mobilite, "TRANSPORT" => Mobilite,
    }
);

impl CodeContrainte {
    /// The contraintes of the thématique "7", as France Travail lists them (the autonomie
    /// numérique, 22, is apart).
    pub fn de_la_thematique() -> impl Iterator<Item = CodeContrainte> {
        CodeContrainte::ALL.iter().copied().filter(|c| *c != CodeContrainte::Numerique)
    }

    /// Its situations, in France Travail's order.
    pub fn situations(self) -> impl Iterator<Item = CodeSituation> {
        CodeSituation::ALL.iter().copied().filter(move |s| s.contrainte() == self)
    }

    /// Its objectifs, in France Travail's order.
    pub fn objectifs(self) -> impl Iterator<Item = CodeObjectif> {
        CodeObjectif::ALL.iter().copied().filter(move |o| o.contrainte() == self)
    }
}

coded_enum!(
    /// Value of a contrainte (France Travail's).
    ValeurContrainte, "valeur de la contrainte" {
        Oui => ("OUI", "Contrainte identifiée"),
        NonAbordee => ("NON_ABORDEE", "Non abordée"),
        Cloturee => ("CLOTUREE", "Contrainte levée"),
    }
    anciens { "NON" => NonAbordee }
);

coded_enum!(
    /// Situations describing a contrainte, France Travail's codes (6–41 from the v1
    /// reference, 42–53 of the autonomie numérique).
    CodeSituation, "situation" {
        AucunTransport => ("6", "Aucun moyen de transport à disposition"),
        DependantTransportsCommun => ("7", "Dépendant des transports en commun"),
        PermisNonValide => ("8", "Permis non valide / suspension de permis"),
        SanteIncompatibleConduite => ("40", "État de santé incompatible avec la conduite"),
        EnfantHandicap => ("9", "Enfant(s) en situation de handicap"),
        ContraintesHoraires => ("10", "Contraintes horaires"),
        AidantFamilial => ("11", "Aidant familial (s'occuper d'un proche)"),
        AutresContraintesFamiliales => ("12", "Autres contraintes familiales à prendre en compte"),
        EnfantSansGarde => ("13", "Enfant(s) de moins de 3 ans sans solution de garde"),
        AttendEnfant => ("14", "Attend un enfant ou plus"),
        SanteEntraveMetiers => ("15", "Problème déclaré entravant l'exercice de certains métiers"),
        CouvertureSociale => ("16", "Couverture sociale / mutuelle à mettre à jour"),
        SanteEmpecheActivite => ("17", "Problème déclaré ne permettant plus d'exercer une activité professionnelle"),
        SanteEmpecheRepriseImmediate => ("18", "Problème déclaré ne permettant pas de reprendre une activité professionnelle immédiate"),
        SanteAbsencesRegulieres => ("19", "Problème déclaré entrainant des absences régulières"),
        NonMaitriseEcrit => ("20", "Non maitrise de l'écrit en français (écrit)"),
        NonMaitriseLecture => ("21", "Non maitrise de la lecture en français (lu)"),
        NonMaitriseComprehension => ("22", "Non maitrise de la compréhension du français (parlé)"),
        DifficultesCalcul => ("23", "Difficultés en calcul"),
        SansHebergement => ("24", "Sans hébergement / rupture effective de logement"),
        LogementInsalubre => ("25", "Logement insalubre"),
        DifficultePayerLoyer => ("26", "Difficulté à payer le loyer"),
        DoitQuitterLogement => ("27", "Doit quitter le logement"),
        TerritoireRuralIsole => ("28", "Territoire rural isolé"),
        AdapterLogement => ("41", "Besoin d'adapter le logement"),
        SansRessource => ("29", "Sans aucune ressource"),
        BaisseRessources => ("30", "Baisse des ressources"),
        GestionBudget => ("31", "Difficulté dans la gestion d'un budget"),
        Surendettement => ("32", "En situation de surendettement"),
        SoutienAlimentaire => ("33", "Besoin d'un soutien alimentaire"),
        RessourcesPrecaires => ("34", "Ressources précaires (inférieures au seuil de pauvreté)"),
        DemarcheAdministrative => ("35", "Difficultés à effectuer une démarche administrative"),
        GuideAccesDroits => ("36", "Besoin d'etre guidé dans le cadre d'un accès aux droits"),
        DifficultesJuridiques => ("37", "Rencontre des difficultés juridiques"),
        JustificatifIdentite => ("38", "Difficulté à accéder à un justificatif d'identité"),
        AvisImposition => ("39", "Difficulté à accéder à son avis d'imposition"),
        AbsenceEquipement => ("42", "Absence d'équipement"),
        DisposeOrdinateur => ("43", "Dispose d'un ordinateur"),
        DisposeSmartphone => ("44", "Dispose d'un smartphone"),
        DisposeTablette => ("45", "Dispose d'une tablette"),
        NonMaitriseEquipement => ("46", "Absence de maîtrise de l'équipement"),
        SansConnexionZoneBlanche => ("47", "Absence de connexion (zone blanche)"),
        SansConnexionRefus => ("48", "Absence de connexion (refus)"),
        SansConnexionAutre => ("49", "Absence de connexion (autre)"),
        SansMessagerie => ("50", "Absence d'adresse ou d'utilisation de la messagerie"),
        SansMobiliteEspaceNumerique => ("51", "Absence de mobilité pour accéder à un espace numérique"),
        DemarchesEnLigne => ("52", "Difficulté à réaliser des démarches administratives en ligne"),
        DifficulteNumeriquePix => ("53", "En difficulté sur le numérique (résultat Pix emploi <50%)"),
    }
    anciens {
        "SANS_RESSOURCES" => SansRessource, "SURENDETTEMENT" => Surendettement,
        "HEBERGE_TIERS" => SansHebergement, "SANS_DOMICILE" => SansHebergement,
        "ARRET_MALADIE" => SanteAbsencesRegulieres, "RQTH_EN_COURS" => SanteEntraveMetiers,
        "DROITS_NON_OUVERTS" => GuideAccesDroits, "PARENT_ISOLE" => AutresContraintesFamiliales,
        "SANS_PERMIS" => PermisNonValide, "SANS_VEHICULE" => AucunTransport,
        "ILLETTRISME_NUMERIQUE" => NonMaitriseEquipement,
    }
);

impl CodeSituation {
    /// The contrainte it describes.
    pub fn contrainte(self) -> CodeContrainte {
        match self {
            CodeSituation::AucunTransport
            | CodeSituation::DependantTransportsCommun
            | CodeSituation::PermisNonValide
            | CodeSituation::SanteIncompatibleConduite => CodeContrainte::Mobilite,
            CodeSituation::EnfantHandicap
            | CodeSituation::ContraintesHoraires
            | CodeSituation::AidantFamilial
            | CodeSituation::AutresContraintesFamiliales
            | CodeSituation::EnfantSansGarde
            | CodeSituation::AttendEnfant => CodeContrainte::Famille,
            CodeSituation::SanteEntraveMetiers
            | CodeSituation::CouvertureSociale
            | CodeSituation::SanteEmpecheActivite
            | CodeSituation::SanteEmpecheRepriseImmediate
            | CodeSituation::SanteAbsencesRegulieres => CodeContrainte::Sante,
            CodeSituation::NonMaitriseEcrit
            | CodeSituation::NonMaitriseLecture
            | CodeSituation::NonMaitriseComprehension
            | CodeSituation::DifficultesCalcul => CodeContrainte::LectureEcritureCalcul,
            CodeSituation::SansHebergement
            | CodeSituation::LogementInsalubre
            | CodeSituation::DifficultePayerLoyer
            | CodeSituation::DoitQuitterLogement
            | CodeSituation::TerritoireRuralIsole
            | CodeSituation::AdapterLogement => CodeContrainte::Logement,
            CodeSituation::SansRessource
            | CodeSituation::BaisseRessources
            | CodeSituation::GestionBudget
            | CodeSituation::Surendettement
            | CodeSituation::SoutienAlimentaire
            | CodeSituation::RessourcesPrecaires => CodeContrainte::Finances,
            CodeSituation::DemarcheAdministrative
            | CodeSituation::GuideAccesDroits
            | CodeSituation::DifficultesJuridiques
            | CodeSituation::JustificatifIdentite
            | CodeSituation::AvisImposition => CodeContrainte::AdministratifJuridique,
            CodeSituation::AbsenceEquipement
            | CodeSituation::DisposeOrdinateur
            | CodeSituation::DisposeSmartphone
            | CodeSituation::DisposeTablette
            | CodeSituation::NonMaitriseEquipement
            | CodeSituation::SansConnexionZoneBlanche
            | CodeSituation::SansConnexionRefus
            | CodeSituation::SansConnexionAutre
            | CodeSituation::SansMessagerie
            | CodeSituation::SansMobiliteEspaceNumerique
            | CodeSituation::DemarchesEnLigne
            | CodeSituation::DifficulteNumeriquePix => CodeContrainte::Numerique,
        }
    }
}

coded_enum!(
    /// Value of a situation.
    ValeurSituation, "valeur de la situation" {
        Oui => ("OUI", "Oui"),
        Non => ("NON", "Non"),
        NonAbordee => ("NON_ABORDEE", "Non abordée"),
    }
);

coded_enum!(
    /// Objectifs set for a contrainte: France Travail's codes 1–32 (v1 reference); those of
    /// the autonomie numérique are DUDE's (the reference gives none).
    CodeObjectif, "objectif" {
        PointMobilite => ("25", "Faire un point complet sur sa mobilité"),
        AccesVehicule => ("26", "Accéder à un véhicule"),
        EntretienVehicule => ("27", "Entretenir ou réparer son véhicule"),
        PermisConduire => ("28", "Obtenir le permis de conduire (code / conduite)"),
        SolutionTransport => ("29", "Trouver une solution de transport (hors acquisition ou entretien de véhicule)"),
        MobilitePsychologique => ("30", "Travailler la mobilité psychologique"),
        PriseEnChargeDependant => ("1", "Faire face à la prise en charge d'une personne dépendante"),
        GardeEnfant => ("2", "Trouver des solutions de garde d'enfant"),
        DifficultesEducatives => ("3", "Surmonter des difficultés éducatives ou de parentalité"),
        ConflitFamilial => ("4", "Faire face à un conflit familial et/ou une séparation"),
        StatutAidant => ("5", "Obtenir le statut d'aidant familial"),
        RompreIsolement => ("6", "Rompre l'isolement"),
        AccesDroitsSoins => ("31", "Bénéficier d'un accompagnement pour accéder aux droits et aux soins"),
        ComportementsSante => ("32", "Travailler sur les comportements de santé (dépendances, hygiènes corporelles, dépistage, ...)"),
        CapacitesFrancais => ("23", "Apprendre / Améliorer ses capacités en français "),
        CapacitesCalcul => ("24", "Apprendre / Améliorer ses capacités en calcul"),
        MaintienLogement => ("17", "Se maintenir dans le logement"),
        ImpayesLoyer => ("18", "Réduire les impayés de loyer"),
        HebergementTemporaire => ("19", "Rechercher une solution d'hébergement temporaire "),
        AccesLogement => ("20", "Accéder à un logement"),
        ChangerLogement => ("21", "Changer de logement"),
        DemarchesLogement => ("22", "S'informer sur les démarches liées à l'accès au logement"),
        GestionBudgetaire => ("13", "Améliorer sa gestion budgétaire"),
        Endettement => ("14", "Faire face à une situation d'endettement / surendettement"),
        AutonomieBudgetaire => ("15", "Acquérir une autonomie budgétaire"),
        ProtectionFinanciere => ("16", "Mettre en place une mesure de protection financières (tutelles, curatelles, ...)"),
        RecoursDiscrimination => ("7", "Connaitre les voies de recours face à une discrimination"),
        ProblematiqueJudiciaire => ("8", "Prendre en compte une problématique judiciaire"),
        AppuiDemarches => ("9", "Bénéficier d'un appui aux démarches administratives"),
        AccompagnementDroits => ("10", "Bénéficier d'un accompagnement pour accéder aux droits"),
        MesureAccompagnementAdapte => ("11", "Bénéficier d'une mesure d'accompagnement adapté"),
        AccesCitoyennete => ("12", "Bénéficier d'un accompagnement à l'accès à la citoyenneté"),
        NumEquipement => ("NUM_EQUIPEMENT", "Acquérir un équipement"),
        NumConnexion => ("NUM_CONNEXION", "Accéder à une connexion internet"),
        NumFondamentaux => ("NUM_FONDAMENTAUX", "Maîtriser les fondamentaux du numérique"),
    }
    anciens {
        "ETABLIR_BUDGET" => GestionBudgetaire, "TRAITER_DETTES" => Endettement,
        "TROUVER_LOGEMENT" => AccesLogement, "ACCEDER_SOINS" => AccesDroitsSoins,
        "OBTENIR_RQTH" => AccesDroitsSoins, "OUVRIR_DROITS" => AccompagnementDroits,
        "TROUVER_GARDE" => GardeEnfant, "APPRENDRE_FRANCAIS" => CapacitesFrancais,
        "FORMATION_NUMERIQUE" => NumFondamentaux, "PASSER_PERMIS" => PermisConduire,
        "SOLUTION_MOBILITE" => SolutionTransport,
    }
);

impl CodeObjectif {
    /// The contrainte it serves.
    pub fn contrainte(self) -> CodeContrainte {
        match self {
            CodeObjectif::PointMobilite
            | CodeObjectif::AccesVehicule
            | CodeObjectif::EntretienVehicule
            | CodeObjectif::PermisConduire
            | CodeObjectif::SolutionTransport
            | CodeObjectif::MobilitePsychologique => CodeContrainte::Mobilite,
            CodeObjectif::PriseEnChargeDependant
            | CodeObjectif::GardeEnfant
            | CodeObjectif::DifficultesEducatives
            | CodeObjectif::ConflitFamilial
            | CodeObjectif::StatutAidant
            | CodeObjectif::RompreIsolement => CodeContrainte::Famille,
            CodeObjectif::AccesDroitsSoins | CodeObjectif::ComportementsSante => CodeContrainte::Sante,
            CodeObjectif::CapacitesFrancais | CodeObjectif::CapacitesCalcul => CodeContrainte::LectureEcritureCalcul,
            CodeObjectif::MaintienLogement
            | CodeObjectif::ImpayesLoyer
            | CodeObjectif::HebergementTemporaire
            | CodeObjectif::AccesLogement
            | CodeObjectif::ChangerLogement
            | CodeObjectif::DemarchesLogement => CodeContrainte::Logement,
            CodeObjectif::GestionBudgetaire
            | CodeObjectif::Endettement
            | CodeObjectif::AutonomieBudgetaire
            | CodeObjectif::ProtectionFinanciere => CodeContrainte::Finances,
            CodeObjectif::RecoursDiscrimination
            | CodeObjectif::ProblematiqueJudiciaire
            | CodeObjectif::AppuiDemarches
            | CodeObjectif::AccompagnementDroits
            | CodeObjectif::MesureAccompagnementAdapte
            | CodeObjectif::AccesCitoyennete => CodeContrainte::AdministratifJuridique,
            CodeObjectif::NumEquipement | CodeObjectif::NumConnexion | CodeObjectif::NumFondamentaux => {
                CodeContrainte::Numerique
            }
        }
    }
}

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
    /// The index of the contrainte: a situation or objectif of another contrainte.
    #[error("situation ou objectif d'une autre contrainte")]
    AutreContrainte(usize),
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
        if let Some(i) = saisies.iter().position(|s| {
            s.situations.iter().any(|x| x.code.contrainte() != s.code)
                || s.objectifs.iter().any(|x| x.code.contrainte() != s.code)
        }) {
            return Err(RefusContraintes::AutreContrainte(i));
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

/// The contraintes recorded, France Travail's thématique first (as the seed-named API
/// groups them: one thématique).
pub fn par_thematique(c: &Contraintes) -> Vec<((&'static str, &'static str), Vec<&Contrainte>)> {
    if c.contraintes.is_empty() {
        return Vec::new();
    }
    vec![(THEMATIQUE, c.contraintes.iter().collect())]
}

/// A contrainte as France Travail lists it: every one of the thématique, each with all its
/// situations and objectifs, the values recorded or "non abordé(e)".
pub struct ContrainteComplete {
    pub code: CodeContrainte,
    pub valeur: ValeurContrainte,
    pub date: Option<NaiveDate>,
    pub situations: Vec<(CodeSituation, ValeurSituation)>,
    pub objectifs: Vec<(CodeObjectif, ValeurObjectif)>,
}

impl Contraintes {
    /// `code` as France Travail lists it (recorded values, or "non abordé(e)").
    pub fn complete(&self, code: CodeContrainte) -> ContrainteComplete {
        let x = self.contraintes.iter().find(|x| x.code == code);
        ContrainteComplete {
            code,
            valeur: x.map_or(ValeurContrainte::NonAbordee, |x| x.valeur),
            date: x.map(|x| x.date),
            situations: code
                .situations()
                .map(|s| {
                    let v = x.and_then(|x| x.situations.iter().find(|y| y.code == s)).map(|y| y.valeur);
                    (s, v.unwrap_or(ValeurSituation::NonAbordee))
                })
                .collect(),
            objectifs: code
                .objectifs()
                .map(|o| {
                    let v = x.and_then(|x| x.objectifs.iter().find(|y| y.code == o)).map(|y| y.valeur);
                    (o, v.unwrap_or(ValeurObjectif::NonAborde))
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn france_travail_lists_each_situation_and_objectif_under_its_contrainte() {
        let codes = |it: &mut dyn Iterator<Item = &'static str>| it.collect::<Vec<_>>().join(",");
        assert_eq!(codes(&mut CodeContrainte::de_la_thematique().map(|c| c.code())), "23,24,25,26,27,28,29");
        assert_eq!(codes(&mut CodeContrainte::Mobilite.situations().map(|c| c.code())), "6,7,8,40");
        assert_eq!(codes(&mut CodeContrainte::Famille.objectifs().map(|c| c.code())), "1,2,3,4,5,6");
        assert_eq!(codes(&mut CodeContrainte::Logement.situations().map(|c| c.code())), "24,25,26,27,28,41");
        // former codes are read, never written
        assert_eq!(CodeContrainte::from_code("PERMIS"), Ok(CodeContrainte::Mobilite));
        assert_eq!(CodeSituation::from_code("SANS_PERMIS").map(|s| s.code()), Ok("8"));
        assert_eq!(ValeurContrainte::from_code("NON"), Ok(ValeurContrainte::NonAbordee));
        let v: CodeObjectif = serde_json::from_str("\"PASSER_PERMIS\"").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"28\"");
        assert!(CodeContrainte::from_code("99").unwrap_err().allowed.contains("23"));
    }

    #[test]
    fn a_situation_of_another_contrainte_is_refused() {
        let mut c = Contraintes::default();
        let jour = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let saisie = ContrainteSaisie {
            code: CodeContrainte::Mobilite,
            valeur: ValeurContrainte::Oui,
            situations: vec![SituationContrainte { code: CodeSituation::Surendettement, valeur: ValeurSituation::Oui }],
            objectifs: vec![],
        };
        assert_eq!(c.enregistrer(&[saisie], jour, "A", "A", jour), Err(RefusContraintes::AutreContrainte(0)));
        let complete = c.complete(CodeContrainte::Mobilite);
        assert_eq!(complete.valeur, ValeurContrainte::NonAbordee);
        assert_eq!(complete.situations.len(), 4);
        assert!(complete.objectifs.iter().all(|(_, v)| *v == ValeurObjectif::NonAborde));
    }
}
