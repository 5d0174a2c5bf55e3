//! Configuration from the environment (and CLI flags that override it).

use std::path::PathBuf;

use crate::crypto::keys::{KeyError, MasterKey};
use crate::habilitation::AdminTokens;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/dude.db";
pub const DEMO_KEY_FILE: &str = "data/demo-master.key";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "clé maîtresse absente : définir DUDE_MASTER_KEY (32 octets en base64) ou DUDE_MASTER_KEY_FILE, ou lancer en mode démonstration (--demo)"
    )]
    NoMasterKey,
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{var} : entrée {index} invalide ({why})")]
    Tokens { var: &'static str, index: usize, why: String },
    #[error("{var} : {why}")]
    Invalid { var: &'static str, why: String },
}

/// Where the master key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    File(PathBuf),
    /// Demo mode generated it in this file.
    DemoGenerated(PathBuf),
    /// Demo mode reused the key it generated earlier.
    DemoExisting(PathBuf),
}

/// Loads the master key: `DUDE_MASTER_KEY`, else `DUDE_MASTER_KEY_FILE`, else (demo only)
/// a key generated once in `data/demo-master.key`.
pub fn master_key(demo: bool) -> Result<(MasterKey, KeySource), ConfigError> {
    if let Ok(k) = std::env::var("DUDE_MASTER_KEY") {
        return Ok((MasterKey::from_base64(&k)?, KeySource::Environment));
    }
    if let Ok(p) = std::env::var("DUDE_MASTER_KEY_FILE") {
        let p = PathBuf::from(p);
        let s = std::fs::read_to_string(&p).map_err(|source| KeyError::Io { path: p.display().to_string(), source })?;
        return Ok((MasterKey::from_base64(&s)?, KeySource::File(p)));
    }
    if demo {
        let p = PathBuf::from(DEMO_KEY_FILE);
        let (k, created) = MasterKey::load_or_create(&p)?;
        return Ok((k, if created { KeySource::DemoGenerated(p) } else { KeySource::DemoExisting(p) }));
    }
    Err(ConfigError::NoMasterKey)
}

pub fn database_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string())
}

/// Lifetime of partner access tokens (`DUDE_TOKEN_TTL_S`, default 600 s).
pub fn token_ttl() -> Result<i64, ConfigError> {
    match std::env::var("DUDE_TOKEN_TTL_S") {
        Err(_) => Ok(600),
        Ok(v) => v.parse::<i64>().ok().filter(|n| (30..=86_400).contains(n)).ok_or(ConfigError::Invalid {
            var: "DUDE_TOKEN_TTL_S",
            why: "entier de 30 à 86400 secondes attendu".into(),
        }),
    }
}

/// Directory holding `model.conf` and `policy.csv` that replace the shipped rules
/// (`DUDE_AUTHZ_DIR`).
pub fn authz_dir() -> Option<PathBuf> {
    std::env::var("DUDE_AUTHZ_DIR").ok().map(PathBuf::from)
}

/// Admin tokens from `DUDE_ADMIN_TOKENS` (`jeton,…`), until OpenID Connect lands.
pub fn admin_tokens_from_env() -> Result<AdminTokens, ConfigError> {
    let mut t = AdminTokens::default();
    if let Ok(v) = std::env::var("DUDE_ADMIN_TOKENS") {
        for (index, tok) in v.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
            if tok.len() < 16 {
                return Err(ConfigError::Tokens {
                    var: "DUDE_ADMIN_TOKENS",
                    index: index + 1,
                    why: "jeton trop court (16 caractères au moins)".into(),
                });
            }
            t.add(tok);
        }
    }
    Ok(t)
}

/// The demo admin token, derived from the master key so it survives restarts.
pub fn demo_admin_token(master: &MasterKey) -> String {
    use base64::Engine;
    let b: [u8; 24] = master.derive(b"dude/demo-token/admin");
    format!("demo-admin-{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// The administrators' identity provider: `DUDE_OIDC_ISSUER`, `DUDE_OIDC_JWKS_URL` and
/// `DUDE_OIDC_AUDIENCE` (default `dude-admin`). Absent: only configured admin tokens.
pub fn oidc() -> Result<Option<crate::habilitation::oidc::OidcConfig>, ConfigError> {
    match (std::env::var("DUDE_OIDC_ISSUER"), std::env::var("DUDE_OIDC_JWKS_URL")) {
        (Ok(issuer), Ok(jwks_url)) => Ok(Some(crate::habilitation::oidc::OidcConfig {
            issuer,
            jwks_url,
            audience: std::env::var("DUDE_OIDC_AUDIENCE").unwrap_or_else(|_| "dude-admin".into()),
        })),
        (Err(_), Err(_)) => Ok(None),
        _ => Err(ConfigError::Invalid {
            var: "DUDE_OIDC_ISSUER",
            why: "DUDE_OIDC_ISSUER et DUDE_OIDC_JWKS_URL vont ensemble".into(),
        }),
    }
}

/// Where signed checkpoints of the journal go (`DUDE_CHECKPOINT_FILE`), and how often
/// (`DUDE_CHECKPOINT_INTERVAL_S`, default 60 s).
pub fn checkpoints() -> Result<(PathBuf, u64), ConfigError> {
    let file = std::env::var("DUDE_CHECKPOINT_FILE").unwrap_or_else(|_| "data/journal-checkpoints.jsonl".into());
    let every = match std::env::var("DUDE_CHECKPOINT_INTERVAL_S") {
        Err(_) => 60,
        Ok(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or(ConfigError::Invalid { var: "DUDE_CHECKPOINT_INTERVAL_S", why: "entier positif attendu".into() })?,
    };
    Ok((PathBuf::from(file), every))
}

/// Whether partner calls are measured (`DUDE_SLA_MESURE`, default `1`; `0` turns the
/// measuring layer off, e.g. to measure its cost).
pub fn sla_mesure() -> Result<bool, ConfigError> {
    match std::env::var("DUDE_SLA_MESURE").as_deref() {
        Err(_) | Ok("1") | Ok("true") => Ok(true),
        Ok("0") | Ok("false") => Ok(false),
        Ok(_) => Err(ConfigError::Invalid { var: "DUDE_SLA_MESURE", why: "0 ou 1 attendu".into() }),
    }
}

/// Interval of the supervision probes (`DUDE_SLA_SONDE_S`, default 30 s; `0` turns them
/// off).
pub fn sla_sondes() -> Result<Option<std::time::Duration>, ConfigError> {
    match std::env::var("DUDE_SLA_SONDE_S") {
        Err(_) => Ok(Some(std::time::Duration::from_secs(30))),
        Ok(v) => match v.parse::<u64>() {
            Ok(0) => Ok(None),
            Ok(n) => Ok(Some(std::time::Duration::from_secs(n))),
            Err(_) => Err(ConfigError::Invalid { var: "DUDE_SLA_SONDE_S", why: "entier (secondes) attendu".into() }),
        },
    }
}
