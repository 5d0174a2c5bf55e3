//! Writes of an import, in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

use super::entity::{dossier, dossier_section, import_fichier};
use super::{Provenance, Store, StoreError};
use crate::dossier::codes::Coded;
use crate::dossier::{Categorie, Dossier, DossierId};

/// Sections to replace in an existing dossier, with the index columns they move.
#[derive(Debug, Clone)]
pub struct MiseAJour {
    pub id: DossierId,
    pub sections: Vec<(Categorie, String)>,
    pub departement: Option<String>,
    pub rsa_beneficiaire: Option<bool>,
}

/// The record of an imported file.
#[derive(Debug, Clone)]
pub struct FichierImporte {
    pub convention_id: String,
    pub sha256: String,
    pub nom_fichier: String,
    pub adaptateur: String,
    pub crees: i64,
    pub modifies: i64,
    pub inchanges: i64,
    pub refuses: i64,
}

impl Store {
    /// When the same file was last imported under this convention.
    pub async fn import_precedent(&self, convention: &str, sha256: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(import_fichier::Entity::find()
            .filter(import_fichier::Column::ConventionId.eq(convention))
            .filter(import_fichier::Column::Sha256.eq(sha256))
            .order_by_desc(import_fichier::Column::ImporteLe)
            .one(self.connection())
            .await?
            .map(|m| m.importe_le))
    }

    /// Dossiers by NIR index, for many NIRs at once: index → (id, date of birth).
    pub async fn dossiers_par_index(
        &self,
        index: &[String],
    ) -> Result<HashMap<String, Vec<(DossierId, chrono::NaiveDate)>>, StoreError> {
        let mut out: HashMap<String, Vec<(DossierId, chrono::NaiveDate)>> = HashMap::new();
        for chunk in index.chunks(2000) {
            let rows: Vec<(String, String, chrono::NaiveDate)> = dossier::Entity::find()
                .select_only()
                .column(dossier::Column::NirIndex)
                .column(dossier::Column::Id)
                .column(dossier::Column::DateNaissance)
                .filter(dossier::Column::NirIndex.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(self.connection())
                .await?;
            for (ix, id, d) in rows {
                let id = uuid::Uuid::parse_str(&id)
                    .map_err(|e| StoreError::Corrupt { dossier: id.clone(), what: e.to_string() })?;
                out.entry(ix).or_default().push((id, d));
            }
        }
        Ok(out)
    }

    /// Stored JSON of some sections of a dossier.
    pub async fn sections_json(
        &self,
        id: DossierId,
        cats: &[Categorie],
    ) -> Result<HashMap<Categorie, String>, StoreError> {
        let rows = dossier_section::Entity::find()
            .filter(dossier_section::Column::DossierId.eq(id.to_string()))
            .filter(dossier_section::Column::Categorie.is_in(cats.iter().map(|c| c.code())))
            .all(self.connection())
            .await?;
        Ok(rows.into_iter().filter_map(|r| Categorie::from_code(&r.categorie).ok().map(|c| (c, r.donnees))).collect())
    }

    /// Creates and updates dossiers and records the file, all or nothing.
    pub async fn appliquer_import(
        &self,
        nouveaux: &[Dossier],
        index_nouveaux: &[String],
        maj: &[MiseAJour],
        fichier: &FichierImporte,
        prov: &Provenance,
    ) -> Result<(), StoreError> {
        let txn = self.connection().begin().await?;
        self.insert_dossiers_in(&txn, nouveaux, Some(index_nouveaux), prov).await?;
        let now = Utc::now();
        for m in maj {
            let sid = m.id.to_string();
            for (cat, json) in &m.sections {
                super::dossiers::ecrire_section(&txn, &sid, *cat, json.clone(), prov, now).await?;
            }
            let mut u = dossier::Entity::update_many().col_expr(dossier::Column::MajLe, Expr::value(now));
            if let Some(d) = &m.departement {
                u = u.col_expr(dossier::Column::Departement, Expr::value(d.clone()));
            }
            if let Some(r) = m.rsa_beneficiaire {
                u = u.col_expr(dossier::Column::RsaBeneficiaire, Expr::value(r));
            }
            u.filter(dossier::Column::Id.eq(sid.as_str())).exec(&txn).await?;
        }
        import_fichier::Entity::insert(import_fichier::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            convention_id: Set(fichier.convention_id.clone()),
            sha256: Set(fichier.sha256.clone()),
            nom_fichier: Set(fichier.nom_fichier.clone()),
            adaptateur: Set(fichier.adaptateur.clone()),
            importe_le: Set(now),
            crees: Set(fichier.crees),
            modifies: Set(fichier.modifies),
            inchanges: Set(fichier.inchanges),
            refuses: Set(fichier.refuses),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
