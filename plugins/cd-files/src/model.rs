//! The records this adapter produces, in the shape of the WIT types of
//! `dude:adapter@0.1.0` (converted one to one in `component.rs`).

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identite {
    pub civilite: Option<String>,
    pub nom: String,
    pub nom_naissance: Option<String>,
    pub prenom: String,
    pub date_naissance: String,
    pub sexe: Option<String>,
    pub nationalite: Option<String>,
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
    pub role: Option<String>,
    pub date_entree: Option<String>,
    pub organisme: Option<String>,
    pub numero_allocataire: Option<String>,
    pub droits_devoirs: Option<bool>,
    pub etat_dossier: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Orientation {
    pub type_parcours: String,
    pub date: Option<String>,
    pub referent_nom: Option<String>,
    pub referent_prenom: Option<String>,
    pub structure: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Personne {
    pub numero: u64,
    pub identite: Identite,
    pub contact: Option<Contact>,
    pub rsa: Option<Rsa>,
    pub orientation: Option<Orientation>,
}

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
