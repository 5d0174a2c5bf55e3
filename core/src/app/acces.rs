//! The one gate every read or write of personal data goes through, for the API and the
//! portal alike: authenticated caller → authorize each category → journal (committed) →
//! act. **Invariant:** no use case reaches a person's data around it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{AppError, Services};
use crate::dossier::Categorie;
use crate::habilitation::Appelant;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::habilitation::convention::{Action, Public};
use crate::habilitation::perimetre::{Personne, demande};
use crate::journal::Entree;
use crate::store::Provenance;

/// How a partner designates a person: the `idNational` (or France Travail's v1
/// `identifiant`, the same value) it was given, or a `jetonUsager` (v2).
#[derive(Debug, Clone, Copy)]
pub enum Reference<'a> {
    IdNational(&'a str),
    Jeton(&'a str),
}

/// The gate, for one caller and one action (`statut`, `diagnostic.besoins`…).
pub struct Gate<'a> {
    s: &'a Services,
    appelant: &'a Appelant,
    action: &'static str,
}

/// A person whose access was granted, with what the perimeter loaded.
pub struct Accorde {
    pub id: Uuid,
    pub personne: Personne,
    /// The categories granted among those asked.
    pub categories: Vec<Categorie>,
}

/// Where a stored group of fields came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origine {
    pub source: String,
    pub auteur: Option<String>,
    pub maj_le: DateTime<Utc>,
}

/// What a read gives: the value, and, when asked, where each readable category came
/// from.
pub struct Lecture<T> {
    pub valeur: T,
    pub acces: Accorde,
    pub provenance: Option<BTreeMap<String, Origine>>,
}

impl<'a> Gate<'a> {
    pub fn new(s: &'a Services, appelant: &'a Appelant, action: &'static str) -> Self {
        Self { s, appelant, action }
    }

    fn decider(&self, cat: Categorie, act: Action, p: Option<&Personne>) -> Result<Decision, AppError> {
        let d = demande(self.appelant, cat, act, p, self.s.clock.today(), self.s.clock.now());
        Ok(self.s.gardien.courant().authorizer.decide(&d)?)
    }

    /// Appends the journal entry and waits for its commit (fail closed).
    pub async fn journal(&self, dossier: Option<Uuid>, cats: &[Categorie], d: Decision) -> Result<(), AppError> {
        let e = Entree::acces(self.appelant, self.action, dossier, cats, d, self.s.clock.now());
        self.s.journal.ecrire(e).await?;
        Ok(())
    }

    /// Journals one granted access per person (a list shown), committed together.
    pub async fn journal_tous(&self, acces: &[(Uuid, Vec<Categorie>)]) -> Result<(), AppError> {
        let ok = Decision { autorise: true, motif: Motif::Autorise };
        let now = self.s.clock.now();
        let entrees = acces
            .iter()
            .map(|(id, cats)| Entree::acces(self.appelant, self.action, Some(*id), cats, ok, now))
            .collect();
        self.s.journal.ecrire_tous(entrees).await?;
        Ok(())
    }

    async fn refuser(&self, dossier: Option<Uuid>, cats: &[Categorie], d: Decision) -> AppError {
        if let Err(e) = self.journal(dossier, cats, d).await {
            return e;
        }
        match d.motif {
            Motif::HorsTerritoire | Motif::HorsPublic => AppError::HorsPerimetre,
            m => AppError::Refus(m),
        }
    }

    /// Checks that the caller's token carries `scope` (France Travail's live API); a
    /// refusal is journaled.
    pub async fn exiger_scope(&self, scope: &str) -> Result<(), AppError> {
        if self.appelant.a_le_scope(scope) {
            return Ok(());
        }
        Err(self.refuser(None, &[], Decision { autorise: false, motif: Motif::ScopeNonAccorde }).await)
    }

    /// Checks what does not depend on a person (role, habilitation, convention, MFA).
    pub async fn sans_personne(&self, asked: &[(Categorie, Action)]) -> Result<(), AppError> {
        for &(cat, act) in asked {
            let d = self.decider(cat, act, None)?;
            if !d.autorise {
                let cats: Vec<Categorie> = asked.iter().map(|x| x.0).collect();
                return Err(self.refuser(None, &cats, d).await);
            }
        }
        Ok(())
    }

    /// Loads what the perimeter needs of a person.
    pub async fn personne(&self, id: Uuid) -> Result<Option<Personne>, AppError> {
        let accomp = self.appelant.convention.publics.contains(&Public::AccompagnementGlobal);
        Ok(self.s.store.personne(id, accomp).await?)
    }

