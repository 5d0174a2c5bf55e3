//! The single writer task: requests queue entries, the task sequences, chains and
//! commits them in batches, then answers each request once its entry is committed.

use tokio::sync::{mpsc, oneshot};

use super::{Entree, EntreeChainee, GENESE, JournalError, hash};
use crate::store::Store;

type Demande = (Entree, oneshot::Sender<Result<i64, JournalError>>);

/// Largest batch committed at once.
const LOT: usize = 512;

/// Handle to the journal writer.
#[derive(Clone)]
pub struct Journal {
    tx: mpsc::Sender<Demande>,
}

impl Journal {
    /// Starts the writer on `store`.
    pub async fn demarrer(store: Store) -> Result<(Self, tokio::task::JoinHandle<()>), JournalError> {
        let (tx, rx) = mpsc::channel::<Demande>(8192);
        let tete = store.journal_tete().await.map_err(|e| JournalError::Indisponible(e.to_string()))?;
        let task = tokio::spawn(ecrivain(store, rx, tete));
        Ok((Self { tx }, task))
    }

    /// Appends several entries (they are committed in the writer's batches); returns once
    /// all are committed, or the first failure.
    pub async fn ecrire_lot(&self, entrees: Vec<Entree>) -> Result<(), JournalError> {
        let mut attentes = Vec::with_capacity(entrees.len());
        for e in entrees {
            let (tx, rx) = oneshot::channel();
            self.tx.send((e, tx)).await.map_err(|_| JournalError::Indisponible("écrivain arrêté".into()))?;
            attentes.push(rx);
        }
        for rx in attentes {
            rx.await.map_err(|_| JournalError::Indisponible("écrivain arrêté".into()))??;
        }
        Ok(())
    }

    /// Appends an entry; returns its sequence number once committed.
    pub async fn ecrire(&self, e: Entree) -> Result<i64, JournalError> {
        let (tx, rx) = oneshot::channel();
        self.tx.send((e, tx)).await.map_err(|_| JournalError::Indisponible("écrivain arrêté".into()))?;
        rx.await.map_err(|_| JournalError::Indisponible("écrivain arrêté".into()))?
    }
}

async fn ecrivain(store: Store, mut rx: mpsc::Receiver<Demande>, mut tete: Option<(i64, String)>) {
    let mut lot: Vec<Demande> = Vec::with_capacity(LOT);
    loop {
        if rx.recv_many(&mut lot, LOT).await == 0 {
            return; // every handle dropped
        }
        let (mut seq, mut prec) = tete.clone().unwrap_or((0, GENESE.to_string()));
        let mut chainees = Vec::with_capacity(lot.len());
        for (e, _) in &lot {
            seq += 1;
            let h = hash(&prec, seq, e);
            chainees.push(EntreeChainee { seq, entree: e.clone(), hash_precedent: prec.clone(), hash: h.clone() });
            prec = h;
        }
        match store.journal_inserer(&chainees).await {
            Ok(()) => {
                tete = Some((seq, prec));
                for ((_, reply), c) in lot.drain(..).zip(&chainees) {
                    let _ = reply.send(Ok(c.seq));
                }
            }
            Err(err) => {
                tracing::error!(error = %err, "écriture du journal d'accès impossible : accès refusés (fail closed)");
                for (_, reply) in lot.drain(..) {
                    let _ = reply.send(Err(JournalError::Indisponible("écriture impossible".into())));
                }
                // Re-read the head: the failed batch was rolled back (or another writer moved it).
                if let Ok(t) = store.journal_tete().await {
                    tete = t;
                }
            }
        }
    }
}
