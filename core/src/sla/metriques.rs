//! Metrics in the Prometheus text format (`GET /metrics`): partner calls (counters and
//! latency histograms per API), the probes' last results, and the adapters' counters.
//! One recorder per process (the `metrics` facade), installed on first use.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use super::api::Api;
use dude_modele::dossier::codes::Coded;

static POIGNEE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Latency buckets, seconds: the 1 s of the target sits on a bound.
const SEAUX: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 6.0, 10.0];

/// Installs the process's recorder (once); `None` if another recorder was installed first.
pub fn installer() -> Option<&'static PrometheusHandle> {
    POIGNEE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().set_buckets(&SEAUX).ok()?.build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// One partner call.
pub fn appel(api: Api, ressource: &'static str, statut: u16, latence: Duration) {
    let classe = match statut {
        500.. => "5xx",
        400..=499 => "4xx",
        _ => "2xx",
    };
    metrics::counter!("dude_appels_total", "api" => api.code(), "ressource" => ressource, "classe" => classe)
        .increment(1);
    metrics::histogram!("dude_appels_duree_secondes", "api" => api.code()).record(latence.as_secs_f64());
}

/// The result of one probe.
pub fn sonde(cible: &str, ok: bool, latence: Duration) {
    metrics::gauge!("dude_sonde_disponible", "cible" => cible.to_string()).set(if ok { 1.0 } else { 0.0 });
    metrics::histogram!("dude_sonde_duree_secondes", "cible" => cible.to_string()).record(latence.as_secs_f64());
}

/// The adapters' counters, read at each scrape.
pub fn adaptateurs(catalogue: &crate::adaptateur::catalogue::Catalogue) {
    use std::sync::atomic::Ordering::Relaxed;
    for a in catalogue.tous() {
        let n = a.nom.clone();
        let c = &a.compteurs;
        metrics::gauge!("dude_adaptateur_travaux", "adaptateur" => n.clone()).set(c.travaux.load(Relaxed) as f64);
        metrics::gauge!("dude_adaptateur_echecs", "adaptateur" => n.clone()).set(c.echecs.load(Relaxed) as f64);
        metrics::gauge!("dude_adaptateur_pieges", "adaptateur" => n.clone()).set(c.pieges.load(Relaxed) as f64);
        metrics::gauge!("dude_adaptateur_quarantaine", "adaptateur" => n.clone()).set(if a.en_quarantaine() {
            1.0
        } else {
            0.0
        });
        metrics::gauge!("dude_adaptateur_charge_le_secondes", "adaptateur" => n, "version" => a.version.clone())
            .set(a.charge_le.timestamp() as f64);
    }
    let erreurs = catalogue.erreurs.read().map(|e| e.len()).unwrap_or(0);
    metrics::gauge!("dude_adaptateurs_fichiers_refuses").set(erreurs as f64);
}

/// Renders everything recorded.
pub fn rendre() -> String {
    installer().map(|h| h.render()).unwrap_or_default()
}
