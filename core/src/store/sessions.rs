//! The portal's sessions (`session_portail`): created, read, changed, ended, purged. The
//! caller gives the row's key (the hash of the cookie's token); what a session holds is
//! the application's (`donnees`, JSON).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter};

use super::entity::session_portail;
use super::{Store, StoreError};

/// A stored session.
#[derive(Debug, Clone, PartialEq)]
pub struct LigneSession {
    pub agent_id: Option<String>,
    pub convention_id: Option<String>,
    pub csrf: String,
    pub donnees: String,
    pub cree_le: DateTime<Utc>,
    pub vu_le: DateTime<Utc>,
    pub expire_le: DateTime<Utc>,
}

fn actif(id: &str, l: &LigneSession) -> session_portail::ActiveModel {
    session_portail::ActiveModel {
        id: Set(id.to_string()),
        agent_id: Set(l.agent_id.clone()),
        convention_id: Set(l.convention_id.clone()),
        csrf: Set(l.csrf.clone()),
        donnees: Set(l.donnees.clone()),
        cree_le: Set(l.cree_le),
        vu_le: Set(l.vu_le),
        expire_le: Set(l.expire_le),
    }
}

impl Store {
    pub async fn creer_session(&self, id: &str, l: &LigneSession) -> Result<(), StoreError> {
        session_portail::Entity::insert(actif(id, l)).exec(self.connection()).await?;
        Ok(())
    }

    pub async fn session(&self, id: &str) -> Result<Option<LigneSession>, StoreError> {
        Ok(session_portail::Entity::find_by_id(id.to_string()).one(self.connection()).await?.map(|m| LigneSession {
            agent_id: m.agent_id,
            convention_id: m.convention_id,
            csrf: m.csrf,
            donnees: m.donnees,
            cree_le: m.cree_le,
            vu_le: m.vu_le,
            expire_le: m.expire_le,
        }))
    }

    /// Replaces what the session holds; `false` when it no longer exists.
    pub async fn modifier_session(&self, id: &str, l: &LigneSession) -> Result<bool, StoreError> {
        let r = session_portail::Entity::update_many()
            .set(actif(id, l))
            .filter(session_portail::Column::Id.eq(id))
            .exec(self.connection())
            .await?;
        Ok(r.rows_affected == 1)
    }

    pub async fn supprimer_session(&self, id: &str) -> Result<(), StoreError> {
        session_portail::Entity::delete_by_id(id.to_string()).exec(self.connection()).await?;
        Ok(())
    }

    /// Removes the sessions past their absolute end or idle since `inactif_avant`;
    /// returns how many.
    pub async fn purger_sessions(
        &self,
        maintenant: DateTime<Utc>,
        inactif_avant: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let r = session_portail::Entity::delete_many()
            .filter(
                session_portail::Column::ExpireLe.lte(maintenant).or(session_portail::Column::VuLe.lt(inactif_avant)),
            )
            .exec(self.connection())
            .await?;
        Ok(r.rows_affected)
    }
}
