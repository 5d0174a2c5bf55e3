//! A consistent snapshot of organisations, conventions, agents and API clients, with the
//! authorizer built for them; swapped atomically on reload.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;

use super::agent::AgentHabilite;
use super::authorizer::{Authorizer, AuthzError};
use super::casbin_authorizer::CasbinAuthorizer;
use super::client::ApiClient;
use super::convention::Convention;
use super::organisation::Organisation;
use crate::store::{Store, StoreError};

#[derive(Default)]
pub struct Registre {
    pub organisations: HashMap<String, Organisation>,
    pub conventions: HashMap<String, Arc<Convention>>,
    /// By identifier (one account per person).
    pub agents: HashMap<String, AgentHabilite>,
    pub clients: HashMap<String, ApiClient>,
}

impl Registre {
    pub fn new(
        organisations: Vec<Organisation>,
        conventions: Vec<Convention>,
        agents: Vec<AgentHabilite>,
        clients: Vec<ApiClient>,
    ) -> Self {
        Self {
            organisations: organisations.into_iter().map(|o| (o.id.clone(), o)).collect(),
            conventions: conventions.into_iter().map(|c| (c.id.clone(), Arc::new(c))).collect(),
            agents: agents.into_iter().map(|a| (a.identifiant.clone(), a)).collect(),
            clients: clients.into_iter().map(|c| (c.client_id.clone(), c)).collect(),
        }
    }
}

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