    /// Loads what the perimeter needs of several people at once (a search's candidates).
    pub async fn personnes(&self, ids: &[Uuid]) -> Result<std::collections::HashMap<Uuid, Personne>, AppError> {
        let accomp = self.appelant.convention.publics.contains(&Public::AccompagnementGlobal);
        Ok(self.s.store.personnes(ids, accomp).await?)
    }

    /// Whether `cat` of a found person is readable for the caller: within its perimeter
    /// (territory and public), its role and its convention. Not journaled.
    pub fn dans_perimetre(&self, p: &Personne, cat: Categorie) -> Result<bool, AppError> {
        self.permis(p, cat, Action::Lire)
    }

    /// Whether the caller may `act` on `cat` of a person it has reached. Not journaled.
    pub fn permis(&self, p: &Personne, cat: Categorie, act: Action) -> Result<bool, AppError> {
        Ok(self.decider(cat, act, Some(p))?.autorise)
    }

    /// Decodes the caller's reference to the person, checks every category asked for this person and
    /// journals the access. With `partiel`, categories refused for the role or the
    /// convention are left out (at least one must remain); otherwise any refusal refuses.
    pub async fn acceder(
        &self,
        usager: Reference<'_>,
        asked: &[(Categorie, Action)],
        partiel: bool,
    ) -> Result<Accorde, AppError> {
        let id = match usager {
            Reference::IdNational(i) => self.s.ids.decode(self.appelant.partenaire(), i)?,
            Reference::Jeton(j) => self.s.jetons.lire(self.appelant.partenaire(), j, self.s.clock.now())?,
        };
        let Some(personne) = self.personne(id).await? else {
            return Err(AppError::HorsPerimetre);
        };
        let cats: Vec<Categorie> = asked.iter().map(|x| x.0).collect();
        let mut granted = Vec::new();
        let mut first_refusal = None;
        for &(cat, act) in asked {
            let d = self.decider(cat, act, Some(&personne))?;
            if d.autorise {
                granted.push(cat);
            } else {
                // Perimeter refusals concern the person as a whole.
                if !partiel || matches!(d.motif, Motif::HorsTerritoire | Motif::HorsPublic) {
                    return Err(self.refuser(Some(id), &cats, d).await);
                }
                first_refusal.get_or_insert(d);
            }
        }
        if granted.is_empty() {
            let d = first_refusal.unwrap_or(Decision { autorise: false, motif: Motif::RoleNonAutorise });
            return Err(self.refuser(Some(id), &cats, d).await);
        }
        self.journal(Some(id), &granted, Decision { autorise: true, motif: Motif::Autorise }).await?;
        Ok(Accorde { id, personne, categories: granted })
    }
}

/// Where each category granted came from.
pub async fn provenance(s: &Services, acces: &Accorde) -> Result<BTreeMap<String, Origine>, AppError> {
    Ok(s.store
        .sections(acces.id, Some(&acces.categories))
        .await?
        .into_iter()
        .map(|x| (x.categorie, Origine { source: x.source, auteur: x.auteur, maj_le: x.maj_le }))
        .collect())
}

/// Reads one category of a person through the gate: the section stored (`None` when
/// nothing is), with its provenance when asked.
pub async fn lire_section<T: serde::de::DeserializeOwned>(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    action: &'static str,
    categorie: Categorie,
    avec_provenance: bool,
) -> Result<Lecture<Option<T>>, AppError> {
    let acces = Gate::new(s, appelant, action).acceder(usager, &[(categorie, Action::Lire)], false).await?;
    let valeur = s.store.charger_section(acces.id, categorie).await?;
    let provenance = match avec_provenance {
        true => Some(provenance(s, &acces).await?),
        false => None,
    };
    Ok(Lecture { valeur, acces, provenance })
}

/// The provenance a partner's writes are recorded with: its organisation, its
/// application, its agent.
pub fn provenance_partenaire(appelant: &Appelant) -> Provenance {
    Provenance::new(
        format!("partenaire:{}/{}", appelant.organisation.id, appelant.client.client_id),
        Some(appelant.agent.identifiant.clone()),
    )
}

/// Checks that the caller's token carries `scope` for `action` (journaled when refused).
pub async fn exiger_scope(
    s: &Services,
    appelant: &Appelant,
    action: &'static str,
    scope: &str,
) -> Result<(), AppError> {
    Gate::new(s, appelant, action).exiger_scope(scope).await
}
