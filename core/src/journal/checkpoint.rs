//! Signed checkpoints of the chain head, appended to a file outside the database: a
//! chain rewritten from some entry on, hashes recomputed, no longer matches them.
//!
//! Each checkpoint names the journal it belongs to: the hash of the journal's first
//! entry, which no other journal shares. Checkpoints of another journal (another
//! database, or this one rewritten from its first entry) are told apart from a broken
//! chain, and said so.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::crypto::keys::MasterKey;
use crate::store::{Store, StoreError};

/// One checkpoint: the head of a journal at a time, signed (Ed25519).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The journal: hash of its first entry (absent in checkpoints written before
    /// journals were named).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    pub seq: i64,
    pub hash: String,
    pub horodatage: DateTime<Utc>,
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("fichier de points de contrôle {path} : {source}")]
    Io { path: String, source: std::io::Error },
    #[error("fichier de points de contrôle {path}, ligne {ligne} : {message}")]
    Format { path: String, ligne: usize, message: String },
}

/// What the checkpoints say of the journal in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constat {
    /// Every checkpoint of this journal matches it (`autres`: checkpoints of another
    /// journal in the same file, left aside).
    Concordant { points: usize, autres: usize },
    /// The chain no longer matches a signed checkpoint of this journal.
    Rompu { seq: i64, raison: String },
    /// The checkpoints belong to another journal: another database, or this one rewritten
    /// from its first entry. `base` is this database's journal (`None`: empty).
    AutreJournal { fichier: String, base: Option<String> },
}

fn message(cp: &Checkpoint) -> Vec<u8> {
    let t = cp.horodatage.timestamp_micros();
    match &cp.journal {
        Some(j) => format!("dude-journal-checkpoint-v2|{j}|{}|{}|{t}", cp.seq, cp.hash).into_bytes(),
        None => format!("dude-journal-checkpoint-v1|{}|{}|{t}", cp.seq, cp.hash).into_bytes(),
    }
}

/// The short form of a journal's name, for messages.
fn court(j: &str) -> String {
    format!("{}…", &j[..j.len().min(12)])
}

/// Writes and checks checkpoints.
pub struct Checkpoints {
    file: PathBuf,
    key: SigningKey,
}

impl Checkpoints {
    pub fn new(master: &MasterKey, file: PathBuf) -> Self {
        Self { file, key: SigningKey::from_bytes(&master.derive(b"dude/journal-checkpoint/ed25519/v1")) }
    }

    pub fn cle_publique(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn fichier(&self) -> &Path {
        &self.file
    }

    /// Appends a checkpoint of the current head (nothing when the journal is empty or
    /// the head has not moved since the last one).
    pub async fn ecrire(&self, store: &Store, now: DateTime<Utc>) -> Result<Option<Checkpoint>, CheckpointError> {
        let Some((seq, hash)) = store.journal_tete().await? else {
            return Ok(None);
        };
        let journal = store.journal_identite().await?;
        if self.lire()?.last().is_some_and(|c| c.seq == seq && c.journal == journal) {
            return Ok(None);
        }
        let horodatage = crate::journal::horodatage(now);
        let mut cp = Checkpoint { journal, seq, hash, horodatage, signature: String::new() };
        cp.signature = STANDARD.encode(self.key.sign(&message(&cp)).to_bytes());
        let io = |source| CheckpointError::Io { path: self.file.display().to_string(), source };
        if let Some(dir) = self.file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&self.file).map_err(io)?;
        let line = serde_json::to_string(&cp).expect("serialisable") + "\n";
        f.write_all(line.as_bytes()).map_err(io)?;
        f.sync_data().map_err(io)?;
        Ok(Some(cp))
    }

