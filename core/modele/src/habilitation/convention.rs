//! Conventions between parties: who may see which data of which people, where, when, why.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dossier::Categorie;
use crate::dossier::codes::coded_enum;
use crate::dossier::contact::Departement;

coded_enum!(
    /// Publics of a partner's mission.
    Public, "public" {
        BeneficiairesRsa => ("RSA", "Bénéficiaires du RSA"),
        DemandeursInscrits => ("INSCRITS", "Demandeurs d'emploi inscrits"),
        AccompagnementGlobal => ("ACCOMPAGNEMENT_GLOBAL", "Participants à l'accompagnement global"),
        Tous => ("TOUS", "Tous les demandeurs d'emploi"),
    }
);

coded_enum!(
    /// What a caller does with a category.
    Action, "action" {
        Lire => ("lire", "Consultation"),
        Ecrire => ("ecrire", "Saisie"),
    }
);

coded_enum!(
    /// Access granted to a category by a convention (writing implies reading).
    Acces, "accès" {
        Lecture => ("lecture", "Lecture"),
        Ecriture => ("ecriture", "Lecture et écriture"),
    }
);

impl Acces {
    pub fn permet(self, action: Action) -> bool {
        matches!((self, action), (_, Action::Lire) | (Acces::Ecriture, Action::Ecrire))
    }
}

coded_enum!(
    /// How the callers of a convention's applications are identified (the agent headers).
    ModeAppelants, "identification des appelants" {
        AgentsHabilites => ("AGENTS_HABILITES", "Agents habilités seulement"),
        DeclaresParApplication => ("DECLARES_PAR_APPLICATION", "Identité déclarée par l'application, qui en répond"),
    }
);

// the enum is the macro's: `#[default]` cannot be put on its variant
#[allow(clippy::derivable_impls)]
impl Default for ModeAppelants {
    fn default() -> Self {
        ModeAppelants::AgentsHabilites
    }
}

/// Direction of an exchange through an adapter: a partner file in, or a dossier event
/// out to the partner's system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sens {
    Import,
    Export,
}

impl std::fmt::Display for Sens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Sens::Import => "import",
            Sens::Export => "export",
        })
    }
}

/// Territory of a convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", tag = "portee", content = "departements")]
pub enum Territoire {
    National,
    Departements(Vec<Departement>),
}

impl Territoire {
    pub fn couvre(&self, d: &Departement) -> bool {
        match self {
            Territoire::National => true,
            Territoire::Departements(list) => list.contains(d),
        }
    }
}

/// The adapter a convention binds (used by the adapters issue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdaptateurRef {
    pub nom: String,
    /// Semver requirement, e.g. `^0.1`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Directions the convention allows through it (default: import only).
    #[serde(default = "import_seulement")]
    pub directions: Vec<Sens>,
    /// The adapter's format of the files sent back to the partner (export direction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_export: Option<String>,
    /// Memory cap of one job, MiB (default 64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memoire_mio: Option<u32>,
    /// Deadline of one call into the adapter, ms (default 5,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delai_appel_ms: Option<u64>,
    /// Deadline of a whole job, s (default 600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delai_total_s: Option<u64>,
    /// Largest input file, MiB (default 512).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entree_max_mio: Option<u64>,
}

fn import_seulement() -> Vec<Sens> {
    vec![Sens::Import]
}

impl AdaptateurRef {
    /// An adapter by name and semver requirement, import only, default caps.
    pub fn nouveau(nom: &str, version: &str) -> Self {
        Self {
            nom: nom.into(),
            version: version.into(),
            sha256: None,
            directions: import_seulement(),
            format_export: None,
            memoire_mio: None,
            delai_appel_ms: None,
            delai_total_s: None,
            entree_max_mio: None,
        }
    }
}

/// Service levels agreed (seed 002 annex 2 §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CiblesSla {
    /// Monthly availability target, percent.
    pub disponibilite_pct: f64,
    /// Share of responses under one second, percent.
    pub reponses_sous_1s_pct: f64,
}

impl Default for CiblesSla {
    fn default() -> Self {
        Self { disponibilite_pct: 98.0, reponses_sous_1s_pct: 90.0 }
    }
}

/// A convention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Convention {
    pub id: String,
    pub libelle: String,
    /// Organisation ids of the parties.
    pub parties: Vec<String>,
    pub territoire: Territoire,
    pub publics: Vec<Public>,
    /// Categories and the access granted to each.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub categories: BTreeMap<Categorie, Acces>,
    pub finalites: Vec<String>,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
    #[serde(default)]
    pub mfa_requise: bool,
    /// Retention period of the data exchanged, in months.
    pub conservation_mois: u16,
    /// Breach-notice delay in hours (48 or 36 in the seeds).
    pub delai_notification_violation_h: u16,
    /// Agent `BATCH` allowed (automated jobs), with habilitated agents.
    #[serde(default)]
    pub batch_autorise: bool,
    /// How callers are identified: habilitated agents only (default), or, for machine
    /// access, the identity the application declares (`BATCH`, `BATCH-<nom>`, an agent
    /// name it vouches for, no agent headers on the generation-1 routes).
    #[serde(default)]
    pub appelants: ModeAppelants,
    /// Scopes of France Travail's live API granted to the convention's applications
    /// (`api_rechercher-usagerv2`…; see `habilitation::scopes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub sla: CiblesSla,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptateur: Option<AdaptateurRef>,
    /// Where incident and data-breach notifications are posted (JSON), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_incidents: Option<String>,
}

impl Convention {
    pub fn accorde(&self, cat: Categorie, action: Action) -> bool {
        self.categories.get(&cat).is_some_and(|a| a.permet(action))
    }

    pub fn en_vigueur(&self, jour: NaiveDate) -> bool {
        self.debut <= jour && jour <= self.fin
    }

    /// Checks the convention makes sense.
    pub fn valider(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("id : obligatoire".into());
        }
        if self.fin < self.debut {
            return Err("fin : antérieure au début".into());
        }
        if self.parties.is_empty() {
            return Err("parties : au moins une organisation".into());
        }
        if self.publics.is_empty() {
            return Err("publics : au moins un public".into());
        }
        if !matches!(self.delai_notification_violation_h, 1..=72) {
            return Err("delaiNotificationViolationH : entre 1 et 72 heures".into());
        }
        if let Territoire::Departements(d) = &self.territoire
            && d.is_empty()
        {
            return Err("territoire : au moins un département, ou national".into());
        }
        if let Some(w) = &self.webhook_incidents {
            let local = w.starts_with("http://127.0.0.1:") || w.starts_with("http://localhost:");
            if !(w.starts_with("https://") || local) || w.len() > 500 {
                return Err("webhookIncidents : URL https:// attendue (http:// seulement en local)".into());
            }
        }
        if self.scopes.iter().any(|s| super::scopes::api(s).is_none()) {
            return Err(format!(
                "scopes : scope inconnu (admis : {})",
                super::scopes::SCOPES.iter().map(|s| s.nom).collect::<Vec<_>>().join(", ")
            ));
        }
        if let Some(a) = &self.adaptateur
            && a.directions.contains(&Sens::Export)
            && a.format_export.is_none()
        {
            return Err("adaptateur.formatExport : obligatoire quand l'export est autorisé".into());
        }
        Ok(())
    }
}
