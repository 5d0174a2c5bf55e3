//! Sealed blobs at rest (e.g. the files waiting for a partner): AES-256-GCM-SIV under a
//! key of their own derived from the master key, a random nonce, and associated data
//! that binds each blob to its row (a blob moved to another row does not open).

use aes_gcm_siv::aead::{Aead, KeyInit, Payload};
use aes_gcm_siv::{Aes256GcmSiv, Nonce};

use super::keys::MasterKey;

#[derive(Debug, thiserror::Error)]
#[error("contenu scellé illisible (données corrompues, déplacées ou mauvaise clé)")]
pub struct BlobVaultError;

#[derive(Clone)]
pub struct BlobVault {
    cipher: Aes256GcmSiv,
}

impl BlobVault {
    pub fn new(master: &MasterKey) -> Self {
        let k: [u8; 32] = master.derive(b"dude/coffre/encryption/v1"); // label kept: it derives the key of stored blobs
        Self { cipher: Aes256GcmSiv::new_from_slice(&k).expect("32-byte key") }
    }

    /// `nonce ‖ ciphertext`.
    pub fn seal(&self, clair: &[u8], lien: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        getrandom::getrandom(&mut nonce).expect("operating system random source");
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: clair, aad: lien })
            .expect("encryption in memory cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        out
    }

    pub fn open(&self, scelle: &[u8], lien: &[u8]) -> Result<Vec<u8>, BlobVaultError> {
        if scelle.len() < 12 {
            return Err(BlobVaultError);
        }
        let (nonce, ct) = scelle.split_at(12);
        self.cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad: lien }).map_err(|_| BlobVaultError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_binds_and_refuses_tampering() {
        let c = BlobVault::new(&MasterKey::from_bytes([3; 32]));
        let s = c.seal(b"contenu", b"ligne-1");
        assert_eq!(c.open(&s, b"ligne-1").unwrap(), b"contenu");
        assert!(c.open(&s, b"ligne-2").is_err(), "bound to its row");
        let mut t = s.clone();
        t[20] ^= 1;
        assert!(c.open(&t, b"ligne-1").is_err());
        assert!(BlobVault::new(&MasterKey::from_bytes([4; 32])).open(&s, b"ligne-1").is_err());
    }
}
