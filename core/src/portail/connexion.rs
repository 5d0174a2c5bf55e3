//! Signing in and out, and choosing the convention to act under.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::oidc::{self, Attente, Configuration};
use super::session::{Visiteur, cookie, cookie_efface, csrf_valide, egal};
use super::{AgentAffiche, Cadre, page};
use crate::app::AppState;
use crate::app::portail::{self, Connexion, Etat, IdentiteFournie, Session};
use crate::dossier::codes::Coded;
use crate::habilitation::connexion::RefusConnexion;

#[derive(Template)]
#[template(path = "portail/accueil.html")]
struct Accueil {
    cadre: Cadre,
}

#[derive(Template)]
#[template(path = "portail/refus.html")]
struct Refus {
    cadre: Cadre,
    motif: String,
    conseil: &'static str,
}

struct ConventionProposee {
    id: String,
    libelle: String,
    fin: String,
    choisie: bool,
}

#[derive(Template)]
#[template(path = "portail/convention.html")]
struct ChoixConvention {
    cadre: Cadre,
    csrf: String,
    conventions: Vec<ConventionProposee>,
}

/// The header's agent of a session, if signed in and still habilitated.
pub fn agent_affiche(state: &AppState, session: &Session) -> Option<AgentAffiche> {
    let a = portail::agent(state.services(), session).ok()?;
    let convention = portail::convention(&a, session).map(|c| c.libelle.clone());
    Some(AgentAffiche {
        prenom: a.agent.prenom.clone(),
        nom: a.agent.nom.clone(),
        role: a.agent.role.libelle(),
        organisation: a.organisation.nom.clone(),
        convention,
        plusieurs_conventions: a.conventions.len() > 1,
        administrateur: a.agent.role == crate::habilitation::agent::Role::Administrateur,
        dpo: a.agent.role == crate::habilitation::agent::Role::AuditeurDpo,
        csrf: session.csrf.clone(),
    })
}

/// `/`: the portal's home.
pub async fn accueil(State(state): State<AppState>, v: Visiteur) -> Response {
    let agent = v.session.as_ref().and_then(|s| agent_affiche(&state, s));
    let titre = if agent.is_some() { "Accueil" } else { "Connexion des agents" };
    page(StatusCode::OK, &Accueil { cadre: Cadre::new(&state, titre, agent) })
}

pub fn refus(state: &AppState, status: StatusCode, motif: String, conseil: &'static str) -> Response {
    // the reasons are phrases to compose ("votre habilitation…"): a title starts upper-case
    let mut c = motif.chars();
    let motif = c.next().map(|p| p.to_uppercase().chain(c).collect()).unwrap_or_default();
    page(status, &Refus { cadre: Cadre::new(state, "Connexion refusée", None), motif, conseil })
}

/// The provider and the portal's registration: the settings', or in demo mode DUDE's
/// demo provider.
fn configuration(state: &AppState, base: &str) -> Option<Configuration> {
    let p = &state.services().portail;
    let retour = format!("{base}/connexion/retour");
    match (&p.oidc_issuer, &p.oidc_client_id, &p.oidc_client_secret) {
        (Some(i), Some(id), Some(secret)) => {
            Some(Configuration { issuer: i.clone(), client_id: id.clone(), client_secret: secret.clone(), retour })
        }
        _ if state.services().portail.demo => Some(super::fournisseur_demo::configuration(base)),
        _ => None,
    }
}

