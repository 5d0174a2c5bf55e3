//! The settings: one value, read once at start from the environment and an optional file
//! (`DUDE_CONFIG`, lines `NOM=valeur`; the environment wins), validated as a whole — every
//! error is listed at once, with the variable's name. Nothing below reads the environment.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::habilitation::oidc::OidcConfig;

/// One setting: its variable, what it means, its default. The table is the one place
/// they are listed: `dude serve --help` prints it, the README shows it (a test checks).
pub struct Parametre {
    pub nom: &'static str,
    pub sens: &'static str,
    pub defaut: &'static str,
}

pub const PARAMETRES: &[Parametre] = &[
    Parametre {
        nom: "DATABASE_URL",
        sens: "sqlite://chemin.db or postgres://user:pass@host/db (migrations run at start)",
        defaut: "sqlite://data/dude.db",
    },
    Parametre {
        nom: "DUDE_MASTER_KEY",
        sens: "32 random bytes, base64: every key (NIR encryption and index, idNational, tokens) derives from it",
        defaut: "none; --demo generates data/demo-master.key",
    },
    Parametre { nom: "DUDE_MASTER_KEY_FILE", sens: "a file holding the master key instead", defaut: "none" },
    Parametre {
        nom: "DUDE_ADMIN_TOKENS",
        sens: "operator tokens for /admin/v1, comma-separated, 16 characters at least",
        defaut: "none (--demo prints one)",
    },
    Parametre {
        nom: "DUDE_OIDC_ISSUER",
        sens: "the administrators' identity provider (with DUDE_OIDC_JWKS_URL)",
        defaut: "none",
    },
    Parametre { nom: "DUDE_OIDC_JWKS_URL", sens: "its public keys", defaut: "none" },
    Parametre { nom: "DUDE_OIDC_AUDIENCE", sens: "the audience of its tokens", defaut: "dude-admin" },
    Parametre { nom: "DUDE_TOKEN_TTL_S", sens: "lifetime of partner access tokens, 30 to 86400 s", defaut: "600" },
    Parametre {
        nom: "DUDE_JETON_USAGER_S",
        sens: "lifetime of a jetonUsager (France Travail's v2 search), 60 to 86400 s",
        defaut: "3600",
    },
    Parametre {
        nom: "DUDE_PORTAIL_URL",
        sens: "the portal's public address (https://…), where the identity provider sends agents back",
        defaut: "none (demo: the loopback address used)",
    },
    Parametre {
        nom: "DUDE_PORTAIL_OIDC_ISSUER",
        sens: "the portal's OpenID Connect provider (ProConnect: https://…/api/v2), with its client id and secret",
        defaut: "none (demo: DUDE's demo provider)",
    },
    Parametre { nom: "DUDE_PORTAIL_OIDC_CLIENT_ID", sens: "the portal's client id at the provider", defaut: "none" },
    Parametre {
        nom: "DUDE_PORTAIL_OIDC_CLIENT_SECRET",
        sens: "the portal's client secret at the provider (sent in the body, client_secret_post)",
        defaut: "none",
    },
    Parametre {
        nom: "DUDE_PORTAIL_THEME",
        sens: "dsfr (the State's design system, for State services) or neutre (DUDE's own stylesheet)",
        defaut: "dsfr",
    },
    Parametre {
        nom: "DUDE_SESSION_INACTIVITE_S",
        sens: "the portal: a session idle this long ends, 60 to 86400 s",
        defaut: "1800",
    },
    Parametre {
        nom: "DUDE_SESSION_DUREE_S",
        sens: "the portal: a session ends this long after sign-in whatever its use, 300 to 86400 s",
        defaut: "36000",
    },
    Parametre {
        nom: "DUDE_AUTHZ_DIR",
        sens: "a directory with model.conf and policy.csv replacing the shipped rules",
        defaut: "the shipped rules",
    },
    Parametre {
        nom: "DUDE_CHECKPOINT_FILE",
        sens: "signed checkpoints of the journal",
        defaut: "data/journal-checkpoints.jsonl",
    },
    Parametre { nom: "DUDE_CHECKPOINT_INTERVAL_S", sens: "how often a checkpoint is signed, s", defaut: "60" },
    Parametre {
        nom: "DUDE_PLUGINS_DIR",
        sens: "department adapters (*.wasm), hot-reloaded; they replace the built-in ones of the same name",
        defaut: "the built-in adapters only",
    },
    Parametre { nom: "DUDE_CWASM_DIR", sens: "the adapters' compiled code", defaut: "data/cwasm" },
    Parametre { nom: "DUDE_SLA_SONDE_S", sens: "interval of the supervision probes, s (0: off)", defaut: "30" },
    Parametre {
        nom: "DUDE_SLA_ECHEANCES_S",
        sens: "how often the deadlines of incidents and data breaches are watched (their notices sent), s",
        defaut: "60",
    },
    Parametre {
        nom: "DUDE_SLA_MESURE",
        sens: "measure partner calls (0: off, to measure the layer's cost)",
        defaut: "1",
    },
    Parametre {
        nom: "DUDE_HTTP_DELAI_S",
        sens: "time a client has to send a request's headers, and between two parts of its body, s",
        defaut: "10",
    },
    Parametre { nom: "DUDE_BIND", sens: "listen address (or --bind)", defaut: "127.0.0.1:8080" },
    Parametre {
        nom: "DUDE_INSTANCE",
        sens: "this instance's name among several (its leases, heartbeats and logs)",
        defaut: "a new UUID at each start",
    },
    Parametre {
        nom: "DUDE_DB_CONNEXIONS",
        sens: "at most this many connections to the database, 1 to 500",
        defaut: "16 (SQLite), 4 per core (PostgreSQL)",
    },
    Parametre { nom: "DUDE_LOG", sens: "log filter (info, debug, trace, per target)", defaut: "info" },
    Parametre { nom: "DUDE_CONFIG", sens: "a file of NOM=valeur lines read before the environment", defaut: "none" },
];

