//! Re-checks the whole chain, and each import's sub-chain against its anchor; names the
//! first broken entry.

use super::{Ancrage, EntreeChainee, GENESE, hash};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every entry checked: the main chain's and its sub-chains'.
    Intact { entrees: u64 },
    /// `seq`: the main chain's entry at fault (for a sub-chain, its anchor; 0 for a
    /// sub-chain no anchor names).
    Rompu { seq: i64, raison: String },
}

const PAGE: u64 = 10_000;

/// What is wrong with `c`, the entry expected at `attendu` after `prec`, if anything.
fn defaut(c: &EntreeChainee, attendu: i64, prec: &str) -> Option<String> {
    if c.seq != attendu {
        Some(format!("entrée manquante (suivante : {})", c.seq))
    } else if c.hash_precedent != prec {
        Some("hash précédent différent du hash de l'entrée précédente".into())
    } else if hash(prec, c.seq, &c.entree) != c.hash {
        Some("contenu modifié : le hash ne correspond plus".into())
    } else {
        None
    }
}

pub async fn verifier(store: &Store) -> Result<Verification, StoreError> {
    let mut prec = GENESE.to_string();
    let mut attendu = 1i64;
    let mut n = 0u64;
    let mut ancrees = std::collections::HashSet::new();
    loop {
        let page = store.journal_page(attendu - 1, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for c in &page {
            if let Some(raison) = defaut(c, attendu, &prec) {
                return Ok(Verification::Rompu { seq: attendu.min(c.seq), raison });
            }
            if let Some(a) = Ancrage::lire(&c.entree) {
                match verifier_sous_chaine(store, &a).await? {
                    Ok(m) => n += m,
                    Err(raison) => return Ok(Verification::Rompu { seq: c.seq, raison }),
                }
                ancrees.insert(a.chaine);
            }
            prec = c.hash.clone();
            attendu += 1;
            n += 1;
        }
    }
    // a sub-chain no anchor names was not written by an import's commit
    if let Some(orpheline) = store.journal_sous_chaines().await?.into_iter().find(|c| !ancrees.contains(c)) {
        return Ok(Verification::Rompu {
            seq: 0,
            raison: format!("sous-chaîne {orpheline} : aucune entrée de la chaîne ne l'ancre"),
        });
    }
    Ok(Verification::Intact { entrees: n })
}

/// Checks a sub-chain from its genesis to the head and count its anchor gives: the
/// number of its entries, or what is wrong.
async fn verifier_sous_chaine(store: &Store, a: &Ancrage) -> Result<Result<u64, String>, StoreError> {
    let mut prec = Ancrage::genese(&a.chaine);
    let mut attendu = 1i64;
    loop {
        let page = store.journal_sous_chaine(&a.chaine, attendu - 1, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for c in &page {
            if let Some(raison) = defaut(c, attendu, &prec) {
                return Ok(Err(format!("sous-chaîne {}, entrée {} : {raison}", a.chaine, attendu.min(c.seq))));
            }
            prec = c.hash.clone();
            attendu += 1;
        }
    }
    let n = attendu - 1;
    Ok(if n != a.entrees {
        Err(format!("sous-chaîne {} : {n} entrées au lieu des {} que l'ancrage compte", a.chaine, a.entrees))
    } else if prec != a.tete {
        Err(format!("sous-chaîne {} : sa dernière entrée n'est pas celle que l'ancrage désigne", a.chaine))
    } else {
        Ok(n as u64)
    })
}
