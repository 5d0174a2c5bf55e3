//! The demo identity provider, in demo mode only (`dude serve --demo`): an OpenID Connect
//! provider shaped like ProConnect — discovery, authorization code with PKCE, ID token
//! and userinfo signed (ES256, ProConnect's default), `acr`/`amr` — whose sign-in page
//! lists the demo agents, so that a newcomer signs in as each of them from the first
//! command. The portal's client speaks to it exactly as to ProConnect. Its key and
//! client secret are made at each start; its codes live a minute, in memory.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::oidc::Configuration;
use super::{Cadre, page};
use crate::app::AppState;
use crate::habilitation::agent::Role;

const CLIENT_ID: &str = "dude-portail-demo";
const CHEMIN: &str = "/demo-oidc";
const KID: &str = "demo-1";

struct Fournisseur {
    cle: jsonwebtoken::EncodingKey,
    jwk: serde_json::Value,
    secret: String,
    codes: Mutex<HashMap<String, (Instant, Autorisation)>>,
    acces: Mutex<HashMap<String, (Instant, Autorisation)>>,
}

#[derive(Debug, Clone)]
struct Autorisation {
    courriel: String,
    nom: String,
    prenom: String,
    uid: String,
    nonce: Option<String>,
    challenge: Option<String>,
    redirect_uri: String,
    mfa: bool,
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn aleatoire() -> String {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).expect("system randomness");
    b64(&b)
}

fn fournisseur() -> &'static Fournisseur {
    static F: OnceLock<Fournisseur> = OnceLock::new();
    F.get_or_init(|| {
        use p256::pkcs8::EncodePrivateKey;
        let cle = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
        let der = cle.to_pkcs8_der().expect("PKCS#8");
        let point = cle.verifying_key().to_encoded_point(false);
        let jwk = serde_json::json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": KID,
            "x": b64(point.x().expect("uncompressed point")), "y": b64(point.y().expect("uncompressed point")),
        });
        Fournisseur {
            cle: jsonwebtoken::EncodingKey::from_ec_der(der.as_bytes()),
            jwk,
            secret: aleatoire(),
            codes: Mutex::new(HashMap::new()),
            acces: Mutex::new(HashMap::new()),
        }
    })
}

