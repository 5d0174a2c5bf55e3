//! Finding a person and reading the registration status (seed 002 annex 2 §10.1–2).

use chrono::NaiveDate;

use super::acces::{Gate, Lecture, Reference, provenance};
use super::{AppError, Services};
use crate::dossier::codes::Coded;
use crate::dossier::inscription::{HistoriqueInscription, StatutCourant};
use crate::dossier::{Categorie, IdentiteSection, Nir};
use crate::habilitation::Appelant;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::habilitation::convention::Action;

/// What a search finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recherche {
    /// One person: their reference for this partner (an `idNational`, or a `jetonUsager`,
    /// as asked), and whether their identity is certified.
    Trouve {
        reference: String,
        identite_certifiee: bool,
    },
    Aucun,
    Plusieurs,
}

/// How the person is looked for.
#[derive(Debug, Clone, Copy)]
pub enum Critere<'a> {
    NirEtNaissance(&'a Nir, NaiveDate),
    /// The numéro France Travail (11 characters).
    NumeroFranceTravail(&'a str),
}

/// What the partner is given for the person found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forme {
    /// The `idNational` (France Travail's v1 `identifiant` is the same value).
    IdNational,
    /// A `jetonUsager`, valid for a while (`DUDE_JETON_USAGER_S`).
    Jeton,
}

/// Finds a person by NIR and date of birth, or by numéro France Travail: registered or
/// closed less than three years ago, and within the caller's perimeter (others are
/// answered as unknown, so nothing leaks outside it). Journaled either way.
pub async fn rechercher(
    s: &Services,
    appelant: &Appelant,
    critere: Critere<'_>,
    forme: Forme,
) -> Result<Recherche, AppError> {
    let gate = Gate::new(s, appelant, "rechercher-usager");
    let cats = [Categorie::Nir, Categorie::Identite];
    gate.sans_personne(&[(Categorie::Nir, Action::Lire), (Categorie::Identite, Action::Lire)]).await?;
    let today = s.clock.today();
    let candidats = match critere {
        Critere::NirEtNaissance(nir, naissance) => s.store.dossiers_par_nir(nir, naissance).await?,
        Critere::NumeroFranceTravail(n) => s.store.dossiers_par_numero_france_travail(n).await?,
    };
    let mut found = Vec::new();
    for id in candidats {
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
            let reference = match forme {
                Forme::IdNational => s.ids.encode(appelant.partenaire(), *id),
                Forme::Jeton => s.jetons.emettre(appelant.partenaire(), *id, s.clock.now()),
            };
            Recherche::Trouve { reference, identite_certifiee: ident.is_some_and(|i| i.identite.identite_certifiee) }
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
    /// Months registered within the last 12, 24, 36 months (France Travail's contrat).
    pub mois_inscrits: [u32; 3],
}

/// The status at `today`, from the dated history (never stored twice).
pub fn statut_au(h: &HistoriqueInscription, today: NaiveDate) -> Statut {
    Statut {
        courant: h.statut_au(today),
        date_inscription_12: h.date_inscription_dans(today, 12),
        date_inscription_24: h.date_inscription_dans(today, 24),
        date_inscription_36: h.date_inscription_dans(today, 36),
        mois_inscrits: [12, 24, 36].map(|n| h.mois_inscrits_dans(today, n)),
    }
}

/// The registration status of a person the caller holds an `idNational` of.
pub async fn statut(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    avec_provenance: bool,
) -> Result<Lecture<Statut>, AppError> {
    let gate = Gate::new(s, appelant, "statut");
    let acces = gate.acceder(usager, &[(Categorie::Inscription, Action::Lire)], false).await?;
    let valeur = statut_au(&acces.personne.historique, s.clock.today());
    let provenance = match avec_provenance {
        true => Some(provenance(s, &acces).await?),
        false => None,
    };
    Ok(Lecture { valeur, acces, provenance })
}

/// What France Travail's informations-administratives answers, as far as the dossier
/// holds it: each part only when its category is readable for the caller.
#[derive(Debug, Clone)]
pub struct InformationsAdministratives {
    pub identite: Option<crate::dossier::identite::Identite>,
    pub nir: Option<Nir>,
    pub contact: Option<crate::dossier::contact::Contact>,
}

/// The identity, NIR and contact details of the person (the categories the caller's
/// role and convention leave readable; at least one).
pub async fn informations_administratives(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
) -> Result<InformationsAdministratives, AppError> {
    let gate = Gate::new(s, appelant, "informations-administratives");
    let asked =
        [(Categorie::Identite, Action::Lire), (Categorie::Nir, Action::Lire), (Categorie::Contact, Action::Lire)];
    let acces = gate.acceder(usager, &asked, true).await?;
    let lisible = |c| acces.categories.contains(&c);
    let identite = match lisible(Categorie::Identite) {
        true => s.store.charger_section::<IdentiteSection>(acces.id, Categorie::Identite).await?.map(|i| i.identite),
        false => None,
    };
    let nir = match lisible(Categorie::Nir) {
        true => s.store.charger_nir(acces.id).await?,
        false => None,
    };
    let contact = match lisible(Categorie::Contact) {
        true => s.store.charger_section(acces.id, Categorie::Contact).await?,
        false => None,
    };
    Ok(InformationsAdministratives { identite, nir, contact })
}

/// The reconnaissance de la qualité de travailleur handicapé, as the dossier holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rqth {
    pub reconnue: bool,
    pub debut: Option<NaiveDate>,
    pub fin: Option<NaiveDate>,
    /// Where the dossier got it (the provenance of the identity section).
    pub source: Option<String>,
}

/// The RQTH of the person (part of the personal situation, category `identite`).
pub async fn rqth(s: &Services, appelant: &Appelant, usager: Reference<'_>) -> Result<Rqth, AppError> {
    let l =
        super::acces::lire_section::<IdentiteSection>(s, appelant, usager, "rqth", Categorie::Identite, true).await?;
    let situation = l.valeur.map(|i| i.situation).unwrap_or_default();
    let source = l.provenance.and_then(|p| p.get(Categorie::Identite.code()).map(|o| o.source.clone()));
    Ok(Rqth { reconnue: situation.rqth, debut: situation.rqth_debut, fin: situation.rqth_fin, source })
}
