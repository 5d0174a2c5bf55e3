//! Service-level data: per-minute aggregates of partner calls (kept 13 months), probe
//! results, maintenance and partner-side windows.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

use super::entity::{sla_battement, sla_fenetre, sla_minute, sla_sonde};
use super::{Store, StoreError};
use dude_modele::sla::agregat::{Agregat, Cle, histogramme};

/// One stored minute of one key.
#[derive(Debug, Clone)]
pub struct LigneMinute {
    pub minute: DateTime<Utc>,
    pub api: String,
    pub ressource: String,
    pub convention: String,
    pub client: String,
    pub agregat: Agregat,
}

/// A window excluded from availability.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fenetre {
    #[serde(default)]
    pub id: String,
    /// `maintenance` (announced by the operator) or `partenaire` (partner-side
    /// unavailability, for one convention).
    pub nature: String,
    pub debut: DateTime<Utc>,
    pub fin: DateTime<Utc>,
    /// One API (its code), or all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convention: Option<String>,
    pub motif: String,
    #[serde(default = "Utc::now")]
    pub annonce_le: DateTime<Utc>,
}

/// One probe result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultatSonde {
    pub minute: DateTime<Utc>,
    pub cible: String,
    pub ok: bool,
    pub duree_ms: i64,
    pub detail: Option<String>,
}

fn serialiser(h: &hdrhistogram::Histogram<u64>) -> Vec<u8> {
    let mut v = Vec::new();
    use hdrhistogram::serialization::Serializer;
    let _ = hdrhistogram::serialization::V2Serializer::new().serialize(h, &mut v);
    v
}

impl Store {
    /// Writes minutes that are over, in one transaction.
    pub async fn sla_ecrire_minutes(&self, lignes: &[(Cle, Agregat)]) -> Result<(), StoreError> {
        if lignes.is_empty() {
            return Ok(());
        }
        let txn = self.connection().begin().await?;
        for chunk in lignes.chunks(200) {
            let modeles = chunk.iter().map(|(k, a)| sla_minute::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                minute: Set(DateTime::from_timestamp(k.minute, 0).unwrap_or_default()),
                api: Set(dude_modele::dossier::codes::Coded::code(k.api).to_string()),
                ressource: Set(k.ressource.to_string()),
                convention_id: Set(k.convention.clone()),
                client_id: Set(k.client.clone()),
                nombre: Set(a.nombre as i64),
                c2xx: Set(a.c2xx as i64),
                c4xx: Set(a.c4xx as i64),
                c5xx: Set(a.c5xx as i64),
                sous_1s: Set(a.sous_1s as i64),
                latences: Set(serialiser(&a.latences)),
            });
            sla_minute::Entity::insert_many(modeles).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Stored minutes in `[debut, fin)`, optionally of one convention.
    pub async fn sla_minutes(
        &self,
        debut: DateTime<Utc>,
        fin: DateTime<Utc>,
        convention: Option<&str>,
    ) -> Result<Vec<LigneMinute>, StoreError> {
        let mut q = sla_minute::Entity::find()
            .filter(sla_minute::Column::Minute.gte(debut))
            .filter(sla_minute::Column::Minute.lt(fin));
        if let Some(c) = convention {
            q = q.filter(sla_minute::Column::ConventionId.eq(c));
        }
        let mut d = hdrhistogram::serialization::Deserializer::new();
        Ok(q.order_by_asc(sla_minute::Column::Minute)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|m| {
                let latences = d.deserialize(&mut std::io::Cursor::new(&m.latences)).unwrap_or_else(|_| histogramme());
                LigneMinute {
                    minute: m.minute,
                    api: m.api,
                    ressource: m.ressource,
                    convention: m.convention_id,
                    client: m.client_id,
                    agregat: Agregat {
                        nombre: m.nombre as u64,
                        c2xx: m.c2xx as u64,
                        c4xx: m.c4xx as u64,
                        c5xx: m.c5xx as u64,
                        sous_1s: m.sous_1s as u64,
                        latences,
                    },
                }
            })
            .collect())
    }

