//! The wasmtime host of department adapters (WebAssembly components implementing
//! `wit/adapter.wit`, `dude:adapter@0.1.x`): one engine per process, a cached
//! `InstancePre` per adapter, a fresh store per job, memory and time capped, no WASI
//! capability.

pub mod bindings;
pub mod catalogue;
pub mod chargement;
/// The adapters built into the binary (`core/build.rs` builds them from `plugins/`).
pub mod integres {
    include!(concat!(env!("OUT_DIR"), "/adaptateurs_integres.rs"));
}
pub mod moteur;
pub mod surveillance;
pub mod tache;

pub use chargement::{Adaptateur, Sens};
pub use moteur::Moteur;
pub use tache::Limites;

/// Failures of adapters. A trap or a timeout fails one job, never the process.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdaptateurError {
    #[error("adaptateur {fichier} : composant invalide : {raison}")]
    Invalide { fichier: String, raison: String },
    #[error("adaptateur {fichier} : version du contrat WIT {trouvee} non prise en charge (dude:adapter@0.1.x attendu)")]
    VersionWit { fichier: String, trouvee: String },
    #[error("adaptateur {0} : délai dépassé ({1} ms)")]
    Delai(String, u64),
    #[error("adaptateur {0} : limite de mémoire atteinte ({1} Mio)")]
    Memoire(String, u64),
    #[error("adaptateur {0} : arrêt anormal ({1})")]
    Trap(String, String),
    #[error("adaptateur {0} : entrée trop volumineuse ({1} octets, limite {2})")]
    EntreeTropGrande(String, u64, u64),
    #[error("adaptateur {0} : {1}")]
    Refus(String, String),
    #[error("hôte des adaptateurs : {0}")]
    Hote(String),
    #[error("adaptateur {0} en quarantaine après {1} échecs consécutifs : recharger une version corrigée")]
    Quarantaine(String, u32),
}
