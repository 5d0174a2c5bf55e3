//! The canonical job-seeker dossier. Knows nothing of HTTP, SQL or Wasm.

pub mod accompagnement;
pub mod categorie;
pub mod codes;
pub mod contact;
pub mod contraintes;
pub mod diagnostic;
pub mod echanges;
pub mod identite;
pub mod inscription;
pub mod listes;
pub mod metiers;
pub mod nir;
pub mod orientation;
pub mod parcours;
pub mod rendez_vous;
pub mod rsa;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use categorie::Categorie;
pub use nir::Nir;

/// Internal identifier of a dossier. Never given to partners as is: they receive an
/// `idNational` encrypted for them (see `crypto::id_national`).
pub type DossierId = Uuid;

/// Registration section: the dated events and the last monthly update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Inscription {
    pub historique: inscription::HistoriqueInscription,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derniere_actualisation: Option<NaiveDate>,
}

/// Identity section as stored: identity and personal situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentiteSection {
    #[serde(flatten)]
    pub identite: identite::Identite,
    #[serde(default)]
    pub situation: identite::SituationPersonnelle,
}

/// The whole dossier of one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Dossier {
    pub id: DossierId,
    pub nir: Nir,
    pub identite: identite::Identite,
    pub situation: identite::SituationPersonnelle,
    pub contact: Option<contact::Contact>,
    pub inscription: Inscription,
    pub rsa: Option<rsa::Rsa>,
    pub orientation: Option<orientation::Orientation>,
    pub diagnostic: diagnostic::Diagnostic,
    pub contraintes: contraintes::Contraintes,
    pub pouvoir_agir: Option<diagnostic::PouvoirAgir>,
    pub metiers_recherches: Vec<metiers::MetierRecherche>,
    pub projets_creation: Vec<metiers::ProjetCref>,
    pub accompagnement: Option<accompagnement::Accompagnement>,
    pub echanges: Vec<echanges::Echange>,
    pub rendez_vous: rendez_vous::RendezVousParcours,
}

impl Dossier {
    /// A new dossier for an identified person with nothing else known yet.
    pub fn new(nir: Nir, identite: identite::Identite) -> Self {
        Self {
            // time-ordered: new dossiers append to the indexes instead of landing at random
            // places (the id is internal: partners only see an idNational)
            id: Uuid::now_v7(),
            nir,
            identite,
            situation: Default::default(),
            contact: None,
            inscription: Default::default(),
            rsa: None,
            orientation: None,
            diagnostic: Default::default(),
            contraintes: Default::default(),
            pouvoir_agir: None,
            metiers_recherches: Vec::new(),
            projets_creation: Vec::new(),
            accompagnement: None,
            echanges: Vec::new(),
            rendez_vous: Default::default(),
        }
    }

    /// Département of residence, when known.
    pub fn departement(&self) -> Option<&contact::Departement> {
        self.contact.as_ref().map(|c| &c.departement)
    }

    /// RSA beneficiary now.
    pub fn beneficiaire_rsa(&self) -> bool {
        self.rsa.as_ref().is_some_and(|r| r.beneficiaire)
    }
}
