//! The live habilitations: a [`Registre`] snapshot with the authorizer built for it,
//! swapped atomically on reload. The rules are the newest set through the admin API
//! (kept in the database, so every instance reads the same), else those of
//! `DUDE_AUTHZ_DIR`, else the shipped ones; the model is always `DUDE_AUTHZ_DIR`'s or the
//! shipped one.

use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;

use super::authorizer::{Authorizer, AuthzError};
use super::casbin_authorizer::{CasbinAuthorizer, Source};
use super::registre::Registre;
use crate::store::habilitations::ReglesDeposees;
use crate::store::{Store, StoreError};

/// What authentication and authorization read on every call.
pub struct Habilitations {
    pub registre: Registre,
    pub authorizer: Box<dyn Authorizer>,
    /// The rules in force and where they come from.
    pub regles: ReglesEnVigueur,
}

/// The rules an authorizer was built from.
#[derive(Debug, Clone)]
pub struct ReglesEnVigueur {
    pub texte: String,
    /// The set through the admin API these are, if they are one (else a file's).
    pub deposees: Option<ReglesDeposees>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Authz(#[from] AuthzError),
}

/// Holds the live [`Habilitations`] and reloads them safely: the new snapshot and a new
/// enforcer are built and checked (known-answer suite) before the swap; a failure keeps
/// the previous ones serving.
pub struct Gardien {
    courant: ArcSwap<Habilitations>,
    authz_dir: Option<PathBuf>,
    /// One reload at a time: a reload that read the database before a change committed
    /// (one a notice started) must not swap its snapshot in after the reload that read
    /// the change (a revoked client would be served again until the next reload).
    rechargement: tokio::sync::Mutex<()>,
}

impl Gardien {
    pub async fn charger(store: &Store, authz_dir: Option<PathBuf>) -> Result<Self, ReloadError> {
        let h = Self::construire(store, authz_dir.as_deref()).await?;
        Ok(Self { courant: ArcSwap::from_pointee(h), authz_dir, rechargement: tokio::sync::Mutex::new(()) })
    }

    async fn construire(store: &Store, dir: Option<&std::path::Path>) -> Result<Habilitations, ReloadError> {
        let registre = store.charger_registre().await?;
        let mut source = Source::lire(dir)?;
        let deposees = store.regles_deposees().await?;
        if let Some(d) = &deposees {
            source.regles = d.texte.clone();
            source.nom = format!("règles déposées (version {})", d.version);
        }
        let authorizer = CasbinAuthorizer::charger(&source).await?;
        let regles = ReglesEnVigueur { texte: source.regles, deposees };
        Ok(Habilitations { registre, authorizer: Box::new(authorizer), regles })
    }

    /// Checks a new set of rules as a reload would (with the model in use): the number
    /// of rules, or why they would be refused (naming the line).
    pub async fn essayer(&self, regles: &str) -> Result<usize, AuthzError> {
        let mut source = Source::lire(self.authz_dir.as_deref())?;
        source.regles = regles.into();
        source.nom = "policy.csv".into();
        Ok(CasbinAuthorizer::charger(&source).await?.regles())
    }

    /// Reloads from the database and the rules; keeps the old snapshot on failure.
    pub async fn recharger(&self, store: &Store) -> Result<(), ReloadError> {
        let _seul = self.rechargement.lock().await;
        match Self::construire(store, self.authz_dir.as_deref()).await {
            Ok(h) => {
                self.courant.store(Arc::new(h));
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "rechargement des habilitations refusé : l'ancienne version reste en service");
                Err(e)
            }
        }
    }

    /// `DUDE_AUTHZ_DIR`, if set.
    pub fn repertoire(&self) -> Option<&std::path::Path> {
        self.authz_dir.as_deref()
    }

    pub fn courant(&self) -> arc_swap::Guard<Arc<Habilitations>> {
        self.courant.load()
    }
}
