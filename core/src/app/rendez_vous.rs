//! The appointments of the person's parcours that a partner's system makes, changes and
//! cancels (France Travail's `rendez-vous-partenaire`). Each belongs to the partner that
//! made it: another's id answers as unknown, like France Travail's ID_NON_RECONNU.

use super::acces::{Gate, Reference, provenance_partenaire};
use super::error::Refus;
use super::{AppError, Services};
use crate::dossier::Categorie;
use crate::dossier::rendez_vous::{DetailRendezVous, RefusRendezVous, RendezVous, RendezVousParcours};
use crate::habilitation::Appelant;
use crate::habilitation::convention::Action;

async fn changer(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    action: &'static str,
    change: impl FnOnce(&mut RendezVousParcours) -> Result<String, RefusRendezVous>,
) -> Result<RendezVous, Refus<RefusRendezVous>> {
    let gate = Gate::new(s, appelant, action);
    let id = gate.acceder(usager, &[(Categorie::RendezVous, Action::Ecrire)], false).await?.id;
    let mut vise = String::new();
    let p = s
        .store
        .modifier_section(
            id,
            Categorie::RendezVous,
            &provenance_partenaire(appelant),
            |p: Option<RendezVousParcours>| {
                let mut p = p.unwrap_or_default();
                vise = change(&mut p)?;
                Ok(p)
            },
        )
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::HorsPerimetre)?
        .map_err(Refus::Regle)?;
    let r = p.0.into_iter().find(|r| r.id == vise).ok_or(Refus::Regle(RefusRendezVous::Inconnu))?;
    Ok(r)
}

/// Records an appointment the partner made; returns it with its new id.
pub async fn prendre(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    detail: DetailRendezVous,
) -> Result<RendezVous, Refus<RefusRendezVous>> {
    let quand = s.clock.now();
    let partenaire = appelant.partenaire().to_string();
    changer(s, appelant, usager, "rendez-vous.prendre", move |p| {
        let id = uuid::Uuid::new_v4().to_string();
        p.prendre(id.clone(), &partenaire, detail, quand)?;
        Ok(id)
    })
    .await
}

/// Replaces what the partner said of its appointment `id`.
pub async fn modifier(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    id: &str,
    detail: DetailRendezVous,
) -> Result<RendezVous, Refus<RefusRendezVous>> {
    let quand = s.clock.now();
    let partenaire = appelant.partenaire().to_string();
    let id = id.to_string();
    changer(s, appelant, usager, "rendez-vous.modifier", move |p| {
        p.modifier(&id, &partenaire, detail, quand)?;
        Ok(id)
    })
    .await
}

/// Cancels the partner's appointment `id` (kept, with the status ANNULE).
pub async fn annuler(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    id: &str,
) -> Result<RendezVous, Refus<RefusRendezVous>> {
    let quand = s.clock.now();
    let partenaire = appelant.partenaire().to_string();
    let id = id.to_string();
    changer(s, appelant, usager, "rendez-vous.annuler", move |p| {
        p.annuler(&id, &partenaire, quand)?;
        Ok(id)
    })
    .await
}
