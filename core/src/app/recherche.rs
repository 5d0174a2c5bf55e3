//! The portal's search (seed 002 annex 3 §1.2 and §2, "Page d'accueil pour la recherche"):
//! by NIR, by nom + prénom (date de naissance optional), or by identifiant (numéro France
//! Travail). Only people inside the caller's perimeter are ever listed; each person shown
//! is journaled with the categories shown of them.

use chrono::NaiveDate;

use super::acces::Gate;
use super::{AppError, Services};
use crate::dossier::contact::Contact;
use crate::dossier::identite::nom_plie;
use crate::dossier::inscription::StatutDe;
use crate::dossier::{Categorie, Nir};
use crate::habilitation::Appelant;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::habilitation::convention::Action;
use crate::habilitation::perimetre::Personne;
use crate::store::dossiers::CritereRecherche;

/// Most dossiers a search considers: past it, the agent is asked to narrow it.
pub const LIMITE: usize = 200;
/// People per page.
pub const PAR_PAGE: usize = 20;

/// What the agent searches by.
#[derive(Debug, Clone)]
pub enum Critere {
    Nir(Nir),
    Nom {
        nom: String,
        prenom: String,
        date_naissance: Option<NaiveDate>,
    },
    /// The numéro France Travail (identifiant).
    Identifiant(String),
}

/// Why a search is not run (nothing journaled: no person was looked for).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CritereInvalide {
    #[error("le nom et le prénom sont tous deux nécessaires")]
    NomIncomplet,
}

/// One person found, as the search page lists them.
#[derive(Debug, Clone)]
pub struct Trouve {
    /// How the agent's organisation designates the person (its `idNational`).
    pub reference: String,
    /// `None` when the registration status is not readable for the caller.
    pub statut: Option<StatutDe>,
    pub nom: String,
    pub prenom: String,
    pub date_naissance: NaiveDate,
    pub identifiant: Option<String>,
    /// Code postal and ville, when the contact is readable and known.
    pub code_postal: Option<String>,
    pub ville: Option<String>,
    /// The NIR's first 7 characters, when the NIR is readable.
    pub nir_debut: Option<String>,
}

/// A page of results.
#[derive(Debug, Clone)]
pub enum Resultat {
    Page {
        personnes: Vec<Trouve>,
        /// From 1.
        page: usize,
        pages: usize,
        total: usize,
    },
    /// More than [`LIMITE`] dossiers match: the agent narrows the search.
    TropNombreux,
}

impl Critere {
    /// Checks the criterion (a name search needs both names, once folded).
    pub fn valider(&self) -> Result<(), CritereInvalide> {
        match self {
            Critere::Nom { nom, prenom, .. } if nom_plie(nom).is_empty() || nom_plie(prenom).is_empty() => {
                Err(CritereInvalide::NomIncomplet)
            }
            _ => Ok(()),
        }
    }
}

/// Runs a search for the caller and gives page `page` (from 1).
pub async fn rechercher(
    s: &Services,
    appelant: &Appelant,
    critere: &Critere,
    page: usize,
) -> Result<Resultat, AppError> {
    let gate = Gate::new(s, appelant, "portail.recherche");
    gate.sans_personne(&[(Categorie::Identite, Action::Lire)]).await?;
    let c = match critere {
        Critere::Nir(n) => CritereRecherche::Nir(n),
        Critere::Nom { nom, prenom, date_naissance } => {
            CritereRecherche::Nom { nom, prenom, date_naissance: *date_naissance }
        }
        Critere::Identifiant(i) => CritereRecherche::NumeroFranceTravail(i),
    };
    let territoire: Option<Vec<String>> =
        Personne::departements_du_territoire(appelant).map(|l| l.iter().map(|d| d.as_str().to_string()).collect());
    let ok = Decision { autorise: true, motif: Motif::Autorise };
    let ids = s.store.rechercher_dossiers(c, territoire.as_deref(), LIMITE as u64 + 1).await?;
    if ids.len() > LIMITE {
        gate.journal(None, &[Categorie::Identite], ok).await?;
        return Ok(Resultat::TropNombreux);
    }
    let mut personnes = gate.personnes(&ids).await?;
    let mut dans = Vec::new();
    for id in ids {
        if let Some(p) = personnes.remove(&id)
            && gate.dans_perimetre(&p, Categorie::Identite)?
        {
            dans.push((id, p));
        }
    }
    let total = dans.len();
    let pages = total.div_ceil(PAR_PAGE).max(1);
    let page = page.clamp(1, pages);
    let page_de: Vec<(uuid::Uuid, Personne)> = dans.into_iter().skip((page - 1) * PAR_PAGE).take(PAR_PAGE).collect();
    let ids: Vec<uuid::Uuid> = page_de.iter().map(|(id, _)| *id).collect();
    // what each person shows: identity always, the rest where readable (one query each)
    let mut fiches = s.store.identites_et_contacts(&ids).await?;
    let mut avec_nir = Vec::new();
    for (id, p) in &page_de {
        if gate.dans_perimetre(p, Categorie::Nir)? {
            avec_nir.push(*id);
        }
    }
    let mut nirs = s.store.charger_nirs(&avec_nir).await?;
    let mut personnes = Vec::new();
    let mut journal = Vec::new();
    for (id, p) in page_de {
        let Some((ident, contact)) = fiches.remove(&id) else {
            continue;
        };
        let mut cats = vec![Categorie::Identite];
        let statut = match gate.dans_perimetre(&p, Categorie::Inscription)? {
            true => {
                cats.push(Categorie::Inscription);
                Some(p.historique.statut_au(s.clock.today()).statut)
            }
            false => None,
        };
        let contact: Option<Contact> = match gate.dans_perimetre(&p, Categorie::Contact)? {
            true => {
                cats.push(Categorie::Contact);
                contact
            }
            false => None,
        };
        let nir_debut = nirs.remove(&id).map(|n| {
            cats.push(Categorie::Nir);
            n.expose().chars().take(7).collect()
        });
        let i = ident.identite;
        personnes.push(Trouve {
            reference: s.ids.encode(appelant.partenaire(), id),
            statut,
            nom: i.nom,
            prenom: i.prenom,
            date_naissance: i.date_naissance,
            identifiant: i.numero_france_travail,
            code_postal: contact.as_ref().map(|c| c.adresse.code_postal.clone()),
            ville: contact.map(|c| c.adresse.commune),
            nir_debut,
        });
        journal.push((id, cats));
    }
    if journal.is_empty() {
        gate.journal(None, &[Categorie::Identite], ok).await?;
    } else {
        gate.journal_tous(&journal).await?;
    }
    Ok(Resultat::Page { personnes, page, pages, total })
}
