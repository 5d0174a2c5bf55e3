//! The HTML edge: the agents' portal. Server-rendered pages in French (askama templates in
//! `core/templates/portail/`), with the State's design system (DSFR, from the official npm
//! package, served by DUDE itself) or, for an operator that is not a State service, DUDE's
//! neutral stylesheet; every page works without JavaScript. Sign-in through OpenID
//! Connect (ProConnect; in demo mode, a demo provider), server-side sessions, a CSRF token
//! on every form, a Content-Security-Policy with no inline script and no third party.
//!
//! **Invariant:** like `api`, a handler parses, calls the application's use cases (the
//! same as the API's), and renders; it never reaches the store.

pub mod actifs;
pub mod administration;
pub mod connexion;
pub mod diagnostic;
pub mod dossier;
pub mod fournisseur_demo;
pub mod listes;
pub mod oidc;
pub mod recherche;
pub mod reference;
pub mod session;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;

/// What every page's frame shows.
#[derive(Debug, Clone)]
pub struct Cadre {
    pub titre: String,
    /// The State's design system (else DUDE's neutral stylesheet).
    pub dsfr: bool,
    /// The signed-in agent, when there is one.
    pub agent: Option<AgentAffiche>,
}

/// The signed-in agent, as the header shows them.
#[derive(Debug, Clone)]
pub struct AgentAffiche {
    pub prenom: String,
    pub nom: String,
    pub role: &'static str,
    pub organisation: String,
    /// The convention acted under (its label), when chosen.
    pub convention: Option<String>,
    pub plusieurs_conventions: bool,
    /// An administrator (the SLA page) or a data protection officer (access reports).
    pub administrateur: bool,
    pub dpo: bool,
    /// The session's CSRF token, for the sign-out form.
    pub csrf: String,
}

impl Cadre {
    pub fn new(state: &AppState, titre: impl Into<String>, agent: Option<AgentAffiche>) -> Self {
        Self { titre: titre.into(), dsfr: !state.services().portail.neutre, agent }
    }
}

/// A choice offered by a form, as a radio button or an option.
pub struct Choix {
    pub code: std::borrow::Cow<'static, str>,
    pub libelle: std::borrow::Cow<'static, str>,
    pub choisi: bool,
}

/// The choices of a code list, `valeur` chosen.
pub fn choix<T: crate::dossier::codes::Coded + PartialEq>(valeur: Option<T>) -> Vec<Choix> {
    T::ALL
        .iter()
        .map(|v| Choix { code: v.code().into(), libelle: v.libelle().into(), choisi: Some(*v) == valeur })
        .collect()
}

/// A page: the template rendered, with the portal's headers.
pub fn page(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(erreur = %e, "gabarit");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><html lang=\"fr\"><title>Erreur</title><p>Erreur interne</p></html>".to_string()),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "portail/introuvable.html")]
struct Introuvable {
    cadre: Cadre,
}

#[derive(Template)]
#[template(path = "portail/erreur.html")]
struct PageErreur {
    cadre: Cadre,
    titre: &'static str,
    message: String,
}

/// The page answering a use case's error, mapped once here as the API maps it to a
/// problem document: an unknown or foreign person is "inconnu" (like S002), a refusal
/// gives its reason, a store or journal failure is logged and shown without detail.
pub fn erreur(state: &AppState, c: &session::Connecte, e: crate::app::AppError) -> Response {
    use crate::app::AppError as E;
    use crate::dossier::codes::Coded;
    let (status, titre, message) = match &e {
        E::HorsPerimetre | E::IdNational(_) | E::IdNonReconnu(_) | E::JetonUsager(_) => (
            StatusCode::NOT_FOUND,
            "Personne inconnue",
            "Aucune personne de votre périmètre ne correspond à cette adresse.".to_string(),
        ),
        E::Refus(m) => (StatusCode::FORBIDDEN, "Accès refusé", format!("Accès refusé : {}.", m.libelle())),
        E::Interdit(m) => (StatusCode::FORBIDDEN, "Accès refusé", m.clone()),
        E::Invalide { message, .. } => (StatusCode::UNPROCESSABLE_ENTITY, "Saisie invalide", message.clone()),
        E::Conflit(m) => (StatusCode::CONFLICT, "Modification impossible", m.clone()),
        E::Inconnu(m) => (StatusCode::NOT_FOUND, "Introuvable", m.clone()),
        _ => {
            tracing::error!(erreur = %e, "portail");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service indisponible",
                "Le service n'a pas pu répondre ; réessayez dans un instant.".to_string(),
            )
        }
    };
    page(status, &PageErreur { cadre: Cadre::new(state, titre, Some(c.agent.clone())), titre, message })
}

/// The answer to an unknown address for a browser (one that accepts `text/html`): a page,
/// with the portal's headers; the API answers its problem document to the others.
pub fn introuvable(state: &AppState, headers: &axum::http::HeaderMap) -> Option<Response> {
    let html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.split(',').any(|m| m.trim().starts_with("text/html")));
    if !html {
        return None;
    }
    let mut r = page(StatusCode::NOT_FOUND, &Introuvable { cadre: Cadre::new(state, "Page introuvable", None) });
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Some(r)
}

/// The portal's routes; `openapi` is the document the API edge serves (for `/api`).
pub fn router(state: &AppState, openapi: reference::DocumentOpenApi) -> Router<AppState> {
    let mut r = Router::new()
        .route("/", get(connexion::accueil))
        .route("/api", get(reference::page_reference).layer(axum::Extension(openapi)))
        .route("/connexion", get(connexion::connexion))
        .route("/connexion/retour", get(connexion::retour))
        .route("/convention", get(connexion::choix_convention).post(connexion::choisir_convention))
        .route("/recherche", get(recherche::formulaire).post(recherche::rechercher))
        .route("/dossiers/{id}", get(dossier::consulter))
        .route("/listes", get(listes::page_listes))
        .route("/listes/csv", get(listes::csv))
        .route("/dpo", get(administration::dpo).post(administration::dpo_rechercher))
        .route("/dpo/dossiers/{id}", get(administration::rapport_acces))
        .route("/dpo/dossiers/{id}/acces.csv", get(administration::rapport_acces_csv))
        .route("/sla", get(administration::sla))
        .route("/dossiers/{id}/diagnostic", get(diagnostic::formulaire).post(diagnostic::enregistrer))
        .route("/deconnexion", axum::routing::post(connexion::deconnexion))
        .layer(axum::middleware::from_fn(entetes_de_page))
        .merge(actifs::router());
    if state.services().portail.demo {
        r = r.nest("/demo-oidc", fournisseur_demo::router().layer(axum::middleware::from_fn(entetes_de_page)));
    }
    r
}

/// The Content-Security-Policy of the pages: DUDE's own resources only, no inline script,
/// never framed; forms post to DUDE only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// Headers of every page: CSP, no sniffing, no referrer outside, no caching of pages that
/// may hold personal data.
async fn entetes_de_page(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    // a page may narrow it further or allow one inline block by its hash (the SLA page)
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    r
}