/// How long a client may take to send a request: its headers (enforced by the server's
/// connection loop), and its body — no byte for `inactivite`, or not whole after `total`,
/// is answered 408 and the connection closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelaisHttp {
    pub entetes: Duration,
    pub inactivite: Duration,
    pub total: Duration,
}

impl Default for DelaisHttp {
    fn default() -> Self {
        Self { entetes: Duration::from_secs(10), inactivite: Duration::from_secs(10), total: Duration::from_secs(300) }
    }
}

/// The agents' portal: where it is reached, its identity provider, its look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Portail {
    /// The public address (`https://dude.exemple.fr`), for the provider's redirections;
    /// in demo mode, the loopback address the browser used.
    pub url: Option<String>,
    /// The OpenID Connect provider (ProConnect's issuer, `https://…/api/v2`); in demo mode,
    /// DUDE's own demo provider when unset.
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_client_secret: Option<String>,
    /// The pages with DUDE's neutral stylesheet instead of the State's design system (an
    /// operator that is not a State service).
    pub neutre: bool,
    /// Demo mode: DUDE's demo identity provider is served, and plain HTTP is allowed on a
    /// loopback address.
    pub demo: bool,
}

/// Where the master key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceCle {
    /// Base64 in `DUDE_MASTER_KEY`.
    Valeur(String),
    Fichier(PathBuf),
    /// Demo mode: generated once in `data/demo-master.key`.
    Demo,
    Absente,
}

/// Every setting, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub cle: SourceCle,
    pub admin_tokens: Vec<String>,
    pub oidc: Option<OidcConfig>,
    pub token_ttl_s: i64,
    pub jeton_usager_s: i64,
    pub portail: Portail,
    /// The portal's sessions: idle timeout and absolute lifetime.
    pub session_inactivite: Duration,
    pub session_duree: Duration,
    pub authz_dir: Option<PathBuf>,
    pub checkpoint_file: PathBuf,
    pub checkpoint_interval: Duration,
    pub plugins_dir: Option<PathBuf>,
    pub cwasm_dir: PathBuf,
    pub sla_sondes: Option<Duration>,
    /// How often the deadlines of incidents and breaches are watched (lease `echeances`).
    pub sla_echeances: Duration,
    pub sla_mesure: bool,
    pub delais_http: DelaisHttp,
    pub bind: SocketAddr,
    /// Demonstration mode: the demo key, habilitations, dossiers and operator token.
    pub demo: bool,
    /// At most this many connections to the database (`DUDE_DB_CONNEXIONS`; default:
    /// 16 on SQLite, 4 per core on PostgreSQL).
    pub connexions_base: Option<u32>,
    /// This instance's name among several (heartbeats, leases, logs): `DUDE_INSTANCE`,
    /// a new UUID at each start by default.
    pub instance: Option<String>,
}

/// One invalid setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalide {
    pub variable: &'static str,
    pub raison: String,
}

/// Every invalid setting, listed at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("réglages invalides :{}", .0.iter().map(|i| format!("\n  - {} : {}", i.variable, i.raison)).collect::<String>())]
pub struct SettingsErrors(pub Vec<Invalide>);

