//! The portal's OpenID Connect client, as ProConnect wants it: discovery, authorization
//! code with PKCE (S256), `state` and `nonce` of 43 characters, the scopes
//! `openid given_name usual_name email uid siret idp_id`, `acr`/`amr` asked for in
//! `claims`, the client secret in the body (`client_secret_post`), the ID token verified
//! (signature, issuer, audience, expiry, nonce), and the userinfo answered as a signed
//! JWT (`application/jwt`) verified against the provider's keys.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};

/// The provider and the portal's registration with it.
#[derive(Debug, Clone)]
pub struct Configuration {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends the agent back (`…/connexion/retour`).
    pub retour: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("fournisseur d'identité injoignable ou mal configuré : {0}")]
    Fournisseur(String),
    #[error("réponse du fournisseur d'identité refusée : {0}")]
    Reponse(String),
}

/// What the sign-in keeps between the redirection and the return.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attente {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// The identity the provider vouches for.
#[derive(Debug, Clone)]
pub struct Identite {
    pub courriel: String,
    pub acr: Option<String>,
    pub amr: Vec<String>,
    pub id_token: String,
}

/// The scopes asked (ProConnect's).
pub const SCOPES: [&str; 6] = ["given_name", "usual_name", "email", "uid", "siret", "idp_id"];

/// `acr` and `amr` asked for in the ID token (ProConnect's MFA levels; not essential,
/// so that a provider that cannot do MFA still signs in, and DUDE decides).
const CLAIMS: &str = r#"{"id_token":{"amr":{"essential":true},"acr":{"essential":false,"values":["eidas1","eidas0-mfa","eidas1-mfa","eidas2","eidas3"]}}}"#;

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("HTTP client")
}

/// The provider's metadata (its end-session endpoint included), discovered and kept
/// 10 minutes.
async fn metadonnees(issuer: &str) -> Result<ProviderMetadataWithLogout, OidcError> {
    static CACHE: Mutex<Option<HashMap<String, (Instant, ProviderMetadataWithLogout)>>> = Mutex::new(None);
    if let Some((t, m)) = CACHE.lock().expect("cache").get_or_insert_with(HashMap::new).get(issuer)
        && t.elapsed() < Duration::from_secs(600)
    {
        return Ok(m.clone());
    }
    let url = IssuerUrl::new(issuer.to_string()).map_err(|e| OidcError::Fournisseur(e.to_string()))?;
    let m = ProviderMetadataWithLogout::discover_async(url, &http())
        .await
        .map_err(|e| OidcError::Fournisseur(e.to_string()))?;
    CACHE
        .lock()
        .expect("cache")
        .get_or_insert_with(HashMap::new)
        .insert(issuer.to_string(), (Instant::now(), m.clone()));
    Ok(m)
}

/// The provider's end-session endpoint, if it publishes one.
pub async fn fin_de_session(issuer: &str) -> Option<String> {
    metadonnees(issuer).await.ok()?.additional_metadata().end_session_endpoint.as_ref().map(|u| u.to_string())
}

