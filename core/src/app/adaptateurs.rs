//! The adapters as administrators see them: what is loaded (version, sha256, counters,
//! last error), the upload of a new version (checked in the sandbox before anything is
//! written, then hot-reloaded by every instance), and the files made for partners'
//! systems (exports).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::habilitations::{interdit, journaliser};
use super::{AppError, Services};
use crate::adaptateur::Adaptateur;
use crate::adaptateur::catalogue::Catalogue;
use crate::habilitation::administrateur::Administrateur;
use crate::store::exports::ExportSortant;

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
    /// Where uploaded adapters go (empty: built-in adapters only).
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

fn catalogue(s: &Services) -> Result<&std::sync::Arc<Catalogue>, AppError> {
    s.catalogue.as_ref().ok_or_else(|| AppError::Inconnu("aucun adaptateur chargé".into()))
}

/// Loaded adapters and the last failures.
pub fn lister(s: &Services) -> Result<Adaptateurs, AppError> {
    let c = catalogue(s)?;
    Ok(Adaptateurs {
        repertoire: c.repertoire.display().to_string(),
        adaptateurs: c.tous().iter().map(|a| info(a)).collect(),
        erreurs: c.erreurs.read().map(|e| e.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(),
    })
}

/// Uploads a new version (France Travail's national administrators): checked in the
/// sandbox first, then written to a temporary file and renamed into place, and kept in
/// the database, from which every other instance installs it into its own directory
/// (each one's watcher then reloads it).
pub async fn televerser(
    s: &Services,
    admin: &Administrateur,
    fichier: &str,
    octets: bytes::Bytes,
) -> Result<AdaptateurInfo, AppError> {
    let nom_ok = fichier.ends_with(".wasm")
        && fichier.len() <= 64
        && fichier.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !fichier.starts_with('.');
    if !nom_ok {
        return Err(AppError::invalide("fichier", "fichier : nom.wasm (lettres, chiffres, - et _)"));
    }
    if !admin.gere_organisations() {
        return Err(interdit(s, admin, "admin.adaptateur.televerser", fichier).await);
    }
    let c = catalogue(s)?.clone();
    if c.repertoire.as_os_str().is_empty() {
        return Err(AppError::invalide(
            "fichier",
            "aucun répertoire d'adaptateurs (DUDE_PLUGINS_DIR) : téléversement impossible",
        ));
    }
    let nom = fichier.to_string();
    let garde = octets.to_vec();
    let a = tokio::task::spawn_blocking(move || {
        // checked in the sandbox before anything is written
        Adaptateur::charger(&c.moteur, &nom, &octets, None)?;
        let cible = c.repertoire.join(&nom);
        let tmp = c.repertoire.join(format!(".{nom}.tmp"));
        std::fs::write(&tmp, &octets).map_err(|e| crate::adaptateur::AdaptateurError::Hote(e.to_string()))?;
        std::fs::rename(&tmp, &cible).map_err(|e| crate::adaptateur::AdaptateurError::Hote(e.to_string()))?;
        c.charger_fichier(&cible)
    })
    .await
    .map_err(|e| AppError::Invalide { champ: None, message: e.to_string() })?
    .map_err(|e| AppError::invalide("fichier", e.to_string()))?;
    // kept where every instance reads it, then installed by each
    s.store.adaptateur_deposer(fichier, &a.sha256, garde, s.clock.now()).await?;
    super::grappe::signaler(s, super::grappe::sujet::ADAPTATEURS).await;
    let objet = format!("{} {} {}", a.nom, a.version, a.sha256);
    journaliser(s, admin, "admin.adaptateur.televerser", &objet, None, "adaptateurs", true).await?;
    Ok(info(&a))
}

/// Whether the administrator manages a party of the convention (unknown: an error).
async fn geree(s: &Services, admin: &Administrateur, id: &str, action: &str) -> Result<(), AppError> {
    match super::habilitations::convention(s, id)?.parties.iter().any(|p| admin.gere(p)) {
        true => Ok(()),
        false => Err(interdit(s, admin, action, id).await),
    }
}

/// Files made for the partner's system by the convention's adapter (newest first, 500
/// at most), with the failures and their reasons.
pub async fn exports(s: &Services, admin: &Administrateur, convention: &str) -> Result<Vec<ExportSortant>, AppError> {
    geree(s, admin, convention, "admin.exports.lister").await?;
    Ok(s.store.exports(convention, 500).await?)
}

/// One file, as the adapter made it (the partner's format); marked as fetched and
/// journaled.
pub async fn export(
    s: &Services,
    admin: &Administrateur,
    convention: &str,
    export: &str,
) -> Result<(ExportSortant, Vec<u8>), AppError> {
    geree(s, admin, convention, "admin.exports.recuperer").await?;
    let (e, contenu) = s
        .store
        .recuperer_export(convention, export, s.clock.now())
        .await?
        .ok_or_else(|| AppError::Inconnu("export inconnu pour cette convention".into()))?;
    let Some(contenu) = contenu else {
        return Err(AppError::Conflit(format!("export non produit : {}", e.erreur.clone().unwrap_or_default())));
    };
    journaliser(s, admin, "admin.exports.recuperer", &format!("{convention}/{export}"), None, "accompagnement", true)
        .await?;
    Ok((e, contenu))
}
