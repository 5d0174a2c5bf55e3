//! The background tasks of SLA monitoring: writing the minutes that are over (every few
//! seconds, so the request path never writes), purging beyond 13 months, and the probes.

use std::sync::Arc;
use std::time::Duration;

use crate::app::Services;
use crate::sla::agregat::{Agregat, Cle, Mesureur, minute_de};
use crate::store::Store;

/// How long the aggregates are kept.
pub const CONSERVATION_MOIS: u32 = 13;

/// Writes the minutes that are over; returns them (for the detection of error spikes).
pub async fn ecrire_minutes_passees(mesureur: &Mesureur, store: &Store) -> Vec<(Cle, Agregat)> {
    let lot = mesureur.prendre_avant(minute_de(mesureur.clock().now()));
    if let Err(e) = store.sla_ecrire_minutes(&lot).await {
        // kept in the log only: a lost minute of measurements does not stop the service
        tracing::error!(erreur = %e, cles = lot.len(), "mesures SLA non enregistrées");
    }
    lot
}

/// An error-rate spike: in one minute, at least this many calls to an API…
pub const PIC_APPELS_MIN: u64 = 20;
/// …of which at least this share answered 5xx, opens an availability incident.
pub const PIC_PART_5XX_PCT: u64 = 20;

/// Opens an availability incident for each API whose minute shows an error-rate spike
/// (unless one opened by the supervision is already open for it). Returns the APIs.
pub async fn detecter_pics(services: &Services, lot: &[(Cle, Agregat)]) -> Vec<String> {
    let mut par_minute: std::collections::BTreeMap<(i64, crate::sla::api::Api), Agregat> = Default::default();
    for (k, a) in lot {
        par_minute.entry((k.minute, k.api)).or_default().fusionner(a);
    }
    let mut ouverts = Vec::new();
    let pics: Vec<_> = par_minute
        .into_iter()
        .filter(|(_, a)| a.nombre >= PIC_APPELS_MIN && a.c5xx * 100 >= PIC_PART_5XX_PCT * a.nombre)
        .collect();
    if pics.is_empty() {
        return ouverts;
    }
    // APIs with an incident of the supervision already open (unknown: do not open more)
    let Ok(deja) = super::gestion::incidents(services, true, None).await.map(|v| {
        v.into_iter()
            .filter(|i| i.incident.origine() == crate::sla::regles::incident::OrigineIncident::Sonde)
            .filter_map(|i| i.api)
            .collect::<Vec<_>>()
    }) else {
        return ouverts;
    };
    for ((minute, api), a) in pics {
        let code = crate::dossier::codes::Coded::code(api).to_string();
        if deja.contains(&code) || ouverts.contains(&code) {
            continue;
        }
        let debut = chrono::DateTime::from_timestamp(minute, 0).unwrap_or_else(|| services.clock.now());
        let resume = format!(
            "pic d'erreurs : {} réponses 5xx sur {} appels dans la minute de {}",
            a.c5xx,
            a.nombre,
            debut.format("%d/%m/%Y %H:%M UTC")
        );
        match super::gestion::ouvrir_incident(
            services,
            crate::sla::regles::incident::TypeIncident::Disponibilite,
            crate::sla::regles::incident::OrigineIncident::Sonde,
            Some(code.clone()),
            None,
            &resume,
            debut,
        )
        .await
        {
            Ok(_) => ouverts.push(code),
            Err(e) => tracing::error!(erreur = %e, "ouverture d'incident sur pic d'erreurs"),
        }
    }
    ouverts
}

/// Starts the writer: every 5 s the minutes that are over (and the error spikes they
/// show); every hour, the purge.
pub fn demarrer_ecriture(services: Arc<Services>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(mesureur) = services.mesureur.clone() else { return };
        let store = services.store.clone();
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut n = 0u64;
        loop {
            tick.tick().await;
            let lot = ecrire_minutes_passees(&mesureur, &store).await;
            detecter_pics(&services, &lot).await;
            n += 1;
            if n % 720 == 1 {
                let avant = mesureur.clock().now() - chrono::Months::new(CONSERVATION_MOIS);
                match store.sla_purger(avant).await {
                    Ok(k) if k > 0 => tracing::info!(lignes = k, "mesures SLA de plus de 13 mois purgées"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(erreur = %e, "purge des mesures SLA impossible"),
                }
            }
        }
    })
}

/// Starts the heartbeat of this instance: the current minute is recorded as soon as it
/// begins (checked every 5 s), so that the minutes in which no instance ran count as
/// unavailable in the reports.
pub fn demarrer_battements(services: Arc<Services>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut derniere = None;
        loop {
            tick.tick().await;
            let minute = minute_de(services.clock.now());
            if derniere == Some(minute) {
                continue;
            }
            let Some(t) = chrono::DateTime::from_timestamp(minute, 0) else { continue };
            match services.store.sla_battre(&services.instance, t).await {
                Ok(()) => derniere = Some(minute),
                Err(e) => tracing::error!(erreur = %e, "battement de l'instance non enregistré"),
            }
        }
    })
}

/// Starts the watch of deadlines (incidents, data breaches) every minute.
pub fn demarrer_echeances(services: Arc<Services>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = super::gestion::surveiller_echeances(&services, services.clock.now()).await {
                tracing::error!(erreur = %e, "surveillance des échéances");
            }
        }
    })
}
