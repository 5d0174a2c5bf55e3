//! The HTTP edge: axum routers, DTOs, problem responses, OpenAPI.

pub mod admin;
pub mod caller;
pub mod health;
pub mod json;
pub mod openapi;
pub mod partenaire;
pub mod problem;

use std::sync::Arc;

use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::clock::SharedClock;
use crate::crypto::id_national::IdNationalCodec;
use crate::habilitation::StaticTokens;
use crate::store::Store;

struct Inner {
    store: Store,
    ids: IdNationalCodec,
    clock: SharedClock,
    tokens: StaticTokens,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(store: Store, ids: IdNationalCodec, clock: SharedClock, tokens: StaticTokens) -> Self {
        Self(Arc::new(Inner { store, ids, clock, tokens }))
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
    pub fn tokens(&self) -> &StaticTokens {
        &self.0.tokens
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let x_request_id = axum::http::HeaderName::from_static("x-request-id");
    Router::new()
        .merge(health::router())
        .merge(openapi::router())
        .nest("/partenaire/v1", partenaire::router())
        .nest("/admin/v1", admin::router())
        .with_state(state)
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        // Spans carry method, path and status only: paths hold encrypted ids, never a NIR.
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
}
