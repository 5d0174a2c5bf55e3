//! Liveness, readiness and metrics.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

/// The process answers.
#[utoipa::path(get, path = "/healthz", tag = "exploitation", responses((status = 200, description = "Vivant")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", tag = "exploitation", responses(
    (status = 200, description = "Prêt"), (status = 503, description = "Base de données injoignable")))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "base de données injoignable");
            (StatusCode::SERVICE_UNAVAILABLE, "base de données injoignable")
        }
    }
}

/// Metrics in the Prometheus text format: partner calls per API (counters, latency
/// histograms), the probes' last results, the adapters' counters. Aggregates only: no
/// personal data, no identifiers of persons.
#[utoipa::path(get, path = "/metrics", tag = "exploitation", responses(
    (status = 200, description = "Format texte Prometheus", content_type = "text/plain; version=0.0.4")))]
pub async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    if let Some(c) = &state.services().catalogue {
        crate::sla::metriques::adaptateurs(c);
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::sla::metriques::rendre())
}
