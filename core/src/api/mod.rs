//! The HTTP edge: axum routers, DTOs, problem responses, OpenAPI.

pub mod admin;
pub mod caller;
pub mod extract;
pub mod health;
pub mod oauth;
pub mod openapi;
pub mod partenaire;
pub mod problem;
pub mod serveur;

use std::sync::Arc;

use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::clock::SharedClock;
use crate::crypto::id_national::IdNationalCodec;
use crate::habilitation::AdminTokens;
use crate::crypto::secrets::SecretHasher;
use crate::habilitation::jeton::Emetteur;
use crate::habilitation::gardien::Gardien;
use crate::journal::Journal;
use crate::store::Store;

/// Everything the handlers share.
pub struct Services {
    pub store: Store,
    pub ids: IdNationalCodec,
    pub clock: SharedClock,
    pub gardien: Arc<Gardien>,
    pub emetteur: Emetteur,
    pub secrets: SecretHasher,
    pub journal: Journal,
    pub admins: AdminTokens,
    pub oidc: Option<crate::habilitation::oidc::Oidc>,
    /// Loaded department adapters, when a plugins directory is configured.
    pub catalogue: Option<Arc<crate::plugin::catalogue::Catalogue>>,
    /// Per-minute measurement of partner calls (`None`: the measuring layer is off).
    pub mesureur: Option<crate::sla::agregat::Mesureur>,
    /// API versions and their sunsets (Deprecation/Sunset headers).
    pub versions: crate::sla::gestion::Versions,
    /// How long a client may take to send a request.
    pub delais_http: extract::DelaisHttp,
    /// This instance, in the heartbeats (a new one at each start).
    pub instance: String,
}

/// Failures at start-up.
#[derive(Debug, thiserror::Error)]
pub enum DemarrageError {
    #[error(transparent)]
    Habilitations(#[from] crate::habilitation::gardien::ReloadError),
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
}

impl Services {
    /// Loads the habilitations (with the known-answer check of the rules) and starts the
    /// journal writer.
    pub async fn demarrer(
        store: Store,
        master: &crate::crypto::keys::MasterKey,
        clock: SharedClock,
        admins: AdminTokens,
        authz_dir: Option<std::path::PathBuf>,
        token_ttl_s: i64,
        oidc: Option<crate::habilitation::oidc::OidcConfig>,
    ) -> Result<Self, DemarrageError> {
        let gardien = Arc::new(Gardien::charger(&store, authz_dir).await?);
        let (journal, _writer) = Journal::demarrer(store.clone()).await?;
        crate::sla::metriques::installer();
        let s = Self {
            versions: Default::default(),
            mesureur: Some(crate::sla::agregat::Mesureur::new(clock.clone())),
            ids: IdNationalCodec::new(master),
            emetteur: Emetteur::new(master, token_ttl_s),
            secrets: SecretHasher::new(master),
            store,
            clock,
            gardien,
            journal,
            admins,
            oidc: oidc.map(crate::habilitation::oidc::Oidc::new),
            catalogue: None,
            delais_http: Default::default(),
            instance: uuid::Uuid::new_v4().to_string(),
        };
        if let Err(e) = s.versions.recharger(&s).await {
            tracing::error!(erreur = %e, "versions d'API illisibles");
        }
        Ok(s)
    }
}

impl Services {
    /// With the adapters of a catalogue.
    pub fn avec_catalogue(mut self, c: Arc<crate::plugin::catalogue::Catalogue>) -> Self {
        self.catalogue = Some(c);
        self
    }

    /// Without the measuring layer (benchmarks of its cost).
    pub fn sans_mesure(mut self) -> Self {
        self.mesureur = None;
        self
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
    pub fn store(&self) -> &Store {
        &self.0.store
    }
    pub fn ids(&self) -> &IdNationalCodec {
        &self.0.ids
    }
    pub fn clock(&self) -> &SharedClock {
        &self.0.clock
    }
    pub fn services(&self) -> &Services {
        &self.0
    }
    /// The shared services, for background tasks.
    pub fn partage(&self) -> Arc<Services> {
        self.0.clone()
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let x_request_id = axum::http::HeaderName::from_static("x-request-id");
    // Every partner call is measured (SLA), off the request path's I/O.
    let partenaires =
        partenaire::router().layer(axum::middleware::from_fn_with_state(state.clone(), entetes_de_version));
    let partenaires = match state.services().mesureur.clone() {
        Some(m) => partenaires.layer(axum::middleware::from_fn_with_state(m, crate::sla::mesure::mesurer)),
        None => partenaires,
    };
    Router::new()
        .merge(health::router())
        .merge(openapi::router())
        .merge(oauth::router())
        .nest("/partenaire/v1", partenaires)
        .nest("/admin/v1", admin::router())
        .route("/admin/sla", axum::routing::get(admin::sla::page))
        .fallback(|| async { problem::ApiError::RouteInconnue })
        .method_not_allowed_fallback(|| async { problem::ApiError::MethodeNonPermise })
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

/// A deprecated API version answers with `Deprecation` and `Sunset` (RFC 9745, RFC 8594).
async fn entetes_de_version(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut rep = next.run(req).await;
    if let Some((deprecation, sunset)) = state.services().versions.entetes("v1", state.clock().now()) {
        for (nom, valeur) in [("deprecation", deprecation), ("sunset", sunset)] {
            if let Ok(v) = axum::http::HeaderValue::from_str(&valeur) {
                rep.headers_mut().insert(nom, v);
            }
        }
    }
    rep
}
