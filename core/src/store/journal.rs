//! Journal rows.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    Value,
};
use uuid::Uuid;

use super::entity::journal;
use super::{Store, StoreError};
use dude_modele::journal::{Chaine, Entree, EntreeChainee};

const COLONNES: [&str; 15] = [
    "seq",
    "horodatage",
    "request_id",
    "agent",
    "organisation",
    "client",
    "convention",
    "dossier",
    "action",
    "categories",
    "finalite",
    "decision",
    "raison",
    "hash_precedent",
    "hash",
];

/// Columns that differ from one entry to the next by nature.
const PROPRES: [&str; 5] = ["seq", "dossier", "raison", "hash_precedent", "hash"];

/// An entry's columns, in the order of [`COLONNES`].
fn valeurs(c: &EntreeChainee) -> Vec<Value> {
    let e = &c.entree;
    vec![
        c.seq.into(),
        e.horodatage.into(),
        e.request_id.clone().into(),
        e.agent.clone().into(),
        e.organisation.clone().into(),
        e.client.clone().into(),
        e.convention.clone().into(),
        e.dossier.map(|d| d.to_string()).into(),
        e.action.clone().into(),
        e.categories.clone().into(),
        e.finalite.clone().into(),
        e.decision.code().into(),
        e.raison.clone().into(),
        c.hash_precedent.clone().into(),
        c.hash.clone().into(),
    ]
}

/// Inserts chained entries into the main chain (in the caller's transaction when an
/// import anchors its sub-chain), or into a sub-chain (`Some(chaine)`: an import's, in
/// its transaction; their sequence numbers are the ranks in the sub-chain). The columns
/// equal in every entry of the batch (an import's author, convention, action, time…)
/// are bound once.
pub(super) async fn inserer_dans(
    db: &impl ConnectionTrait,
    sous_chaine: Option<&str>,
    lot: &[EntreeChainee],
) -> Result<(), sea_orm::DbErr> {
    let Some(premier) = lot.first().map(valeurs) else {
        return Ok(());
    };
    let mut colonnes = COLONNES;
    if sous_chaine.is_some() {
        colonnes[0] = "rang";
    }
    let lignes: Vec<Vec<Value>> = lot.iter().map(valeurs).collect();
    let constante: Vec<bool> = (0..COLONNES.len())
        .map(|c| !PROPRES.contains(&COLONNES[c]) && lignes.iter().all(|l| l[c] == premier[c]))
        .collect();
    let variables: Vec<&str> = colonnes.iter().zip(&constante).filter(|(_, k)| !**k).map(|(c, _)| *c).collect();
    let mut table = match sous_chaine {
        None => super::masse::Table::new("journal", &variables),
        Some(id) => super::masse::Table::new("journal_sous_chaine", &variables).constante("chaine", id),
    };
    for (c, v) in colonnes.iter().zip(premier).zip(&constante).filter(|(_, k)| **k).map(|(x, _)| x) {
        table = table.constante(c, v);
    }
    let lignes =
        lignes.into_iter().map(|l| l.into_iter().zip(&constante).filter(|(_, k)| !**k).map(|(v, _)| v).collect());
    super::masse::inserer(db, &table, lignes).await
}

/// A sub-chain's columns, named as the main chain's (its rank as `seq`).
const SOUS_CHAINE: &str = "SELECT rang AS seq, horodatage, request_id, agent, organisation, client, convention, \
    dossier, action, categories, finalite, decision, raison, hash_precedent, hash FROM journal_sous_chaine";

/// The key of the PostgreSQL advisory lock that sequences the journal ("DUDEJOUR").
const VERROU_JOURNAL: i64 = 0x4455_4445_4a4f_5552;

/// The head as the transaction `db` sees it.
async fn tete_dans(db: &impl ConnectionTrait) -> Result<Option<(i64, String)>, sea_orm::DbErr> {
    Ok(journal::Entity::find().order_by_desc(journal::Column::Seq).limit(1).one(db).await?.map(|m| (m.seq, m.hash)))
}

