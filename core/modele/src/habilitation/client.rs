//! API clients: partner applications that obtain tokens by OAuth2 client credentials
//! (their secrets are hashed by the core's `crypto::secrets`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiClient {
    pub client_id: String,
    pub nom: String,
    #[serde(skip_serializing)]
    #[schema(ignore)]
    pub secret_hash: String,
    pub organisation_id: String,
    pub convention_id: String,
    /// Scopes; `mfa` declares that the application authenticates its agents with MFA.
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoque_le: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient").field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

impl ApiClient {
    pub fn mfa_agents(&self) -> bool {
        self.scopes.iter().any(|s| s == "mfa")
    }
}
