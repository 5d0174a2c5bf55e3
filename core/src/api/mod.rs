//! The HTTP edge: axum routers, DTOs, problem responses, OpenAPI.

pub mod admin;
pub mod authenticated;
pub mod extract;
pub mod francetravail;
pub mod health;
pub mod mesure;
pub mod oauth;
pub mod openapi;
pub mod partenaire;
pub mod problem;
pub mod serveur;
pub mod sondes;

use axum::Router;
use axum::extract::State;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use crate::app::{AppState, Services};

/// The whole application.
pub fn router(state: AppState) -> Router {
    let x_request_id = axum::http::HeaderName::from_static("x-request-id");
    // Every partner call is measured (SLA), off the request path's I/O, on both surfaces.
    let surface = |r: Router<AppState>| {
        let r = r.layer(axum::middleware::from_fn_with_state(state.clone(), entetes_de_version));
        match state.services().mesureur.clone() {
            Some(m) => r.layer(axum::middleware::from_fn_with_state(m, mesure::mesurer)),
            None => r,
        }
    };
    let partenaires = surface(partenaire::router());
    let live = surface(francetravail::router());
    Router::new()
        .merge(crate::portail::router(
            &state,
            crate::portail::reference::DocumentOpenApi(std::sync::Arc::new(openapi::document())),
        ))
        .merge(health::router())
        .merge(openapi::router())
        .merge(oauth::router())
        .nest("/partenaire/v1", partenaires)
        .nest("/partenaire", live)
        .nest("/admin/v1", admin::router())
        .route("/admin/sla", axum::routing::get(admin::sla::page))
        .fallback(|State(state): State<AppState>, headers: axum::http::HeaderMap| async move {
            // a browser gets the portal's page, a client the problem document
            crate::portail::introuvable(&state, &headers)
                .unwrap_or_else(|| axum::response::IntoResponse::into_response(problem::ApiError::UnknownRoute))
        })
        .method_not_allowed_fallback(|| async { problem::ApiError::MethodNotAllowed })
        .with_state(state)
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        // Spans carry the method and the route's template only, never the path or the
        // query as sent (a NIR sent in place of an id would be logged).
        .layer(TraceLayer::new_for_http().make_span_with(span_de_requete))
        .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
        .layer(axum::middleware::from_fn(identifiant_de_requete))
}

/// The span of a request: method, route template, request id.
fn span_de_requete(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = req.extensions().get::<axum::extract::MatchedPath>().map_or("(aucune)", |m| m.as_str());
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("requete", methode = %req.method(), route, request_id = id)
}

/// A request id is the caller's when it is a plain token (letters, digits, `-`, `_`,
/// `.`, 8 to 64 of them) that cannot hold a NIR (no run of 12 digits); otherwise one is
/// made: it is logged and journaled, and a caller might put anything there.
async fn identifiant_de_requete(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let sur = |v: &str| {
        (8..=64).contains(&v.len())
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !v.as_bytes().windows(12).any(|w| w.iter().all(|b| b.is_ascii_digit() || matches!(b, b'A' | b'B')))
    };
    if req.headers().get("x-request-id").is_some_and(|v| !v.to_str().is_ok_and(sur)) {
        req.headers_mut().remove("x-request-id");
    }
    next.run(req).await
}

/// The version a partner route belongs to (its route template): `v1` for the seed-named
/// surface, `<api>.<vN>` for France Travail's (`rechercher-usager.v2`).
pub fn version_de(motif: &str) -> Option<String> {
    let reste = motif.strip_prefix("/partenaire/")?;
    if reste.starts_with("v1/") {
        return Some("v1".into());
    }
    let mut parties = reste.split('/');
    let (api, version) = (parties.next()?, parties.next()?);
    (version.len() >= 2 && version.starts_with('v') && version[1..].bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{api}.{version}"))
}

/// A deprecated API version answers with `Deprecation` and `Sunset` (RFC 9745, RFC 8594).
async fn entetes_de_version(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let version = req.extensions().get::<axum::extract::MatchedPath>().and_then(|m| version_de(m.as_str()));
    let mut rep = next.run(req).await;
    let entetes = version.and_then(|v| state.services().versions.entetes(&v, state.clock().now()));
    if let Some((deprecation, sunset)) = entetes {
        for (nom, valeur) in [("deprecation", deprecation), ("sunset", sunset)] {
            if let Ok(v) = axum::http::HeaderValue::from_str(&valeur) {
                rep.headers_mut().insert(nom, v);
            }
        }
    }
    rep
}
