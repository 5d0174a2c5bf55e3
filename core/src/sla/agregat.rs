//! Per-minute aggregates of partner calls, held in memory ([`Mesureur`]) until their
//! minute is over: counts per status class and an HDR latency histogram. No HTTP here:
//! the measuring layer ([`super::mesure`]) feeds them, the store writes them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hdrhistogram::Histogram;

use super::api::Api;
use crate::clock::SharedClock;

/// Latencies are recorded in microseconds, from 1 µs to 10 minutes, 3 significant digits.
pub fn histogramme() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid bounds")
}

/// The key of an aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cle {
    /// Start of the minute, Unix seconds.
    pub minute: i64,
    pub api: Api,
    pub ressource: &'static str,
    /// Empty when the call was not authenticated.
    pub convention: String,
    pub client: String,
}

/// Calls of one minute for one key.
#[derive(Debug, Clone)]
pub struct Agregat {
    pub nombre: u64,
    pub c2xx: u64,
    pub c4xx: u64,
    pub c5xx: u64,
    /// Answered in less than one second.
    pub sous_1s: u64,
    pub latences: Histogram<u64>,
}

impl Default for Agregat {
    fn default() -> Self {
        Self { nombre: 0, c2xx: 0, c4xx: 0, c5xx: 0, sous_1s: 0, latences: histogramme() }
    }
}

impl Agregat {
    pub fn ajouter(&mut self, statut: u16, latence: Duration) {
        self.nombre += 1;
        match statut {
            500.. => self.c5xx += 1,
            400..=499 => self.c4xx += 1,
            _ => self.c2xx += 1,
        }
        if latence < Duration::from_secs(1) {
            self.sous_1s += 1;
        }
        let us = (latence.as_micros() as u64).clamp(1, 600_000_000);
        self.latences.saturating_record(us);
    }

    pub fn fusionner(&mut self, autre: &Agregat) {
        self.nombre += autre.nombre;
        self.c2xx += autre.c2xx;
        self.c4xx += autre.c4xx;
        self.c5xx += autre.c5xx;
        self.sous_1s += autre.sous_1s;
        let _ = self.latences.add(&autre.latences);
    }
}

/// The in-memory aggregates of the current minutes.
#[derive(Clone)]
pub struct Mesureur {
    table: Arc<Mutex<HashMap<Cle, Agregat>>>,
    clock: SharedClock,
}

/// Start of the minute of `t`, Unix seconds.
pub fn minute_de(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60) * 60
}

impl Mesureur {
    pub fn new(clock: SharedClock) -> Self {
        Self { table: Default::default(), clock }
    }

    pub fn enregistrer(
        &self,
        api: Api,
        ressource: &'static str,
        appelant: Option<&(String, String)>,
        statut: u16,
        latence: Duration,
    ) {
        let (convention, client) = appelant.cloned().unwrap_or_default();
        let cle = Cle { minute: minute_de(self.clock.now()), api, ressource, convention, client };
        let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        t.entry(cle).or_default().ajouter(statut, latence);
    }

    /// Takes out the aggregates of the minutes before `minute` (those that are over).
    pub fn prendre_avant(&self, minute: i64) -> Vec<(Cle, Agregat)> {
        let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let cles: Vec<Cle> = t.keys().filter(|k| k.minute < minute).cloned().collect();
        cles.into_iter().filter_map(|k| t.remove(&k).map(|a| (k, a))).collect()
    }

    /// Takes out everything (at shutdown).
    pub fn tout_prendre(&self) -> Vec<(Cle, Agregat)> {
        self.prendre_avant(i64::MAX)
    }

    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn minutes_are_kept_apart_and_taken_out_once_over() {
        let t0 = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 2, 10, 0, 30).unwrap();
        let clock = FixedClock::new(t0);
        let m = Mesureur::new(Arc::new(clock.clone()));
        let a = ("conv-a".to_string(), "client-a".to_string());
        m.enregistrer(Api::RechercheUsager, "rechercher-usager", Some(&a), 200, Duration::from_millis(12));
        m.enregistrer(Api::RechercheUsager, "rechercher-usager", Some(&a), 404, Duration::from_millis(1500));
        m.enregistrer(Api::RechercheUsager, "rechercher-usager", None, 401, Duration::from_millis(3));
        clock.set(t0 + chrono::Duration::seconds(60));
        m.enregistrer(Api::StatutUsager, "statut", Some(&a), 503, Duration::from_millis(7));
        let sorties = m.prendre_avant(minute_de(t0 + chrono::Duration::seconds(60)));
        assert_eq!(sorties.len(), 2, "two keys in the first minute");
        let (_, ag) = sorties.iter().find(|(k, _)| k.client == "client-a").unwrap();
        assert_eq!((ag.nombre, ag.c2xx, ag.c4xx, ag.c5xx, ag.sous_1s), (2, 1, 1, 0, 1));
        assert_eq!(ag.latences.len(), 2);
        assert!(ag.latences.value_at_quantile(1.0) >= 1_499_000);
        assert_eq!(m.prendre_avant(minute_de(t0 + chrono::Duration::seconds(60))).len(), 0, "taken once");
        let reste = m.tout_prendre();
        assert_eq!(reste.len(), 1);
        assert_eq!(reste[0].1.c5xx, 1);
    }
}
