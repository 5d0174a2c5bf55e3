//! Administrators authenticate with an OpenID Connect token from an external identity
//! provider: issuer and JWKS URL configured; keys fetched and refreshed on an unknown
//! key id (at most once a minute); `amr` (RFC 8176) tells whether MFA was used.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use serde::Deserialize;
use tokio::sync::RwLock;

/// Identity provider settings.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub jwks_url: String,
    pub audience: String,
}

/// What DUDE reads of an ID or access token.
#[derive(Debug, Clone, Deserialize)]
pub struct OidcClaims {
    /// The agent's identifier in DUDE.
    pub sub: String,
    pub exp: i64,
    #[serde(default)]
    pub amr: Vec<String>,
}

impl OidcClaims {
    /// Several factors were used (RFC 8176 values).
    pub fn mfa(&self) -> bool {
        self.amr.iter().any(|m| matches!(m.as_str(), "mfa" | "otp" | "hwk" | "swk" | "sms" | "fpt" | "face" | "sc"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error("jeton OpenID Connect invalide")]
    Invalide,
    #[error("jeton OpenID Connect expiré")]
    Expire,
    #[error("clés du fournisseur d'identité indisponibles : {0}")]
    Jwks(String),
}

pub struct Oidc {
    cfg: OidcConfig,
    http: reqwest::Client,
    keys: RwLock<Option<(Instant, JwkSet)>>,
}

impl Oidc {
    pub fn new(cfg: OidcConfig) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("HTTP client");
        Self { cfg, http, keys: RwLock::new(None) }
    }

    async fn fetch(&self) -> Result<JwkSet, OidcError> {
        let r = self.http.get(&self.cfg.jwks_url).send().await.map_err(|e| OidcError::Jwks(e.to_string()))?;
        if !r.status().is_success() {
            return Err(OidcError::Jwks(format!("HTTP {}", r.status())));
        }
        r.json::<JwkSet>().await.map_err(|e| OidcError::Jwks(e.to_string()))
    }

    async fn key(&self, kid: Option<&str>) -> Result<DecodingKey, OidcError> {
        let find = |set: &JwkSet| match kid {
            Some(k) => set.find(k).cloned(),
            None => set.keys.first().cloned(),
        };
        if let Some((_, set)) = self.keys.read().await.as_ref()
            && let Some(jwk) = find(set)
        {
            return DecodingKey::from_jwk(&jwk).map_err(|_| OidcError::Invalide);
        }
        let mut guard = self.keys.write().await;
        let stale = guard.as_ref().is_none_or(|(at, _)| at.elapsed() > Duration::from_secs(60));
        if stale {
            *guard = Some((Instant::now(), self.fetch().await?));
        }
        let jwk = guard.as_ref().and_then(|(_, set)| find(set)).ok_or(OidcError::Invalide)?;
        DecodingKey::from_jwk(&jwk).map_err(|_| OidcError::Invalide)
    }

    pub async fn verifier(&self, token: &str, now: DateTime<Utc>) -> Result<OidcClaims, OidcError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| OidcError::Invalide)?;
        let key = self.key(header.kid.as_deref()).await?;
        let mut v = Validation::new(header.alg);
        v.set_issuer(&[&self.cfg.issuer]);
        v.set_audience(&[&self.cfg.audience]);
        v.validate_exp = false;
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<OidcClaims>(token, &key, &v).map_err(|_| OidcError::Invalide)?;
        if data.claims.exp <= now.timestamp() {
            return Err(OidcError::Expire);
        }
        Ok(data.claims)
    }
}