impl Settings {
    /// The defaults (no database key, no operator): a base for tests and tools.
    pub fn defaut() -> Self {
        Self {
            database_url: "sqlite://data/dude.db".into(),
            cle: SourceCle::Absente,
            admin_tokens: Vec::new(),
            oidc: None,
            token_ttl_s: 600,
            jeton_usager_s: 3600,
            portail: Portail::default(),
            session_inactivite: Duration::from_secs(30 * 60),
            session_duree: Duration::from_secs(10 * 3600),
            authz_dir: None,
            checkpoint_file: PathBuf::from("data/journal-checkpoints.jsonl"),
            checkpoint_interval: Duration::from_secs(60),
            plugins_dir: None,
            cwasm_dir: PathBuf::from("data/cwasm"),
            sla_sondes: Some(Duration::from_secs(30)),
            sla_echeances: Duration::from_secs(60),
            sla_mesure: true,
            delais_http: DelaisHttp::default(),
            bind: "127.0.0.1:8080".parse().expect("an address"),
            demo: false,
            instance: None,
            connexions_base: None,
        }
    }

    /// From the process's environment and, when `DUDE_CONFIG` names one, its file.
    pub fn depuis_environnement(demo: bool) -> Result<Self, SettingsErrors> {
        let env: HashMap<String, String> =
            std::env::vars().filter(|(k, _)| k.starts_with("DUDE_") || k == "DATABASE_URL").collect();
        let mut valeurs = match env.get("DUDE_CONFIG") {
            Some(f) => lire_fichier(Path::new(f))?,
            None => HashMap::new(),
        };
        valeurs.extend(env);
        Self::depuis(&valeurs, demo)
    }

