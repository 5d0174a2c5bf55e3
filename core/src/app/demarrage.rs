//! The assembly of the application from its [`Settings`]: the store (migrations), the
//! master key, the adapters (built into the binary, and those of `DUDE_PLUGINS_DIR`,
//! hot-reloaded), the services, the demo data in demo mode, and the background work
//! (reloading habilitations, signing checkpoints, writing the SLA minutes and
//! heartbeats, watching deadlines). `dude serve`, the other commands and the tests all
//! start here; the HTTP edge (`api::serveur`) serves what it returns.

use std::sync::Arc;
use std::time::Duration;

use super::settings::{Settings, SourceCle};
use super::{AppState, Services, grappe};
use crate::adaptateur::catalogue::Catalogue;
use crate::clock::SharedClock;
use crate::crypto::keys::{KeyError, MasterKey};
use crate::habilitation::AdminTokens;
use crate::store::{Store, StoreError};

/// The demo's master key, generated once.
pub const CLE_DEMO: &str = "data/demo-master.key";

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "clé maîtresse absente : définir DUDE_MASTER_KEY (32 octets en base64) ou DUDE_MASTER_KEY_FILE, ou lancer en mode démonstration (--demo)"
    )]
    CleAbsente,
    #[error(transparent)]
    Cle(#[from] KeyError),
    #[error("base de données {url} : {source}")]
    Base { url: String, source: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Habilitations(#[from] crate::habilitation::gardien::ReloadError),
    #[error(transparent)]
    Adaptateurs(#[from] crate::adaptateur::AdaptateurError),
}

/// The URL without its password.
pub fn sans_mot_de_passe(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// The master key the settings name (demo mode: generated once, and said so).
pub fn cle_maitresse(settings: &Settings) -> Result<MasterKey, StartError> {
    Ok(match &settings.cle {
        SourceCle::Valeur(k) => MasterKey::from_base64(k)?,
        SourceCle::Fichier(p) => {
            let s =
                std::fs::read_to_string(p).map_err(|source| KeyError::Io { path: p.display().to_string(), source })?;
            MasterKey::from_base64(&s)?
        }
        SourceCle::Demo => {
            let p = std::path::Path::new(CLE_DEMO);
            let (k, creee) = MasterKey::load_or_create(p)?;
            if creee {
                tracing::warn!(fichier = %p.display(), "mode démonstration : clé maîtresse générée (ne pas utiliser en production)");
            } else {
                tracing::warn!(fichier = %p.display(), "mode démonstration : clé maîtresse de démonstration réutilisée");
            }
            k
        }
        SourceCle::Absente => return Err(StartError::CleAbsente),
    })
}

/// The store the settings name, migrated, and the master key.
pub async fn ouvrir_base(settings: &Settings) -> Result<(Store, MasterKey), StartError> {
    let cle = cle_maitresse(settings)?;
    let store = Store::ouvrir(&settings.database_url, &cle, settings.connexions_base)
        .await
        .map_err(|source| StartError::Base { url: sans_mot_de_passe(&settings.database_url), source })?;
    Ok((store, cle))
}

/// The demo's operator token, derived from the master key so it survives restarts.
pub fn jeton_admin_demo(master: &MasterKey) -> String {
    use base64::Engine;
    let b: [u8; 24] = master.derive(b"dude/demo-token/admin");
    format!("demo-admin-{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// The adapters: those built into the binary, then those of `DUDE_PLUGINS_DIR` (a file
/// declaring the same name replaces the built-in one), watched for changes.
pub async fn adaptateurs(
    settings: &Settings,
    instances: u32,
    integres: bool,
) -> Result<(Arc<Catalogue>, Option<crate::adaptateur::surveillance::Surveillance>), StartError> {
    let moteur = crate::adaptateur::Moteur::new(instances, crate::adaptateur::Limites::default().memoire_octets)?;
    let dir = settings.plugins_dir.clone().unwrap_or_default();
    let cat = Arc::new(Catalogue::new(moteur, dir, Some(settings.cwasm_dir.clone())));
    let c2 = cat.clone();
    let avec_repertoire = settings.plugins_dir.is_some();
    let n = tokio::task::spawn_blocking(move || {
        let n = if integres { c2.charger_integres() } else { 0 };
        n + if avec_repertoire { c2.charger_tout() } else { 0 }
    })
    .await
    .map_err(|e| crate::adaptateur::AdaptateurError::Hote(e.to_string()))?;
    tracing::info!(adaptateurs = n, repertoire = ?settings.plugins_dir, "adaptateurs chargés");
    let surveillance = match avec_repertoire {
        true => Some(crate::adaptateur::surveillance::surveiller(cat.clone())?),
        false => None,
    };
    Ok((cat, surveillance))
}

/// What the test harness and the commands may set besides the settings.
#[derive(Default)]
pub struct Options {
    /// The clock (default: the system's).
    pub clock: Option<SharedClock>,
    /// Adapters already loaded (default: built from the settings).
    pub catalogue: Option<Arc<Catalogue>>,
    /// Demo mode: dossiers seeded into an empty database.
    pub dossiers_demo: u64,
    /// Without the adapters built into the binary (those of `DUDE_PLUGINS_DIR` only).
    pub sans_adaptateurs_integres: bool,
    /// No background task (commands that run once).
    pub sans_taches: bool,
}

/// The running application: its state and its background work.
pub struct Application {
    pub state: AppState,
    /// The demo applications and their secrets, in demo mode.
    pub demo: Vec<crate::demo::habilitations::DemoClient>,
    taches: Vec<tokio::task::JoinHandle<()>>,
    _surveillance: Option<crate::adaptateur::surveillance::Surveillance>,
}

impl Application {
    /// Assembles and starts the application.
    pub async fn demarrer(settings: &Settings, options: Options) -> Result<Self, StartError> {
        let clock = options.clock.unwrap_or_else(|| Arc::new(crate::clock::SystemClock));
        let (store, cle) = ouvrir_base(settings).await?;
        let mut admins = AdminTokens::default();
        for t in &settings.admin_tokens {
            admins.add(t.clone());
        }
        let mut demo = Vec::new();
        if settings.demo {
            admins.add(jeton_admin_demo(&cle));
            demo = crate::demo::habilitations::seed(&store, &cle, clock.today()).await?;
            if options.dossiers_demo > 0 && !store.a_des_dossiers().await? {
                tracing::info!(nombre = options.dossiers_demo, "chargement des dossiers de démonstration");
                let d = crate::demo::Demo::new(crate::demo::DEFAULT_SEED, clock.today());
                crate::demo::semer(&store, &d, options.dossiers_demo).await?;
            }
        }
        // the supervision probes' identity and dossier (seed 002 annex 2 §4)
        super::sla::sonde::preparer(&store).await?;
        let (catalogue, surveillance) = match options.catalogue {
            Some(c) => (c, None),
            None => {
                let (c, s) = adaptateurs(settings, 64, !options.sans_adaptateurs_integres).await?;
                (c, s)
            }
        };
        let services = Services::ouvrir(settings, store, &cle, clock, admins, Some(catalogue)).await?;
        let state = AppState::new(services);
        let mut taches = Vec::new();
        if !options.sans_taches {
            // the adapters uploaded through another instance while this one was away
            grappe::synchroniser_adaptateurs(state.services()).await;
            taches = demarrer_taches(&state, settings, &cle).await;
        }
        Ok(Self { state, demo, taches, _surveillance: surveillance })
    }

    /// Stops the background work, writes the SLA minutes still in memory and gives
    /// back the leases this instance holds.
    pub async fn arreter(self) -> Result<(), StoreError> {
        for t in &self.taches {
            t.abort();
        }
        if let Some(m) = &self.state.services().mesureur {
            self.state.store().sla_ecrire_minutes(&m.tout_prendre()).await?;
        }
        grappe::rendre_baux(self.state.services()).await;
        Ok(())
    }
}

/// The background work of a running instance. What must run once across instances
/// (signing checkpoints, watching deadlines and sending their notices, detecting error
/// spikes, purging) is held by a lease ([`grappe::sous_bail`]); what each instance
/// keeps for itself (its reload of the habilitations, its SLA minutes and heartbeats,
/// its name indexes) runs on each.
async fn demarrer_taches(state: &AppState, settings: &Settings, cle: &MasterKey) -> Vec<tokio::task::JoinHandle<()>> {
    let s = state.partage();
    let gardien = s.gardien.clone();
    let store = s.store.clone();
    // conventions, agents and clients changed in the database are picked up without
    // restart (at once on a notice from the instance that changed them, every 30 s
    // otherwise); a failed reload keeps the previous version
    let rechargement = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.tick().await;
        loop {
            tick.tick().await;
            let _ = gardien.recharger(&store).await;
        }
    });
    let points = Arc::new(crate::journal::checkpoint::Checkpoints::new(cle, settings.checkpoint_file.clone()));
    let points = grappe::sous_bail(s.clone(), "points-de-controle", settings.checkpoint_interval, move |s| {
        let points = points.clone();
        async move {
            if let Err(e) = points.veiller(&s.store, s.clock.now()).await {
                tracing::error!(erreur = %e, "point de contrôle du journal");
            }
        }
    });
    // the portal's ended sessions removed (a session past its limits is refused anyway)
    let purge = grappe::sous_bail(s.clone(), "purge-sessions", Duration::from_secs(300), |s| async move {
        if let Err(e) = super::portail::purger(&s, s.clock.now()).await {
            tracing::warn!(erreur = %e, "purge des sessions du portail");
        }
    });
    // dossiers stored before the name indexes existed get theirs, a thousand at a time
    let s_index = s.clone();
    let index = tokio::spawn(async move {
        loop {
            match s_index.store.indexer_identites(1000).await {
                Ok(0) => break,
                Ok(n) => tracing::info!(dossiers = n, "index de recherche par nom"),
                Err(e) => {
                    tracing::error!(erreur = %e, "index de recherche par nom");
                    break;
                }
            }
        }
    });
    let mut taches = vec![
        rechargement,
        points,
        purge,
        index,
        super::sla::collecte::demarrer_ecriture(s.clone()),
        super::sla::collecte::demarrer_pics(s.clone()),
        super::sla::collecte::demarrer_purge(s.clone()),
        super::sla::collecte::demarrer_battements(s.clone()),
        super::sla::collecte::demarrer_echeances(s.clone(), settings.sla_echeances),
    ];
    taches.extend(grappe::ecouter(s).await);
    taches
}