/// `/connexion`: to the identity provider, in a new anonymous session holding the
/// sign-in's secrets.
pub async fn connexion(State(state): State<AppState>, v: Visiteur) -> Response {
    let Some(base) = v.base.clone() else {
        return refus(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            "Le portail n'est pas configuré : son adresse publique (DUDE_PORTAIL_URL) manque.".into(),
            "L'exploitant de DUDE doit renseigner l'adresse du portail et son fournisseur d'identité.",
        );
    };
    let Some(c) = configuration(&state, &base) else {
        return refus(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            "Le portail n'a pas de fournisseur d'identité configuré.".into(),
            "L'exploitant de DUDE doit renseigner DUDE_PORTAIL_OIDC_ISSUER et l'inscription du portail.",
        );
    };
    let (url, attente) = match oidc::autorisation(&c).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(erreur = %e, "fournisseur d'identité");
            return refus(
                &state,
                StatusCode::BAD_GATEWAY,
                "Le fournisseur d'identité ne répond pas.".into(),
                "Réessayez dans quelques minutes.",
            );
        }
    };
    if let Some(s) = &v.session {
        let _ = portail::fermer(state.services(), s).await;
    }
    let jeton = match portail::ouvrir(state.services(), serde_json::json!({"attente": attente})).await {
        Ok(j) => j,
        Err(e) => {
            tracing::error!(erreur = %e, "session du portail");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut r = Redirect::to(&url).into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie(&jeton, v.sur));
    r
}

