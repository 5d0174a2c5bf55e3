//! The portal's session at the edge: the cookie (`__Host-dude-session`: Secure, HttpOnly,
//! SameSite=Lax so that the provider's redirection back carries it, Path=/; on plain HTTP
//! only in demo mode on a loopback address, then without the `__Host-` prefix, which
//! requires Secure), the public address, and the CSRF check of forms.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

use crate::app::AppState;
use crate::app::portail::{self, Session};

pub const COOKIE_SUR: &str = "__Host-dude-session";
pub const COOKIE_DEMO: &str = "dude-session";

/// Who is asking: their session (if any), and where the portal is reached.
pub struct Visiteur {
    pub session: Option<Session>,
    /// `https://…` (the setting), or in demo mode the loopback address used.
    pub base: Option<String>,
    /// The cookie needs Secure (everywhere but demo mode on loopback).
    pub sur: bool,
}

fn loopback(hote: &str) -> bool {
    let h = hote.rsplit_once(':').map_or(hote, |(h, p)| if p.bytes().all(|b| b.is_ascii_digit()) { h } else { hote });
    matches!(h, "127.0.0.1" | "localhost" | "[::1]")
}

/// The portal's public address and whether its cookie must be Secure.
pub fn adresse(state: &AppState, headers: &HeaderMap) -> (Option<String>, bool) {
    let s = state.services();
    if let Some(u) = &s.portail.url {
        return (Some(u.clone()), !u.starts_with("http://") || !s.portail.demo);
    }
    if s.portail.demo {
        let hote = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        if loopback(hote) {
            return (Some(format!("http://{hote}")), false);
        }
    }
    (None, true)
}

fn jeton_du_cookie(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (nom, valeur) = c.trim().split_once('=')?;
        (nom == COOKIE_SUR || nom == COOKIE_DEMO).then(|| valeur.to_string())
    })
}

impl FromRequestParts<AppState> for Visiteur {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let (base, sur) = adresse(state, &parts.headers);
        let session = match jeton_du_cookie(&parts.headers) {
            Some(j) => portail::session(state.services(), &j).await.unwrap_or_else(|e| {
                tracing::error!(erreur = %e, "session du portail illisible");
                None
            }),
            None => None,
        };
        Ok(Visiteur { session, base, sur })
    }
}

/// A signed-in agent acting under a convention: who the pages about people serve. Any
/// other visitor is answered instead: an anonymous or expired session goes back to
/// sign-in, a convention still to choose to its choice, a habilitation ended since
/// sign-in to the refusal page (the session ended).
pub struct Connecte {
    pub session: Session,
    pub appelant: crate::habilitation::Appelant,
    pub agent: super::AgentAffiche,
    /// The administrator or data protection officer the agent is, if it is one.
    pub admin: Option<crate::habilitation::administrateur::Administrateur>,
}

impl FromRequestParts<AppState> for Connecte {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::{IntoResponse, Redirect};
        let Ok(v) = Visiteur::from_request_parts(parts, state).await;
        let Some(session) = v.session else {
            return Err(Redirect::to("/connexion").into_response());
        };
        let request_id: String =
            parts.headers.get("x-request-id").and_then(|h| h.to_str().ok()).unwrap_or("").chars().take(64).collect();
        match portail::appelant(state.services(), &session, request_id.clone()) {
            Ok(appelant) => {
                let Some(agent) = super::connexion::agent_affiche(state, &session) else {
                    return Err(Redirect::to("/connexion").into_response());
                };
                let admin = portail::agent(state.services(), &session).ok().and_then(|a| a.administrateur(request_id));
                Ok(Connecte { session, appelant, agent, admin })
            }
            Err(portail::Etat::Anonyme) => Err(Redirect::to("/connexion").into_response()),
            Err(portail::Etat::ConventionAChoisir) => Err(Redirect::to("/convention").into_response()),
            Err(portail::Etat::Refusee(m)) => {
                let _ = portail::fermer(state.services(), &session).await;
                let mut r = super::connexion::refus(
                    state,
                    axum::http::StatusCode::FORBIDDEN,
                    m.to_string(),
                    super::connexion::conseil_de(m),
                );
                r.headers_mut().insert(header::SET_COOKIE, cookie_efface(v.sur));
                Err(r)
            }
        }
    }
}

/// The `Set-Cookie` that gives the browser the session `jeton`.
pub fn cookie(jeton: &str, sur: bool) -> HeaderValue {
    let v = if sur {
        format!("{COOKIE_SUR}={jeton}; Path=/; Secure; HttpOnly; SameSite=Lax")
    } else {
        format!("{COOKIE_DEMO}={jeton}; Path=/; HttpOnly; SameSite=Lax")
    };
    HeaderValue::from_str(&v).expect("a token in base64url")
}

/// The `Set-Cookie` that removes it.
pub fn cookie_efface(sur: bool) -> HeaderValue {
    HeaderValue::from_static(if sur {
        "__Host-dude-session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0"
    } else {
        "dude-session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    })
}

/// Whether two secrets are equal, compared in constant time.
pub fn egal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a form's token is the session's.
pub fn csrf_valide(session: &Session, recu: Option<&str>) -> bool {
    recu.is_some_and(|r| egal(&session.csrf, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1:8080", "localhost:3000", "[::1]:80", "127.0.0.1"] {
            assert!(loopback(h), "{h}");
        }
        for h in ["dude.exemple.fr", "10.0.0.1:8080", "127.0.0.1.nip.io:80", ""] {
            assert!(!loopback(h), "{h}");
        }
    }

    #[test]
    fn cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; __Host-dude-session=xyz; c=d"));
        assert_eq!(jeton_du_cookie(&h).as_deref(), Some("xyz"));
        let c = cookie("abc", true);
        assert_eq!(c.to_str().unwrap(), "__Host-dude-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
    }
}
