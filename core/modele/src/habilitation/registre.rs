//! A consistent snapshot of organisations, conventions, agents and API clients.

use std::collections::HashMap;
use std::sync::Arc;

use super::agent::AgentHabilite;
use super::client::ApiClient;
use super::convention::Convention;
use super::organisation::Organisation;

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
