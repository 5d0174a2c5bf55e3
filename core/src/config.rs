//! Configuration from the environment (and CLI flags that override it).

use std::path::PathBuf;

use crate::crypto::keys::{KeyError, MasterKey};
use crate::dossier::contact::Departement;
use crate::habilitation::{Client, StaticTokens};

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
    #[error("{var} : entrée {index} invalide ({why}) ; format attendu jeton=partenaire:organisation[:département]")]
    Tokens { var: &'static str, index: usize, why: String },
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

/// Partner tokens from `DUDE_PARTNER_TOKENS` (`jeton=partenaire:organisation[:dép],…`)
/// and admin tokens from `DUDE_ADMIN_TOKENS` (`jeton,…`).
pub fn tokens_from_env() -> Result<StaticTokens, ConfigError> {
    let mut t = StaticTokens::default();
    if let Ok(v) = std::env::var("DUDE_PARTNER_TOKENS") {
        for (index, entry) in v.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
            let err = |why: &str| ConfigError::Tokens { var: "DUDE_PARTNER_TOKENS", index: index + 1, why: why.into() };
            let (token, rest) = entry.split_once('=').ok_or_else(|| err("« = » manquant"))?;
            if token.len() < 16 {
                return Err(err("jeton trop court (16 caractères au moins)"));
            }
            let mut parts = rest.split(':');
            let partenaire = parts.next().filter(|s| !s.is_empty()).ok_or_else(|| err("partenaire manquant"))?;
            let organisation = parts.next().filter(|s| !s.is_empty()).ok_or_else(|| err("organisation manquante"))?;
            let departement = parts.next().map(Departement::parse).transpose().map_err(|e| err(&e.to_string()))?;
            t.add_partner(
                token,
                Client {
                    client_id: format!("{partenaire}-app"),
                    partenaire: partenaire.into(),
                    organisation: organisation.into(),
                    convention: format!("convention-{partenaire}"),
                    departement,
                },
            );
        }
    }
    if let Ok(v) = std::env::var("DUDE_ADMIN_TOKENS") {
        for (index, tok) in v.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
            if tok.len() < 16 {
                return Err(ConfigError::Tokens {
                    var: "DUDE_ADMIN_TOKENS",
                    index: index + 1,
                    why: "jeton trop court (16 caractères au moins)".into(),
                });
            }
            t.add_admin(tok);
        }
    }
    Ok(t)
}

/// Demo tokens, derived from the master key so they survive restarts: two départements'
/// councils (77 and 93) and an administrator.
pub fn demo_tokens(master: &MasterKey, t: &mut StaticTokens) {
    use base64::Engine;
    let tok = |label: &str| {
        let b: [u8; 24] = master.derive(format!("dude/demo-token/{label}").as_bytes());
        format!("demo-{label}-{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
    };
    for (p, org, dep) in [
        ("cd77", "Conseil départemental de Seine-et-Marne", "77"),
        ("cd93", "Conseil départemental de la Seine-Saint-Denis", "93"),
    ] {
        t.add_partner(
            tok(p),
            Client {
                client_id: format!("{p}-demo"),
                partenaire: p.into(),
                organisation: org.into(),
                convention: format!("convention-{p}-demo"),
                departement: Departement::parse(dep).ok(),
            },
        );
    }
    t.add_admin(tok("admin"));
}