/// The portal's registration with the demo provider at `base`.
pub fn configuration(base: &str) -> Configuration {
    Configuration {
        issuer: format!("{base}{CHEMIN}"),
        client_id: CLIENT_ID.into(),
        client_secret: fournisseur().secret.clone(),
        retour: format!("{base}/connexion/retour"),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/openid-configuration", get(decouverte))
        .route("/jwks", get(|| async { Json(serde_json::json!({"keys": [fournisseur().jwk]})) }))
        .route("/authorize", get(page_de_connexion).post(autoriser))
        .route("/token", axum::routing::post(jeton))
        .route("/userinfo", get(userinfo))
        .route("/session/end", get(fin_de_session))
}

fn base(state: &AppState, headers: &HeaderMap) -> Option<String> {
    super::session::adresse(state, headers).0
}

async fn decouverte(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(b) = base(&state, &headers) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let i = format!("{b}{CHEMIN}");
    Json(serde_json::json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "userinfo_endpoint": format!("{i}/userinfo"),
        "jwks_uri": format!("{i}/jwks"),
        "end_session_endpoint": format!("{i}/session/end"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "userinfo_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "given_name", "usual_name", "email", "uid", "siret", "idp_id"],
        "claims_supported": ["sub", "given_name", "usual_name", "email", "uid", "siret", "idp_id", "acr", "amr"],
        "acr_values_supported": ["eidas1", "eidas1-mfa"],
        "claims_parameter_supported": true,
    }))
    .into_response()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Demande {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    claims: Option<String>,
}

struct AgentPropose {
    courriel: String,
    nom: String,
    prenom: String,
    role: &'static str,
    organisation: String,
}

#[derive(Template)]
#[template(path = "portail/fournisseur_demo.html")]
struct PageConnexion {
    cadre: Cadre,
    action: String,
    demande: String,
    agents: Vec<AgentPropose>,
}

/// What is wrong with a request to the provider (the answer is made at the end).
struct Invalide(String);

impl IntoResponse for Invalide {
    fn into_response(self) -> Response {
        invalide(&self.0)
    }
}

fn invalide(quoi: &str) -> Response {
    (StatusCode::BAD_REQUEST, format!("demande d'autorisation invalide : {quoi}")).into_response()
}

fn verifier(state: &AppState, headers: &HeaderMap, d: &Demande) -> Result<(), Invalide> {
    let non = |q: &str| Err(Invalide(q.into()));
    let Some(b) = base(state, headers) else {
        return non("adresse");
    };
    if d.client_id.as_deref() != Some(CLIENT_ID) {
        return non("client_id");
    }
    if d.response_type.as_deref() != Some("code") {
        return non("response_type");
    }
    if d.redirect_uri.as_deref() != Some(&format!("{b}/connexion/retour")) {
        return non("redirect_uri");
    }
    if d.state.as_deref().is_none_or(|s| s.len() < 32) || d.nonce.as_deref().is_none_or(|s| s.len() < 32) {
        return non("state et nonce de 32 caractères au moins");
    }
    if d.code_challenge.is_some() && d.code_challenge_method.as_deref() != Some("S256") {
        return non("code_challenge_method");
    }
    Ok(())
}

async fn page_de_connexion(State(state): State<AppState>, headers: HeaderMap, Query(d): Query<Demande>) -> Response {
    if let Err(r) = verifier(&state, &headers, &d) {
        return r.into_response();
    }
    let g = state.services().gardien.courant();
    let mut agents: Vec<AgentPropose> = g
        .registre
        .agents
        .values()
        .filter(|a| a.role != Role::Batch)
        .filter_map(|a| {
            Some(AgentPropose {
                courriel: a.courriel.clone()?,
                nom: a.nom.clone(),
                prenom: a.prenom.clone(),
                role: crate::dossier::codes::Coded::libelle(a.role),
                organisation: g
                    .registre
                    .organisations
                    .get(&a.organisation_id)
                    .map_or(a.organisation_id.clone(), |o| o.nom.clone()),
            })
        })
        .collect();
    agents.sort_by(|a, b| a.courriel.cmp(&b.courriel));
    let demande = b64(serde_json::to_string(&d).expect("JSON").as_bytes());
    let cadre = Cadre::new(&state, "Connexion de démonstration", None);
    page(StatusCode::OK, &PageConnexion { cadre, action: format!("{CHEMIN}/authorize"), demande, agents })
}

#[derive(Debug, Deserialize)]
pub struct Choix {
    demande: String,
    courriel: String,
    mfa: Option<String>,
}

async fn autoriser(State(state): State<AppState>, headers: HeaderMap, Form(c): Form<Choix>) -> Response {
    let d: Option<Demande> = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&c.demande)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let Some(d) = d else {
        return invalide("demande");
    };
    if let Err(r) = verifier(&state, &headers, &d) {
        return r.into_response();
    }
    let g = state.services().gardien.courant();
    let Some(a) = g.registre.agents.values().find(|a| a.courriel.as_deref() == Some(c.courriel.as_str())) else {
        return invalide("agent");
    };
    let code = aleatoire();
    let auto = Autorisation {
        courriel: c.courriel.clone(),
        nom: a.nom.clone(),
        prenom: a.prenom.clone(),
        uid: a.identifiant.clone(),
        nonce: d.nonce.clone(),
        challenge: d.code_challenge.clone(),
        redirect_uri: d.redirect_uri.clone().unwrap_or_default(),
        mfa: c.mfa.as_deref() == Some("oui"),
    };
    fournisseur().codes.lock().expect("codes").insert(code.clone(), (Instant::now(), auto));
    let mut u = openidconnect::url::Url::parse(d.redirect_uri.as_deref().unwrap_or_default()).expect("checked above");
    u.query_pairs_mut().append_pair("code", &code).append_pair("state", d.state.as_deref().unwrap_or_default());
    Redirect::to(u.as_str()).into_response()
}

