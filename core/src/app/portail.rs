//! The agents' portal, its use cases: the server-side session (opened before sign-in to
//! hold the sign-in's secrets, then bound to one habilitated agent; idle and absolute
//! limits; a CSRF token), who may sign in (`habilitation::connexion`), the convention the
//! agent acts under, and the caller each of their requests is.
//!
//! The session's token is the cookie's value; the store keeps its SHA-256 only. Signing
//! in gives a new token (the one before is ended), so that a token planted before
//! sign-in opens nothing.

use std::sync::Arc;

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{AppError, Services};
use crate::habilitation::Appelant;
use crate::habilitation::connexion::{self, AgentConnecte, RefusConnexion};
use crate::habilitation::convention::Convention;
use crate::store::sessions::LigneSession;

/// Idle timeout and absolute lifetime of a session.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    pub inactivite: Duration,
    pub duree: Duration,
}

/// A session's `vu_le` is written again only when older than this (one write a minute
/// at most, not one per page).
const RAFRAICHIR: Duration = Duration::seconds(60);

/// What the identity provider vouches for (after the edge checked the protocol: state,
/// nonce, signatures).
#[derive(Debug, Clone)]
pub struct IdentiteFournie {
    pub courriel: String,
    pub acr: Option<String>,
    pub amr: Vec<String>,
    /// The raw ID token, kept for the provider's sign-out (`id_token_hint`).
    pub id_token: Option<String>,
}

/// A live session, as read.
#[derive(Debug, Clone)]
pub struct Session {
    /// The row's key (SHA-256 of the token).
    cle: String,
    pub csrf: String,
    pub agent_id: Option<String>,
    pub convention_id: Option<String>,
    /// What the edge keeps in the session (JSON): the sign-in's secrets, the ID token.
    pub donnees: serde_json::Value,
    ligne: LigneSession,
}

fn cle(jeton: &str) -> String {
    hex::encode(Sha256::digest(jeton.as_bytes()))
}

fn aleatoire() -> String {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).expect("system randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Opens an anonymous session holding `donnees`; returns its token (the cookie's value).
pub async fn ouvrir(s: &Services, donnees: serde_json::Value) -> Result<String, AppError> {
    let jeton = aleatoire();
    let now = s.clock.now();
    let ligne = LigneSession {
        agent_id: None,
        convention_id: None,
        csrf: aleatoire(),
        donnees: donnees.to_string(),
        cree_le: now,
        vu_le: now,
        expire_le: now + s.sessions.duree,
    };
    s.store.creer_session(&cle(&jeton), &ligne).await?;
    Ok(jeton)
}

/// The live session of `jeton`: `None` when unknown, idle too long or past its lifetime
/// (then ended).
pub async fn session(s: &Services, jeton: &str) -> Result<Option<Session>, AppError> {
    let k = cle(jeton);
    let Some(mut ligne) = s.store.session(&k).await? else {
        return Ok(None);
    };
    let now = s.clock.now();
    if now >= ligne.expire_le || now - ligne.vu_le >= s.sessions.inactivite {
        s.store.supprimer_session(&k).await?;
        return Ok(None);
    }
    if now - ligne.vu_le >= RAFRAICHIR {
        ligne.vu_le = now;
        s.store.modifier_session(&k, &ligne).await?;
    }
    let donnees = serde_json::from_str(&ligne.donnees).unwrap_or(serde_json::Value::Null);
    Ok(Some(Session {
        cle: k,
        csrf: ligne.csrf.clone(),
        agent_id: ligne.agent_id.clone(),
        convention_id: ligne.convention_id.clone(),
        donnees,
        ligne,
    }))
}

/// Ends a session (sign-out).
pub async fn fermer(s: &Services, session: &Session) -> Result<(), AppError> {
    s.store.supprimer_session(&session.cle).await?;
    Ok(())
}

/// The outcome of a sign-in.
#[derive(Debug)]
pub enum Connexion {
    /// Signed in: the new session's token, and who.
    Ouverte {
        jeton: String,
        agent: Box<AgentConnecte>,
    },
    Refusee(RefusConnexion),
}

/// Binds the person the provider vouches for to their habilitated agent, in a new
/// session (the anonymous one ends); the convention is chosen when only one applies.
pub async fn connecter(s: &Services, avant: &Session, identite: IdentiteFournie) -> Result<Connexion, AppError> {
    s.store.supprimer_session(&avant.cle).await?;
    let registre = &s.gardien.courant().registre;
    let mfa = connexion::mfa(identite.acr.as_deref(), &identite.amr);
    let agent = match connexion::agent_de_la_personne(registre, &identite.courriel, mfa, s.clock.today(), s.clock.now())
    {
        Ok(a) => a,
        Err(r) => return Ok(Connexion::Refusee(r)),
    };
    let jeton = aleatoire();
    let now = s.clock.now();
    let ligne = LigneSession {
        agent_id: Some(agent.agent.identifiant.clone()),
        convention_id: (agent.conventions.len() == 1).then(|| agent.conventions[0].id.clone()),
        csrf: aleatoire(),
        donnees: serde_json::json!({"idToken": identite.id_token, "mfa": mfa}).to_string(),
        cree_le: now,
        vu_le: now,
        expire_le: now + s.sessions.duree,
    };
    s.store.creer_session(&cle(&jeton), &ligne).await?;
    Ok(Connexion::Ouverte { jeton, agent: Box::new(agent) })
}

/// Why a signed-in session no longer acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Etat {
    /// Not signed in (or the session ended).
    Anonyme,
    /// Signed in, a convention still to choose among these.
    ConventionAChoisir,
    /// The agent's habilitation changed since sign-in (revoked, ended, convention gone):
    /// the session is ended.
    Refusee(RefusConnexion),
}

