//! The canonical records, in the shape of the WIT types of `dude:adapter@0.1.0`
//! (converted one to one in `composant.rs`). Codes are those of `core/src/dossier`,
//! dates `AAAA-MM-JJ`.

/// A data category an adapter produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Categorie {
    Identite,
    Nir,
    Contact,
    Inscription,
    Indemnisation,
    Rsa,
    Orientation,
    Diagnostic,
    Contraintes,
    PouvoirAgir,
    MetiersRecherches,
    ProjetsCreation,
    Accompagnement,
    Echanges,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Import,
    Export,
}

/// What `describe` answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    pub name: String,
    pub version: String,
    pub formats: Vec<String>,
    pub categories: Vec<Categorie>,
    pub directions: Vec<Direction>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identite {
    pub civilite: Option<String>,
    pub nom: String,
    pub nom_naissance: Option<String>,
    pub prenom: String,
    pub date_naissance: String,
    pub sexe: Option<String>,
    pub nationalite: Option<String>,
    /// NIR or NIA, 13 or 15 characters.
    pub nir: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adresse {
    pub ligne1: String,
    pub ligne2: Option<String>,
    pub code_postal: String,
    pub commune: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub adresse: Option<Adresse>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rsa {
    /// "DEM" or "CJT".
    pub role: Option<String>,
    pub date_entree: Option<String>,
    /// "CAF" or "MSA".
    pub organisme: Option<String>,
    pub numero_allocataire: Option<String>,
    pub droits_devoirs: Option<bool>,
    /// ETATDOSRSA, "0" to "6".
    pub etat_dossier: Option<String>,
    pub date_cloture: Option<String>,
    pub motif_cloture: Option<String>,
    pub date_suspension: Option<String>,
    pub motif_suspension: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Orientation {
    /// "SOCIAL", "SOCIOPRO" or "PRO".
    pub type_parcours: String,
    pub date: Option<String>,
    pub referent_nom: Option<String>,
    pub referent_prenom: Option<String>,
    pub structure: Option<String>,
}

/// The 6-month bilan of the accompagnement global (codes of `ResultatBilan`,
/// `DecisionBilan`, `SortieAccompagnement`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bilan {
    pub date: String,
    pub resultat: String,
    pub decision: String,
    pub sortie: Option<String>,
}

/// Accompagnement global (seed 004 annex 1): freins (codes of `Thematique`), motifs de
/// non-intégration (`MotifNonIntegration`), bilans, prolongations (dates).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccompagnementGlobal {
    pub date_debut: Option<String>,
    pub freins: Vec<String>,
    pub motifs_non_integration: Vec<String>,
    pub bilans: Vec<Bilan>,
    pub prolongations: Vec<String>,
}

/// A need of the diagnostic (`CodeBesoin`, `ValeurBesoin`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Besoin {
    pub code: String,
    pub valeur: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prestation {
    pub libelle: String,
    pub date_debut: String,
    pub duree_jours: Option<u32>,
    pub collective: bool,
}

/// "Parcours insertion emploi" (seed 002 annex 4 option 2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parcours {
    pub identifiant_france_travail: Option<String>,
    pub date_entree_dispositif: String,
    pub date_rendez_vous_orientation: Option<String>,
    pub besoins: Vec<Besoin>,
    pub rendez_vous: Vec<String>,
    pub prestations: Vec<Prestation>,
}

/// One person of the file, with the categories the file carries for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Personne {
    /// Position in the file (line or element number), for reports.
    pub numero: u64,
    pub identite: Identite,
    pub contact: Option<Contact>,
    pub rsa: Option<Rsa>,
    pub orientation: Option<Orientation>,
    pub accompagnement: Option<AccompagnementGlobal>,
    pub parcours: Option<Parcours>,
}

/// A problem with one input record.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub record_number: u64,
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub personnes: Vec<Personne>,
    pub errors: Vec<RowError>,
}

impl Batch {
    pub fn extend(&mut self, other: Batch) {
        self.personnes.extend(other.personnes);
        self.errors.extend(other.errors);
    }
}

/// A dossier event to send back to the partner's system.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evenement {
    /// "BILAN".
    pub kind: String,
    /// AAAA-MM-JJTHH:MM:SSZ.
    pub date: String,
    pub identite: Identite,
    pub accompagnement: Option<AccompagnementGlobal>,
}
