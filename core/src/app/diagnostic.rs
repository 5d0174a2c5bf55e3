//! The diagnostic: needs, diagnostics, constraints, the dossier, pouvoir d'agir — read
//! through the gate, and written by check boxes only (the rules are the model's:
//! `Diagnostic::modifier`, `Contraintes::enregistrer`).

use chrono::NaiveDate;

use super::acces::{Gate, Lecture, Reference, lire_section, provenance, provenance_partenaire};
use super::error::Refus;
use super::{AppError, Services};
use crate::dossier::Categorie;
use crate::dossier::contraintes::{ContrainteSaisie, Contraintes, RefusContraintes};
use crate::dossier::diagnostic::{
    Besoin, Conseiller, Diagnostic, ModificationDiagnostic, PouvoirAgir, RefusDiagnostic,
};
use crate::habilitation::Appelant;
use crate::habilitation::convention::Action;

/// The diagnostic section (needs and diagnostics).
pub async fn diagnostic(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    action: &'static str,
    avec_provenance: bool,
) -> Result<Lecture<Diagnostic>, AppError> {
    let l = lire_section(s, appelant, usager, action, Categorie::Diagnostic, avec_provenance).await?;
    Ok(Lecture { valeur: l.valeur.unwrap_or_default(), acces: l.acces, provenance: l.provenance })
}

pub async fn contraintes(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    avec_provenance: bool,
) -> Result<Lecture<Contraintes>, AppError> {
    let l =
        lire_section(s, appelant, usager, "diagnostic.contraintes", Categorie::Contraintes, avec_provenance).await?;
    Ok(Lecture { valeur: l.valeur.unwrap_or_default(), acces: l.acces, provenance: l.provenance })
}

pub async fn pouvoir_agir(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    avec_provenance: bool,
) -> Result<Lecture<Option<PouvoirAgir>>, AppError> {
    lire_section(s, appelant, usager, "diagnostic.pouvoir-agir", Categorie::PouvoirAgir, avec_provenance).await
}

/// The diagnostic dossier: what the caller may read of the diagnostic and the
/// constraints (`None`: not readable for it).
pub struct DossierDiagnostic {
    pub diagnostic: Option<Diagnostic>,
    pub contraintes: Option<Contraintes>,
}

pub async fn dossier(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    avec_provenance: bool,
) -> Result<Lecture<DossierDiagnostic>, AppError> {
    let gate = Gate::new(s, appelant, "diagnostic.dossier");
    let acces = gate
        .acceder(usager, &[(Categorie::Diagnostic, Action::Lire), (Categorie::Contraintes, Action::Lire)], true)
        .await?;
    let diagnostic = match acces.categories.contains(&Categorie::Diagnostic) {
        true => Some(s.store.charger_section(acces.id, Categorie::Diagnostic).await?.unwrap_or_default()),
        false => None,
    };
    let contraintes = match acces.categories.contains(&Categorie::Contraintes) {
        true => Some(s.store.charger_section(acces.id, Categorie::Contraintes).await?.unwrap_or_default()),
        false => None,
    };
    let provenance = match avec_provenance {
        true => Some(provenance(s, &acces).await?),
        false => None,
    };
    Ok(Lecture { valeur: DossierDiagnostic { diagnostic, contraintes }, acces, provenance })
}

/// The consolidated diagnostic (France Travail's v4 `dossiers`): what the caller may read
/// of the diagnostic, the constraints, the pouvoir d'agir and the métiers (`None`: not
/// readable for it; at least one must be).
pub struct DossierConsolide {
    pub diagnostic: Option<Diagnostic>,
    pub contraintes: Option<Contraintes>,
    pub pouvoir_agir: Option<Option<PouvoirAgir>>,
    pub metiers: Option<Vec<crate::dossier::metiers::MetierRecherche>>,
}

impl DossierConsolide {
    /// Nothing recorded in what the caller may read.
    pub fn vide(&self) -> bool {
        self.diagnostic.as_ref().is_none_or(|d| d.besoins_par_diagnostic.is_empty() && d.diagnostics.is_empty())
            && self.contraintes.as_ref().is_none_or(|c| c.contraintes.is_empty() && c.date_exploration.is_none())
            && self.pouvoir_agir.as_ref().is_none_or(|p| p.is_none())
    }
}

