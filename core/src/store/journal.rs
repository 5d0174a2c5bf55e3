//! Journal rows.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use uuid::Uuid;

use super::entity::journal;
use super::{Store, StoreError};
use crate::journal::{Entree, EntreeChainee};

fn row(c: &EntreeChainee) -> journal::ActiveModel {
    let e = &c.entree;
    journal::ActiveModel {
        seq: Set(c.seq),
        horodatage: Set(e.horodatage),
        request_id: Set(e.request_id.clone()),
        agent: Set(e.agent.clone()),
        organisation: Set(e.organisation.clone()),
        client: Set(e.client.clone()),
        convention: Set(e.convention.clone()),
        dossier: Set(e.dossier.map(|d| d.to_string())),
        action: Set(e.action.clone()),
        categories: Set(e.categories.clone()),
        finalite: Set(e.finalite.clone()),
        decision: Set(e.decision.clone()),
        raison: Set(e.raison.clone()),
        hash_precedent: Set(c.hash_precedent.clone()),
        hash: Set(c.hash.clone()),
    }
}

fn chainee(m: journal::Model) -> EntreeChainee {
    EntreeChainee {
        seq: m.seq,
        entree: Entree {
            horodatage: m.horodatage,
            request_id: m.request_id,
            agent: m.agent,
            organisation: m.organisation,
            client: m.client,
            convention: m.convention,
            dossier: m.dossier.as_deref().and_then(|d| Uuid::parse_str(d).ok()),
            action: m.action,
            categories: m.categories,
            finalite: m.finalite,
            decision: m.decision,
            raison: m.raison,
        },
        hash_precedent: m.hash_precedent,
        hash: m.hash,
    }
}

impl Store {
    /// Last sequence number and hash.
    pub async fn journal_tete(&self) -> Result<Option<(i64, String)>, StoreError> {
        Ok(journal::Entity::find()
            .order_by_desc(journal::Column::Seq)
            .limit(1)
            .one(self.connection())
            .await?
            .map(|m| (m.seq, m.hash)))
    }

    /// Inserts a chained batch in one transaction.
    pub async fn journal_inserer(&self, lot: &[EntreeChainee]) -> Result<(), StoreError> {
        let txn = self.connection().begin().await?;
        for chunk in lot.chunks(200) {
            journal::Entity::insert_many(chunk.iter().map(row)).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Entries after `after_seq`, in order.
    pub async fn journal_page(&self, after_seq: i64, limit: u64) -> Result<Vec<EntreeChainee>, StoreError> {
        Ok(journal::Entity::find()
            .filter(journal::Column::Seq.gt(after_seq))
            .order_by_asc(journal::Column::Seq)
            .limit(limit)
            .all(self.connection())
            .await?
            .into_iter()
            .map(chainee)
            .collect())
    }

    /// Every entry about a dossier.
    pub async fn journal_dossier(&self, dossier: Uuid) -> Result<Vec<EntreeChainee>, StoreError> {
        Ok(journal::Entity::find()
            .filter(journal::Column::Dossier.eq(dossier.to_string()))
            .order_by_asc(journal::Column::Seq)
            .all(self.connection())
            .await?
            .into_iter()
            .map(chainee)
            .collect())
    }
}
