//! Reading a person's dossier as a whole, as the portal shows it (seed 002 annex 3 §2):
//! every category the caller may read of this person, one journal entry for the read
//! (as the API's reads), each part with its provenance.

use std::collections::BTreeMap;

use super::acces::{Gate, Origine, Reference, provenance};
use super::{AppError, Services};
use crate::dossier::accompagnement::Accompagnement;
use crate::dossier::codes::Coded;
use crate::dossier::contact::Contact;
use crate::dossier::contraintes::Contraintes;
use crate::dossier::diagnostic::{Diagnostic, PouvoirAgir};
use crate::dossier::echanges::Echange;
use crate::dossier::inscription::StatutCourant;
use crate::dossier::metiers::{MetierRecherche, ProjetCref};
use crate::dossier::orientation::Orientation;
use crate::dossier::rendez_vous::RendezVousParcours;
use crate::dossier::rsa::Rsa;
use crate::dossier::{Categorie, IdentiteSection, Inscription};
use crate::habilitation::Appelant;
use crate::habilitation::convention::Action;

/// What the caller may read of a dossier: `None` where a category is not readable for
/// it (an inner `None` or empty list: readable, nothing recorded).
#[derive(Debug, Clone, Default)]
pub struct DossierLisible {
    /// The NIR's first 7 characters (annex 3 §2, "NIR non complet").
    pub nir_debut: Option<String>,
    pub identite: Option<IdentiteSection>,
    pub contact: Option<Option<Contact>>,
    pub inscription: Option<(Inscription, StatutCourant)>,
    pub rsa: Option<Option<Rsa>>,
    pub orientation: Option<Option<Orientation>>,
    pub diagnostic: Option<Diagnostic>,
    pub contraintes: Option<Contraintes>,
    pub pouvoir_agir: Option<Option<PouvoirAgir>>,
    pub metiers: Option<Vec<MetierRecherche>>,
    pub projets: Option<Vec<ProjetCref>>,
    pub accompagnement: Option<Option<Accompagnement>>,
    pub echanges: Option<Vec<Echange>>,
    pub rendez_vous: Option<RendezVousParcours>,
}

/// A dossier read.
pub struct Consultation {
    pub dossier: DossierLisible,
    /// Where each category read came from (by category code).
    pub provenance: BTreeMap<String, Origine>,
    /// The categories the caller may also write for this person.
    pub modifiables: Vec<Categorie>,
}

/// What a page asks to read: the whole dossier, or what the diagnostic's form needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vue {
    Dossier,
    Diagnostic,
}

impl Vue {
    fn action(self) -> &'static str {
        match self {
            Vue::Dossier => "portail.dossier",
            Vue::Diagnostic => "portail.diagnostic",
        }
    }

    fn categories(self) -> &'static [Categorie] {
        match self {
            Vue::Dossier => Categorie::ALL,
            Vue::Diagnostic => &[
                Categorie::Identite,
                Categorie::Diagnostic,
                Categorie::Contraintes,
                Categorie::PouvoirAgir,
                Categorie::AccompagnementGlobal,
            ],
        }
    }
}

/// Reads what the caller may, of what `vue` asks, of the person it designates by
/// `usager` (its `idNational`): an unknown, tampered or foreign reference, or a person
/// outside its perimeter, is [`AppError::HorsPerimetre`] (journaled when a person was
/// concerned).
pub async fn consulter(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    vue: Vue,
) -> Result<Consultation, AppError> {
    let gate = Gate::new(s, appelant, vue.action());
    let asked: Vec<(Categorie, Action)> = vue.categories().iter().map(|c| (*c, Action::Lire)).collect();
    let acces = gate.acceder(usager, &asked, true).await?;
    let d = s.store.charger_dossier(acces.id).await?.ok_or(AppError::HorsPerimetre)?;
    let l = |c: Categorie| acces.categories.contains(&c);
    let statut = acces.personne.historique.statut_au(s.clock.today());
    let dossier = DossierLisible {
        nir_debut: l(Categorie::Nir).then(|| d.nir.expose().chars().take(7).collect()),
        identite: l(Categorie::Identite).then_some(IdentiteSection { identite: d.identite, situation: d.situation }),
        contact: l(Categorie::Contact).then_some(d.contact),
        inscription: l(Categorie::Inscription).then_some((d.inscription, statut)),
        rsa: l(Categorie::Rsa).then_some(d.rsa),
        orientation: l(Categorie::Orientation).then_some(d.orientation),
        diagnostic: l(Categorie::Diagnostic).then_some(d.diagnostic),
        contraintes: l(Categorie::Contraintes).then_some(d.contraintes),
        pouvoir_agir: l(Categorie::PouvoirAgir).then_some(d.pouvoir_agir),
        metiers: l(Categorie::MetiersRecherches).then_some(d.metiers_recherches),
        projets: l(Categorie::ProjetsCreation).then_some(d.projets_creation),
        accompagnement: l(Categorie::AccompagnementGlobal).then_some(d.accompagnement),
        echanges: l(Categorie::ContactsEchanges).then_some(d.echanges),
        rendez_vous: l(Categorie::RendezVous).then_some(d.rendez_vous),
    };
    let mut modifiables = Vec::new();
    for c in [Categorie::Diagnostic, Categorie::Contraintes, Categorie::PouvoirAgir, Categorie::AccompagnementGlobal] {
        if gate.permis(&acces.personne, c, Action::Ecrire)? {
            modifiables.push(c);
        }
    }
    Ok(Consultation { dossier, provenance: provenance(s, &acces).await?, modifiables })
}
