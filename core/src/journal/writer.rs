//! The single writer task: requests queue entries, the task sequences, chains and
//! commits them in batches, then answers each request once its entry is committed.
//!
//! A long writer (an import) may instead take the chain for itself ([`Journal::exclusif`]):
//! the task hands it the head and waits; the import chains its entries and inserts them
//! in its own transaction, so entries and data commit together; the task then resumes
//! from the head the import committed, or re-reads it if the import rolled back.

use tokio::sync::{mpsc, oneshot};

use super::{Entree, EntreeChainee, GENESE, JournalError, hash};
use crate::store::Store;

/// Head of the chain: last sequence number and hash (none before the first entry).
type Tete = Option<(i64, String)>;

// entries are nearly every message: boxing them would allocate once more per access
#[allow(clippy::large_enum_variant)]
enum Message {
    Entree(Entree, oneshot::Sender<Result<i64, JournalError>>),
    /// The head for the one who asks, then the head they committed (or nothing: re-read).
    Exclusif(oneshot::Sender<Tete>, oneshot::Receiver<(i64, String)>),
}

/// Largest batch committed at once.
const LOT: usize = 512;

/// Handle to the journal writer.
#[derive(Clone)]
pub struct Journal {
    tx: mpsc::Sender<Message>,
}

fn arrete() -> JournalError {
    JournalError::Indisponible("écrivain arrêté".into())
}

impl Journal {
    /// Starts the writer on `store`.
    pub async fn demarrer(store: Store) -> Result<(Self, tokio::task::JoinHandle<()>), JournalError> {
        let (tx, rx) = mpsc::channel::<Message>(8192);
        let tete = store.journal_tete().await.map_err(|e| JournalError::Indisponible(e.to_string()))?;
        let task = tokio::spawn(ecrivain(store, rx, tete));
        Ok((Self { tx }, task))
    }

    /// Appends an entry; returns its sequence number once committed.
    pub async fn ecrire(&self, e: Entree) -> Result<i64, JournalError> {
        let (tx, rx) = oneshot::channel();
        self.tx.send(Message::Entree(e, tx)).await.map_err(|_| arrete())?;
        rx.await.map_err(|_| arrete())?
    }

    /// Appends entries, queued together so that they commit in one batch; returns once
    /// all are committed.
    pub async fn ecrire_tous(&self, entrees: Vec<Entree>) -> Result<(), JournalError> {
        let mut attentes = Vec::with_capacity(entrees.len());
        for e in entrees {
            let (tx, rx) = oneshot::channel();
            self.tx.send(Message::Entree(e, tx)).await.map_err(|_| arrete())?;
            attentes.push(rx);
        }
        for rx in attentes {
            rx.await.map_err(|_| arrete())??;
        }
        Ok(())
    }

    /// Takes the chain: entries of others wait until the returned [`Exclusivite`] is
    /// released (after the caller's commit) or dropped (rolled back).
    pub async fn exclusif(&self) -> Result<Exclusivite, JournalError> {
        let (tete_tx, tete_rx) = oneshot::channel();
        let (retour_tx, retour_rx) = oneshot::channel();
        self.tx.send(Message::Exclusif(tete_tx, retour_rx)).await.map_err(|_| arrete())?;
        let tete = tete_rx.await.map_err(|_| arrete())?;
        Ok(Exclusivite { chaine: Chaine::depuis(tete), retour: retour_tx })
    }
}

/// The end of the chain as entries are added: last sequence number and hash.
struct Chaine {
    seq: i64,
    precedent: String,
}

impl Chaine {
    fn depuis(tete: Tete) -> Self {
        let (seq, precedent) = tete.unwrap_or((0, GENESE.to_string()));
        Self { seq, precedent }
    }

    /// Sequences and chains the next entry.
    fn chainer(&mut self, entree: Entree) -> EntreeChainee {
        self.seq += 1;
        let h = hash(&self.precedent, self.seq, &entree);
        let c = EntreeChainee { seq: self.seq, entree, hash_precedent: std::mem::take(&mut self.precedent), hash: h };
        self.precedent.clone_from(&c.hash);
        c
    }