    /// Every checkpoint of the file (none if it does not exist).
    pub fn lire(&self) -> Result<Vec<Checkpoint>, CheckpointError> {
        let path = self.file.display().to_string();
        let text = match std::fs::read_to_string(&self.file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(CheckpointError::Io { path, source }),
        };
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l).map_err(|e| CheckpointError::Format {
                    path: path.clone(),
                    ligne: i + 1,
                    message: e.to_string(),
                })
            })
            .collect()
    }

    pub fn signature_valide(&self, cp: &Checkpoint) -> bool {
        let Ok(raw) = STANDARD.decode(&cp.signature) else { return false };
        let Ok(sig) = Signature::from_slice(&raw) else { return false };
        self.cle_publique().verify(&message(cp), &sig).is_ok()
    }

    /// Checks the database's journal against every checkpoint of the file: the first one
    /// it no longer matches, or the plain fact that they are another journal's.
    pub async fn controler(&self, store: &Store) -> Result<Constat, CheckpointError> {
        let base = store.journal_identite().await?;
        let points = self.lire()?;
        let (miens, autres): (Vec<Checkpoint>, Vec<Checkpoint>) =
            points.into_iter().partition(|cp| cp.journal.is_none() || cp.journal == base);
        if miens.is_empty()
            && let Some(autre) = autres.last().and_then(|c| c.journal.clone())
        {
            return Ok(Constat::AutreJournal { fichier: autre, base });
        }
        for cp in &miens {
            if !self.signature_valide(cp) {
                return Ok(Constat::Rompu {
                    seq: cp.seq,
                    raison: format!(
                        "point de contrôle du {} : signature invalide (fichier altéré, ou signé avec une autre clé maîtresse)",
                        cp.horodatage
                    ),
                });
            }
            let row = store.journal_page(cp.seq - 1, 1).await?;
            match row.first() {
                Some(r) if r.seq == cp.seq && r.hash == cp.hash => {}
                _ => {
                    return Ok(Constat::Rompu {
                        seq: cp.seq,
                        raison: format!("ne correspond plus au point de contrôle signé du {}", cp.horodatage),
                    });
                }
            }
        }
        Ok(Constat::Concordant { points: miens.len(), autres: autres.len() })
    }
}

impl Checkpoints {
    /// One round of the checkpoint task: the last checkpoint of this journal must still
    /// match the chain (otherwise the break is logged and nothing is signed over it),
    /// then the head is signed. Returns what was found.
    pub async fn veiller(&self, store: &Store, now: DateTime<Utc>) -> Result<Constat, CheckpointError> {
        let base = store.journal_identite().await?;
        let dernier = self.lire()?.into_iter().rev().find(|cp| cp.journal.is_some() && cp.journal == base);
        if let Some(cp) = dernier {
            let row = store.journal_page(cp.seq - 1, 1).await?;
            if !self.signature_valide(&cp) || row.first().is_none_or(|r| r.seq != cp.seq || r.hash != cp.hash) {
                let c = Constat::Rompu {
                    seq: cp.seq,
                    raison: format!("ne correspond plus au point de contrôle signé du {}", cp.horodatage),
                };
                tracing::error!(seq = cp.seq, "{c} : aucun nouveau point de contrôle n'est signé");
                return Ok(c);
            }
        }
        self.ecrire(store, now).await?;
        Ok(Constat::Concordant { points: 1, autres: 0 })
    }
}

impl std::fmt::Display for Constat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Constat::Concordant { points, autres: 0 } => write!(f, "{points} points de contrôle signés concordants"),
            Constat::Concordant { points, autres } => {
                write!(f, "{points} points de contrôle signés concordants ({autres} d'un autre journal, ignorés)")
            }
            Constat::Rompu { seq, raison } => write!(f, "journal rompu à l'entrée {seq} : {raison}"),
            Constat::AutreJournal { fichier, base } => write!(
                f,
                "les points de contrôle sont ceux d'un autre journal ({}) que celui de cette base ({}) : \
                 autre base de données, ou journal réécrit depuis sa première entrée",
                court(fichier),
                base.as_deref().map(court).unwrap_or_else(|| "vide".into())
            ),
        }
    }
}