#[derive(Debug, Deserialize)]
pub struct Retour {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `/connexion/retour`: the provider's answer; the person matched to their habilitated
/// agent, in a new session.
pub async fn retour(State(state): State<AppState>, v: Visiteur, Query(q): Query<Retour>) -> Response {
    let conseil = "Reprenez la connexion depuis la page d'accueil.";
    let (Some(session), Some(base)) = (&v.session, &v.base) else {
        return refus(&state, StatusCode::BAD_REQUEST, "Session de connexion absente ou expirée.".into(), conseil);
    };
    let attente: Option<Attente> = session.donnees.get("attente").and_then(|a| serde_json::from_value(a.clone()).ok());
    let Some(attente) = attente else {
        return refus(&state, StatusCode::BAD_REQUEST, "Aucune connexion en cours dans cette session.".into(), conseil);
    };
    if q.error.is_some() {
        return refus(
            &state,
            StatusCode::FORBIDDEN,
            "Le fournisseur d'identité n'a pas authentifié la personne.".into(),
            conseil,
        );
    }
    let etat_ok = q.state.as_deref().is_some_and(|s| egal(s, &attente.state));
    let Some(code) = q.code.filter(|_| etat_ok) else {
        return refus(
            &state,
            StatusCode::BAD_REQUEST,
            "Réponse du fournisseur d'identité invalide (state).".into(),
            conseil,
        );
    };
    let Some(c) = configuration(&state, base) else {
        return refus(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            "Le portail n'a pas de fournisseur d'identité configuré.".into(),
            conseil,
        );
    };
    let identite = match oidc::identite(&c, &attente, &code).await {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(erreur = %e, "connexion refusée : réponse du fournisseur");
            return refus(
                &state,
                StatusCode::FORBIDDEN,
                "La réponse du fournisseur d'identité n'a pas pu être vérifiée.".into(),
                conseil,
            );
        }
    };
    let fournie = IdentiteFournie {
        courriel: identite.courriel,
        acr: identite.acr,
        amr: identite.amr,
        id_token: Some(identite.id_token),
    };
    match portail::connecter(state.services(), session, fournie).await {
        Ok(Connexion::Ouverte { jeton, agent }) => {
            tracing::info!(agent = %agent.agent.identifiant, "connexion au portail");
            let vers = if agent.conventions.len() > 1 { "/convention" } else { "/" };
            let mut r = Redirect::to(vers).into_response();
            r.headers_mut().insert(header::SET_COOKIE, cookie(&jeton, v.sur));
            r
        }
        Ok(Connexion::Refusee(motif)) => {
            tracing::info!(motif = ?motif, "connexion au portail refusée");
            let mut r = refus(&state, StatusCode::FORBIDDEN, motif.to_string(), conseil_de(motif));
            r.headers_mut().insert(header::SET_COOKIE, cookie_efface(v.sur));
            r
        }
        Err(e) => {
            tracing::error!(erreur = %e, "session du portail");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

pub fn conseil_de(m: RefusConnexion) -> &'static str {
    match m {
        RefusConnexion::MfaRequise => {
            "Reconnectez-vous en choisissant la double authentification chez votre fournisseur d'identité."
        }
        RefusConnexion::NonCertifie => {
            "La certification s'obtient par la formation nominative ; l'administrateur de votre organisation l'enregistre."
        }
        _ => "Adressez-vous à l'administrateur des habilitations de votre organisation.",
    }
}

/// `GET /convention`: the conventions the agent may act under.
pub async fn choix_convention(State(state): State<AppState>, v: Visiteur) -> Response {
    let Some(session) = &v.session else {
        return Redirect::to("/connexion").into_response();
    };
    let a = match portail::agent(state.services(), session) {
        Ok(a) => a,
        Err(Etat::Anonyme | Etat::ConventionAChoisir) => return Redirect::to("/connexion").into_response(),
        Err(Etat::Refusee(m)) => return refus(&state, StatusCode::FORBIDDEN, m.to_string(), conseil_de(m)),
    };
    let conventions = a
        .conventions
        .iter()
        .map(|c| ConventionProposee {
            id: c.id.clone(),
            libelle: c.libelle.clone(),
            fin: c.fin.format("%d/%m/%Y").to_string(),
            choisie: session.convention_id.as_deref() == Some(c.id.as_str()),
        })
        .collect();
    let cadre = Cadre::new(&state, "Choisir la convention", agent_affiche(&state, session));
    page(StatusCode::OK, &ChoixConvention { cadre, csrf: session.csrf.clone(), conventions })
}

#[derive(Debug, Deserialize)]
pub struct FormConvention {
    csrf: Option<String>,
    convention: Option<String>,
}

pub fn formulaire_refuse(state: &AppState) -> Response {
    refus(
        state,
        StatusCode::FORBIDDEN,
        "Formulaire expiré ou falsifié (jeton anti-falsification absent ou invalide).".into(),
        "Rechargez la page et recommencez.",
    )
}

/// `POST /convention`.
pub async fn choisir_convention(State(state): State<AppState>, v: Visiteur, Form(f): Form<FormConvention>) -> Response {
    let Some(session) = &v.session else {
        return Redirect::to("/connexion").into_response();
    };
    if !csrf_valide(session, f.csrf.as_deref()) {
        return formulaire_refuse(&state);
    }
    match portail::choisir_convention(state.services(), session, f.convention.as_deref().unwrap_or("")).await {
        Ok(true) => Redirect::to("/").into_response(),
        Ok(false) => Redirect::to("/convention").into_response(),
        Err(e) => {
            tracing::error!(erreur = %e, "session du portail");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct FormDeconnexion {
    csrf: Option<String>,
}

/// `POST /deconnexion`: the session ends here, then at the provider.
pub async fn deconnexion(State(state): State<AppState>, v: Visiteur, Form(f): Form<FormDeconnexion>) -> Response {
    let Some(session) = &v.session else {
        return Redirect::to("/").into_response();
    };
    if !csrf_valide(session, f.csrf.as_deref()) {
        return formulaire_refuse(&state);
    }
    if let Err(e) = portail::fermer(state.services(), session).await {
        tracing::error!(erreur = %e, "session du portail");
    }
    let mut vers = "/".to_string();
    if let (Some(base), Some(id_token)) = (&v.base, session.donnees.get("idToken").and_then(|t| t.as_str()))
        && let Some(c) = configuration(&state, base)
        && let Some(fin) = oidc::fin_de_session(&c.issuer).await
    {
        let mut u = openidconnect::url::Url::parse(&fin)
            .unwrap_or_else(|_| openidconnect::url::Url::parse("http://invalide").expect("URL"));
        u.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("state", &session.csrf)
            .append_pair("post_logout_redirect_uri", &format!("{base}/"));
        vers = u.to_string();
    }
    let mut r = Redirect::to(&vers).into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie_efface(v.sur));
    r
}
