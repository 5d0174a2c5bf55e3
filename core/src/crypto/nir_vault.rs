//! The NIR at rest: encrypted with AES-256-GCM-SIV under a random nonce, looked up through
//! a keyed HMAC-SHA256 index. The clear NIR is never written to the database.

use aes_gcm_siv::aead::{Aead, KeyInit};
use aes_gcm_siv::{Aes256GcmSiv, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::keys::MasterKey;
use dude_modele::dossier::Nir;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("NIR chiffré illisible (données corrompues ou mauvaise clé)")]
    Corrupt,
    #[error(transparent)]
    Nir(#[from] dude_modele::dossier::nir::NirError),
}

/// Encrypts, decrypts and indexes NIRs.
#[derive(Clone)]
pub struct NirVault {
    cipher: Aes256GcmSiv,
    index_key: [u8; 32],
}

impl NirVault {
    pub fn new(master: &MasterKey) -> Self {
        let enc: [u8; 32] = master.derive(b"dude/nir/encryption/v1");
        Self {
            cipher: Aes256GcmSiv::new_from_slice(&enc).expect("32-byte key"),
            index_key: master.derive(b"dude/nir/index/v1"),
        }
    }

    /// The keyed look-up index of a NIR (hex): equal NIRs give equal indexes, and
    /// nobody without the key can compute or reverse it.
    pub fn index(&self, nir: &Nir) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key size");
        mac.update(nir.expose().as_bytes());
        let out = mac.finalize().into_bytes();
        hex::encode(out)
    }

    /// The keyed look-up index of a numéro France Travail (hex), kept apart from the NIR's.
    pub fn index_numero_france_travail(&self, numero: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key size");
        mac.update(b"numero-france-travail:");
        mac.update(numero.trim().to_ascii_uppercase().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The keyed look-up index of a name (hex) once folded (`nom_plie`: case, accents,
    /// hyphens and apostrophes), `genre` keeping the nom's apart from the prénom's.
    pub fn index_nom(&self, genre: &str, nom: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key size");
        mac.update(genre.as_bytes());
        mac.update(b":");
        mac.update(dude_modele::dossier::identite::nom_plie(nom).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// `base64(nonce ‖ ciphertext)`.
    pub fn encrypt(&self, nir: &Nir) -> String {
        let mut nonce = [0u8; 12];
        getrandom::getrandom(&mut nonce).expect("operating system random source");
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), nir.expose().as_bytes())
            .expect("encryption of a short message cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    pub fn decrypt(&self, stored: &str) -> Result<Nir, VaultError> {
        let raw = STANDARD.decode(stored).map_err(|_| VaultError::Corrupt)?;
        if raw.len() < 12 {
            return Err(VaultError::Corrupt);
        }
        let (nonce, ct) = raw.split_at(12);
        let clear = self.cipher.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| VaultError::Corrupt)?;
        let s = String::from_utf8(clear).map_err(|_| VaultError::Corrupt)?;
        Ok(Nir::parse(&s)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_index_and_tamper() {
        let v = NirVault::new(&MasterKey::from_bytes([1; 32]));
        let nir = Nir::parse("1841276451089").unwrap();
        let a = v.encrypt(&nir);
        let b = v.encrypt(&nir);
        assert_ne!(a, b, "random nonce");
        assert_eq!(v.decrypt(&a).unwrap(), nir);
        assert_eq!(v.index(&nir), v.index(&Nir::parse(&nir.expose()).unwrap()));
        assert!(!a.contains("1841276"));
        let mut raw = STANDARD.decode(&a).unwrap();
        raw[20] ^= 1;
        assert!(matches!(v.decrypt(&STANDARD.encode(raw)), Err(VaultError::Corrupt)));
        let other = NirVault::new(&MasterKey::from_bytes([2; 32]));
        assert!(other.decrypt(&a).is_err());
        assert_ne!(other.index(&nir), v.index(&nir));
    }
}
