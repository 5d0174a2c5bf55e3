//! The `jetonUsager` of France Travail's generation-2 API: a short-lived, per-partner
//! reference to a person, sent back in the `ft-jeton-usager` header.
//!
//! Shaped as France Travail's (base64 of a JSON object `vers`, `uuid`, `expire` in epoch
//! milliseconds, `type`, `data` = `<uuid>#<opaque>`), its `data` holds the dossier id and
//! the expiry sealed with AES-SIV under a key derived for the partner, with a random nonce:
//! two jetons for the same person differ, a jeton issued to another partner or altered in
//! any byte fails authentication, and the expiry that counts is the sealed one.

use aes_siv::KeyInit;
use aes_siv::siv::Aes256Siv;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::keys::MasterKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JetonUsagerError {
    #[error("jeton usager mal formé (en-tête ft-jeton-usager)")]
    Malforme,
    /// Altered, or issued to another partner: the same answer for both.
    #[error("jeton usager non reconnu (en-tête ft-jeton-usager)")]
    NonReconnu,
    #[error("jeton usager expiré : rechercher l'usager de nouveau (en-tête ft-jeton-usager)")]
    Expire,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Enveloppe {
    vers: String,
    uuid: String,
    expire: i64,
    #[serde(rename = "type")]
    genre: String,
    data: String,
}

const BUT: &[u8] = b"dude/jeton-usager/v1/";
/// Largest jeton read (a real one is about 250 characters).
const TAILLE_MAX: usize = 1024;

/// Issues and reads jetons usager.
#[derive(Clone)]
pub struct JetonUsagerCodec {
    master: MasterKey,
    /// Lifetime of a jeton.
    pub duree: chrono::Duration,
}

impl JetonUsagerCodec {
    pub fn new(master: &MasterKey, duree: chrono::Duration) -> Self {
        Self { master: master.clone(), duree }
    }

    fn cipher(&self, partenaire: &str) -> Aes256Siv {
        let mut purpose = BUT.to_vec();
        purpose.extend_from_slice(partenaire.as_bytes());
        let key: [u8; 64] = self.master.derive(&purpose);
        Aes256Siv::new(&key.into())
    }

    /// A jeton for `partenaire` designating `dossier`, valid `duree` from `maintenant`.
    pub fn emettre(&self, partenaire: &str, dossier: Uuid, maintenant: DateTime<Utc>) -> String {
        let expire = (maintenant + self.duree).timestamp_millis();
        let mut nonce = [0u8; 16];
        getrandom::getrandom(&mut nonce).expect("operating system random source");
        let mut clair = dossier.as_bytes().to_vec();
        clair.extend_from_slice(&expire.to_be_bytes());
        let ct = self
            .cipher(partenaire)
            .encrypt([partenaire.as_bytes(), &nonce[..]], &clair)
            .expect("SIV encryption of 24 bytes cannot fail");
        let mut scelle = nonce.to_vec();
        scelle.extend_from_slice(&ct);
        let uuid = Uuid::from_bytes(nonce).to_string();
        let e = Enveloppe {
            vers: "0.1".into(),
            uuid: uuid.clone(),
            expire,
            genre: "/partenaire".into(),
            data: format!("{uuid}#{}", URL_SAFE_NO_PAD.encode(scelle)),
        };
        STANDARD.encode(serde_json::to_vec(&e).expect("serialisable"))
    }

    /// The dossier a jeton designates, if it was issued to `partenaire`, is intact and has
    /// not expired at `maintenant`.
    pub fn lire(&self, partenaire: &str, jeton: &str, maintenant: DateTime<Utc>) -> Result<Uuid, JetonUsagerError> {
        let jeton = jeton.trim();
        if jeton.is_empty() || jeton.len() > TAILLE_MAX {
            return Err(JetonUsagerError::Malforme);
        }
        let brut = STANDARD.decode(jeton).map_err(|_| JetonUsagerError::Malforme)?;
        let e: Enveloppe = serde_json::from_slice(&brut).map_err(|_| JetonUsagerError::Malforme)?;
        let (_, opaque) = e.data.split_once('#').ok_or(JetonUsagerError::Malforme)?;
        let scelle = URL_SAFE_NO_PAD.decode(opaque).map_err(|_| JetonUsagerError::Malforme)?;
        if scelle.len() != 16 + 16 + 24 {
            return Err(JetonUsagerError::Malforme);
        }
        let (nonce, ct) = scelle.split_at(16);
        let clair = self
            .cipher(partenaire)
            .decrypt([partenaire.as_bytes(), nonce], ct)
            .map_err(|_| JetonUsagerError::NonReconnu)?;
        let dossier = Uuid::from_slice(&clair[..16]).map_err(|_| JetonUsagerError::NonReconnu)?;
        let expire = i64::from_be_bytes(clair[16..24].try_into().map_err(|_| JetonUsagerError::NonReconnu)?);
        if maintenant.timestamp_millis() >= expire {
            return Err(JetonUsagerError::Expire);
        }
        Ok(dossier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jeton_is_for_one_partner_for_a_while_and_never_the_same_twice() {
        let c = JetonUsagerCodec::new(&MasterKey::from_bytes([7; 32]), chrono::Duration::minutes(60));
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let id = Uuid::new_v4();
        let j = c.emettre("cd77", id, t0);
        assert_ne!(j, c.emettre("cd77", id, t0), "random nonce: unlinkable");
        assert_eq!(c.lire("cd77", &j, t0 + chrono::Duration::minutes(59)).unwrap(), id);
        assert_eq!(c.lire("cd77", &j, t0 + chrono::Duration::minutes(60)), Err(JetonUsagerError::Expire));
        assert_eq!(c.lire("cd93", &j, t0), Err(JetonUsagerError::NonReconnu));
        // France Travail's shape: base64 JSON with vers, uuid, expire (ms), type, data uuid#…
        let v: serde_json::Value = serde_json::from_slice(&STANDARD.decode(&j).unwrap()).unwrap();
        assert_eq!(v["expire"], (t0 + chrono::Duration::minutes(60)).timestamp_millis());
        assert!(v["data"].as_str().unwrap().starts_with(v["uuid"].as_str().unwrap()));
        // changing the visible expiry changes nothing: the sealed one counts
        let mut e: serde_json::Value = v.clone();
        e["expire"] = serde_json::json!(i64::MAX);
        let falsifie = STANDARD.encode(serde_json::to_vec(&e).unwrap());
        assert_eq!(c.lire("cd77", &falsifie, t0 + chrono::Duration::hours(2)), Err(JetonUsagerError::Expire));
        // altering the sealed part
        let mut e = v.clone();
        let d = e["data"].as_str().unwrap().to_string();
        let (u, o) = d.split_once('#').unwrap();
        let mut o: Vec<char> = o.chars().collect();
        o[10] = if o[10] == 'A' { 'B' } else { 'A' };
        e["data"] = serde_json::json!(format!("{u}#{}", o.into_iter().collect::<String>()));
        let altere = STANDARD.encode(serde_json::to_vec(&e).unwrap());
        assert_eq!(c.lire("cd77", &altere, t0), Err(JetonUsagerError::NonReconnu));
        assert_eq!(c.lire("cd77", "pas un jeton", t0), Err(JetonUsagerError::Malforme));
        assert_eq!(c.lire("cd77", "", t0), Err(JetonUsagerError::Malforme));
    }
}
