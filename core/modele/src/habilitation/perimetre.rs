//! The caller's perimeter: territory (département of residence at the time of access),
//! publics of the convention, and the typed attributes of an authorization request.

use chrono::NaiveDate;

use super::Appelant;
use super::authorizer::{Attributs, Demande, b, jour};
use super::convention::{Action, Public, Territoire};
use crate::dossier::Categorie;
use crate::dossier::contact::Departement;
use crate::dossier::inscription::{HistoriqueInscription, StatutDe};

/// What the perimeter needs to know of the person concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct Personne {
    pub departement: Option<Departement>,
    pub beneficiaire_rsa: bool,
    pub historique: HistoriqueInscription,
    pub accompagnement_global: bool,
}

impl Personne {
    /// Residence within the caller's territory: the convention covers the département and
    /// the organisation either has a national scope or is competent there.
    pub fn dans_territoire(&self, appelant: &Appelant) -> bool {
        let Some(d) = &self.departement else {
            return false;
        };
        appelant.convention.territoire.couvre(d)
            && (appelant.organisation.type_organisation.portee_nationale()
                || appelant.organisation.departements.contains(d))
    }

    /// The départements of `appelant`'s territory, `None` when it is national: what
    /// [`Personne::dans_territoire`] accepts, as a list a search can filter on.
    pub fn departements_du_territoire(appelant: &Appelant) -> Option<Vec<Departement>> {
        let org = &appelant.organisation;
        let nationale = org.type_organisation.portee_nationale();
        match &appelant.convention.territoire {
            Territoire::National if nationale => None,
            Territoire::National => Some(org.departements.clone()),
            Territoire::Departements(l) if nationale => Some(l.clone()),
            Territoire::Departements(l) => Some(l.iter().filter(|d| org.departements.contains(d)).cloned().collect()),
        }
    }

    /// Belongs to public `p` on `jour` — the one definition: "inscrits" are those whose
    /// history says registered on that day.
    pub fn dans_public(&self, p: Public, jour: NaiveDate) -> bool {
        match p {
            Public::Tous => true,
            Public::BeneficiairesRsa => self.beneficiaire_rsa,
            Public::DemandeursInscrits => self.historique.statut_au(jour).statut == StatutDe::Inscrit,
            Public::AccompagnementGlobal => self.accompagnement_global,
        }
    }

    /// Belongs to one of the convention's publics on `jour`.
    pub fn dans_publics_de(&self, c: &super::convention::Convention, jour: NaiveDate) -> bool {
        c.publics.iter().any(|p| self.dans_public(*p, jour))
    }
}

/// The request for `categorie` × `action`, about `personne` when one is concerned.
pub fn demande(
    appelant: &Appelant,
    categorie: Categorie,
    action: Action,
    personne: Option<&Personne>,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Demande {
    let a = &appelant.agent;
    let c = &appelant.convention;
    Demande {
        role: a.role,
        categorie,
        action,
        attributs: Attributs {
            aujourdhui: jour(today),
            habilitation_debut: jour(a.habilitation_debut),
            habilitation_fin: jour(a.habilitation_fin),
            revoque: b(a.revoque_au(now)),
            certifie: b(a.certification.is_some_and(|d| d <= today)),
            convention_debut: jour(c.debut),
            convention_fin: jour(c.fin),
            categorie_accordee: b(c.accorde(categorie, action)),
            dans_territoire: personne.map_or(1, |p| b(p.dans_territoire(appelant))),
            dans_public: personne.map_or(1, |p| b(p.dans_publics_de(&appelant.convention, today))),
            mfa_requise: b(c.mfa_requise),
            mfa: b(appelant.mfa),
            partie: b(c.parties.contains(&appelant.organisation.id)),
        },
    }
}
