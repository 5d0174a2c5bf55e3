//! The master key and its derived keys.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hkdf::Hkdf;
use sha2::Sha256;
use std::path::Path;

/// Problems with key material. Never carries key bytes.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("clé maîtresse : {0}")]
    Invalid(&'static str),
    #[error("fichier de clé {path} : {source}")]
    Io { path: String, source: std::io::Error },
}

/// The 32-byte master key. Every other key is derived from it with HKDF-SHA256 and a
/// purpose label, so one secret in configuration protects everything.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

const SALT: &[u8] = b"DUDE master key v1";

impl MasterKey {
    pub fn from_bytes(b: [u8; 32]) -> Self {
        Self(b)
    }

    /// Reads a base64-encoded 32-byte key.
    pub fn from_base64(s: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| KeyError::Invalid("base64 invalide"))?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Invalid("32 octets attendus"))?;
        Ok(Self(arr))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let mut b = [0u8; 32];
        getrandom::getrandom(&mut b).expect("operating system random source");
        Self(b)
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads the key file, or creates it (mode 0600) with a fresh key.
    /// Returns the key and whether it was created.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyError> {
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        match std::fs::read_to_string(path) {
            Ok(s) => Ok((Self::from_base64(&s)?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                let tmp = path.with_extension("tmp");
                {
                    use std::io::Write;
                    let mut opts = std::fs::OpenOptions::new();
                    opts.write(true).create(true).truncate(true);
                    #[cfg(unix)]
                    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                    let mut f = opts.open(&tmp).map_err(io)?;
                    f.write_all(key.to_base64().as_bytes()).map_err(io)?;
                    f.sync_all().map_err(io)?;
                }
                std::fs::rename(&tmp, path).map_err(io)?;
                Ok((key, true))
            }
            Err(e) => Err(io(e)),
        }
    }

    /// Derives `N` bytes for a purpose.
    pub fn derive<const N: usize>(&self, purpose: &[u8]) -> [u8; N] {
        let hk = Hkdf::<Sha256>::new(Some(SALT), &self.0);
        let mut out = [0u8; N];
        hk.expand(purpose, &mut out).expect("HKDF output length is valid");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_stable_and_separated() {
        let k = MasterKey::from_bytes([7; 32]);
        let a: [u8; 32] = k.derive(b"a");
        assert_eq!(a, k.derive::<32>(b"a"));
        assert_ne!(a, k.derive::<32>(b"b"));
        assert!(MasterKey::from_base64("AAAA").is_err());
        let round = MasterKey::from_base64(&k.to_base64()).unwrap();
        assert_eq!(round.derive::<32>(b"a"), a);
        assert_eq!(format!("{k:?}"), "MasterKey(***)");
    }

    #[test]
    fn key_file_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k/master.key");
        let (k1, created) = MasterKey::load_or_create(&p).unwrap();
        assert!(created);
        let (k2, created) = MasterKey::load_or_create(&p).unwrap();
        assert!(!created);
        assert_eq!(k1.to_base64(), k2.to_base64());
    }
}
