//! Extractors whose every rejection is a problem document (R997) naming the field at
//! fault and the values allowed, never the value received (it may be personal data sent
//! in the wrong place): JSON bodies ([`Body`]: media type, size, time), raw bodies
//! ([`Octets`]), query strings ([`Query`]) and path parameters ([`Path`]).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use super::AppState;
use super::problem::ApiError;

/// Largest JSON body accepted by default.
pub const MAX_JSON: usize = 256 * 1024;

pub use crate::app::settings::DelaisHttp;

/// Reads a body of at most `max` bytes within the server's delays: a `Content-Length`
/// over the limit is refused before anything is read (413), a stalled body gets 408.
pub async fn lire_corps(req: Request, state: &AppState, max: usize) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    let annonce = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if annonce.is_some_and(|n| n > max as u64) {
        return Err(ApiError::PayloadTooLarge(max as u64));
    }
    let delais = state.services().delais_http;
    let fin = tokio::time::Instant::now() + delais.total;
    let mut body = req.into_body();
    let mut lu = Vec::with_capacity(annonce.map_or(0, |n| n as usize).min(max));
    loop {
        let attente = delais.inactivite.min(fin.saturating_duration_since(tokio::time::Instant::now()));
        match tokio::time::timeout(attente, body.frame()).await {
            Err(_) => return Err(ApiError::Timeout),
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                return Err(ApiError::invalid("corps", "corps de requête incomplet ou illisible"));
            }
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    if lu.len() + data.len() > max {
                        return Err(ApiError::PayloadTooLarge(max as u64));
                    }
                    lu.extend_from_slice(&data);
                }
            }
        }
    }
    Ok(Bytes::from(lu))
}

/// `application/json` or `application/…+json`.
fn est_json(h: &HeaderMap) -> bool {
    let Some(v) = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let m = v.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
}

/// What serde says of a value, without the value: the kind of problem and what was
/// expected. `champ` is the path of the field in the input.
pub fn message_serde(champ: &str, erreur: &str) -> String {
    let erreur = erreur.split(" at line ").next().unwrap_or(erreur);
    let apres = |motif: &str| erreur.find(motif).map(|i| erreur[i + motif.len()..].to_string());
    let quoi = if erreur.starts_with("invalid type") || erreur.starts_with("invalid value") {
        match apres(", expected ") {
            Some(attendu) => format!("valeur invalide, attendu : {attendu}"),
            None => "valeur invalide".into(),
        }
    } else if erreur.starts_with("unknown variant") {
        match apres(", expected one of ").or_else(|| apres(", expected ")) {
            Some(admis) => format!("valeur inconnue (valeurs admises : {})", admis.replace('`', "")),
            None => "valeur inconnue".into(),
        }
    } else if let Some(reste) = erreur.strip_prefix("unknown field `") {
        let nom = reste.split('`').next().filter(|n| nom_de_champ(n)).map(|n| format!(" {n}")).unwrap_or_default();
        match apres(", expected one of ").or_else(|| apres(", expected ")) {
            Some(admis) => format!("champ{nom} inconnu (champs admis : {})", admis.replace('`', "")),
            None => format!("champ{nom} inconnu (aucun champ admis ici)"),
        }
    } else if let Some(nom) = erreur.strip_prefix("missing field ") {
        format!("champ {} obligatoire absent", nom.replace('`', ""))
    } else if erreur.starts_with("invalid length") {
        match apres(", expected ") {
            Some(attendu) => format!("nombre d'éléments invalide, attendu : {attendu}"),
            None => "nombre d'éléments invalide".into(),
        }
    } else if erreur.starts_with("duplicate field") {
        "champ répété".into()
    } else if erreur.is_ascii() && (erreur.starts_with("expected") || erreur.starts_with("EOF")) {
        // syntax: what was expected where, without the text
        format!("syntaxe invalide ({erreur})")
    } else {
        // the messages of DUDE's own types (codes, dates, NIR) name the values admitted,
        // never the one received
        erreur.to_string()
    };
    if champ.is_empty() || champ == "." { quoi } else { format!("{champ} : {quoi}") }
}

/// Like `axum::Json`, with a per-route size limit (`MAX`), a required JSON media type
/// (415), a bounded time to arrive (408), and errors that name the field.
#[derive(Debug)]
pub struct Body<T, const MAX: usize = MAX_JSON>(pub T);

impl<T: DeserializeOwned, const MAX: usize> FromRequest<AppState> for Body<T, MAX> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !est_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        let bytes = lire_corps(req, state, MAX).await?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(Body).map_err(|e| {
            let path = chemin(e.path(), &e.inner().to_string());
            let inner = e.into_inner();
            let champ = if path.is_empty() { "corps".to_string() } else { path };
            let message = if inner.is_syntax() || inner.is_eof() {
                // serde_json's syntax messages quote no input
                format!("JSON invalide : {inner}")
            } else {
                message_serde(&champ, &inner.to_string())
            };
            ApiError::App(crate::app::AppError::Invalide { champ: Some(champ), message })
        })
    }
}

