//! Habilitations, the model: organisations, conventions, agents, API clients; the
//! authenticated partner call ([`Appelant`]) and the rules that decide per data category
//! ([`authorizer`], [`perimetre`]).

pub mod administrateur;
pub mod agent;
pub mod authorizer;
pub mod client;
pub mod connexion;
pub mod convention;
pub mod organisation;
pub mod perimetre;
pub mod registre;
pub mod scopes;

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
    /// The scopes the token carries (`habilitation::scopes`).
    pub scopes: Vec<String>,
}

impl Appelant {
    /// Whether the token carries `scope`.
    pub fn a_le_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

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
    #[error(
        "agent inconnu : les en-têtes pa-identifiant-agent, pa-nom-agent et pa-prenom-agent ne désignent aucun agent habilité de l'organisation de l'application"
    )]
    UnknownAgent,
    #[error("administrateur inconnu des habilitations")]
    UnknownAdministrator,
    #[error(
        "agent BATCH ou BATCH-… non admis : la convention n'autorise pas cet accès machine (en-tête pa-identifiant-agent)"
    )]
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

/// The agent headers as received (each absent or not).
#[derive(Debug, Clone, Copy, Default)]
pub struct EntetesAgent<'a> {
    pub identifiant: Option<&'a str>,
    pub nom: Option<&'a str>,
    pub prenom: Option<&'a str>,
}

impl EntetesAgent<'_> {
    fn absentes(&self) -> bool {
        [self.identifiant, self.nom, self.prenom].iter().all(|v| v.is_none_or(|s| s.trim().is_empty()))
    }
}

/// Identifies who acts behind an application's call, as its convention says
/// (`Convention::appelants`):
/// - a habilitated agent of the application's organisation, same name and first name
///   (case-insensitive), always;
/// - `BATCH`, the automated jobs of a convention that allows them (`batch_autorise`);
/// - with `DeclaresParApplication`, the identity the application declares, which it
///   answers for: `BATCH`, `BATCH-<nom>`, any agent name, and, where `sans_entetes` (the
///   generation-1 routes that never carried them), no agent headers at all.
///
/// Declared identities act with the `BATCH` role; their identifier is journaled as sent
/// (`APPLICATION` when there was none).
pub fn identifier_agent(
    registre: &registre::Registre,
    client: &ApiClient,
    convention: &Convention,
    entetes: EntetesAgent<'_>,
    sans_entetes: bool,
) -> Result<AgentHabilite, AuthError> {
    let declares = convention.appelants == convention::ModeAppelants::DeclaresParApplication;
    let declare = if declares && sans_entetes && entetes.absentes() {
        AgentDeclare { identifiant: "APPLICATION".into(), nom: client.nom.clone(), prenom: client.client_id.clone() }
    } else {
        agent_from_headers(entetes.identifiant, entetes.nom, entetes.prenom)?
    };
    let pseudo = |declare: &AgentDeclare| AgentHabilite {
        id: format!("DECLARE/{}/{}", client.client_id, declare.identifiant),
        organisation_id: client.organisation_id.clone(),
        identifiant: declare.identifiant.clone(),
        nom: declare.nom.clone(),
        prenom: declare.prenom.clone(),
        courriel: None,
        role: agent::Role::Batch,
        habilitation_debut: convention.debut,
        habilitation_fin: convention.fin,
        certification: Some(convention.debut),
        revoque_le: client.revoque_le,
    };
    let batch = declare.identifiant == "BATCH" || declare.identifiant.starts_with("BATCH-");
    if batch && !declares {
        if declare.identifiant != "BATCH" || !convention.batch_autorise {
            return Err(AuthError::BatchNotAllowed);
        }
        let mut a = pseudo(&declare);
        a.id = format!("BATCH/{}", client.client_id);
        return Ok(a);
    }
    let same = |x: &str, y: &str| x.trim().to_lowercase() == y.trim().to_lowercase();
    match registre.agents.get(&declare.identifiant) {
        Some(a)
            if a.organisation_id == client.organisation_id
                && same(&a.nom, &declare.nom)
                && same(&a.prenom, &declare.prenom) =>
        {
            Ok(a.clone())
        }
        _ if declares => Ok(pseudo(&declare)),
        _ => Err(AuthError::UnknownAgent),
    }
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
