//! The background tasks of SLA monitoring: writing each instance's minutes that are over
//! (every few seconds, so the request path never writes); once across instances, the
//! error spikes on the merged minutes, the purge beyond 13 months and the deadlines.

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
    ouvrir_pics(services, lot.iter().map(|(k, a)| (k.minute, k.api, a))).await
}

/// [`detecter_pics`] on the minutes of `[debut, fin)` every instance has written (the
/// cluster's measurements merged).
pub async fn detecter_pics_enregistres(
    services: &Services,
    debut: chrono::DateTime<chrono::Utc>,
    fin: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    use crate::dossier::codes::Coded;
    let lignes = match services.store.sla_minutes(debut, fin, None).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(erreur = %e, "mesures SLA illisibles : pics d'erreurs non recherchés");
            return Vec::new();
        }
    };
    let minutes = lignes.iter().filter_map(|l| {
        crate::sla::api::Api::from_code(&l.api).ok().map(|api| (l.minute.timestamp(), api, &l.agregat))
    });
    ouvrir_pics(services, minutes).await
}

async fn ouvrir_pics<'a>(
    services: &Services,
    minutes: impl Iterator<Item = (i64, crate::sla::api::Api, &'a Agregat)>,
) -> Vec<String> {
    let mut par_minute: std::collections::BTreeMap<(i64, crate::sla::api::Api), Agregat> = Default::default();
    for (minute, api, a) in minutes {
        par_minute.entry((minute, api)).or_default().fusionner(a);
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

/// Starts this instance's writer: every 5 s, the minutes that are over.
pub fn demarrer_ecriture(services: Arc<Services>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(mesureur) = services.mesureur.clone() else { return };
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            ecrire_minutes_passees(&mesureur, &services.store).await;
        }
    })
}

/// How long after a minute ends its measurements are looked at: every instance has
/// written it by then (each writes the minutes that are over every 5 s).
const PICS_APRES: i64 = 15;

/// Starts the detection of error spikes on the cluster's minutes, once across instances
/// (lease `pics`): each minute, once every instance has written it.
pub fn demarrer_pics(services: Arc<Services>) -> tokio::task::JoinHandle<()> {
    let vue = Arc::new(std::sync::atomic::AtomicI64::new(0));
    crate::app::grappe::sous_bail(services, "pics", Duration::from_secs(5), move |s| {
        let vue = vue.clone();
        async move {
            // the minutes before this one are over and written by every instance
            let fin = minute_de(s.clock.now() - chrono::Duration::seconds(PICS_APRES));
            let vu = vue.load(std::sync::atomic::Ordering::Relaxed);
            if vu >= fin {
                return;
            }
            // from the last minute looked at (by this holder; one minute back at first)
            let debut = if vu == 0 { fin - 60 } else { vu };
            let (Some(d), Some(f)) =
                (chrono::DateTime::from_timestamp(debut, 0), chrono::DateTime::from_timestamp(fin, 0))
            else {
                return;
            };
            detecter_pics_enregistres(&s, d, f).await;
            vue.store(fin, std::sync::atomic::Ordering::Relaxed);
        }
    })
}

/// Starts the purge of the measurements older than 13 months, hourly, once across
/// instances (lease `purge-sla`).
pub fn demarrer_purge(services: Arc<Services>) -> tokio::task::JoinHandle<()> {
    crate::app::grappe::sous_bail(services, "purge-sla", Duration::from_secs(3600), |s| async move {
        let avant = s.clock.now() - chrono::Months::new(CONSERVATION_MOIS);
        match s.store.sla_purger(avant).await {
            Ok(k) if k > 0 => tracing::info!(lignes = k, "mesures SLA de plus de 13 mois purgées"),
            Ok(_) => {}
            Err(e) => tracing::error!(erreur = %e, "purge des mesures SLA impossible"),
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

/// Starts the watch of deadlines (incidents, data breaches) and the notices it sends,
/// every `periode` (`DUDE_SLA_ECHEANCES_S`, a minute by default), once across instances
/// (lease `echeances`).
pub fn demarrer_echeances(services: Arc<Services>, periode: Duration) -> tokio::task::JoinHandle<()> {
    crate::app::grappe::sous_bail(services, "echeances", periode, |s| async move {
        if let Err(e) = super::gestion::surveiller_echeances(&s, s.clock.now()).await {
            tracing::error!(erreur = %e, "surveillance des échéances");
        }
    })
}
