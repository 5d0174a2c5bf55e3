//! Cryptography of personal identifiers (RustCrypto):
//! - [`keys`]: the master key from configuration and the keys derived from it (HKDF);
//! - [`nir_vault`]: the NIR encrypted at rest (AES-256-GCM-SIV) and its keyed index (HMAC);
//! - [`blob_vault`]: other sealed blobs at rest (files waiting for a partner), bound to their row;
//! - [`id_national`]: the per-partner `idNational` (deterministic AES-SIV);
//! - [`jeton_usager`]: the short-lived per-partner `jetonUsager` (AES-SIV, random nonce);
//! - [`secrets`]: the API clients' secrets (keyed HMAC).

pub mod blob_vault;
pub mod id_national;
pub mod jeton_usager;
pub mod keys;
pub mod nir_vault;
pub mod secrets;
