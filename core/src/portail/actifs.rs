//! The portal's static assets, carried by the binary: the DSFR's files (from the npm
//! package, listed by `build.rs`), DUDE's neutral stylesheet and the portal's own.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;

include!(concat!(env!("OUT_DIR"), "/dsfr.rs"));

/// DUDE's own stylesheets.
const NEUTRE: &str = include_str!("../../portail/neutre.css");
const PORTAIL: &str = include_str!("../../portail/portail.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/dsfr/{*chemin}", get(dsfr))
        .route("/static/neutre.css", get(|| async { feuille(NEUTRE) }))
        .route("/static/portail.css", get(|| async { feuille(PORTAIL) }))
}

fn type_de(chemin: &str) -> &'static str {
    match chemin.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn reponse(type_: &'static str, corps: &'static [u8]) -> Response {
    let mut r = corps.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(type_));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

fn feuille(css: &'static str) -> Response {
    reponse("text/css; charset=utf-8", css.as_bytes())
}

async fn dsfr(Path(chemin): Path<String>) -> Response {
    match DSFR.iter().find(|(nom, _)| *nom == chemin) {
        Some((nom, corps)) => reponse(type_de(nom), corps),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
