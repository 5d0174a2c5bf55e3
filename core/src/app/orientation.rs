//! The orientation of an RSA beneficiary: read, and decided by the département's system
//! (France Travail's `orientationusager`, the same section as the seed's dossier).

use chrono::NaiveDate;

use super::acces::{Gate, Lecture, Reference, lire_section, provenance_partenaire};
use super::{AppError, Services};
use crate::dossier::Categorie;
use crate::dossier::orientation::{OrganismeOrientation, Orientation, OrigineOrientation, TypeParcours};
use crate::habilitation::Appelant;
use crate::habilitation::convention::Action;

/// The orientation of the person (`None`: none decided), with its provenance.
pub async fn lire(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
) -> Result<Lecture<Option<Orientation>>, AppError> {
    lire_section(s, appelant, usager, "orientation", Categorie::Orientation, true).await
}

/// An orientation decided by a partner.
#[derive(Debug, Clone)]
pub struct Decision {
    pub type_parcours: TypeParcours,
    pub organisme: OrganismeOrientation,
    pub origine: Option<OrigineOrientation>,
    /// The structure that will accompany the person, as the partner names it.
    pub structure: Option<String>,
}

/// Records the orientation a partner decides, dated today; the référent already named
/// stays when the parcours does not change.
pub async fn orienter(
    s: &Services,
    appelant: &Appelant,
    usager: Reference<'_>,
    decision: Decision,
) -> Result<(Orientation, NaiveDate), AppError> {
    let gate = Gate::new(s, appelant, "orientation.ecrire");
    let id = gate.acceder(usager, &[(Categorie::Orientation, Action::Ecrire)], false).await?.id;
    let today = s.clock.today();
    let o = s
        .store
        .modifier_section(id, Categorie::Orientation, &provenance_partenaire(appelant), |o: Option<Orientation>| {
            let referent = o.filter(|o| o.type_parcours == decision.type_parcours).and_then(|o| o.referent);
            Ok::<_, std::convert::Infallible>(Orientation {
                type_parcours: decision.type_parcours,
                date: today,
                referent,
                structure: decision.structure.clone(),
                organisme: Some(decision.organisme),
                origine: decision.origine,
            })
        })
        .await?
        .ok_or(AppError::HorsPerimetre)?;
    let Ok(o) = o;
    Ok((o, today))
}
