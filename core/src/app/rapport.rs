//! The access report for the person concerned (RGPD art. 15): the data held, with its
//! provenance, and who accessed it, when and why. For the data protection officer; the
//! report itself is journaled before it is made.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::habilitations::{interdit, journaliser};
use super::{AppError, Services};
use crate::dossier::Nir;
use crate::habilitation::administrateur::Administrateur;
use crate::store::SectionStockee;

/// One access to the dossier.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Acces {
    pub horodatage: DateTime<Utc>,
    pub organisation: Option<String>,
    pub agent: Option<String>,
    pub convention: Option<String>,
    pub finalite: Option<String>,
    pub action: String,
    pub categories: String,
    pub decision: String,
    pub raison: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RapportAcces {
    pub dossier: Uuid,
    pub etabli_le: DateTime<Utc>,
    /// NIR, first seven characters only.
    pub nir_partiel: String,
    /// The data held, per category, with its provenance.
    pub donnees: Vec<SectionStockee>,
    #[schema(value_type = Object)]
    pub historique_inscription: serde_json::Value,
    pub acces: Vec<Acces>,
}

/// The internal ids of a person's dossiers (to answer a request of that person).
pub async fn rechercher_dossiers(
    s: &Services,
    admin: &Administrateur,
    nir: &Nir,
    naissance: NaiveDate,
) -> Result<Vec<Uuid>, AppError> {
    if !admin.dpo() {
        return Err(interdit(s, admin, "admin.dossier.rechercher", "dossiers").await);
    }
    let dossiers = s.store.dossiers_par_nir(nir, naissance).await?;
    for id in &dossiers {
        journaliser(s, admin, "admin.dossier.rechercher", "droit d'accès", Some(*id), "nir,identite", true).await?;
    }
    Ok(dossiers)
}

/// The report of a dossier.
pub async fn rapport_acces(s: &Services, admin: &Administrateur, id: Uuid) -> Result<RapportAcces, AppError> {
    if !admin.dpo() {
        return Err(interdit(s, admin, "admin.rapport-acces", &id.to_string()).await);
    }
    let Some(d) = s.store.charger_dossier(id).await? else {
        return Err(AppError::Inconnu("dossier inconnu".into()));
    };
    // The report itself reads personal data: journaled first.
    journaliser(s, admin, "admin.rapport-acces", "droit d'accès (RGPD art. 15)", Some(id), "toutes", true).await?;
    let acces = s
        .store
        .journal_dossier(id)
        .await?
        .into_iter()
        .map(|c| Acces {
            horodatage: c.entree.horodatage,
            organisation: c.entree.organisation,
            agent: c.entree.agent,
            convention: c.entree.convention,
            finalite: c.entree.finalite,
            action: c.entree.action,
            categories: c.entree.categories,
            decision: c.entree.decision.code().into(),
            raison: c.entree.raison,
        })
        .collect();
    Ok(RapportAcces {
        dossier: id,
        etabli_le: s.clock.now(),
        nir_partiel: d.nir.partial(),
        donnees: s.store.sections(id, None).await?,
        historique_inscription: serde_json::to_value(d.inscription.historique.evenements()).unwrap_or_default(),
        acces,
    })
}

/// The accesses as CSV (`;`).
pub fn acces_en_csv(acces: &[Acces]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    w.write_record([
        "horodatage",
        "organisation",
        "agent",
        "convention",
        "finalite",
        "action",
        "categories",
        "decision",
        "raison",
    ])?;
    for a in acces {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        w.write_record([
            a.horodatage.to_rfc3339(),
            o(&a.organisation),
            o(&a.agent),
            o(&a.convention),
            o(&a.finalite),
            a.action.clone(),
            a.categories.clone(),
            a.decision.clone(),
            a.raison.clone(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