/// Sequences `entrees` after the head and inserts them, in the caller's transaction:
/// the database orders the writers. On PostgreSQL a transaction-scoped advisory lock is
/// taken first, so that every instance appends after the head the previous writer
/// committed (the lock is released by the commit or the rollback); on SQLite the
/// transaction's write lock does the same. Returns the chained entries.
pub(super) async fn ajouter_dans(
    db: &impl ConnectionTrait,
    entrees: Vec<Entree>,
) -> Result<Vec<EntreeChainee>, sea_orm::DbErr> {
    if entrees.is_empty() {
        return Ok(Vec::new());
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [VERROU_JOURNAL.into()],
        ))
        .await?;
    }
    let mut chaine = Chaine::depuis(tete_dans(db).await?);
    let chainees: Vec<EntreeChainee> = entrees.into_iter().map(|e| chaine.chainer(e)).collect();
    inserer_dans(db, None, &chainees).await?;
    Ok(chainees)
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
            decision: dude_modele::journal::Verdict::depuis_code(&m.decision),
            raison: m.raison,
        },
        hash_precedent: m.hash_precedent,
        hash: m.hash,
    }
}

impl Store {
    /// Last sequence number and hash.
    pub async fn journal_tete(&self) -> Result<Option<(i64, String)>, StoreError> {
        Ok(tete_dans(self.connection()).await?)
    }

    /// The journal's name: the hash of its first entry (`None` while it is empty).
    pub async fn journal_identite(&self) -> Result<Option<String>, StoreError> {
        Ok(journal::Entity::find().filter(journal::Column::Seq.eq(1)).one(self.connection()).await?.map(|m| m.hash))
    }

    /// Sequences a batch after the committed head and commits it, in one transaction
    /// (see [`ajouter_dans`]); returns the chained entries.
    pub async fn journal_ajouter(&self, lot: Vec<Entree>) -> Result<Vec<EntreeChainee>, StoreError> {
        let txn = self.connection().begin().await?;
        let chainees = ajouter_dans(&txn, lot).await?;
        txn.commit().await?;
        Ok(chainees)
    }

    /// Inserts entries chained elsewhere, as they are (the tests that rewrite a chain).
    pub async fn journal_inserer(&self, lot: &[EntreeChainee]) -> Result<(), StoreError> {
        let txn = self.connection().begin().await?;
        inserer_dans(&txn, None, lot).await?;
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

    /// A sub-chain's entries after rank `apres`, in order (their `seq` is their rank).
    pub async fn journal_sous_chaine(
        &self,
        chaine: &str,
        apres: i64,
        limit: u64,
    ) -> Result<Vec<EntreeChainee>, StoreError> {
        let sql = format!("{SOUS_CHAINE} WHERE chaine = $1 AND rang > $2 ORDER BY rang LIMIT $3");
        let valeurs: Vec<Value> = vec![chaine.into(), apres.into(), (limit as i64).into()];
        let stmt = sea_orm::Statement::from_sql_and_values(self.backend(), sql, valeurs);
        Ok(journal::Model::find_by_statement(stmt).all(self.connection()).await?.into_iter().map(chainee).collect())
    }

    /// The identifiers of the sub-chains present (anchored or not).
    pub async fn journal_sous_chaines(&self) -> Result<Vec<String>, StoreError> {
        #[derive(sea_orm::FromQueryResult)]
        struct Ligne {
            chaine: String,
        }
        let stmt = sea_orm::Statement::from_string(
            self.backend(),
            "SELECT DISTINCT chaine FROM journal_sous_chaine ORDER BY chaine",
        );
        Ok(Ligne::find_by_statement(stmt).all(self.connection()).await?.into_iter().map(|l| l.chaine).collect())
    }

    /// Every entry about a dossier, the main chain's and the sub-chains', in time order.
    pub async fn journal_dossier(&self, dossier: Uuid) -> Result<Vec<EntreeChainee>, StoreError> {
        let mut tout: Vec<EntreeChainee> = journal::Entity::find()
            .filter(journal::Column::Dossier.eq(dossier.to_string()))
            .order_by_asc(journal::Column::Seq)
            .all(self.connection())
            .await?
            .into_iter()
            .map(chainee)
            .collect();
        let sql = format!("{SOUS_CHAINE} WHERE dossier = $1 ORDER BY horodatage, rang");
        let stmt = sea_orm::Statement::from_sql_and_values(self.backend(), sql, [dossier.to_string().into()]);
        tout.extend(journal::Model::find_by_statement(stmt).all(self.connection()).await?.into_iter().map(chainee));
        // stable: each chain's order within the same instant
        tout.sort_by_key(|c| c.entree.horodatage);
        Ok(tout)
    }
}
