//! Who calls: partner applications, the convention they act under, and the agent.
//!
//! Until the habilitations issue lands, partner applications are recognised by static
//! bearer tokens from configuration (demo mode generates them); the [`Caller`] they yield
//! already carries client, partner, convention and agent, so handlers do not change when
//! real authentication arrives.

use std::collections::HashMap;

use crate::dossier::contact::Departement;

/// The agent named by the `pa-identifiant-agent`, `pa-nom-agent`, `pa-prenom-agent`
/// headers of a partner call.
#[derive(Clone, PartialEq, Eq)]
pub struct Agent {
    pub identifiant: String,
    pub nom: String,
    pub prenom: String,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Agent({})", self.identifiant)
    }
}

/// A partner application, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub client_id: String,
    /// The partner organisation: its `idNational` key is derived from this.
    pub partenaire: String,
    /// Organisation name shown as the "structure" of the professional.
    pub organisation: String,
    pub convention: String,
    pub departement: Option<Departement>,
}

/// An authenticated partner call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub client: Client,
    pub agent: Agent,
}

/// Why a call is not authenticated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("jeton d'accès absent")]
    MissingToken,
    #[error("jeton d'accès inconnu ou expiré")]
    UnknownToken,
    #[error("en-tête {0} absent ou vide : l'agent appelant doit être identifié")]
    MissingAgent(&'static str),
    #[error("en-tête {0} trop long (128 caractères au plus)")]
    AgentTooLong(&'static str),
}

/// Static bearer tokens of partner applications and of administrators.
#[derive(Debug, Clone, Default)]
pub struct StaticTokens {
    partners: HashMap<String, Client>,
    admins: Vec<String>,
}

impl StaticTokens {
    pub fn add_partner(&mut self, token: impl Into<String>, client: Client) {
        self.partners.insert(token.into(), client);
    }

    pub fn add_admin(&mut self, token: impl Into<String>) {
        self.admins.push(token.into());
    }

    pub fn partner(&self, token: &str) -> Result<&Client, AuthError> {
        // Compare every configured token without early exit on content.
        let mut found = None;
        for (t, c) in &self.partners {
            if constant_time_eq(t.as_bytes(), token.as_bytes()) {
                found = Some(c);
            }
        }
        found.ok_or(AuthError::UnknownToken)
    }

    pub fn is_admin(&self, token: &str) -> bool {
        self.admins.iter().fold(false, |acc, t| acc | constant_time_eq(t.as_bytes(), token.as_bytes()))
    }

    pub fn partners(&self) -> impl Iterator<Item = (&String, &Client)> {
        self.partners.iter()
    }

    pub fn admins(&self) -> &[String] {
        &self.admins
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Validates the agent headers.
pub fn agent_from_headers(
    identifiant: Option<&str>,
    nom: Option<&str>,
    prenom: Option<&str>,
) -> Result<Agent, AuthError> {
    fn one(v: Option<&str>, name: &'static str) -> Result<String, AuthError> {
        let v = v.map(str::trim).filter(|s| !s.is_empty()).ok_or(AuthError::MissingAgent(name))?;
        if v.chars().count() > 128 {
            return Err(AuthError::AgentTooLong(name));
        }
        Ok(v.to_string())
    }
    Ok(Agent {
        identifiant: one(identifiant, "pa-identifiant-agent")?,
        nom: one(nom, "pa-nom-agent")?,
        prenom: one(prenom, "pa-prenom-agent")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_agents() {
        let mut t = StaticTokens::default();
        let c = Client {
            client_id: "app".into(),
            partenaire: "cd77".into(),
            organisation: "CD 77".into(),
            convention: "conv".into(),
            departement: None,
        };
        t.add_partner("secret", c.clone());
        t.add_admin("adm");
        assert_eq!(t.partner("secret").unwrap(), &c);
        assert_eq!(t.partner("secreT"), Err(AuthError::UnknownToken));
        assert!(t.is_admin("adm") && !t.is_admin("secret"));
        assert_eq!(agent_from_headers(Some("a1"), None, Some("p")), Err(AuthError::MissingAgent("pa-nom-agent")));
        assert_eq!(
            agent_from_headers(Some(" "), Some("n"), Some("p")),
            Err(AuthError::MissingAgent("pa-identifiant-agent"))
        );
        assert!(agent_from_headers(Some("a1"), Some("n"), Some("p")).is_ok());
    }
}
