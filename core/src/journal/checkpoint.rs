//! Signed checkpoints of the chain head, appended to a file outside the database: a
//! chain rewritten from some entry on, hashes recomputed, no longer matches them.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::crypto::keys::MasterKey;
use crate::store::{Store, StoreError};

/// One checkpoint: the head of the chain at a time, signed (Ed25519).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
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

fn message(seq: i64, hash: &str, t: &DateTime<Utc>) -> Vec<u8> {
    format!("dude-journal-checkpoint-v1|{seq}|{hash}|{}", t.timestamp_micros()).into_bytes()
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
        if self.lire()?.last().is_some_and(|c| c.seq == seq) {
            return Ok(None);
        }
        let horodatage = crate::journal::horodatage(now);
        let sig = self.key.sign(&message(seq, &hash, &horodatage));
        let cp = Checkpoint { seq, hash, horodatage, signature: STANDARD.encode(sig.to_bytes()) };
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
        self.cle_publique().verify(&message(cp.seq, &cp.hash, &cp.horodatage), &sig).is_ok()
    }

    /// The first checkpoint the database no longer matches: (seq, reason).
    pub async fn controler(&self, store: &Store) -> Result<Option<(i64, String)>, CheckpointError> {
        for cp in self.lire()? {
            if !self.signature_valide(&cp) {
                return Ok(Some((cp.seq, format!("point de contrôle du {} : signature invalide", cp.horodatage))));
            }
            let row = store.journal_page(cp.seq - 1, 1).await?;
            match row.first() {
                Some(r) if r.seq == cp.seq && r.hash == cp.hash => {}
                _ => {
                    return Ok(Some((
                        cp.seq,
                        format!("ne correspond plus au point de contrôle signé du {}", cp.horodatage),
                    )));
                }
            }
        }
        Ok(None)
    }
}
