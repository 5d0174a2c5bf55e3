//! Loading an adapter: read, sha256, compile (or reuse the cached `.cwasm`, keyed by the
//! sha256 and the engine settings, written and read by the host only), check the WIT
//! version, link with no capability, `instantiate_pre`, `describe`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};

use super::AdaptateurError;
use super::bindings::{Adapter, AdapterPre};
use super::moteur::Moteur;
use super::tache::{Hote, Limites, Sortie, decrire};

/// Consecutive failed jobs after which an adapter is quarantined.
pub const ECHECS_AVANT_QUARANTAINE: u32 = 5;

/// Counters of an adapter's jobs.
#[derive(Debug, Default)]
pub struct Compteurs {
    pub travaux: std::sync::atomic::AtomicU64,
    pub echecs: std::sync::atomic::AtomicU64,
    pub pieges: std::sync::atomic::AtomicU64,
    pub echecs_consecutifs: std::sync::atomic::AtomicU32,
}

pub use dude_modele::habilitation::convention::Sens;

/// The contract version this host implements.
pub const WIT_MAJEURE_MINEURE: (u64, u64) = (0, 1);

/// A loaded adapter, ready to serve jobs.
pub struct Adaptateur {
    pub nom: String,
    pub version: String,
    pub sha256: String,
    pub formats: Vec<String>,
    /// Categories it declares producing, as WIT names (e.g. `accompagnement`).
    pub categories: Vec<String>,
    pub directions: Vec<Sens>,
    pub version_wit: String,
    pub charge_le: DateTime<Utc>,
    pub compteurs: Compteurs,
    engine: wasmtime::Engine,
    pre: AdapterPre<Hote>,
}

impl Adaptateur {
    pub fn engine(&self) -> &wasmtime::Engine {
        &self.engine
    }

    pub(crate) fn pre(&self) -> &AdapterPre<Hote> {
        &self.pre
    }

    pub fn en_quarantaine(&self) -> bool {
        self.compteurs.echecs_consecutifs.load(std::sync::atomic::Ordering::Relaxed) >= ECHECS_AVANT_QUARANTAINE
    }

    /// Counts a finished job.
    pub(crate) fn compter<T>(&self, r: &Result<T, AdaptateurError>) {
        use std::sync::atomic::Ordering::Relaxed;
        let c = &self.compteurs;
        c.travaux.fetch_add(1, Relaxed);
        match r {
            Ok(_) | Err(AdaptateurError::Refus(..)) | Err(AdaptateurError::EntreeTropGrande(..)) => {
                c.echecs_consecutifs.store(0, Relaxed);
            }
            // the host's own failure (its pool full, its input unreadable) is not the
            // adapter's: it neither counts towards nor resets the quarantine
            Err(AdaptateurError::Hote(_)) => {}
            Err(e) => {
                c.echecs.fetch_add(1, Relaxed);
                if matches!(e, AdaptateurError::Trap(..) | AdaptateurError::Delai(..) | AdaptateurError::Memoire(..)) {
                    c.pieges.fetch_add(1, Relaxed);
                }
                let n = c.echecs_consecutifs.fetch_add(1, Relaxed) + 1;
                if n == ECHECS_AVANT_QUARANTAINE {
                    tracing::error!(adaptateur = %self.nom, echecs = n, "adaptateur mis en quarantaine");
                }
            }
        }
    }

    /// Loads from bytes (blocking: compiles). `cache` holds compiled code by sha256.
    pub fn charger(
        moteur: &Moteur,
        fichier: &str,
        octets: &[u8],
        cache: Option<&Path>,
    ) -> Result<Self, AdaptateurError> {
        let invalide = |raison: String| AdaptateurError::Invalide { fichier: fichier.into(), raison };
        let sha256 = hex::encode(Sha256::digest(octets));
        let engine = &moteur.engine;
        let component = match cache {
            Some(dir) => {
                let path: PathBuf = dir.join(moteur.fichier_compile(&sha256));
                // SAFETY: the cache directory is written by this host only, under names
                // that include the sha256 of the source and the engine's settings.
                match unsafe { Component::deserialize_file(engine, &path) } {
                    Ok(c) => c,
                    Err(_) => {
                        let c = Component::new(engine, octets).map_err(|e| invalide(format!("{e:#}")))?;
                        if let Ok(bytes) = c.serialize() {
                            let tmp = path.with_extension("tmp");
                            if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&tmp, bytes).is_ok() {
                                let _ = std::fs::rename(&tmp, &path);
                            }
                        }
                        c
                    }
                }
            }
            None => Component::new(engine, octets).map_err(|e| invalide(format!("{e:#}")))?,
        };
        // The contract version, from the names of the component's exports.
        let mut version_wit = None;
        for (name, _) in component.component_type().exports(engine) {
            if let Some(v) = name.strip_prefix("dude:adapter/parser@") {
                version_wit = Some(v.to_string());
            }
        }
        let version_wit =
            version_wit.ok_or_else(|| invalide("n'exporte pas l'interface dude:adapter/parser".into()))?;
        let v = semver::Version::parse(&version_wit).map_err(|e| invalide(format!("version {version_wit} : {e}")))?;
        if (v.major, v.minor) != WIT_MAJEURE_MINEURE {
            return Err(AdaptateurError::VersionWit { fichier: fichier.into(), trouvee: version_wit });
        }
        let mut linker: Linker<Hote> = Linker::new(engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(|e| AdaptateurError::Hote(format!("{e:#}")))?;
        Adapter::add_to_linker::<Hote, HasSelf<Hote>>(&mut linker, |h| h)
            .map_err(|e| AdaptateurError::Hote(format!("{e:#}")))?;
        let pre = linker.instantiate_pre(&component).map_err(|e| invalide(format!("{e:#}")))?;
        let pre = AdapterPre::new(pre).map_err(|e| invalide(format!("{e:#}")))?;
        let mut a = Adaptateur {
            nom: fichier.into(),
            version: String::new(),
            sha256,
            formats: Vec::new(),
            categories: Vec::new(),
            directions: Vec::new(),
            version_wit,
            charge_le: Utc::now(),
            compteurs: Compteurs::default(),
            engine: engine.clone(),
            pre,
        };
        let sortie = Sortie::default();
        let d = decrire(&a, &Limites::default(), &sortie);
        if let Some(t) = sortie.texte() {
            tracing::info!(adaptateur = %fichier, sortie = %t, "sortie de l'adaptateur au chargement");
        }
        let d = d?;
        a.nom = d.name;
        a.version = d.version;
        a.formats = d.formats;
        a.categories = d.categories.iter().map(|c| format!("{c:?}").to_lowercase()).collect();
        a.directions = d
            .directions
            .iter()
            .map(|d| match d {
                super::bindings::dude::adapter::types::Direction::Import => Sens::Import,
                super::bindings::dude::adapter::types::Direction::Export => Sens::Export,
            })
            .collect();
        Ok(a)
    }
}
