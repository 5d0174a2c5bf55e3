//! The live habilitations: a [`Registre`] snapshot with the authorizer built for it,
//! swapped atomically on reload.

use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;

use super::authorizer::{Authorizer, AuthzError};
use super::casbin_authorizer::CasbinAuthorizer;
use super::registre::Registre;
use crate::store::{Store, StoreError};

/// What authentication and authorization read on every call.
pub struct Habilitations {
    pub registre: Registre,
    pub authorizer: Box<dyn Authorizer>,
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
}

impl Gardien {
    pub async fn charger(store: &Store, authz_dir: Option<PathBuf>) -> Result<Self, ReloadError> {
        let h = Self::construire(store, authz_dir.as_deref()).await?;
        Ok(Self { courant: ArcSwap::from_pointee(h), authz_dir })
    }

    async fn construire(store: &Store, dir: Option<&std::path::Path>) -> Result<Habilitations, ReloadError> {
        let registre = store.charger_registre().await?;
        let authorizer = CasbinAuthorizer::load(dir).await?;
        Ok(Habilitations { registre, authorizer: Box::new(authorizer) })
    }

    /// Reloads from the database and the rules; keeps the old snapshot on failure.
    pub async fn recharger(&self, store: &Store) -> Result<(), ReloadError> {
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

    pub fn courant(&self) -> arc_swap::Guard<Arc<Habilitations>> {
        self.courant.load()
    }
}
