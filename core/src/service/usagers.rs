//! Rechercher usager and Statut usager (seed 002 annex 2 §10.1–2).

use chrono::NaiveDate;

use crate::dossier::inscription::{HistoriqueInscription, StatutCourant};
use crate::dossier::{Categorie, DossierId, IdentiteSection};
use crate::store::{Store, StoreError};

/// "Top identité certifiée".
pub async fn identite_certifiee(store: &Store, id: DossierId) -> Result<bool, StoreError> {
    let ident: Option<IdentiteSection> = store.load_section(id, Categorie::Identite).await?;
    Ok(ident.is_some_and(|i| i.identite.identite_certifiee))
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