#[derive(Debug, Deserialize)]
pub struct DemandeJeton {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code_verifier: Option<String>,
}

fn erreur_oauth(code: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": code}))).into_response()
}

fn signer(claims: &serde_json::Value) -> String {
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    h.kid = Some(KID.into());
    jsonwebtoken::encode(&h, claims, &fournisseur().cle).expect("ES256 signature")
}

async fn jeton(State(state): State<AppState>, headers: HeaderMap, Form(j): Form<DemandeJeton>) -> Response {
    let f = fournisseur();
    if j.client_id.as_deref() != Some(CLIENT_ID) || j.client_secret.as_deref() != Some(f.secret.as_str()) {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({"error": "invalid_client"}))).into_response();
    }
    if j.grant_type.as_deref() != Some("authorization_code") {
        return erreur_oauth("unsupported_grant_type");
    }
    let Some((t, a)) = j.code.as_ref().and_then(|c| f.codes.lock().expect("codes").remove(c)) else {
        return erreur_oauth("invalid_grant");
    };
    if t.elapsed() > Duration::from_secs(60) || j.redirect_uri.as_deref() != Some(a.redirect_uri.as_str()) {
        return erreur_oauth("invalid_grant");
    }
    if let Some(ch) = &a.challenge {
        let v = j.code_verifier.as_deref().unwrap_or("");
        if b64(&Sha256::digest(v.as_bytes())) != *ch {
            return erreur_oauth("invalid_grant");
        }
    }
    let Some(b) = base(&state, &headers) else {
        return erreur_oauth("invalid_request");
    };
    let maintenant = chrono::Utc::now().timestamp();
    let (acr, amr) = if a.mfa { ("eidas1-mfa", vec!["pwd", "otp", "mfa"]) } else { ("eidas1", vec!["pwd"]) };
    let id_token = signer(&serde_json::json!({
        "iss": format!("{b}{CHEMIN}"), "sub": sujet(&a.courriel), "aud": CLIENT_ID,
        "iat": maintenant, "exp": maintenant + 300, "nonce": a.nonce, "acr": acr, "amr": amr,
    }));
    let acces = aleatoire();
    f.acces.lock().expect("accès").insert(acces.clone(), (Instant::now(), a));
    let mut r = Json(serde_json::json!({
        "access_token": acces, "token_type": "Bearer", "expires_in": 60, "id_token": id_token,
    }))
    .into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The subject: one per person and client, as ProConnect's.
fn sujet(courriel: &str) -> String {
    hex::encode(&Sha256::digest(format!("{CLIENT_ID}:{courriel}").as_bytes())[..16])
}

async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let jeton =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let a = jeton.and_then(|j| fournisseur().acces.lock().expect("accès").get(j).cloned());
    let Some((_, a)) = a.filter(|(t, _)| t.elapsed() < Duration::from_secs(60)) else {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")])
            .into_response();
    };
    let Some(b) = base(&state, &headers) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let jwt = signer(&serde_json::json!({
        "iss": format!("{b}{CHEMIN}"), "aud": CLIENT_ID, "sub": sujet(&a.courriel),
        "email": a.courriel, "given_name": a.prenom, "usual_name": a.nom, "uid": a.uid,
        "siret": "00000000000000", "idp_id": "dude-demo",
    }));
    ([(header::CONTENT_TYPE, "application/jwt")], jwt).into_response()
}

#[derive(Debug, Deserialize)]
pub struct Fin {
    state: Option<String>,
    post_logout_redirect_uri: Option<String>,
}

async fn fin_de_session(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Fin>) -> Response {
    let b = base(&state, &headers).unwrap_or_default();
    match q.post_logout_redirect_uri {
        Some(u) if u == format!("{b}/") => {
            let mut u = openidconnect::url::Url::parse(&u).expect("checked");
            if let Some(s) = q.state {
                u.query_pairs_mut().append_pair("state", &s);
            }
            Redirect::to(u.as_str()).into_response()
        }
        _ => invalide("post_logout_redirect_uri"),
    }
}
