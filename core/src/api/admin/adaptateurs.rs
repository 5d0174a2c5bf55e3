//! Adapters: what is loaded (version, sha256, counters, last error), upload of a new
//! version, imports through a convention's adapter, the files made for partners: the
//! HTTP side of `app::adaptateurs` and `app::imports`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::{Octets, Path, Query};
use crate::api::problem::{ApiError, Problem};
use crate::app::adaptateurs::{self, AdaptateurInfo, Adaptateurs};
use crate::app::imports::{self, Auteur, Fichier};
use crate::habilitation::administrateur::Administrateur;
use crate::import::Rapport;

/// Loaded adapters and the last failures.
#[utoipa::path(get, path = "/admin/v1/plugins", tag = "adaptateurs", responses((status = 200, body = Adaptateurs)), security(("bearer" = [])))]
pub async fn lister(
    State(state): State<AppState>,
    Authenticated(_a): Authenticated<Administrateur>,
) -> Result<Json<Adaptateurs>, ApiError> {
    Ok(Json(adaptateurs::lister(state.services())?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Televersement {
    /// File name in the adapters' directory, `*.wasm`.
    pub fichier: String,
}

/// Uploads a new version: checked in the sandbox first, then written to a temporary
/// file and renamed into place (the watcher of every instance reloads it).
#[utoipa::path(post, path = "/admin/v1/plugins", tag = "adaptateurs", params(Televersement),
    request_body(content = Vec<u8>, content_type = "application/wasm"),
    responses((status = 201, body = AdaptateurInfo), (status = 400, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn televerser(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Query(q): Query<Televersement>,
    Octets(octets): Octets<{ super::COMPOSANT_MAX }>,
) -> Result<(StatusCode, Json<AdaptateurInfo>), ApiError> {
    Ok((StatusCode::CREATED, Json(adaptateurs::televerser(state.services(), &admin, &q.fichier, octets).await?)))
}

/// Header carrying the password of an encrypted 7z/zip archive.
pub const EN_TETE_MOT_DE_PASSE: &str = "dude-mot-de-passe-archive";

#[derive(Debug, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParametresImport {
    /// Format (default: the adapter's first).
    pub format: Option<String>,
    /// Name of the file, for the report.
    pub nom: Option<String>,
    /// An adapter option, `clé=valeur` (repeatable; the value may hold any character,
    /// URL-encoded: `option=separateur%3D%2C`).
    #[param(style = Form, explode)]
    pub option: Vec<String>,
}

impl ParametresImport {
    /// Reads the query string: `format` and `nom` at most once, `option` repeatable.
    fn lire(query: &str) -> Result<(Self, Vec<(String, String)>), ApiError> {
        let mut p = Self::default();
        let mut options = Vec::new();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let une_fois = |champ: &mut Option<String>, nom: &str| match champ {
                Some(_) => Err(ApiError::invalid(nom, format!("{nom} : au plus une fois"))),
                None => {
                    *champ = Some(v.to_string());
                    Ok(())
                }
            };
            match k.as_ref() {
                "format" => une_fois(&mut p.format, "format")?,
                "nom" => une_fois(&mut p.nom, "nom")?,
                "option" => {
                    let (cle, valeur) = v
                        .split_once('=')
                        .filter(|(c, _)| !c.is_empty())
                        .ok_or_else(|| ApiError::invalid("option", "option : clé=valeur attendu"))?;
                    options.push((cle.to_string(), valeur.to_string()));
                }
                _ => return Err(ApiError::invalid("query", "paramètre inconnu (admis : format, nom, option)")),
            }
        }
        Ok((p, options))
    }
}

/// Imports a file through the convention's adapter (administrators of a party). The body
/// is the file, or a one-file 7z/zip archive encrypted with AES-256 whose password is in
/// the `Dude-Mot-De-Passe-Archive` header.
#[utoipa::path(post, path = "/admin/v1/conventions/{id}/imports", tag = "adaptateurs", params(("id" = String, Path), ParametresImport),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Rapport), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn importer_fichier(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    entetes: axum::http::HeaderMap,
    Octets(octets): Octets<{ super::TAILLE_MAX }>,
) -> Result<Json<Rapport>, ApiError> {
    let (q, options) = ParametresImport::lire(query.as_deref().unwrap_or(""))?;
    // An encrypted archive's password comes in its own header (never logged).
    let mot_de_passe = match entetes.get(EN_TETE_MOT_DE_PASSE) {
        Some(v) => Some(zeroize::Zeroizing::new(
            v.to_str()
                .map_err(|_| ApiError::invalid(EN_TETE_MOT_DE_PASSE, "mot de passe : caractères ASCII attendus"))?
                .to_string(),
        )),
        None => None,
    };
    let fichier = Fichier {
        convention: id,
        format: q.format,
        options,
        nom: q.nom.unwrap_or_else(|| "fichier".into()),
        mot_de_passe,
    };
    let source = std::io::Cursor::new(octets);
    Ok(Json(imports::importer(state.services(), Auteur::Administrateur(&admin), fichier, source, None).await?))
}

/// Files made for the partner's system by the convention's adapter (newest first, 500
/// at most), with the failures and their reasons.
#[utoipa::path(get, path = "/admin/v1/conventions/{id}/exports", tag = "adaptateurs", params(("id" = String, Path)),
    responses((status = 200, body = Vec<crate::store::exports::ExportSortant>),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn exports(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
) -> Result<Json<Vec<crate::store::exports::ExportSortant>>, ApiError> {
    Ok(Json(adaptateurs::exports(state.services(), &admin, &id).await?))
}

/// One file, as the adapter made it (the partner's format); marked as fetched.
#[utoipa::path(get, path = "/admin/v1/conventions/{id}/exports/{export}", tag = "adaptateurs",
    params(("id" = String, Path), ("export" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the file could not be made: the reason", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path((id, export)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let (e, contenu) = adaptateurs::export(state.services(), &admin, &id, &export).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-{}.{}\"", e.genre.to_lowercase(), &e.id[..8], e.format),
            ),
        ],
        contenu,
    )
        .into_response())
}
