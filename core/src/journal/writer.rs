//! The single writer task: requests queue entries, the task commits them in batches,
//! then answers each request once its entry is committed.
//!
//! The database sequences and chains each batch in the transaction that inserts it,
//! after the head the previous writer committed ([`Store::journal_ajouter`]): any
//! number of instances append to one chain, with no refusal and no fork.
//!
//! A long writer (an import on SQLite, which holds the database's write lock for its
//! whole transaction) may ask the task to wait ([`Journal::suspendre`]) rather than have
//! its batches time out behind it; its own entries are chained in its transaction.

use tokio::sync::{mpsc, oneshot};

use super::{Entree, JournalError};
use crate::store::Store;

// entries are nearly every message: boxing them would allocate once more per access
#[allow(clippy::large_enum_variant)]
enum Message {
    Entree(Entree, oneshot::Sender<Result<i64, JournalError>>),
    /// The task says it waits, then waits until the sender is dropped.
    Suspension(oneshot::Sender<()>, oneshot::Receiver<()>),
}

/// Largest batch committed at once.
const LOT: usize = 512;

/// Handle to the journal writer.
#[derive(Clone)]
pub struct Journal {
    tx: mpsc::Sender<Message>,
    /// Whether an import holds the database's write lock for its whole transaction.
    suspendre_pour_les_imports: bool,
}

fn arrete() -> JournalError {
    JournalError::Indisponible("écrivain arrêté".into())
}

impl Journal {
    /// Starts the writer on `store` (it reads nothing first: the head is read by each
    /// batch's transaction).
    pub fn demarrer(store: Store) -> (Self, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel::<Message>(8192);
        let suspendre_pour_les_imports = store.un_seul_ecrivain();
        let task = tokio::spawn(ecrivain(store, rx));
        (Self { tx, suspendre_pour_les_imports }, task)
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

    /// Makes the writer wait (on SQLite; on PostgreSQL nothing needs to) until the
    /// returned [`Suspension`] is released or dropped: what was asked before is
    /// committed first.
    pub async fn suspendre(&self) -> Result<Suspension, JournalError> {
        if !self.suspendre_pour_les_imports {
            return Ok(Suspension { _reprise: None });
        }
        let (attend_tx, attend_rx) = oneshot::channel();
        let (reprise_tx, reprise_rx) = oneshot::channel();
        self.tx.send(Message::Suspension(attend_tx, reprise_rx)).await.map_err(|_| arrete())?;
        attend_rx.await.map_err(|_| arrete())?;
        Ok(Suspension { _reprise: Some(reprise_tx) })
    }
}

/// The writer waits while this lives (see [`Journal::suspendre`]).
pub struct Suspension {
    _reprise: Option<oneshot::Sender<()>>,
}

impl Suspension {
    /// The writer resumes (as it does when this is dropped).
    pub fn liberer(self) {}
}

async fn ecrivain(store: Store, mut rx: mpsc::Receiver<Message>) {
    let mut recues: Vec<Message> = Vec::with_capacity(LOT);
    let mut lot: Vec<(Entree, oneshot::Sender<Result<i64, JournalError>>)> = Vec::with_capacity(LOT);
    loop {
        if rx.recv_many(&mut recues, LOT).await == 0 {
            return; // every handle dropped
        }
        for d in recues.drain(..) {
            match d {
                Message::Entree(e, reply) => lot.push((e, reply)),
                Message::Suspension(attend, reprise) => {
                    // what was asked before is committed first, in order
                    committer(&store, &mut lot).await;
                    if attend.send(()).is_ok() {
                        let _ = reprise.await; // released or dropped: either way, go on
                    }
                }
            }
        }
        committer(&store, &mut lot).await;
    }
}

/// Attempts at a batch (SQLite: a command run beside the server may have committed
/// after this transaction's snapshot, which refuses its write).
const ESSAIS: u32 = 8;

/// Commits `lot`, answers each request, empties `lot`. Only a failure that persists
/// refuses the accesses (fail closed).
async fn committer(store: &Store, lot: &mut Vec<(Entree, oneshot::Sender<Result<i64, JournalError>>)>) {
    if lot.is_empty() {
        return;
    }
    for essai in 1..=ESSAIS {
        match store.journal_ajouter(lot.iter().map(|(e, _)| e.clone()).collect()).await {
            Ok(chainees) => {
                for ((_, reply), c) in lot.drain(..).zip(&chainees) {
                    let _ = reply.send(Ok(c.seq));
                }
                return;
            }
            Err(err) if essai < ESSAIS => {
                tracing::debug!(essai, error = %err, "journal : lot refusé, nouvel essai");
                tokio::time::sleep(std::time::Duration::from_millis(5 * u64::from(essai))).await;
            }
            Err(err) => {
                tracing::error!(error = %err, "écriture du journal d'accès impossible : accès refusés (fail closed)");
                for (_, reply) in lot.drain(..) {
                    let _ = reply.send(Err(JournalError::Indisponible("écriture impossible".into())));
                }
            }
        }
    }
}