/// The signed-in agent of a session, checked again against today's habilitations (a
/// revocation applies at the next page), and the caller their requests are, under the
/// convention chosen.
pub fn agent(s: &Services, session: &Session) -> Result<AgentConnecte, Etat> {
    let Some(id) = &session.agent_id else {
        return Err(Etat::Anonyme);
    };
    let registre = &s.gardien.courant().registre;
    let courriel =
        registre.agents.get(id).and_then(|a| a.courriel.clone()).ok_or(Etat::Refusee(RefusConnexion::NonHabilite))?;
    let mfa = session.donnees.get("mfa").and_then(|m| m.as_bool()).unwrap_or(false);
    connexion::agent_de_la_personne(registre, &courriel, mfa, s.clock.today(), s.clock.now())
        .map_err(Etat::Refusee)
        .and_then(|a| if a.agent.identifiant == *id { Ok(a) } else { Err(Etat::Refusee(RefusConnexion::Ambigu)) })
}

/// The convention the session acts under, if chosen and still one of the agent's.
pub fn convention(agent: &AgentConnecte, session: &Session) -> Option<Arc<Convention>> {
    let id = session.convention_id.as_deref()?;
    agent.conventions.iter().find(|c| c.id == id).cloned()
}

/// The caller of a portal request.
pub fn appelant(s: &Services, session: &Session, request_id: String) -> Result<Appelant, Etat> {
    let a = agent(s, session)?;
    let c = convention(&a, session).ok_or(Etat::ConventionAChoisir)?;
    Ok(a.appelant(&c, request_id))
}

/// Chooses the convention to act under (one of the agent's); every access after it is
/// journaled with it.
pub async fn choisir_convention(s: &Services, session: &Session, convention_id: &str) -> Result<bool, AppError> {
    let Ok(a) = agent(s, session) else {
        return Ok(false);
    };
    if !a.conventions.iter().any(|c| c.id == convention_id) {
        return Ok(false);
    }
    let mut ligne = session.ligne.clone();
    ligne.convention_id = Some(convention_id.to_string());
    Ok(s.store.modifier_session(&session.cle, &ligne).await?)
}

/// Replaces what the edge keeps in an anonymous session.
pub async fn garder(s: &Services, session: &Session, donnees: serde_json::Value) -> Result<(), AppError> {
    let mut ligne = session.ligne.clone();
    ligne.donnees = donnees.to_string();
    s.store.modifier_session(&session.cle, &ligne).await?;
    Ok(())
}

/// Removes ended sessions (a background task calls it).
pub async fn purger(s: &Services, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(s.store.purger_sessions(now, now - s.sessions.inactivite).await?)
}