pub async fn dossier_consolide(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
) -> Result<Lecture<DossierConsolide>, AppError> {
    let gate = Gate::new(s, appelant, "diagnostic.dossier");
    let asked = [
        (Categorie::Diagnostic, Action::Lire),
        (Categorie::Contraintes, Action::Lire),
        (Categorie::PouvoirAgir, Action::Lire),
        (Categorie::MetiersRecherches, Action::Lire),
    ];
    let acces = gate.acceder(usager, &asked, true).await?;
    let lisible = |c| acces.categories.contains(&c);
    let diagnostic = match lisible(Categorie::Diagnostic) {
        true => Some(s.store.charger_section(acces.id, Categorie::Diagnostic).await?.unwrap_or_default()),
        false => None,
    };
    let contraintes = match lisible(Categorie::Contraintes) {
        true => Some(s.store.charger_section(acces.id, Categorie::Contraintes).await?.unwrap_or_default()),
        false => None,
    };
    let pouvoir_agir = match lisible(Categorie::PouvoirAgir) {
        true => Some(s.store.charger_section(acces.id, Categorie::PouvoirAgir).await?),
        false => None,
    };
    let metiers = match lisible(Categorie::MetiersRecherches) {
        true => Some(s.store.charger_section(acces.id, Categorie::MetiersRecherches).await?.unwrap_or_default()),
        false => None,
    };
    Ok(Lecture { valeur: DossierConsolide { diagnostic, contraintes, pouvoir_agir, metiers }, acces, provenance: None })
}

/// Changes the diagnostic of métier `id_metier_chiffre` (the caller's encrypted id): the
/// conseiller recorded is the calling agent.
pub async fn modifier_diagnostic(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    id_metier_chiffre: &str,
    m: &ModificationDiagnostic,
) -> Result<(), Refus<RefusDiagnostic>> {
    let gate = Gate::new(s, appelant, "diagnostic.diagnostics.ecrire");
    let id = gate.acceder(usager, &[(Categorie::Diagnostic, Action::Ecrire)], false).await?.id;
    let id_metier = s.ids.decode_metier(appelant.partenaire(), id_metier_chiffre).map_err(AppError::from)?;
    let agent = Conseiller {
        nom: appelant.agent.nom.clone(),
        prenom: appelant.agent.prenom.clone(),
        structure: appelant.organisation.nom.clone(),
    };
    let today = s.clock.today();
    s.store
        .modifier_section(id, Categorie::Diagnostic, &provenance_partenaire(appelant), |d: Option<Diagnostic>| {
            let mut d = d.unwrap_or_default();
            d.modifier(&id_metier, m, agent, today).map(|()| d)
        })
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::HorsPerimetre)?
        .map(|_| ())
        .map_err(Refus::Regle)
}

/// Records constraints: each one given replaces the stored one with the same code.
pub async fn enregistrer_contraintes(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    saisies: &[ContrainteSaisie],
    date_exploration: NaiveDate,
    conseiller: &str,
) -> Result<(), Refus<RefusContraintes>> {
    let gate = Gate::new(s, appelant, "diagnostic.contraintes.ecrire");
    let id = gate.acceder(usager, &[(Categorie::Contraintes, Action::Ecrire)], false).await?.id;
    let today = s.clock.today();
    let agent = appelant.agent.identifiant.clone();
    s.store
        .modifier_section(id, Categorie::Contraintes, &provenance_partenaire(appelant), |c: Option<Contraintes>| {
            let mut c = c.unwrap_or_default();
            c.enregistrer(saisies, date_exploration, conseiller, &agent, today).map(|()| c)
        })
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::HorsPerimetre)?
        .map(|_| ())
        .map_err(Refus::Regle)
}

/// Records the values of needs of the diagnostic of métier `id_metier_chiffre` (the
/// caller's encrypted id), check boxes only (`Diagnostic::enregistrer_besoins`).
pub async fn enregistrer_besoins(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    id_metier_chiffre: &str,
    besoins: &[Besoin],
) -> Result<(), Refus<RefusDiagnostic>> {
    let gate = Gate::new(s, appelant, "diagnostic.besoins.ecrire");
    let id = gate.acceder(usager, &[(Categorie::Diagnostic, Action::Ecrire)], false).await?.id;
    let id_metier = s.ids.decode_metier(appelant.partenaire(), id_metier_chiffre).map_err(AppError::from)?;
    s.store
        .modifier_section(id, Categorie::Diagnostic, &provenance_partenaire(appelant), |d: Option<Diagnostic>| {
            let mut d = d.unwrap_or_default();
            d.enregistrer_besoins(&id_metier, besoins).map(|()| d)
        })
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::HorsPerimetre)?
        .map(|_| ())
        .map_err(Refus::Regle)
}

/// Records the pouvoir d'agir (its three answers, by check box).
pub async fn enregistrer_pouvoir_agir(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    pouvoir_agir: PouvoirAgir,
) -> Result<(), AppError> {
    let gate = Gate::new(s, appelant, "diagnostic.pouvoir-agir.ecrire");
    let id = gate.acceder(usager, &[(Categorie::PouvoirAgir, Action::Ecrire)], false).await?.id;
    s.store
        .modifier_section(id, Categorie::PouvoirAgir, &provenance_partenaire(appelant), |_: Option<PouvoirAgir>| {
            Ok::<_, std::convert::Infallible>(pouvoir_agir)
        })
        .await?
        .ok_or(AppError::HorsPerimetre)?
        .map(|_| ())
        .map_err(|e| match e {})
}
