//! Agents: one account per person, habilitated by their organisation for a period.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dossier::codes::coded_enum;

coded_enum!(
    /// Role of an agent.
    Role, "rôle" {
        Conseiller => ("CONSEILLER", "Conseiller"),
        TravailleurSocial => ("TRAVAILLEUR_SOCIAL", "Travailleur social"),
        CorrespondantInsertion => ("CORRESPONDANT_INSERTION", "Correspondant insertion"),
        Administrateur => ("ADMINISTRATEUR", "Administrateur"),
        AuditeurDpo => ("AUDITEUR_DPO", "Auditeur / délégué à la protection des données"),
        Batch => ("BATCH", "Traitement automatisé"),
    }
);

/// A habilitated person (or the `BATCH` pseudo-agent of a convention allowing it).
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentHabilite {
    pub id: String,
    pub organisation_id: String,
    /// Unique identifier of the person (one account per person).
    pub identifiant: String,
    pub nom: String,
    pub prenom: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
    pub role: Role,
    pub habilitation_debut: NaiveDate,
    pub habilitation_fin: NaiveDate,
    /// Date of the nominative certification (training), if obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoque_le: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for AgentHabilite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentHabilite")
            .field("identifiant", &self.identifiant)
            .field("organisation_id", &self.organisation_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl AgentHabilite {
    pub fn revoque_au(&self, now: DateTime<Utc>) -> bool {
        self.revoque_le.is_some_and(|r| r <= now)
    }
}
