//! Dossier events sent back to partners' systems through their adapters (the export
//! direction): when France Travail records a bilan of the accompagnement global, each
//! convention that allows exports through its adapter, and whose territory, publics and
//! categories cover the person, gets the file its adapter makes of the event (for SIGMA:
//! the update of the contrat d'insertion). Files are sealed at rest until the partner
//! fetches them (`GET /admin/v1/conventions/{id}/exports/{export}`); a failure is kept
//! with its reason. Every file produced or failed is journaled.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::adaptateur::bindings::dude::adapter::types as t;
use crate::adaptateur::catalogue::Catalogue;
use crate::adaptateur::{AdaptateurError, Sens, tache};
use crate::journal::{Entree, Journal, JournalError};
use crate::store::exports::NouvelExport;
use crate::store::{Store, StoreError};
use dude_modele::dossier::accompagnement::AccompagnementGlobal;
use dude_modele::dossier::codes::Coded;
use dude_modele::dossier::{Categorie, Dossier, DossierId};
use dude_modele::habilitation::convention::{Action, Convention};
use dude_modele::habilitation::perimetre::Personne;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// Kinds of events.
pub const BILAN: &str = "BILAN";

/// Whether a convention receives the events of this person: it allows exports through
/// its adapter, is in force, and its territory, publics and read grants cover them.
fn destinataire(c: &Convention, p: &Personne, today: chrono::NaiveDate) -> bool {
    let Some(r) = &c.adaptateur else { return false };
    if !r.directions.contains(&Sens::Export) || today < c.debut || today > c.fin {
        return false;
    }
    let Some(dep) = &p.departement else { return false };
    c.territoire.couvre(dep)
        && p.dans_publics_de(c, today)
        && [Categorie::Identite, Categorie::Nir, Categorie::AccompagnementGlobal]
            .iter()
            .all(|cat| c.accorde(*cat, Action::Lire))
}

fn evenement(genre: &str, quand: DateTime<Utc>, d: &Dossier) -> t::Evenement {
    let i = &d.identite;
    let global: Option<&AccompagnementGlobal> = d.accompagnement.as_ref().and_then(|a| a.global.as_ref());
    let debut = d.accompagnement.as_ref().map(|a| a.date_debut.to_string());
    t::Evenement {
        kind: genre.into(),
        date: quand.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        identite: t::Identite {
            civilite: Some(i.civilite.code().into()),
            nom: i.nom.clone(),
            nom_naissance: i.nom_naissance.clone(),
            prenom: i.prenom.clone(),
            date_naissance: i.date_naissance.to_string(),
            sexe: Some(i.sexe.code().into()),
            nationalite: i.nationalite.map(|n| n.code().into()),
            nir: Some(d.nir.expose()),
        },
        accompagnement: global.map(|g| t::AccompagnementGlobal {
            date_debut: debut,
            freins: g.freins.iter().map(|f| f.code().into()).collect(),
            motifs_non_integration: g.motifs_non_integration.iter().map(|m| m.code().into()).collect(),
            bilans: g
                .bilans
                .iter()
                .map(|b| t::Bilan {
                    date: b.date.to_string(),
                    resultat: b.resultat.code().into(),
                    decision: b.decision.code().into(),
                    sortie: b.sortie.map(|s| s.code().into()),
                })
                .collect(),
            prolongations: g.prolongations.iter().map(|p| p.to_string()).collect(),
        }),
    }
}

/// One event of a dossier, by whom and when.
pub struct Fait<'a> {
    pub dossier: DossierId,
    pub genre: &'a str,
    pub auteur: &'a str,
    pub request_id: &'a str,
    pub quand: DateTime<Utc>,
}

/// Makes and keeps the files of one event for every convention concerned. Returns the
/// ids of the files (failed ones included).
pub async fn diffuser(
    store: &Store,
    journal: &Journal,
    catalogue: Option<&Arc<Catalogue>>,
    conventions: impl IntoIterator<Item = Arc<Convention>>,
    fait: Fait<'_>,
) -> Result<Vec<String>, ExportError> {
    let Fait { dossier, genre, auteur, request_id, quand } = fait;
    let (Some(p), Some(d)) = (store.personne(dossier, true).await?, store.charger_dossier(dossier).await?) else {
        return Ok(vec![]);
    };
    let mut ids = Vec::new();
    for c in conventions.into_iter().filter(|c| destinataire(c, &p, quand.date_naive())) {
        let r = c.adaptateur.as_ref().expect("destinataire has an adapter");
        let (adaptateur_nom, resultat) = match (catalogue, &r.format_export) {
            (None, _) => (r.nom.clone(), Err("aucun répertoire d'adaptateurs configuré".to_string())),
            (_, None) => (r.nom.clone(), Err(format!("la convention {} ne désigne pas de format d'export", c.id))),
            (Some(cat), Some(format)) => match cat.pour(&c, Sens::Export) {
                Err(e) => (r.nom.clone(), Err(e)),
                Ok(a) => {
                    let ev = evenement(genre, quand, &d);
                    let (a2, format, limites) = (a.clone(), format.clone(), crate::adaptateur::Limites::pour(Some(r)));
                    let res = tokio::task::spawn_blocking(move || tache::exporter(&a2, &format, &ev, &limites))
                        .await
                        .unwrap_or_else(|e| Err(AdaptateurError::Hote(e.to_string())));
                    (format!("{}@{}", a.nom, a.version), res.map_err(|e| e.to_string()))
                }
            },
        };
        let ok = resultat.is_ok();
        let raison = match &resultat {
            Ok(o) => format!("{} octets", o.len()),
            Err(e) => e.clone(),
        };
        if let Err(e) = &resultat {
            tracing::warn!(convention = %c.id, adaptateur = %adaptateur_nom, erreur = %e, "export non produit");
        }
        let format = r.format_export.clone().unwrap_or_default();
        let id = store
            .enregistrer_export(
                NouvelExport {
                    convention_id: &c.id,
                    dossier,
                    genre,
                    adaptateur: &adaptateur_nom,
                    format: &format,
                    resultat,
                },
                quand,
            )
            .await?;
        let raison = if ok { raison } else { format!("échec : {raison}") };
        let e = Entree::export(
            &c,
            &r.nom,
            genre,
            auteur,
            request_id,
            dossier,
            crate::journal::Verdict::de(ok),
            raison,
            quand,
        );
        journal.ecrire(e).await?;
        ids.push(id);
    }
    Ok(ids)
}