    fn tete(self) -> (i64, String) {
        (self.seq, self.precedent)
    }
}

/// The chain, held by one writer outside the task (see [`Journal::exclusif`]).
pub struct Exclusivite {
    chaine: Chaine,
    retour: oneshot::Sender<(i64, String)>,
}

impl Exclusivite {
    /// Sequences and chains the next entry; the caller inserts it in its transaction.
    pub fn chainer(&mut self, entree: Entree) -> EntreeChainee {
        self.chaine.chainer(entree)
    }

    /// The caller's transaction committed: the task resumes after its last entry.
    pub fn liberer(self) {
        let _ = self.retour.send(self.chaine.tete());
    }
}

async fn ecrivain(store: Store, mut rx: mpsc::Receiver<Message>, mut tete: Tete) {
    let mut recues: Vec<Message> = Vec::with_capacity(LOT);
    let mut lot: Vec<(Entree, oneshot::Sender<Result<i64, JournalError>>)> = Vec::with_capacity(LOT);
    loop {
        if rx.recv_many(&mut recues, LOT).await == 0 {
            return; // every handle dropped
        }
        for d in recues.drain(..) {
            match d {
                Message::Entree(e, reply) => lot.push((e, reply)),
                Message::Exclusif(tete_tx, retour) => {
                    // what was asked before is committed first, in order
                    committer(&store, &mut lot, &mut tete).await;
                    if tete_tx.send(tete.clone()).is_err() {
                        continue; // the asker went away before taking the chain
                    }
                    match retour.await {
                        Ok(nouvelle) => tete = Some(nouvelle),
                        // rolled back (or the asker is gone): what is committed is the truth
                        Err(_) => match store.journal_tete().await {
                            Ok(t) => tete = t,
                            Err(err) => tracing::error!(error = %err, "tête du journal illisible après un import"),
                        },
                    }
                }
            }
        }
        committer(&store, &mut lot, &mut tete).await;
    }
}

/// Attempts at a batch whose place in the chain another writer took meanwhile.
const ESSAIS: usize = 8;

/// Chains and commits `lot`, answers each request, empties `lot`. Another process may
/// have appended meanwhile (a command run beside the server, another instance): the
/// sequence number is the key, so its batch refused ours; the head is then re-read and
/// the batch chained after it again. Only a failure that does not come from a moved head
/// refuses the accesses (fail closed).
async fn committer(
    store: &Store,
    lot: &mut Vec<(Entree, oneshot::Sender<Result<i64, JournalError>>)>,
    tete: &mut Tete,
) {
    if lot.is_empty() {
        return;
    }
    for essai in 1..=ESSAIS {
        let mut chaine = Chaine::depuis(tete.clone());
        let chainees: Vec<EntreeChainee> = lot.iter().map(|(e, _)| chaine.chainer(e.clone())).collect();
        match store.journal_inserer(&chainees).await {
            Ok(()) => {
                *tete = Some(chaine.tete());
                for ((_, reply), c) in lot.drain(..).zip(&chainees) {
                    let _ = reply.send(Ok(c.seq));
                }
                return;
            }
            Err(err) => {
                // the batch was rolled back: what is committed is the truth
                let relue = store.journal_tete().await.ok();
                let deplacee = relue.as_ref().is_some_and(|t| t != tete);
                if let Some(t) = relue {
                    *tete = t;
                }
                if deplacee && essai < ESSAIS {
                    tracing::debug!(essai, "journal : tête déplacée par un autre écrivain, lot rechaîné");
                    continue;
                }
                tracing::error!(error = %err, "écriture du journal d'accès impossible : accès refusés (fail closed)");
                for (_, reply) in lot.drain(..) {
                    let _ = reply.send(Err(JournalError::Indisponible("écriture impossible".into())));
                }
                return;
            }
        }
    }
}
