//! A JSON body extractor whose errors name the field at fault (R997).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::problem::ApiError;

/// Largest JSON body accepted.
pub const MAX_BODY: usize = 256 * 1024;

/// Like `axum::Json`, with errors that say which field is wrong and why.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| ApiError::InvalidInput {
            field: None,
            message: format!("corps de requête illisible : {e}"),
        })?;
        if bytes.len() > MAX_BODY {
            return Err(ApiError::InvalidInput { field: None, message: "corps de requête trop volumineux".into() });
        }
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(Body).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = if inner.is_syntax() || inner.is_eof() {
                format!("JSON invalide : {inner}")
            } else {
                // serde's message may quote the value received, which may be personal
                // data: keep only what was expected.
                let msg = inner.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                let msg = match msg.find(", expected ") {
                    Some(i) if msg.starts_with("invalid type") || msg.starts_with("invalid value") => {
                        format!("valeur invalide, attendu : {}", &msg[i + ", expected ".len()..])
                    }
                    _ => msg,
                };
                if path == "." { msg } else { format!("{path} : {msg}") }
            };
            ApiError::InvalidInput { field: (path != ".").then_some(path), message }
        })
    }
}
