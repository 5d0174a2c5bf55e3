//! Re-checks the whole chain and names the first broken entry.

use super::{GENESE, hash};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { entrees: u64 },
    Rompu { seq: i64, raison: String },
}

pub async fn verifier(store: &Store) -> Result<Verification, StoreError> {
    const PAGE: u64 = 10_000;
    let mut prec = GENESE.to_string();
    let mut attendu = 1i64;
    let mut n = 0u64;
    loop {
        let page = store.journal_page(attendu - 1, PAGE).await?;
        if page.is_empty() {
            return Ok(Verification::Intact { entrees: n });
        }
        for c in &page {
            if c.seq != attendu {
                return Ok(Verification::Rompu {
                    seq: attendu,
                    raison: format!("entrée manquante (suivante : {})", c.seq),
                });
            }
            if c.hash_precedent != prec {
                return Ok(Verification::Rompu {
                    seq: c.seq,
                    raison: "hash précédent différent du hash de l'entrée précédente".into(),
                });
            }
            if hash(&prec, c.seq, &c.entree) != c.hash {
                return Ok(Verification::Rompu {
                    seq: c.seq,
                    raison: "contenu modifié : le hash ne correspond plus".into(),
                });
            }
            prec = c.hash.clone();
            attendu += 1;
            n += 1;
        }
    }
}
