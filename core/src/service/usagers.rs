//! Rechercher usager and Statut usager (seed 002 annex 2 §10.1–2).

use chrono::NaiveDate;

use crate::dossier::inscription::{HistoriqueInscription, StatutCourant};
use crate::dossier::{Categorie, DossierId, IdentiteSection, Nir};
use crate::store::{Store, StoreError};

/// Outcome of a search by NIR and date of birth.
#[derive(Debug, Clone, PartialEq)]
pub enum Recherche {
    /// S001: exactly one person, with whether the identity is certified.
    Trouve { id: DossierId, identite_certifiee: bool },
    /// S002: nobody (unknown, never registered, or closed more than three years ago).
    Aucun,
    /// S003: several people match.
    Plusieurs,
}

/// Finds the person: registered, or whose registration ended less than three years ago.
pub async fn rechercher(
    store: &Store,
    nir: &Nir,
    date_naissance: NaiveDate,
    today: NaiveDate,
) -> Result<Recherche, StoreError> {
    let mut found = Vec::new();
    for id in store.find_by_nir(nir, date_naissance).await? {
        if let Some(h) = store.load_historique(id).await?
            && h.recherchable_au(today)
        {
            found.push(id);
        }
    }
    match found.as_slice() {
        [] => Ok(Recherche::Aucun),
        [id] => {
            let ident: Option<IdentiteSection> = store.load_section(*id, Categorie::Identite).await?;
            Ok(Recherche::Trouve { id: *id, identite_certifiee: ident.is_some_and(|i| i.identite.identite_certifiee) })
        }
        _ => Ok(Recherche::Plusieurs),
    }
}

/// Everything the Statut usager API returns, computed from the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Statut {
    pub courant: StatutCourant,
    pub date_inscription_12: Option<NaiveDate>,
    pub date_inscription_24: Option<NaiveDate>,
    pub date_inscription_36: Option<NaiveDate>,
}

pub fn statut(h: &HistoriqueInscription, today: NaiveDate) -> Statut {
    Statut {
        courant: h.statut_au(today),
        date_inscription_12: h.date_inscription_dans(today, 12),
        date_inscription_24: h.date_inscription_dans(today, 24),
        date_inscription_36: h.date_inscription_dans(today, 36),
    }
}
