//! The `idNational` given to partners: the dossier id encrypted with AES-SIV under a key
//! derived per partner (HKDF). Deterministic, so the same person always has the same id
//! for a partner; two partners get unrelated ids; an altered id, or one issued to another
//! partner, fails authentication and is refused.

use aes_siv::KeyInit;
use aes_siv::siv::Aes256Siv;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::keys::MasterKey;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNationalError {
    #[error("idNational mal formé")]
    Malformed,
    #[error("idNational non reconnu : altéré ou émis pour un autre partenaire")]
    Unauthentic,
}

/// Encodes and decodes per-partner identifiers.
#[derive(Clone)]
pub struct IdNationalCodec {
    master: MasterKey,
}

impl IdNationalCodec {
    pub fn new(master: &MasterKey) -> Self {
        Self { master: master.clone() }
    }

    fn cipher(&self, kind: &[u8], partner: &str) -> Aes256Siv {
        let mut purpose = kind.to_vec();
        purpose.extend_from_slice(partner.as_bytes());
        let key: [u8; 64] = self.master.derive(&purpose);
        Aes256Siv::new(&key.into())
    }

    pub fn encode(&self, partner: &str, id: Uuid) -> String {
        let ct = self
            .cipher(ID_NATIONAL, partner)
            .encrypt([partner.as_bytes()], id.as_bytes())
            .expect("SIV encryption of 16 bytes cannot fail");
        URL_SAFE_NO_PAD.encode(ct)
    }

    pub fn decode(&self, partner: &str, id_national: &str) -> Result<Uuid, IdNationalError> {
        if id_national.len() > 64 {
            return Err(IdNationalError::Malformed);
        }
        let raw = URL_SAFE_NO_PAD.decode(id_national).map_err(|_| IdNationalError::Malformed)?;
        if raw.len() != 32 {
            return Err(IdNationalError::Malformed);
        }
        let clear = self
            .cipher(ID_NATIONAL, partner)
            .decrypt([partner.as_bytes()], &raw)
            .map_err(|_| IdNationalError::Unauthentic)?;
        Uuid::from_slice(&clear).map_err(|_| IdNationalError::Unauthentic)
    }
}

const ID_NATIONAL: &[u8] = b"dude/id-national/v1/";
const ID_METIER: &[u8] = b"dude/id-metier/v1/";

impl IdNationalCodec {
    /// The encrypted identifier of a métier (diagnostic, métier recherché, projet) for a
    /// partner: same properties as the `idNational`.
    pub fn encode_metier(&self, partner: &str, id: &str) -> String {
        let ct = self
            .cipher(ID_METIER, partner)
            .encrypt([partner.as_bytes()], id.as_bytes())
            .expect("SIV encryption cannot fail");
        URL_SAFE_NO_PAD.encode(ct)
    }

    pub fn decode_metier(&self, partner: &str, encoded: &str) -> Result<String, IdNationalError> {
        if encoded.len() > 256 {
            return Err(IdNationalError::Malformed);
        }
        let raw = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| IdNationalError::Malformed)?;
        if raw.len() < 16 {
            return Err(IdNationalError::Malformed);
        }
        let clear = self
            .cipher(ID_METIER, partner)
            .decrypt([partner.as_bytes()], &raw)
            .map_err(|_| IdNationalError::Unauthentic)?;
        String::from_utf8(clear).map_err(|_| IdNationalError::Unauthentic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_per_partner_and_unlinkable() {
        let c = IdNationalCodec::new(&MasterKey::from_bytes([3; 32]));
        let id = Uuid::new_v4();
        let a1 = c.encode("cd77", id);
        assert_eq!(a1, c.encode("cd77", id));
        let b = c.encode("cd93", id);
        assert_ne!(a1, b);
        assert_eq!(c.decode("cd77", &a1).unwrap(), id);
        assert_eq!(c.decode("cd93", &a1), Err(IdNationalError::Unauthentic));
        // tamper one character
        let mut t: Vec<char> = a1.chars().collect();
        t[5] = if t[5] == 'A' { 'B' } else { 'A' };
        let t: String = t.into_iter().collect();
        assert_eq!(c.decode("cd77", &t), Err(IdNationalError::Unauthentic));
        assert_eq!(c.decode("cd77", "not base64!"), Err(IdNationalError::Malformed));
        assert_eq!(c.decode("cd77", "AAAA"), Err(IdNationalError::Malformed));
        let m = c.encode_metier("cd77", "M1");
        assert_eq!(c.decode_metier("cd77", &m).unwrap(), "M1");
        assert_eq!(c.decode_metier("cd93", &m), Err(IdNationalError::Unauthentic));
        // an idNational is not a métier id
        assert!(c.decode_metier("cd77", &a1).is_err());
    }
}
