//! Accompagnement global (seed 004): France Travail records the 6-month bilan; the
//! conventions that exchange with the département's system through an adapter get the
//! update of their contrat d'insertion (`crate::export`).

use super::acces::{Gate, Reference, provenance_partenaire};
use super::error::Refus;
use super::{AppError, Services};
use crate::dossier::Categorie;
use crate::dossier::accompagnement::{Accompagnement, BilanGlobal, MotifNonIntegration, RefusBilan};
use crate::dossier::contraintes::CodeContrainte;
use crate::habilitation::Appelant;
use crate::habilitation::convention::Action;

/// Records a bilan (one of the same date is replaced), then sends it through the
/// adapters of the conventions that exchange with the département.
pub async fn enregistrer_bilan(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    bilan: BilanGlobal,
) -> Result<(), Refus<RefusBilan>> {
    let gate = Gate::new(s, appelant, "accompagnement.bilan.ecrire");
    let id = gate.acceder(usager, &[(Categorie::AccompagnementGlobal, Action::Ecrire)], false).await?.id;
    s.store
        .modifier_section(
            id,
            Categorie::AccompagnementGlobal,
            &provenance_partenaire(appelant),
            |a: Option<Accompagnement>| {
                let mut a = a.ok_or(RefusBilan::HorsAccompagnementGlobal)?;
                a.enregistrer_bilan(bilan.clone()).map(|()| a)
            },
        )
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::HorsPerimetre)?
        .map_err(Refus::Regle)?;
    let conventions: Vec<_> = s.gardien.courant().registre.conventions.values().cloned().collect();
    crate::export::diffuser(
        &s.store,
        &s.journal,
        s.catalogue.as_ref(),
        conventions,
        crate::export::Fait {
            dossier: id,
            genre: crate::export::BILAN,
            auteur: &appelant.agent.identifiant,
            request_id: &appelant.request_id,
            quand: s.clock.now(),
        },
    )
    .await
    .map_err(AppError::from)?;
    Ok(())
}

/// Records the freins périphériques and the motifs de non-intégration of a person in
/// accompagnement global (check boxes, seed 004).
pub async fn enregistrer_freins(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    freins: &[CodeContrainte],
    motifs: &[MotifNonIntegration],
) -> Result<(), Refus<RefusBilan>> {
    let gate = Gate::new(s, appelant, "accompagnement.freins.ecrire");
    let id = gate.acceder(usager, &[(Categorie::AccompagnementGlobal, Action::Ecrire)], false).await?.id;
    s.store
        .modifier_section(
            id,
            Categorie::AccompagnementGlobal,
            &provenance_partenaire(appelant),
            |a: Option<Accompagnement>| {
                let mut a = a.ok_or(RefusBilan::HorsAccompagnementGlobal)?;
                a.enregistrer_freins(freins, motifs).map(|()| a)
            },
        )
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::HorsPerimetre)?
        .map(|_| ())
        .map_err(Refus::Regle)
}
