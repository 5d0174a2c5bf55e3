//! An authenticated administrator: an agent with the administrator or auditor/DPO role
//! of an organisation, or the platform operator; what each may manage.

use super::agent::Role;
use super::organisation::{Organisation, TypeOrganisation};
use crate::dossier::contact::Departement;

/// An authenticated administrator: an agent with the administrator or auditor/DPO role
/// presenting an OpenID Connect token, or the platform operator with a configured token.
#[derive(Debug, Clone)]
pub struct Administrateur {
    pub identifiant: String,
    /// `None` for the platform operator.
    pub organisation: Option<Organisation>,
    pub role: Role,
    pub request_id: String,
}

impl Administrateur {
    pub fn operateur(&self) -> bool {
        self.organisation.is_none()
    }

    /// May manage what belongs to organisation `org`.
    pub fn gere(&self, org: &str) -> bool {
        self.operateur()
            || (self.role == Role::Administrateur && self.organisation.as_ref().is_some_and(|o| o.id == org))
    }

    /// France Travail's national administrators manage organisations.
    pub fn gere_organisations(&self) -> bool {
        self.operateur()
            || (self.role == Role::Administrateur
                && self
                    .organisation
                    .as_ref()
                    .is_some_and(|o| o.type_organisation == TypeOrganisation::FranceTravailNational))
    }

    /// Competent for a département (monthly lists): national scope or that département.
    pub fn competent_pour(&self, d: &Departement) -> bool {
        self.operateur()
            || (self.role == Role::Administrateur
                && self
                    .organisation
                    .as_ref()
                    .is_some_and(|o| o.type_organisation.portee_nationale() || o.departements.contains(d)))
    }

    /// Data protection officer (access reports).
    pub fn dpo(&self) -> bool {
        self.operateur() || self.role == Role::AuditeurDpo
    }
}
