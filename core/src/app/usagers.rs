//! Finding a person and reading the registration status (seed 002 annex 2 §10.1–2).

use chrono::NaiveDate;

use super::acces::{Gate, Lecture, provenance};
use super::{AppError, Services};
use crate::dossier::inscription::{HistoriqueInscription, StatutCourant};
use crate::dossier::{Categorie, IdentiteSection, Nir};
use crate::habilitation::Appelant;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::habilitation::convention::Action;

/// What a search finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recherche {
    /// One person: their `idNational` for this partner, and whether their identity is
    /// certified.
    Trouve {
        id_national: String,
        identite_certifiee: bool,
    },
    Aucun,
    Plusieurs,
}

/// Finds a person by NIR and date of birth: registered or closed less than three years
/// ago, and within the caller's perimeter (others are answered as unknown, so nothing
/// leaks outside it). Journaled either way.
pub async fn rechercher(
    s: &Services,
    appelant: &Appelant,
    nir: &Nir,
    naissance: NaiveDate,
) -> Result<Recherche, AppError> {
    let gate = Gate::new(s, appelant, "rechercher-usager");
    let cats = [Categorie::Nir, Categorie::Identite];
    gate.sans_personne(&[(Categorie::Nir, Action::Lire), (Categorie::Identite, Action::Lire)]).await?;
    let today = s.clock.today();
    let mut found = Vec::new();
    for id in s.store.dossiers_par_nir(nir, naissance).await? {
        if let Some(p) = gate.personne(id).await?
            && p.historique.recherchable_au(today)
            && gate.dans_perimetre(&p, Categorie::Identite)?
        {
            found.push(id);
        }
    }
    let ok = Decision { autorise: true, motif: Motif::Autorise };
    Ok(match found.as_slice() {
        [id] => {
            gate.journal(Some(*id), &cats, ok).await?;
            let ident: Option<IdentiteSection> = s.store.charger_section(*id, Categorie::Identite).await?;
            Recherche::Trouve {
                id_national: s.ids.encode(appelant.partenaire(), *id),
                identite_certifiee: ident.is_some_and(|i| i.identite.identite_certifiee),
            }
        }
        list => {
            gate.journal(None, &cats, ok).await?;
            if list.is_empty() { Recherche::Aucun } else { Recherche::Plusieurs }
        }
    })
}

/// Everything the Statut usager API returns, computed from the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Statut {
    pub courant: StatutCourant,
    pub date_inscription_12: Option<NaiveDate>,
    pub date_inscription_24: Option<NaiveDate>,
    pub date_inscription_36: Option<NaiveDate>,
}

/// The status at `today`, from the dated history (never stored twice).
pub fn statut_au(h: &HistoriqueInscription, today: NaiveDate) -> Statut {
    Statut {
        courant: h.statut_au(today),
        date_inscription_12: h.date_inscription_dans(today, 12),
        date_inscription_24: h.date_inscription_dans(today, 24),
        date_inscription_36: h.date_inscription_dans(today, 36),
    }
}

/// The registration status of a person the caller holds an `idNational` of.
pub async fn statut(
    s: &Services,
    appelant: &Appelant,
    id_national: &str,
    avec_provenance: bool,
) -> Result<Lecture<Statut>, AppError> {
    let gate = Gate::new(s, appelant, "statut");
    let acces = gate.acceder(id_national, &[(Categorie::Inscription, Action::Lire)], false).await?;
    let valeur = statut_au(&acces.personne.historique, s.clock.today());
    let provenance = match avec_provenance {
        true => Some(provenance(s, &acces).await?),
        false => None,
    };
    Ok(Lecture { valeur, acces, provenance })
}
