//! Files produced for partners' systems, sealed at rest until fetched.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::export_sortant;
use super::{Store, StoreError};
use dude_modele::dossier::DossierId;

/// A file for a partner, or the failure to produce it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportSortant {
    pub id: String,
    pub convention_id: String,
    pub genre: String,
    pub adaptateur: String,
    pub format: String,
    pub cree_le: DateTime<Utc>,
    pub taille: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erreur: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recupere_le: Option<DateTime<Utc>>,
}

/// What to record.
pub struct NouvelExport<'a> {
    pub convention_id: &'a str,
    pub dossier: DossierId,
    pub genre: &'a str,
    pub adaptateur: &'a str,
    pub format: &'a str,
    pub resultat: Result<Vec<u8>, String>,
}

fn vers(m: export_sortant::Model) -> ExportSortant {
    ExportSortant {
        id: m.id,
        convention_id: m.convention_id,
        genre: m.genre,
        adaptateur: m.adaptateur,
        format: m.format,
        cree_le: m.cree_le,
        taille: m.taille,
        sha256: m.sha256,
        erreur: m.erreur,
        recupere_le: m.recupere_le,
    }
}

impl Store {
    pub async fn enregistrer_export(&self, e: NouvelExport<'_>, now: DateTime<Utc>) -> Result<String, StoreError> {
        use sha2::{Digest, Sha256};
        let id = uuid::Uuid::new_v4().to_string();
        let (contenu, taille, sha256, erreur) = match e.resultat {
            Ok(octets) => {
                let sha = hex::encode(Sha256::digest(&octets));
                (Some(self.blob_vault().seal(&octets, id.as_bytes())), octets.len() as i64, Some(sha), None)
            }
            Err(m) => (None, 0, None, Some(m)),
        };
        export_sortant::Entity::insert(export_sortant::ActiveModel {
            id: Set(id.clone()),
            convention_id: Set(e.convention_id.to_string()),
            dossier_id: Set(e.dossier.to_string()),
            genre: Set(e.genre.to_string()),
            adaptateur: Set(e.adaptateur.to_string()),
            format: Set(e.format.to_string()),
            cree_le: Set(now),
            contenu: Set(contenu),
            taille: Set(taille),
            sha256: Set(sha256),
            erreur: Set(erreur),
            recupere_le: Set(None),
        })
        .exec_without_returning(self.connection())
        .await?;
        Ok(id)
    }

    /// The files of a convention, newest first.
    pub async fn exports(&self, convention: &str, limite: u64) -> Result<Vec<ExportSortant>, StoreError> {
        Ok(export_sortant::Entity::find()
            .filter(export_sortant::Column::ConventionId.eq(convention))
            .order_by_desc(export_sortant::Column::CreeLe)
            .limit(limite)
            .all(self.connection())
            .await?
            .into_iter()
            .map(vers)
            .collect())
    }

    /// One file's content, opened, and marked as fetched.
    pub async fn recuperer_export(
        &self,
        convention: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(ExportSortant, Option<Vec<u8>>)>, StoreError> {
        let Some(m) = export_sortant::Entity::find_by_id(id.to_string())
            .filter(export_sortant::Column::ConventionId.eq(convention))
            .one(self.connection())
            .await?
        else {
            return Ok(None);
        };
        let contenu = match &m.contenu {
            Some(c) => Some(self.blob_vault().open(c, m.id.as_bytes()).map_err(|e| StoreError::Corrupt {
                dossier: m.dossier_id.clone(),
                what: format!("export {} : {e}", m.id),
            })?),
            None => None,
        };
        if contenu.is_some() && m.recupere_le.is_none() {
            export_sortant::Entity::update_many()
                .col_expr(export_sortant::Column::RecupereLe, sea_orm::sea_query::Expr::value(now))
                .filter(export_sortant::Column::Id.eq(m.id.clone()))
                .exec(self.connection())
                .await?;
        }
        let mut e = vers(m);
        if contenu.is_some() && e.recupere_le.is_none() {
            e.recupere_le = Some(now);
        }
        Ok(Some((e, contenu)))
    }
}
