//! Per-minute aggregates of partner calls: counts per status class and an HDR latency
//! histogram, keyed by minute, API, resource, convention and client. Pure data: the
//! core's `sla::agregat::Mesureur` fills them in memory, the store writes and reads them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hdrhistogram::Histogram;

use super::api::Api;

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

/// Start of the minute of `t`, Unix seconds.
pub fn minute_de(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60) * 60
}
