//! The background tasks of SLA monitoring: writing the minutes that are over (every few
//! seconds, so the request path never writes), purging beyond 13 months, and the probes.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;

use super::mesure::{Mesureur, minute_de};
use crate::api::Services;
use crate::store::Store;

/// How long the aggregates are kept.
pub const CONSERVATION_MOIS: u32 = 13;

/// Writes the minutes that are over; returns how many keys were written.
pub async fn ecrire_minutes_passees(mesureur: &Mesureur, store: &Store) -> usize {
    let lot = mesureur.prendre_avant(minute_de(mesureur.clock().now()));
    let n = lot.len();
    if let Err(e) = store.sla_ecrire_minutes(&lot).await {
        // kept in the log only: a lost minute of measurements does not stop the service
        tracing::error!(erreur = %e, cles = n, "mesures SLA non enregistrées");
        return 0;
    }
    n
}

/// Starts the writer: every 5 s the minutes that are over; every hour, the purge.
pub fn demarrer_ecriture(mesureur: Mesureur, store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut n = 0u64;
        loop {
            tick.tick().await;
            ecrire_minutes_passees(&mesureur, &store).await;
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

/// Starts the probes every `intervalle`; probes failing for a few minutes open an
/// availability incident, which their success restores.
pub fn demarrer_sondes(services: Arc<Services>, router: Router, intervalle: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(intervalle);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut echecs = std::collections::HashMap::new();
        loop {
            tick.tick().await;
            let now = services.clock.now();
            let r = super::sonde::sonder(&services, router.clone(), now).await;
            if let Err(e) = super::gestion::suivre_sondes(&services, &r, &mut echecs, now).await {
                tracing::error!(erreur = %e, "suivi des sondes");
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