/// The portal's client at the provider, from its metadata.
fn client(
    c: &Configuration,
    m: ProviderMetadataWithLogout,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    OidcError,
> {
    Ok(CoreClient::from_provider_metadata(
        m,
        ClientId::new(c.client_id.clone()),
        Some(ClientSecret::new(c.client_secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(c.retour.clone()).map_err(|e| OidcError::Fournisseur(e.to_string()))?)
    .set_auth_type(AuthType::RequestBody))
}

/// The authorization URL to send the browser to, and what to keep until it returns.
pub async fn autorisation(c: &Configuration) -> Result<(String, Attente), OidcError> {
    let m = metadonnees(&c.issuer).await?;
    let client = client(c, m)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            || CsrfToken::new_random_len(32),
            || Nonce::new_random_len(32),
        )
        .add_scopes(SCOPES.map(|s| Scope::new(s.to_string())))
        .set_pkce_challenge(challenge)
        .add_extra_param("claims", CLAIMS)
        .url();
    Ok((
        url.to_string(),
        Attente { state: state.secret().clone(), nonce: nonce.secret().clone(), verifier: verifier.secret().clone() },
    ))
}

/// The claims of the signed userinfo DUDE reads.
#[derive(Debug, Deserialize)]
struct InfosUtilisateur {
    sub: String,
    email: Option<String>,
}

/// Exchanges the code and reads who signed in: ID token verified (nonce included), then
/// the signed userinfo, whose subject must be the ID token's.
pub async fn identite(c: &Configuration, attente: &Attente, code: &str) -> Result<Identite, OidcError> {
    let m = metadonnees(&c.issuer).await?;
    let jwks = serde_json::to_value(m.jwks()).map_err(|e| OidcError::Fournisseur(e.to_string()))?;
    let userinfo = m.userinfo_endpoint().map(|u| u.to_string());
    let client = client(c, m)?;
    let http = http();
    let jeton = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| OidcError::Fournisseur(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(attente.verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| OidcError::Reponse(format!("jeton : {e}")))?;
    let id_token = jeton.id_token().ok_or_else(|| OidcError::Reponse("pas de jeton d'identité".into()))?;
    let verif = client.id_token_verifier();
    let claims = id_token
        .claims(&verif, &Nonce::new(attente.nonce.clone()))
        .map_err(|e| OidcError::Reponse(format!("jeton d'identité : {e}")))?;
    let sub = claims.subject().as_str().to_string();
    let acr = claims.auth_context_ref().map(|a| a.as_str().to_string());
    let amr = claims.auth_method_refs().map(|v| v.iter().map(|a| a.as_str().to_string()).collect()).unwrap_or_default();
    let userinfo = userinfo.ok_or_else(|| OidcError::Fournisseur("pas de point userinfo".into()))?;
    let r = http
        .get(userinfo)
        .bearer_auth(jeton.access_token().secret())
        .header("accept", "application/jwt")
        .send()
        .await
        .map_err(|e| OidcError::Reponse(format!("userinfo : {e}")))?;
    let type_ = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if !r.status().is_success() || !type_.starts_with("application/jwt") {
        return Err(OidcError::Reponse(format!(
            "userinfo : réponse {} de type {type_:?}, JWT signé attendu",
            r.status()
        )));
    }
    let corps = r.text().await.map_err(|e| OidcError::Reponse(format!("userinfo : {e}")))?;
    let infos = verifier_jwt(&corps, &jwks, &c.issuer, &c.client_id)?;
    if infos.sub != sub {
        return Err(OidcError::Reponse("userinfo : sujet différent de celui du jeton d'identité".into()));
    }
    let courriel = infos.email.ok_or_else(|| OidcError::Reponse("userinfo : adresse électronique absente".into()))?;
    Ok(Identite { courriel, acr, amr, id_token: id_token.to_string() })
}

/// Verifies a signed userinfo (ES256 or RS256, the key named by `kid` in the provider's
/// JWKS): signature, issuer, audience.
fn verifier_jwt(jwt: &str, jwks: &serde_json::Value, issuer: &str, aud: &str) -> Result<InfosUtilisateur, OidcError> {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header, jwk::JwkSet};
    let refus = |quoi: &str| OidcError::Reponse(format!("userinfo : {quoi}"));
    let entete = decode_header(jwt).map_err(|_| refus("JWT illisible"))?;
    if !matches!(entete.alg, Algorithm::ES256 | Algorithm::RS256) {
        return Err(refus("algorithme de signature non admis (ES256 ou RS256)"));
    }
    let jeu: JwkSet = serde_json::from_value(jwks.clone()).map_err(|_| refus("clés du fournisseur illisibles"))?;
    let cle = match &entete.kid {
        Some(k) => jeu.find(k),
        None => jeu.keys.first(),
    }
    .ok_or_else(|| refus("clé de signature inconnue"))?;
    let cle = DecodingKey::from_jwk(cle).map_err(|_| refus("clé de signature inutilisable"))?;
    let mut v = Validation::new(entete.alg);
    v.set_issuer(&[issuer]);
    v.set_audience(&[aud]);
    v.required_spec_claims = ["iss", "aud", "sub"].into_iter().map(String::from).collect();
    v.validate_exp = false;
    Ok(decode::<InfosUtilisateur>(jwt, &cle, &v).map_err(|_| refus("signature ou émetteur invalides"))?.claims)
}