/// A raw body of at most `MAX` bytes (files, components), read within the delays.
#[derive(Debug)]
pub struct Octets<const MAX: usize>(pub Bytes);

impl<const MAX: usize> FromRequest<AppState> for Octets<MAX> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        lire_corps(req, state, MAX).await.map(Octets)
    }
}

/// Parameters of the query string.
#[derive(Debug)]
pub struct Query<T>(pub T);

/// Deserializes `application/x-www-form-urlencoded` text, naming the field at fault.
pub fn urlencoded<T: DeserializeOwned>(texte: &[u8]) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(texte));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let champ = chemin(e.path(), &e.inner().to_string());
        let message = message_serde(&champ, &e.into_inner().to_string());
        ApiError::App(crate::app::AppError::Invalide { champ: (!champ.is_empty()).then_some(champ), message })
    })
}

/// Whether a name sent for a field looks like one (`commentaire`, `dateExploration`):
/// named back in errors; anything else (digits, capitals, spaces — a NIR or a name sent
/// in its place) is not.
fn nom_de_champ(n: &str) -> bool {
    n.len() <= 40
        && n.starts_with(|c: char| c.is_ascii_lowercase())
        && n.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

/// The path of the field at fault, as the input names it; for an unknown field whose
/// name does not look like a field's (it may be anything), the path of the object that
/// holds it.
fn chemin(p: &serde_path_to_error::Path, erreur: &str) -> String {
    use serde_path_to_error::Segment;
    let mut segments: Vec<&Segment> = p.iter().collect();
    if erreur.starts_with("unknown field")
        && segments.last().is_some_and(|s| !matches!(s, Segment::Map { key } if nom_de_champ(key)))
    {
        segments.pop();
    }
    let mut s = String::new();
    for seg in segments {
        match seg {
            Segment::Seq { index } => s.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    s
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        urlencoded(parts.uri.query().unwrap_or("").as_bytes()).map(Query)
    }
}

/// Parameters of the path, by their names in the route.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let (champ, attendu) = match e.kind() {
                    ErrorKind::ParseErrorAtKey { key, expected_type, .. } => (Some(key.clone()), Some(*expected_type)),
                    ErrorKind::ParseErrorAtIndex { expected_type, .. }
                    | ErrorKind::ParseError { expected_type, .. } => (None, Some(*expected_type)),
                    ErrorKind::InvalidUtf8InPathParam { key } | ErrorKind::DeserializeError { key, .. } => {
                        (Some(key.clone()), None)
                    }
                    _ => (None, None),
                };
                let message = match (&champ, attendu) {
                    (Some(c), Some(t)) => format!("{c} : valeur invalide dans le chemin (attendu : {t})"),
                    (Some(c), None) => format!("{c} : valeur invalide dans le chemin"),
                    (None, _) => "paramètre de chemin invalide".to_string(),
                };
                Err(ApiError::App(crate::app::AppError::Invalide { champ: champ.or(Some("chemin".into())), message }))
            }
            Err(_) => Err(ApiError::invalid("chemin", "paramètre de chemin invalide")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_never_quote_the_value() {
        let cases = [
            ("invalid type: string \"2891275123456\", expected a boolean", "valeur invalide, attendu : a boolean"),
            ("unknown variant `DUPONT Jean`, expected one of `A`, `B`", "valeur inconnue (valeurs admises : A, B)"),
            ("unknown field `2891275123456`, expected `nir` or `dateNaissance`", "champ inconnu"),
            ("unknown field `DUPONT Jean`, expected `nir`", "champ inconnu"),
            ("unknown field `commentaire`, expected `nir`", "champ commentaire inconnu"),
            ("missing field `nir`", "champ nir obligatoire absent"),
            ("invalid value: integer `-3`, expected u32 at line 1 column 9", "valeur invalide, attendu : u32"),
        ];
        for (serde, attendu) in cases {
            let m = message_serde("x", serde);
            assert!(m.starts_with(&format!("x : {attendu}")), "{m}");
            for secret in ["2891275123456", "DUPONT", "-3"] {
                assert!(!m.contains(secret), "{m}");
            }
        }
    }

    #[test]
    fn query_errors_name_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Q {
            provenance: bool,
        }
        let e = urlencoded::<Q>(b"provenance=2891275123456").unwrap_err();
        let ApiError::App(crate::app::AppError::Invalide { champ: field, message }) = e else { panic!() };
        assert_eq!(field.as_deref(), Some("provenance"));
        assert!(!message.contains("2891275123456"), "{message}");
    }
}