    /// From these values (variable → text).
    pub fn depuis(v: &HashMap<String, String>, demo: bool) -> Result<Self, SettingsErrors> {
        let mut erreurs = Vec::new();
        let mut s = Self::defaut();
        s.demo = demo;
        s.portail.demo = demo;
        let mut err = |variable: &'static str, raison: &str| erreurs.push(Invalide { variable, raison: raison.into() });
        let get = |k: &str| v.get(k).map(|x| x.trim()).filter(|x| !x.is_empty());
        if let Some(u) = get("DATABASE_URL") {
            if u.starts_with("sqlite:") || u.starts_with("postgres://") || u.starts_with("postgresql://") {
                s.database_url = u.into();
            } else {
                err("DATABASE_URL", "sqlite://… ou postgres://… attendu");
            }
        }
        s.cle = match (get("DUDE_MASTER_KEY"), get("DUDE_MASTER_KEY_FILE")) {
            (Some(_), Some(_)) => {
                err("DUDE_MASTER_KEY", "DUDE_MASTER_KEY et DUDE_MASTER_KEY_FILE : l'un ou l'autre");
                SourceCle::Absente
            }
            (Some(k), None) => SourceCle::Valeur(k.into()),
            (None, Some(f)) => SourceCle::Fichier(f.into()),
            (None, None) if demo => SourceCle::Demo,
            (None, None) => SourceCle::Absente,
        };
        if let Some(t) = get("DUDE_ADMIN_TOKENS") {
            for (i, tok) in t.split(',').map(str::trim).filter(|x| !x.is_empty()).enumerate() {
                if tok.len() < 16 {
                    erreurs.push(Invalide {
                        variable: "DUDE_ADMIN_TOKENS",
                        raison: format!("jeton {} trop court (16 caractères au moins)", i + 1),
                    });
                } else {
                    s.admin_tokens.push(tok.into());
                }
            }
        }
        let mut err = |variable: &'static str, raison: &str| erreurs.push(Invalide { variable, raison: raison.into() });
        match (get("DUDE_OIDC_ISSUER"), get("DUDE_OIDC_JWKS_URL")) {
            (Some(issuer), Some(jwks_url)) => {
                s.oidc = Some(OidcConfig {
                    issuer: issuer.into(),
                    jwks_url: jwks_url.into(),
                    audience: get("DUDE_OIDC_AUDIENCE").unwrap_or("dude-admin").into(),
                })
            }
            (None, None) => {}
            _ => err("DUDE_OIDC_ISSUER", "DUDE_OIDC_ISSUER et DUDE_OIDC_JWKS_URL vont ensemble"),
        }
        s.portail.url = get("DUDE_PORTAIL_URL").map(|u| u.trim_end_matches('/').to_string());
        if s.portail.url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
            err("DUDE_PORTAIL_URL", "adresse https://… attendue");
        }
        s.portail.oidc_issuer = get("DUDE_PORTAIL_OIDC_ISSUER").map(|u| u.trim_end_matches('/').to_string());
        s.portail.oidc_client_id = get("DUDE_PORTAIL_OIDC_CLIENT_ID").map(str::to_string);
        s.portail.oidc_client_secret = get("DUDE_PORTAIL_OIDC_CLIENT_SECRET").map(str::to_string);
        let oidc = [&s.portail.oidc_issuer, &s.portail.oidc_client_id, &s.portail.oidc_client_secret];
        if oidc.iter().any(|x| x.is_some()) && !oidc.iter().all(|x| x.is_some()) {
            err(
                "DUDE_PORTAIL_OIDC_ISSUER",
                "DUDE_PORTAIL_OIDC_ISSUER, DUDE_PORTAIL_OIDC_CLIENT_ID et DUDE_PORTAIL_OIDC_CLIENT_SECRET vont ensemble",
            );
        }
        if s.portail.oidc_issuer.is_some() && s.portail.url.is_none() {
            err("DUDE_PORTAIL_URL", "obligatoire avec un fournisseur d'identité (adresse de retour)");
        }
        match get("DUDE_PORTAIL_THEME") {
            None | Some("dsfr") => {}
            Some("neutre") => s.portail.neutre = true,
            Some(_) => err("DUDE_PORTAIL_THEME", "dsfr ou neutre attendu"),
        }
        let entier = |k: &'static str, min: u64, max: u64, err: &mut dyn FnMut(&'static str, &str)| -> Option<u64> {
            let x = get(k)?;
            match x.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Some(n),
                _ => {
                    err(k, &format!("entier de {min} à {max} attendu"));
                    None
                }
            }
        };
        if let Some(n) = entier("DUDE_TOKEN_TTL_S", 30, 86_400, &mut err) {
            s.token_ttl_s = n as i64;
        }
        if let Some(n) = entier("DUDE_JETON_USAGER_S", 60, 86_400, &mut err) {
            s.jeton_usager_s = n as i64;
        }
        if let Some(n) = entier("DUDE_SESSION_INACTIVITE_S", 60, 86_400, &mut err) {
            s.session_inactivite = Duration::from_secs(n);
        }
        if let Some(n) = entier("DUDE_SESSION_DUREE_S", 300, 86_400, &mut err) {
            s.session_duree = Duration::from_secs(n);
        }
        if let Some(n) = entier("DUDE_CHECKPOINT_INTERVAL_S", 1, 86_400, &mut err) {
            s.checkpoint_interval = Duration::from_secs(n);
        }
        if let Some(n) = entier("DUDE_SLA_SONDE_S", 0, 86_400, &mut err) {
            s.sla_sondes = (n > 0).then(|| Duration::from_secs(n));
        }
        if let Some(n) = entier("DUDE_SLA_ECHEANCES_S", 1, 86_400, &mut err) {
            s.sla_echeances = Duration::from_secs(n);
        }
        if let Some(n) = entier("DUDE_HTTP_DELAI_S", 1, 3_600, &mut err) {
            s.delais_http.entetes = Duration::from_secs(n);
            s.delais_http.inactivite = Duration::from_secs(n);
        }
        match get("DUDE_SLA_MESURE") {
            None | Some("1") | Some("true") => {}
            Some("0") | Some("false") => s.sla_mesure = false,
            Some(_) => err("DUDE_SLA_MESURE", "0 ou 1 attendu"),
        }
        if let Some(b) = get("DUDE_BIND") {
            match b.parse() {
                Ok(a) => s.bind = a,
                Err(_) => err("DUDE_BIND", "adresse:port attendu (127.0.0.1:8080)"),
            }
        }
        if let Some(d) = get("DUDE_AUTHZ_DIR") {
            s.authz_dir = Some(d.into());
        }
        if let Some(n) = get("DUDE_DB_CONNEXIONS") {
            match n.parse::<u32>() {
                Ok(n) if (1..=500).contains(&n) => s.connexions_base = Some(n),
                _ => err("DUDE_DB_CONNEXIONS", "un nombre de 1 à 500 attendu"),
            }
        }
        if let Some(i) = get("DUDE_INSTANCE") {
            let ok = !i.is_empty()
                && i.len() <= 64
                && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
            match ok {
                true => s.instance = Some(i.to_string()),
                false => err("DUDE_INSTANCE", "1 à 64 caractères parmi a-z, 0-9, -, _ et ."),
            }
        }
        if let Some(f) = get("DUDE_CHECKPOINT_FILE") {
            s.checkpoint_file = f.into();
        }
        if let Some(d) = get("DUDE_PLUGINS_DIR") {
            if Path::new(d).is_dir() {
                s.plugins_dir = Some(d.into());
            } else {
                err("DUDE_PLUGINS_DIR", "répertoire introuvable");
            }
        }
        if let Some(d) = get("DUDE_CWASM_DIR") {
            s.cwasm_dir = d.into();
        }
        if let Some(l) = get("DUDE_LOG")
            && tracing_subscriber::EnvFilter::try_new(l).is_err()
        {
            err("DUDE_LOG", "filtre de journalisation illisible (info, debug, trace, cible=niveau…)");
        }
        if erreurs.is_empty() { Ok(s) } else { Err(SettingsErrors(erreurs)) }
    }
}

