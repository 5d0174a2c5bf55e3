//! Who may sign in to the agents' portal: the person an identity provider vouches for
//! (ProConnect), matched to one habilitated agent (one account per person) by the e-mail
//! address the provider gives, and the conventions they may act under. Refused, with
//! the reason, when not habilitated, outside the habilitation window, revoked, not
//! certified, or without the MFA a convention of their organisation requires.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::Appelant;
use super::agent::{AgentHabilite, Role};
use super::client::ApiClient;
use super::convention::Convention;
use super::organisation::Organisation;
use super::registre::Registre;

/// ProConnect's `acr` values that mean several factors were used (and the older URIs).
pub const ACR_MFA: &[&str] = &[
    "eidas0-mfa",
    "eidas1-mfa",
    "eidas2",
    "eidas3",
    "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
    "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
];

/// Whether an authentication with this `acr` and these `amr` (RFC 8176, ProConnect's
/// additions) used several factors.
pub fn mfa(acr: Option<&str>, amr: &[String]) -> bool {
    acr.is_some_and(|a| ACR_MFA.contains(&a)) || amr.iter().any(|m| m == "mfa")
}

/// Why a sign-in is refused (the page says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefusConnexion {
    #[error("aucune habilitation DUDE ne correspond à l'adresse électronique transmise par le fournisseur d'identité")]
    NonHabilite,
    #[error(
        "plusieurs habilitations correspondent à cette adresse : une seule par personne est admise, l'administrateur doit corriger"
    )]
    Ambigu,
    #[error("votre habilitation ne commence qu'à une date future")]
    AvantHabilitation,
    #[error("votre habilitation a pris fin")]
    ApresHabilitation,
    #[error("votre habilitation a été révoquée")]
    Revoquee,
    #[error("votre certification nominative (formation) n'est pas enregistrée")]
    NonCertifie,
    #[error(
        "une convention de votre organisation exige une authentification à plusieurs facteurs : reconnectez-vous avec la double authentification"
    )]
    MfaRequise,
    #[error("aucune convention en vigueur ne lie votre organisation")]
    SansConvention,
    #[error("ce rôle n'accède pas au portail (traitement automatisé)")]
    RoleNonAdmis,
}

/// A signed-in agent: who, and the conventions they may choose from.
#[derive(Debug, Clone)]
pub struct AgentConnecte {
    pub agent: AgentHabilite,
    pub organisation: Organisation,
    pub conventions: Vec<Arc<Convention>>,
    pub mfa: bool,
}