    pub async fn sla_ecrire_sonde(&self, r: &ResultatSonde) -> Result<(), StoreError> {
        sla_sonde::Entity::insert(sla_sonde::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            minute: Set(r.minute),
            cible: Set(r.cible.clone()),
            ok: Set(r.ok),
            duree_ms: Set(r.duree_ms),
            detail: Set(r.detail.clone()),
        })
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }

    pub async fn sla_sondes(&self, debut: DateTime<Utc>, fin: DateTime<Utc>) -> Result<Vec<ResultatSonde>, StoreError> {
        Ok(sla_sonde::Entity::find()
            .filter(sla_sonde::Column::Minute.gte(debut))
            .filter(sla_sonde::Column::Minute.lt(fin))
            .order_by_asc(sla_sonde::Column::Minute)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|m| ResultatSonde {
                minute: m.minute,
                cible: m.cible,
                ok: m.ok,
                duree_ms: m.duree_ms,
                detail: m.detail,
            })
            .collect())
    }

    pub async fn sla_ajouter_fenetre(&self, f: &Fenetre) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        sla_fenetre::Entity::insert(sla_fenetre::ActiveModel {
            id: Set(id.clone()),
            nature: Set(f.nature.clone()),
            debut: Set(f.debut),
            fin: Set(f.fin),
            api: Set(f.api.clone()),
            convention_id: Set(f.convention.clone()),
            motif: Set(f.motif.clone()),
            annonce_le: Set(f.annonce_le),
        })
        .exec_without_returning(self.connection())
        .await?;
        Ok(id)
    }

    /// Windows that overlap `[debut, fin)`.
    pub async fn sla_fenetres(&self, debut: DateTime<Utc>, fin: DateTime<Utc>) -> Result<Vec<Fenetre>, StoreError> {
        Ok(sla_fenetre::Entity::find()
            .filter(sla_fenetre::Column::Debut.lt(fin))
            .filter(sla_fenetre::Column::Fin.gt(debut))
            .order_by_asc(sla_fenetre::Column::Debut)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|m| Fenetre {
                id: m.id,
                nature: m.nature,
                debut: m.debut,
                fin: m.fin,
                api: m.api,
                convention: m.convention_id,
                motif: m.motif,
                annonce_le: m.annonce_le,
            })
            .collect())
    }

    /// Drops what is older than `avant` (the 13 months kept).
    pub async fn sla_purger(&self, avant: DateTime<Utc>) -> Result<u64, StoreError> {
        let a = sla_minute::Entity::delete_many()
            .filter(sla_minute::Column::Minute.lt(avant))
            .exec(self.connection())
            .await?;
        let b = sla_sonde::Entity::delete_many()
            .filter(sla_sonde::Column::Minute.lt(avant))
            .exec(self.connection())
            .await?;
        // the first heartbeat ever is kept: it dates the service's start
        let premier = self.sla_premier_battement().await?;
        let c = sla_battement::Entity::delete_many()
            .filter(sla_battement::Column::Minute.lt(avant))
            .filter(sla_battement::Column::Minute.ne(premier.unwrap_or(avant)))
            .exec(self.connection())
            .await?;
        Ok(a.rows_affected + b.rows_affected + c.rows_affected)
    }

    /// Records that `instance` runs during `minute` (idempotent).
    pub async fn sla_battre(&self, instance: &str, minute: DateTime<Utc>) -> Result<(), StoreError> {
        use sea_orm::sea_query::OnConflict;
        sla_battement::Entity::insert(sla_battement::ActiveModel {
            instance: Set(instance.into()),
            minute: Set(minute),
        })
        .on_conflict(
            OnConflict::columns([sla_battement::Column::Instance, sla_battement::Column::Minute])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }

    /// The minutes of `[debut, fin)` in which at least one instance ran (Unix seconds).
    pub async fn sla_battements(
        &self,
        debut: DateTime<Utc>,
        fin: DateTime<Utc>,
    ) -> Result<std::collections::HashSet<i64>, StoreError> {
        use sea_orm::QuerySelect;
        Ok(sla_battement::Entity::find()
            .select_only()
            .column(sla_battement::Column::Minute)
            .distinct()
            .filter(sla_battement::Column::Minute.gte(debut))
            .filter(sla_battement::Column::Minute.lt(fin))
            .into_tuple::<DateTime<Utc>>()
            .all(self.connection())
            .await?
            .into_iter()
            .map(|m| m.timestamp())
            .collect())
    }

    /// The first minute any instance ever ran: the start of the service.
    pub async fn sla_premier_battement(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(sla_battement::Entity::find()
            .order_by_asc(sla_battement::Column::Minute)
            .one(self.connection())
            .await?
            .map(|m| m.minute))
    }
}

/// A document of a service-management register.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub genre: String,
    pub convention: Option<String>,
    pub ouvert: bool,
    pub donnees: String,
    pub cree_le: DateTime<Utc>,
    pub maj_le: DateTime<Utc>,
}

impl Store {
    /// Inserts or replaces a document.
    pub async fn sla_enregistrer(&self, d: &Document) -> Result<(), StoreError> {
        use super::entity::sla_registre::{ActiveModel, Column, Entity};
        use sea_orm::sea_query::OnConflict;
        Entity::insert(ActiveModel {
            id: Set(d.id.clone()),
            genre: Set(d.genre.clone()),
            convention_id: Set(d.convention.clone()),
            ouvert: Set(d.ouvert),
            donnees: Set(d.donnees.clone()),
            cree_le: Set(d.cree_le),
            maj_le: Set(d.maj_le),
        })
        .on_conflict(
            OnConflict::column(Column::Id).update_columns([Column::Ouvert, Column::Donnees, Column::MajLe]).to_owned(),
        )
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }

    pub async fn sla_document(&self, genre: &str, id: &str) -> Result<Option<Document>, StoreError> {
        use super::entity::sla_registre::{Column, Entity};
        Ok(Entity::find_by_id(id.to_string())
            .filter(Column::Genre.eq(genre))
            .one(self.connection())
            .await?
            .map(document))
    }

    /// Documents of a kind, newest first; only open ones with `ouverts`.
    pub async fn sla_documents(
        &self,
        genre: &str,
        ouverts: bool,
        convention: Option<&str>,
    ) -> Result<Vec<Document>, StoreError> {
        use super::entity::sla_registre::{Column, Entity};
        let mut q = Entity::find().filter(Column::Genre.eq(genre));
        if ouverts {
            q = q.filter(Column::Ouvert.eq(true));
        }
        if let Some(c) = convention {
            q = q.filter(Column::ConventionId.eq(c));
        }
        Ok(q.order_by_desc(Column::CreeLe).all(self.connection()).await?.into_iter().map(document).collect())
    }
}

fn document(m: super::entity::sla_registre::Model) -> Document {
    Document {
        id: m.id,
        genre: m.genre,
        convention: m.convention_id,
        ouvert: m.ouvert,
        donnees: m.donnees,
        cree_le: m.cree_le,
        maj_le: m.maj_le,
    }
}
