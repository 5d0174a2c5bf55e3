//! The in-memory aggregates of partner calls ([`Mesureur`]) until their minute is over.
//! The aggregates themselves are the model's (`dude_modele::sla::agregat`, re-exported);
//! the measuring layer (`api::mesure`) feeds them, the store writes them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use dude_modele::sla::agregat::*;

use super::api::Api;
use crate::clock::SharedClock;

/// The in-memory aggregates of the current minutes.
#[derive(Clone)]
pub struct Mesureur {
    table: Arc<Mutex<HashMap<Cle, Agregat>>>,
    clock: SharedClock,
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
        let t0 = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 2, 10, 0, 30).unwrap();
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