/// The habilitated agent of the person whose `courriel` the provider vouches for, if
/// they may sign in on `today`.
pub fn agent_de_la_personne(
    registre: &Registre,
    courriel: &str,
    mfa: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<AgentConnecte, RefusConnexion> {
    let courriel = courriel.trim();
    let mut trouves = registre
        .agents
        .values()
        .filter(|a| a.courriel.as_deref().is_some_and(|c| c.trim().eq_ignore_ascii_case(courriel)));
    let agent = trouves.next().ok_or(RefusConnexion::NonHabilite)?;
    if trouves.next().is_some() {
        return Err(RefusConnexion::Ambigu);
    }
    if agent.role == Role::Batch {
        return Err(RefusConnexion::RoleNonAdmis);
    }
    if agent.revoque_au(now) {
        return Err(RefusConnexion::Revoquee);
    }
    if today < agent.habilitation_debut {
        return Err(RefusConnexion::AvantHabilitation);
    }
    if today > agent.habilitation_fin {
        return Err(RefusConnexion::ApresHabilitation);
    }
    if agent.certification.is_none_or(|d| d > today) {
        return Err(RefusConnexion::NonCertifie);
    }
    let organisation =
        registre.organisations.get(&agent.organisation_id).cloned().ok_or(RefusConnexion::NonHabilite)?;
    let mut conventions: Vec<Arc<Convention>> = registre
        .conventions
        .values()
        .filter(|c| c.parties.contains(&organisation.id) && c.en_vigueur(today))
        .cloned()
        .collect();
    if conventions.is_empty() {
        return Err(RefusConnexion::SansConvention);
    }
    if !mfa && conventions.iter().any(|c| c.mfa_requise) {
        return Err(RefusConnexion::MfaRequise);
    }
    conventions.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(AgentConnecte { agent: agent.clone(), organisation, conventions, mfa })
}

impl AgentConnecte {
    /// The administrator (or data protection officer) this agent is, for the portal's
    /// administration pages; `None` for the other roles.
    pub fn administrateur(&self, request_id: String) -> Option<super::administrateur::Administrateur> {
        matches!(self.agent.role, Role::Administrateur | Role::AuditeurDpo).then(|| {
            super::administrateur::Administrateur {
                identifiant: self.agent.identifiant.clone(),
                organisation: Some(self.organisation.clone()),
                role: self.agent.role,
                request_id,
            }
        })
    }

    /// The call of this agent through the portal, under `convention` (one of theirs).
    pub fn appelant(&self, convention: &Arc<Convention>, request_id: String) -> Appelant {
        Appelant {
            client: ApiClient {
                client_id: PORTAIL.into(),
                nom: "Portail des agents".into(),
                secret_hash: String::new(),
                organisation_id: self.organisation.id.clone(),
                convention_id: convention.id.clone(),
                scopes: Vec::new(),
                revoque_le: None,
            },
            organisation: self.organisation.clone(),
            convention: convention.clone(),
            agent: self.agent.clone(),
            mfa: self.mfa,
            request_id,
            scopes: Vec::new(),
        }
    }
}

/// The application name the portal's calls are journaled under.
pub const PORTAIL: &str = "portail";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::habilitation::convention::{Public, Territoire};
    use crate::habilitation::organisation::TypeOrganisation;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn registre(agents: Vec<AgentHabilite>, mfa_requise: bool) -> Registre {
        let org = Organisation {
            id: "cd77".into(),
            nom: "CD 77".into(),
            type_organisation: TypeOrganisation::ConseilDepartemental,
            departements: vec![],
            parent: None,
        };
        let conv = Convention {
            id: "conv-77".into(),
            libelle: "RSA 77".into(),
            parties: vec!["ft-national".into(), "cd77".into()],
            territoire: Territoire::National,
            publics: vec![Public::BeneficiairesRsa],
            categories: Default::default(),
            finalites: vec![],
            debut: d("2025-01-01"),
            fin: d("2027-12-31"),
            mfa_requise,
            conservation_mois: 36,
            delai_notification_violation_h: 48,
            batch_autorise: false,
            appelants: Default::default(),
            scopes: vec![],
            sla: Default::default(),
            adaptateur: None,
            webhook_incidents: None,
        };
        Registre::new(vec![org], vec![conv], agents, vec![])
    }

    fn agent(id: &str, courriel: &str) -> AgentHabilite {
        AgentHabilite {
            id: format!("a-{id}"),
            organisation_id: "cd77".into(),
            identifiant: id.into(),
            nom: "DUPONT".into(),
            prenom: "Anne".into(),
            courriel: Some(courriel.into()),
            role: Role::TravailleurSocial,
            habilitation_debut: d("2026-01-01"),
            habilitation_fin: d("2026-12-31"),
            certification: Some(d("2026-01-15")),
            revoque_le: None,
        }
    }

    #[test]
    fn one_habilitated_agent_per_person_and_each_refusal_named() {
        let today = d("2026-06-15");
        let now = "2026-06-15T10:00:00Z".parse().unwrap();
        let r = registre(vec![agent("AG1", "anne.dupont@cd77.fr")], false);
        let ok = agent_de_la_personne(&r, " Anne.Dupont@CD77.fr ", false, today, now).unwrap();
        assert_eq!((ok.agent.identifiant.as_str(), ok.conventions.len()), ("AG1", 1));
        assert_eq!(agent_de_la_personne(&r, "x@y.fr", false, today, now).unwrap_err(), RefusConnexion::NonHabilite);
        let refus = |f: fn(&mut AgentHabilite)| {
            let mut a = agent("AG1", "a@b.fr");
            f(&mut a);
            agent_de_la_personne(&registre(vec![a], false), "a@b.fr", false, today, now).unwrap_err()
        };
        assert_eq!(refus(|a| a.habilitation_debut = d("2026-07-01")), RefusConnexion::AvantHabilitation);
        assert_eq!(refus(|a| a.habilitation_fin = d("2026-06-14")), RefusConnexion::ApresHabilitation);
        assert_eq!(refus(|a| a.revoque_le = Some("2026-06-01T00:00:00Z".parse().unwrap())), RefusConnexion::Revoquee);
        assert_eq!(refus(|a| a.certification = None), RefusConnexion::NonCertifie);
        assert_eq!(refus(|a| a.role = Role::Batch), RefusConnexion::RoleNonAdmis);
        assert_eq!(refus(|a| a.organisation_id = "inconnue".into()), RefusConnexion::NonHabilite);
        let deux = registre(vec![agent("AG1", "a@b.fr"), agent("AG2", "A@B.FR")], false);
        assert_eq!(agent_de_la_personne(&deux, "a@b.fr", false, today, now).unwrap_err(), RefusConnexion::Ambigu);
        // a convention requiring MFA: the provider must say several factors were used
        let r = registre(vec![agent("AG1", "a@b.fr")], true);
        assert_eq!(agent_de_la_personne(&r, "a@b.fr", false, today, now).unwrap_err(), RefusConnexion::MfaRequise);
        assert!(agent_de_la_personne(&r, "a@b.fr", mfa(Some("eidas2"), &[]), today, now).is_ok());
        assert!(!mfa(Some("eidas1"), &["pwd".into()]));
        assert!(mfa(Some("eidas1"), &["pwd".into(), "mfa".into()]));
        // no convention in force that their organisation is party to
        let mut r = registre(vec![agent("AG1", "a@b.fr")], false);
        Arc::make_mut(r.conventions.get_mut("conv-77").unwrap()).parties.retain(|p| p != "cd77");
        assert_eq!(agent_de_la_personne(&r, "a@b.fr", false, today, now).unwrap_err(), RefusConnexion::SansConvention);
    }
}
