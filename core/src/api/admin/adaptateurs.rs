//! Adapters: what is loaded (version, sha256, counters, last error), upload of a new
//! version, and imports through a convention's adapter.

use crate::api::extract::{Octets, Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{interdit, journaliser};
use crate::api::AppState;
use crate::api::caller::Admin;
use crate::api::problem::{ApiError, Problem};
use crate::import::{Demande, Rapport, importer};
use crate::plugin::Adaptateur;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdaptateurInfo {
    pub nom: String,
    pub version: String,
    pub sha256: String,
    pub version_wit: String,
    pub formats: Vec<String>,
    pub charge_le: DateTime<Utc>,
    pub travaux: u64,
    pub echecs: u64,
    pub pieges: u64,
    pub quarantaine: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Adaptateurs {
    pub repertoire: String,
    pub adaptateurs: Vec<AdaptateurInfo>,
    /// Last failure per file (the previous version, if any, still serves).
    pub erreurs: std::collections::BTreeMap<String, String>,
}

fn info(a: &Adaptateur) -> AdaptateurInfo {
    use std::sync::atomic::Ordering::Relaxed;
    AdaptateurInfo {
        nom: a.nom.clone(),
        version: a.version.clone(),
        sha256: a.sha256.clone(),
        version_wit: a.version_wit.clone(),
        formats: a.formats.clone(),
        charge_le: a.charge_le,
        travaux: a.compteurs.travaux.load(Relaxed),
        echecs: a.compteurs.echecs.load(Relaxed),
        pieges: a.compteurs.pieges.load(Relaxed),
        quarantaine: a.en_quarantaine(),
    }
}

fn catalogue(state: &AppState) -> Result<&std::sync::Arc<crate::plugin::catalogue::Catalogue>, ApiError> {
    state
        .services()
        .catalogue
        .as_ref()
        .ok_or_else(|| ApiError::NotFound("aucun répertoire d'adaptateurs configuré (DUDE_PLUGINS_DIR)".into()))
}

/// Loaded adapters and the last failures.
#[utoipa::path(get, path = "/admin/v1/plugins", tag = "adaptateurs", responses((status = 200, body = Adaptateurs)), security(("bearer" = [])))]
pub async fn lister(State(state): State<AppState>, Admin(_a): Admin) -> Result<Json<Adaptateurs>, ApiError> {
    let c = catalogue(&state)?;
    Ok(Json(Adaptateurs {
        repertoire: c.repertoire.display().to_string(),
        adaptateurs: c.tous().iter().map(|a| info(a)).collect::<Vec<_>>(),
        erreurs: c.erreurs.read().map(|e| e.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(),
    }))
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
    Admin(admin): Admin,
    Query(q): Query<Televersement>,
    Octets(octets): Octets<{ super::COMPOSANT_MAX }>,
) -> Result<(StatusCode, Json<AdaptateurInfo>), ApiError> {
    let nom_ok = q.fichier.ends_with(".wasm")
        && q.fichier.len() <= 64
        && q.fichier.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !q.fichier.starts_with('.');
    if !nom_ok {
        return Err(ApiError::invalid("fichier", "fichier : nom.wasm (lettres, chiffres, - et _)"));
    }
    if !admin.gere_organisations() {
        return Err(interdit(&state, &admin, "admin.adaptateur.televerser".into(), q.fichier).await);
    }
    let c = catalogue(&state)?.clone();
    let fichier = q.fichier.clone();
    let a = tokio::task::spawn_blocking(move || {
        // check in the sandbox before anything is written
        Adaptateur::charger(&c.moteur, &fichier, &octets, None)?;
        let cible = c.repertoire.join(&fichier);
        let tmp = c.repertoire.join(format!(".{fichier}.tmp"));
        std::fs::write(&tmp, &octets).map_err(|e| crate::plugin::PluginError::Hote(e.to_string()))?;
        std::fs::rename(&tmp, &cible).map_err(|e| crate::plugin::PluginError::Hote(e.to_string()))?;
        c.charger_fichier(&cible)
    })
    .await
    .map_err(|e| ApiError::InvalidInput { field: None, message: e.to_string() })?
    .map_err(|e| ApiError::invalid("fichier", e.to_string()))?;
    journaliser(
        &state,
        &admin,
        "admin.adaptateur.televerser".into(),
        format!("{} {} {}", a.nom, a.version, a.sha256),
        None,
        "adaptateurs",
        true,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(info(&a))))
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
    Admin(admin): Admin,
    Path(id): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    entetes: axum::http::HeaderMap,
    Octets(octets): Octets<{ super::TAILLE_MAX }>,
) -> Result<Json<Rapport>, ApiError> {
    let (q, options) = ParametresImport::lire(query.as_deref().unwrap_or(""))?;
    let conv = super::convention_connue(&state, &id)?;
    if !conv.parties.iter().any(|p| admin.gere(p)) {
        return Err(interdit(&state, &admin, "admin.import".into(), id).await);
    }
    let adaptateur =
        catalogue(&state)?.pour(&conv, crate::plugin::Sens::Import).map_err(|e| ApiError::invalid("convention", e))?;
    let limites = crate::plugin::Limites::pour(conv.adaptateur.as_ref());
    // An encrypted archive's password comes in its own header (never logged).
    let mot_de_passe = match entetes.get(EN_TETE_MOT_DE_PASSE) {
        Some(v) => Some(zeroize::Zeroizing::new(
            v.to_str()
                .map_err(|_| ApiError::invalid(EN_TETE_MOT_DE_PASSE, "mot de passe : caractères ASCII attendus"))?
                .to_string(),
        )),
        None => None,
    };
    let (entree, interne) =
        tokio::task::spawn_blocking(move || crate::import::ouvrir_entree(std::io::Cursor::new(octets), mot_de_passe))
            .await
            .map_err(|e| ApiError::InvalidInput { field: None, message: e.to_string() })??;
    let nom = q.nom.clone().unwrap_or_else(|| "fichier".into());
    let nom_fichier = match interne {
        Some(n) => format!("{nom} ({n})"),
        None => nom,
    };
    let rapport = importer(
        state.store(),
        &state.services().journal,
        Demande {
            format: q.format.clone().unwrap_or_else(|| adaptateur.formats.first().cloned().unwrap_or_default()),
            ids: state.ids().clone(),
            convention: conv,
            adaptateur,
            options,
            nom_fichier,
            auteur: admin.identifiant.clone(),
            organisation: admin.organisation.as_ref().map(|o| o.id.clone()),
            request_id: admin.request_id.clone(),
            limites,
        },
        entree,
        None,
    )
    .await?;
    Ok(Json(rapport))
}

/// Whether the administrator manages a party of the convention (unknown convention: 404).
fn convention_geree(state: &AppState, admin: &crate::api::caller::Administrateur, id: &str) -> Result<bool, ApiError> {
    Ok(super::convention_connue(state, id)?.parties.iter().any(|p| admin.gere(p)))
}

/// Files made for the partner's system by the convention's adapter (newest first, 500
/// at most), with the failures and their reasons.
#[utoipa::path(get, path = "/admin/v1/conventions/{id}/exports", tag = "adaptateurs", params(("id" = String, Path)),
    responses((status = 200, body = Vec<crate::store::exports::ExportSortant>),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn exports(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<Vec<crate::store::exports::ExportSortant>>, ApiError> {
    if !convention_geree(&state, &admin, &id)? {
        return Err(interdit(&state, &admin, "admin.exports.lister".into(), id).await);
    }
    Ok(Json(state.store().exports(&id, 500).await?))
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
    Admin(admin): Admin,
    Path((id, export)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    if !convention_geree(&state, &admin, &id)? {
        return Err(interdit(&state, &admin, "admin.exports.recuperer".into(), id).await);
    }
    let now = state.clock().now();
    let (e, contenu) = state
        .store()
        .recuperer_export(&id, &export, now)
        .await?
        .ok_or_else(|| ApiError::NotFound("export inconnu pour cette convention".into()))?;
    let Some(contenu) = contenu else {
        return Err(ApiError::InvalidInput {
            field: None,
            message: format!("export non produit : {}", e.erreur.unwrap_or_default()),
        });
    };
    journaliser(
        &state,
        &admin,
        "admin.exports.recuperer".into(),
        format!("{id}/{export}"),
        None,
        "accompagnement",
        true,
    )
    .await?;
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
