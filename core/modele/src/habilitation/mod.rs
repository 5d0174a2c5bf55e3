//! Habilitations, the model: organisations, conventions, agents, API clients; the
//! authenticated partner call ([`Appelant`]) and the rules that decide per data category
//! ([`authorizer`], [`perimetre`]).

pub mod administrateur;
pub mod agent;
pub mod authorizer;
pub mod client;
pub mod convention;
pub mod organisation;
pub mod perimetre;
pub mod registre;

use std::sync::Arc;

use agent::AgentHabilite;
use client::ApiClient;
use convention::Convention;
use organisation::Organisation;

/// The agent named by the `pa-identifiant-agent`, `pa-nom-agent`, `pa-prenom-agent`
/// headers of a partner call, as declared.
#[derive(Clone, PartialEq, Eq)]
pub struct AgentDeclare {
    pub identifiant: String,
    pub nom: String,
    pub prenom: String,
}

impl std::fmt::Debug for AgentDeclare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgentDeclare({})", self.identifiant)
    }
}

/// An authenticated partner call: application, its organisation and convention, and the
/// habilitated agent acting.
#[derive(Debug, Clone)]
pub struct Appelant {
    pub client: ApiClient,
    pub organisation: Organisation,
    pub convention: Arc<Convention>,
    pub agent: AgentHabilite,
    /// The agent authenticated with several factors.
    pub mfa: bool,
    pub request_id: String,
}

impl Appelant {
    /// The key of the partner's identifiers (`idNational`, métier ids): its organisation.
    pub fn partenaire(&self) -> &str {
        &self.organisation.id
    }
}

/// Why a call is not authenticated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("jeton d'accès absent")]
    MissingToken,
    #[error("jeton d'accès inconnu, invalide ou expiré")]
    UnknownToken,
    #[error("application cliente inconnue ou révoquée")]
    UnknownClient,
    #[error("en-tête {0} absent ou vide : l'agent appelant doit être identifié")]
    MissingAgent(&'static str),
    #[error("en-tête {0} trop long (128 caractères au plus)")]
    AgentTooLong(&'static str),
    #[error("agent inconnu de l'organisation de l'application, ou nom et prénom différents de l'habilitation")]
    UnknownAgent,
    #[error("l'agent BATCH n'est pas autorisé par la convention")]
    BatchNotAllowed,
}

/// Validates the agent headers.
pub fn agent_from_headers(
    identifiant: Option<&str>,
    nom: Option<&str>,
    prenom: Option<&str>,
) -> Result<AgentDeclare, AuthError> {
    fn one(v: Option<&str>, name: &'static str) -> Result<String, AuthError> {
        let v = v.map(str::trim).filter(|s| !s.is_empty()).ok_or(AuthError::MissingAgent(name))?;
        if v.chars().count() > 128 {
            return Err(AuthError::AgentTooLong(name));
        }
        Ok(v.to_string())
    }
    Ok(AgentDeclare {
        identifiant: one(identifiant, "pa-identifiant-agent")?,
        nom: one(nom, "pa-nom-agent")?,
        prenom: one(prenom, "pa-prenom-agent")?,
    })
}

/// Finds the habilitated agent behind the declared one: same organisation as the
/// application, same name and first name (case-insensitive). `BATCH` stands for the
/// automated jobs of a convention that allows them.
pub fn resoudre_agent(
    registre: &registre::Registre,
    client: &ApiClient,
    convention: &Convention,
    declare: &AgentDeclare,
) -> Result<AgentHabilite, AuthError> {
    if declare.identifiant == "BATCH" {
        if !convention.batch_autorise {
            return Err(AuthError::BatchNotAllowed);
        }
        return Ok(AgentHabilite {
            id: format!("BATCH/{}", client.client_id),
            organisation_id: client.organisation_id.clone(),
            identifiant: "BATCH".into(),
            nom: declare.nom.clone(),
            prenom: declare.prenom.clone(),
            courriel: None,
            role: agent::Role::Batch,
            habilitation_debut: convention.debut,
            habilitation_fin: convention.fin,
            certification: Some(convention.debut),
            revoque_le: client.revoque_le,
        });
    }
    let a = registre.agents.get(&declare.identifiant).ok_or(AuthError::UnknownAgent)?;
    let same = |x: &str, y: &str| x.trim().to_lowercase() == y.trim().to_lowercase();
    if a.organisation_id != client.organisation_id || !same(&a.nom, &declare.nom) || !same(&a.prenom, &declare.prenom) {
        return Err(AuthError::UnknownAgent);
    }
    Ok(a.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_headers() {
        assert_eq!(agent_from_headers(Some("a1"), None, Some("p")), Err(AuthError::MissingAgent("pa-nom-agent")));
        assert_eq!(
            agent_from_headers(Some(" "), Some("n"), Some("p")),
            Err(AuthError::MissingAgent("pa-identifiant-agent"))
        );
        assert!(agent_from_headers(Some("a1"), Some("n"), Some("p")).is_ok());
    }
}
