//! Access tokens of partner applications: short-lived JWTs signed by the core (EdDSA,
//! Ed25519), published as a JWKS. The signing key derives from the master key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::client::ApiClient;
use crate::crypto::keys::MasterKey;

pub const EMETTEUR: &str = "dude";
pub const AUDIENCE: &str = "dude-partenaire";

/// Claims of a partner access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The client id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    pub org: String,
    pub conv: String,
    #[serde(default)]
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JetonError {
    #[error("jeton d'accès invalide")]
    Invalide,
    #[error("jeton d'accès expiré")]
    Expire,
}

/// Tokens already verified, so the signature is checked once per token rather than once
/// per call; bounded, and expiry is still checked on every hit.
#[derive(Default)]
struct Verifies(std::sync::RwLock<std::collections::HashMap<String, Claims>>);

const VERIFIES_MAX: usize = 10_000;

/// Issues and checks tokens.
#[derive(Clone)]
pub struct Emetteur {
    verifies: std::sync::Arc<Verifies>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    kid: String,
    public: [u8; 32],
    /// Lifetime of a token, in seconds.
    pub duree_s: i64,
}

impl Emetteur {
    pub fn new(master: &MasterKey, duree_s: i64) -> Self {
        let seed: [u8; 32] = master.derive(b"dude/jwt-signing/ed25519/v1");
        let public = SigningKey::from_bytes(&seed).verifying_key().to_bytes();
        // PKCS#8 v1 wrapping of an Ed25519 seed (RFC 8410).
        let mut der =
            vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        der.extend_from_slice(&seed);
        let kid = hex::encode(&Sha256::digest(public)[..8]);
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[EMETTEUR]);
        // Expiry is checked against the injected clock, below.
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            verifies: Default::default(),
            encoding: EncodingKey::from_ed_der(&der),
            decoding: DecodingKey::from_ed_der(&public),
            validation,
            kid,
            public,
            duree_s,
        }
    }

    /// A token for `client` with all its scopes, valid `duree_s` seconds from `now`.
    pub fn emettre(&self, client: &ApiClient, now: DateTime<Utc>) -> String {
        self.emettre_pour(client, &client.scopes.join(" "), now)
    }

    /// A token for `client` carrying `scope` (space-separated, granted by the appelant).
    pub fn emettre_pour(&self, client: &ApiClient, scope: &str, now: DateTime<Utc>) -> String {
        let mut jti = [0u8; 12];
        getrandom::getrandom(&mut jti).expect("operating system random source");
        let claims = Claims {
            iss: EMETTEUR.into(),
            aud: AUDIENCE.into(),
            sub: client.client_id.clone(),
            iat: now.timestamp(),
            exp: now.timestamp() + self.duree_s,
            jti: URL_SAFE_NO_PAD.encode(jti),
            org: client.organisation_id.clone(),
            conv: client.convention_id.clone(),
            scope: scope.to_string(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).expect("Ed25519 signing cannot fail")
    }

    pub fn verifier(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, JetonError> {
        let known = self.verifies.0.read().ok().and_then(|m| m.get(token).cloned());
        let claims = match known {
            Some(c) => c,
            None => {
                let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                    .map_err(|_| JetonError::Invalide)?;
                if let Ok(mut m) = self.verifies.0.write() {
                    if m.len() >= VERIFIES_MAX {
                        m.retain(|_, c| c.exp > now.timestamp());
                        if m.len() >= VERIFIES_MAX {
                            m.clear();
                        }
                    }
                    m.insert(token.to_string(), data.claims.clone());
                }
                data.claims
            }
        };
        if claims.exp <= now.timestamp() {
            return Err(JetonError::Expire);
        }
        Ok(claims)
    }

    /// The public key set (RFC 7517, OKP / Ed25519).
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({
            "keys": [{
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": self.kid,
                "x": URL_SAFE_NO_PAD.encode(self.public),
            }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn client() -> ApiClient {
        ApiClient {
            client_id: "app".into(),
            nom: "App".into(),
            secret_hash: String::new(),
            organisation_id: "cd77".into(),
            convention_id: "conv".into(),
            scopes: vec![],
            revoque_le: None,
        }
    }

    #[test]
    fn issue_verify_expire_and_jwks() {
        let e = Emetteur::new(&MasterKey::from_bytes([5; 32]), 600);
        let now = Utc::now();
        let t = e.emettre(&client(), now);
        let c = e.verifier(&t, now).unwrap();
        assert_eq!((c.sub.as_str(), c.org.as_str(), c.conv.as_str()), ("app", "cd77", "conv"));
        assert_eq!(e.verifier(&t, now + Duration::seconds(600)), Err(JetonError::Expire));
        // another key (another deployment) does not accept it
        let other = Emetteur::new(&MasterKey::from_bytes([6; 32]), 600);
        assert_eq!(other.verifier(&t, now), Err(JetonError::Invalide));
        // tampered payload
        let mut parts: Vec<String> = t.split('.').map(String::from).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"iss":"dude","aud":"dude-partenaire","sub":"x","iat":0,"exp":9999999999,"jti":"j","org":"cd93","conv":"c"}"#);
        assert_eq!(e.verifier(&parts.join("."), now), Err(JetonError::Invalide));
        // the published key verifies the token
        let jwks = e.jwks();
        let x = jwks["keys"][0]["x"].as_str().unwrap();
        let key = DecodingKey::from_ed_components(x).unwrap();
        let mut v = Validation::new(Algorithm::EdDSA);
        v.set_audience(&[AUDIENCE]);
        assert!(jsonwebtoken::decode::<Claims>(&t, &key, &v).is_ok());
    }
}