/// A file of `NOM=valeur` lines (`#` comments, blank lines).
fn lire_fichier(p: &Path) -> Result<HashMap<String, String>, SettingsErrors> {
    let texte = std::fs::read_to_string(p).map_err(|e| {
        SettingsErrors(vec![Invalide { variable: "DUDE_CONFIG", raison: format!("{} : {e}", p.display()) }])
    })?;
    let mut v = HashMap::new();
    let mut erreurs = Vec::new();
    for (i, l) in texte.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        match l.split_once('=') {
            Some((k, x)) if PARAMETRES.iter().any(|p| p.nom == k.trim()) => {
                v.insert(k.trim().to_string(), x.trim().trim_matches('"').to_string());
            }
            _ => erreurs.push(Invalide {
                variable: "DUDE_CONFIG",
                raison: format!("{}, ligne {} : NOM=valeur attendu, NOM parmi les réglages connus", p.display(), i + 1),
            }),
        }
    }
    if erreurs.is_empty() { Ok(v) } else { Err(SettingsErrors(erreurs)) }
}

/// The settings as `dude serve --help` lists them.
pub fn aide() -> String {
    let mut s = String::from("Réglages (variables d'environnement, ou fichier DUDE_CONFIG) :\n");
    for p in PARAMETRES {
        s.push_str(&format!("  {:<27} {} [défaut : {}]\n", p.nom, p.sens, p.defaut));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(paires: &[(&str, &str)]) -> HashMap<String, String> {
        paires.iter().map(|(k, x)| (k.to_string(), x.to_string())).collect()
    }

    #[test]
    fn every_error_is_listed_at_once() {
        let e = Settings::depuis(
            &v(&[
                ("DUDE_TOKEN_TTL_S", "5"),
                ("DUDE_SLA_MESURE", "peut-être"),
                ("DUDE_OIDC_ISSUER", "https://idp"),
                ("DUDE_BIND", "partout"),
                ("DUDE_ADMIN_TOKENS", "court"),
                ("DATABASE_URL", "mysql://x"),
            ]),
            false,
        )
        .unwrap_err();
        let vars: Vec<&str> = e.0.iter().map(|i| i.variable).collect();
        for x in [
            "DUDE_TOKEN_TTL_S",
            "DUDE_SLA_MESURE",
            "DUDE_OIDC_ISSUER",
            "DUDE_BIND",
            "DUDE_ADMIN_TOKENS",
            "DATABASE_URL",
        ] {
            assert!(vars.contains(&x), "{x} in {e}");
        }
        assert!(e.to_string().contains("DUDE_BIND : adresse:port"), "{e}");
    }

    #[test]
    fn defaults_and_values() {
        let s = Settings::depuis(&v(&[("DUDE_SLA_SONDE_S", "0"), ("DUDE_TOKEN_TTL_S", "3600")]), true).unwrap();
        assert_eq!((s.sla_sondes, s.token_ttl_s, s.cle.clone()), (None, 3600, SourceCle::Demo));
        assert_eq!(s.database_url, "sqlite://data/dude.db");
    }

    #[test]
    fn a_file_then_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("dude.env");
        std::fs::write(&f, "# réglages\nDUDE_TOKEN_TTL_S=120\nDUDE_SLA_SONDE_S = 5\n").unwrap();
        let mut valeurs = lire_fichier(&f).unwrap();
        valeurs.extend(v(&[("DUDE_SLA_SONDE_S", "7")]));
        let s = Settings::depuis(&valeurs, false).unwrap();
        assert_eq!((s.token_ttl_s, s.sla_sondes), (120, Some(Duration::from_secs(7))));
        std::fs::write(&f, "DUDE_INCONNU=1\n").unwrap();
        assert!(lire_fichier(&f).unwrap_err().to_string().contains("ligne 1"));
    }

    #[test]
    fn the_readme_lists_every_setting() {
        let readme = include_str!("../../../README.md");
        for p in PARAMETRES {
            assert!(readme.contains(&format!("`{}`", p.nom)), "README lacks {}", p.nom);
        }
    }
}
