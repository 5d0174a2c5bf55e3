//! Incidents reported by a partner (seed 002 annex 2 §3 and §5): a report is taken into
//! account within 15 minutes for an availability incident; the partner follows its
//! incidents and validates the return to service, which allows the closing. Every call
//! is journaled under the partner's convention.

use super::gestion::{self, VueIncident};
use crate::app::acces::Gate;
use crate::app::{AppError, Services};
use crate::habilitation::Appelant;
use crate::habilitation::authorizer::{Decision, Motif};
use crate::sla::regles::incident::{EtapeIncident, OrigineIncident, TypeIncident};

async fn tracer(s: &Services, appelant: &Appelant, action: &'static str) -> Result<(), AppError> {
    Gate::new(s, appelant, action).journal(None, &[], Decision { autorise: true, motif: Motif::Autorise }).await
}

/// Reports an incident under the caller's convention.
pub async fn signaler(
    s: &Services,
    appelant: &Appelant,
    type_incident: TypeIncident,
    api: Option<String>,
    resume: &str,
) -> Result<VueIncident, AppError> {
    let now = s.clock.now();
    tracer(s, appelant, "incident.signaler").await?;
    let i = gestion::ouvrir_incident(
        s,
        type_incident,
        OrigineIncident::Partenaire,
        api,
        Some(appelant.convention.id.clone()),
        resume,
        now,
    )
    .await?;
    Ok(i.vue(now))
}

/// The incidents of the caller's convention and those of the whole platform.
pub async fn lister(s: &Services, appelant: &Appelant) -> Result<Vec<VueIncident>, AppError> {
    let now = s.clock.now();
    tracer(s, appelant, "incident.lister").await?;
    Ok(gestion::incidents(s, false, None)
        .await?
        .into_iter()
        .filter(|i| i.convention.as_deref().is_none_or(|c| c == appelant.convention.id))
        .map(|i| i.vue(now))
        .collect())
}

/// Validates the return to service of one of the convention's incidents.
pub async fn valider(s: &Services, appelant: &Appelant, id: &str, reference: String) -> Result<VueIncident, AppError> {
    let now = s.clock.now();
    tracer(s, appelant, "incident.valider").await?;
    let i = gestion::incident(s, id).await?;
    if i.convention.as_deref() != Some(appelant.convention.id.as_str()) {
        return Err(AppError::Inconnu("incident inconnu pour cette convention".into()));
    }
    let i = gestion::etape_incident(s, id, EtapeIncident::ValideParPartenaire, now, Some(reference), now).await?;
    Ok(i.vue(now))
}
