//! Several instances on one database (PostgreSQL): background work held by leases so
//! that it runs once across the cluster, and changes made through one instance applied
//! by all at once (notices: `LISTEN/NOTIFY`). On SQLite there is one instance; the same
//! code runs, its leases always its own.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::Digest;

use super::Services;

/// How long a lease lasts without renewal: an instance that dies gives its work to
/// another within this term and one renewal period.
pub const DUREE_BAIL: Duration = Duration::from_secs(15);
/// How often a lease is renewed (or tried for).
pub const RENOUVELLEMENT: Duration = Duration::from_secs(5);

/// What a notice says changed.
pub mod sujet {
    /// Organisations, conventions, agents, clients: the habilitations are reloaded.
    pub const HABILITATIONS: &str = "habilitations";
    /// The API versions and their calendar.
    pub const VERSIONS: &str = "versions";
    /// An uploaded adapter.
    pub const ADAPTATEURS: &str = "adaptateurs";
}

/// Runs `travail` every `periode` on the one instance that holds the lease `nom`
/// (taken, renewed every [`RENOUVELLEMENT`], taken over when its holder stops renewing).
pub fn sous_bail<F, Fut>(
    s: Arc<Services>,
    nom: &'static str,
    periode: Duration,
    mut travail: F,
) -> tokio::task::JoinHandle<()>
where
    F: FnMut(Arc<Services>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RENOUVELLEMENT.min(periode));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut tenu = false;
        let mut dernier: Option<Instant> = None;
        loop {
            tick.tick().await;
            let maintenant = match s.store.bail_prendre(nom, &s.instance, DUREE_BAIL).await {
                Ok(t) => t,
                Err(e) => {
                    tracing::warn!(bail = nom, erreur = %e, "bail illisible : travail suspendu");
                    false
                }
            };
            if maintenant != tenu {
                tracing::info!(bail = nom, instance = %s.instance, tenu = maintenant, "bail");
                tenu = maintenant;
            }
            if tenu && dernier.is_none_or(|d| d.elapsed() >= periode) {
                dernier = Some(Instant::now());
                travail(s.clone()).await;
            }
        }
    })
}

/// Gives back every lease this instance holds (at shutdown, once its tasks are
/// stopped): the others take the work at their next renewal.
pub async fn rendre_baux(s: &Services) {
    if let Err(e) = s.store.baux_rendre(&s.instance).await {
        tracing::warn!(erreur = %e, "baux non rendus : ils expireront");
    }
}

/// Tells every instance (this one included) that `sujet` changed. A notice that cannot
/// be sent leaves the others to their periodic reload.
pub async fn signaler(s: &Services, sujet: &str) {
    if let Err(e) = s.store.notifier(sujet).await {
        tracing::warn!(sujet, erreur = %e, "changement non signalé aux autres instances");
    }
}

/// Applies a notice: reloads what it names (`*`: everything).
pub async fn appliquer(s: &Services, sujet: &str) {
    let tout = sujet == "*";
    if tout || sujet == sujet::HABILITATIONS {
        let _ = s.gardien.recharger(&s.store).await;
    }
    if (tout || sujet == sujet::VERSIONS)
        && let Err(e) = s.versions.recharger(s).await
    {
        tracing::error!(erreur = %e, "versions d'API illisibles");
    }
    if tout || sujet == sujet::ADAPTATEURS {
        synchroniser_adaptateurs(s).await;
    }
}

/// Listens to the notices and applies each (PostgreSQL; `None` on SQLite).
pub async fn ecouter(s: Arc<Services>) -> Option<tokio::task::JoinHandle<()>> {
    let mut rx = match s.store.ecouter().await {
        Ok(Some(rx)) => rx,
        Ok(None) => return None,
        Err(e) => {
            tracing::error!(erreur = %e, "écoute des changements impossible : rechargement périodique seulement");
            return None;
        }
    };
    Some(tokio::spawn(async move {
        while let Some(sujet) = rx.recv().await {
            appliquer(&s, &sujet).await;
        }
    }))
}

/// Writes into this instance's adapters directory every uploaded adapter it does not
/// have in that version (its watcher then loads it). Nothing without a directory.
pub async fn synchroniser_adaptateurs(s: &Services) {
    let Some(dir) = s.catalogue.as_ref().map(|c| c.repertoire.clone()).filter(|d| !d.as_os_str().is_empty()) else {
        return;
    };
    let deposes = match s.store.adaptateurs_deposes().await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(erreur = %e, "adaptateurs déposés illisibles");
            return;
        }
    };
    for (fichier, sha256) in deposes {
        let cible = dir.join(&fichier);
        let local = std::fs::read(&cible).ok().map(|o| hex::encode(sha2::Sha256::digest(&o)));
        if local.as_deref() == Some(sha256.as_str()) {
            continue;
        }
        let octets = match s.store.adaptateur_octets(&fichier).await {
            Ok(Some(o)) => o,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(fichier = %fichier, erreur = %e, "adaptateur déposé illisible");
                continue;
            }
        };
        let tmp = dir.join(format!(".{fichier}.tmp"));
        let ecrit = std::fs::write(&tmp, &octets).and_then(|()| std::fs::rename(&tmp, &cible));
        match ecrit {
            Ok(()) => tracing::info!(fichier = %fichier, "adaptateur déposé par une autre instance : installé"),
            Err(e) => tracing::error!(fichier = %fichier, erreur = %e, "adaptateur déposé non installé"),
        }
    }
}
