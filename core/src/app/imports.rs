//! The import of a partner file through its convention's adapter: one use case for the
//! command line (`dude import`) and the administration API. It finds the convention and
//! its adapter, sets the caps the convention gives, opens an encrypted archive with its
//! password, and runs the import pipeline (`crate::import`).

use std::io::{Read, Seek};

use super::{AppError, Services};
use crate::adaptateur::{Limites, Sens};
use crate::habilitation::administrateur::Administrateur;
use crate::import::archive::MotDePasse;
use crate::import::{DemandeImport, Rapport};

/// Who imports.
pub enum Auteur<'a> {
    /// The operator, on the command line.
    Commande,
    /// An administrator of one of the convention's parties.
    Administrateur(&'a Administrateur),
}

/// A file to import.
pub struct Fichier {
    pub convention: String,
    /// Default: the adapter's first format.
    pub format: Option<String>,
    pub options: Vec<(String, String)>,
    /// Its name, for the report.
    pub nom: String,
    /// Of an encrypted 7z/zip archive.
    pub mot_de_passe: Option<MotDePasse>,
}

/// Imports `source`; `progression` is told the bytes read so far.
pub async fn importer<R: Read + Seek + Send + 'static>(
    s: &Services,
    auteur: Auteur<'_>,
    f: Fichier,
    source: R,
    progression: Option<Box<dyn Fn(u64) + Send>>,
) -> Result<Rapport, AppError> {
    let conv = s
        .gardien
        .courant()
        .registre
        .conventions
        .get(&f.convention)
        .cloned()
        .ok_or_else(|| AppError::Inconnu("convention inconnue".into()))?;
    let (nom_auteur, organisation, request_id) = match auteur {
        Auteur::Commande => ("cli".to_string(), None, uuid::Uuid::new_v4().to_string()),
        Auteur::Administrateur(a) => {
            if !conv.parties.iter().any(|p| a.gere(p)) {
                return Err(super::habilitations::interdit(s, a, "admin.import", &f.convention).await);
            }
            (a.identifiant.clone(), a.organisation.as_ref().map(|o| o.id.clone()), a.request_id.clone())
        }
    };
    let catalogue = s.catalogue.as_ref().ok_or_else(|| AppError::Inconnu("aucun adaptateur chargé".into()))?;
    let adaptateur = catalogue.pour(&conv, Sens::Import).map_err(|e| AppError::invalide("convention", e))?;
    let mot_de_passe = f.mot_de_passe;
    let (entree, interne) = tokio::task::spawn_blocking(move || crate::import::ouvrir_entree(source, mot_de_passe))
        .await
        .map_err(|e| AppError::Invalide { champ: None, message: e.to_string() })??;
    let nom_fichier = match interne {
        Some(n) => format!("{} ({n})", f.nom),
        None => f.nom,
    };
    let limites = Limites::pour(conv.adaptateur.as_ref());
    let rapport = crate::import::importer(
        &s.store,
        &s.journal,
        DemandeImport {
            format: f.format.unwrap_or_else(|| adaptateur.formats.first().cloned().unwrap_or_default()),
            ids: s.ids.clone(),
            convention: conv,
            adaptateur,
            options: f.options,
            nom_fichier,
            auteur: nom_auteur,
            organisation,
            request_id,
            limites,
        },
        entree,
        progression,
    )
    .await?;
    // SQLite: the import's transaction left its pages in the write-ahead log, which the
    // background checkpoint copies but cannot cut while writes go on: cut now
    if let Err(e) = s.store.tronquer_wal().await {
        tracing::warn!(erreur = %e, "journal WAL non tronqué après l'import");
    }
    Ok(rapport)
}
