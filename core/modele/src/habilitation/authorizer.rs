//! Authorization decisions: role × category × action rules (casbin), with the agent's
//! habilitation, the convention and the person concerned as typed attributes.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::agent::Role;
use super::convention::Action;
use crate::dossier::Categorie;
use crate::dossier::codes::coded_enum;

/// Typed attributes of a request. All `i32` (casbin-rs evaluates with an i32-only rhai);
/// dates are `YYYYMMDD`; booleans are 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Attributs {
    pub aujourdhui: i32,
    pub habilitation_debut: i32,
    pub habilitation_fin: i32,
    pub revoque: i32,
    pub certifie: i32,
    pub convention_debut: i32,
    pub convention_fin: i32,
    /// The convention grants this action on this category.
    pub categorie_accordee: i32,
    /// The person resides in the caller's territory (1 as well when no person is
    /// concerned yet, e.g. before a search has found anyone).
    pub dans_territoire: i32,
    /// The person belongs to one of the convention's publics (same convention as above).
    pub dans_public: i32,
    pub mfa_requise: i32,
    pub mfa: i32,
    /// The caller's organisation is one of the convention's parties (a narrowed
    /// convention refuses at once the applications and agents of a party removed).
    pub partie: i32,
}

/// `YYYYMMDD` as an integer.
pub fn jour(d: NaiveDate) -> i32 {
    d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32
}

pub fn b(v: bool) -> i32 {
    v as i32
}

/// One question: may this role do this action on this category, with these attributes?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demande {
    pub role: Role,
    pub categorie: Categorie,
    pub action: Action,
    pub attributs: Attributs,
}

coded_enum!(
    /// Why a decision was taken.
    Motif, "motif de décision" {
        Autorise => ("AUTORISE", "Accès autorisé"),
        RoleNonAutorise => ("ROLE_NON_AUTORISE", "Le rôle de l'agent ne permet pas cet accès"),
        HabilitationNonCommencee => ("HABILITATION_NON_COMMENCEE", "Habilitation pas encore en vigueur"),
        HabilitationExpiree => ("HABILITATION_EXPIREE", "Habilitation expirée"),
        Revoque => ("REVOQUE", "Habilitation révoquée"),
        NonPartie => ("NON_PARTIE", "Organisation non partie à la convention"),
        NonCertifie => ("NON_CERTIFIE", "Agent sans certification"),
        ConventionHorsVigueur => ("CONVENTION_HORS_VIGUEUR", "Convention hors de sa période de validité"),
        CategorieNonAccordee => ("CATEGORIE_NON_ACCORDEE", "Catégorie de données non prévue par la convention"),
        HorsTerritoire => ("HORS_TERRITOIRE", "Personne hors du territoire de compétence"),
        HorsPublic => ("HORS_PUBLIC", "Personne hors des publics de la convention"),
        MfaRequise => ("MFA_REQUISE", "Authentification multifacteur requise par la convention"),
        ScopeNonAccorde => ("SCOPE_NON_ACCORDE", "Le jeton d'accès ne porte pas le scope de cette API"),
    }
);

/// A decision with its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub autorise: bool,
    pub motif: Motif,
}

/// Errors of the authorization engine (never a decision: callers fail closed).
#[derive(Debug, thiserror::Error)]
pub enum AuthzError {
    #[error("moteur d'autorisation : {0}")]
    Moteur(String),
    #[error("règles d'autorisation {fichier}, ligne {ligne} : {message}")]
    Regle { fichier: String, ligne: usize, message: String },
    #[error("rechargement refusé : le jeu de réponses connues échoue ({0})")]
    ReponsesConnues(String),
}

/// Takes decisions.
pub trait Authorizer: Send + Sync {
    fn decide(&self, d: &Demande) -> Result<Decision, AuthzError>;
    /// Number of rules loaded.
    fn regles(&self) -> usize;
}

/// The reason of a denial, in a fixed order of precedence (used to explain a decision;
/// the decision itself is the engine's).
pub fn motif_refus(a: &Attributs) -> Motif {
    if a.revoque != 0 {
        Motif::Revoque
    } else if a.partie == 0 {
        Motif::NonPartie
    } else if a.aujourdhui < a.habilitation_debut {
        Motif::HabilitationNonCommencee
    } else if a.aujourdhui > a.habilitation_fin {
        Motif::HabilitationExpiree
    } else if a.certifie == 0 {
        Motif::NonCertifie
    } else if a.aujourdhui < a.convention_debut || a.aujourdhui > a.convention_fin {
        Motif::ConventionHorsVigueur
    } else if a.mfa_requise != 0 && a.mfa == 0 {
        Motif::MfaRequise
    } else if a.categorie_accordee == 0 {
        Motif::CategorieNonAccordee
    } else if a.dans_territoire == 0 {
        Motif::HorsTerritoire
    } else if a.dans_public == 0 {
        Motif::HorsPublic
    } else {
        Motif::RoleNonAutorise
    }
}
