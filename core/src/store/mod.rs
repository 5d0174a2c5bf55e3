//! Storage: sea-orm entities and repositories, the only place that speaks SQL.
//! SQLite (one file, WAL) by default; PostgreSQL when the URL says `postgres://`.

pub mod dossiers;
pub mod entity;
pub mod exports;
pub mod grappe;
pub mod habilitations;
pub mod imports;
pub mod journal;
mod masse;
pub mod sessions;
pub mod sla;

use std::path::Path;
use std::time::Duration;

use dude_migrations::MigratorTrait;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

use crate::crypto::keys::MasterKey;
use crate::crypto::nir_vault::{NirVault, VaultError};

pub use dossiers::{CandidatListe, CritereRecherche, IndexIdentite, LignesDossiers, Provenance, SectionStockee};
pub use masse::Horodatage;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données : {0}")]
    Db(#[from] DbErr),
    #[error("dossier {dossier} : donnée stockée illisible ({what})")]
    Corrupt { dossier: String, what: String },
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("URL de base de données non prise en charge : {0} (sqlite://… ou postgres://…)")]
    UnsupportedUrl(String),
    #[error("répertoire de la base {path} : {source}")]
    Io { path: String, source: std::io::Error },
}

/// The database and the NIR vault that guards what goes into it.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    nir_vault: NirVault,
    blob_vault: crate::crypto::blob_vault::BlobVault,
}

impl Store {
    /// Connects (creating the SQLite file and its directory on first run) and applies the
    /// pending migrations.
    pub async fn open(url: &str, master: &MasterKey) -> Result<Self, StoreError> {
        Self::ouvrir(url, master, None).await
    }

    /// [`Store::open`] with at most `connexions` connections in the pool (default:
    /// [`CONNEXIONS_SQLITE`], [`connexions_postgres`]).
    pub async fn ouvrir(url: &str, master: &MasterKey, connexions: Option<u32>) -> Result<Self, StoreError> {
        let db = connect(url, connexions).await?;
        migrer(&db, url).await?;
        if db.get_database_backend() == DbBackend::Sqlite {
            checkpoints(db.clone());
        }
        Ok(Self { db, nir_vault: NirVault::new(master), blob_vault: crate::crypto::blob_vault::BlobVault::new(master) })
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn nir_vault(&self) -> &NirVault {
        &self.nir_vault
    }

    pub fn blob_vault(&self) -> &crate::crypto::blob_vault::BlobVault {
        &self.blob_vault
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Whether a transaction that writes holds the whole database until it ends
    /// (SQLite; PostgreSQL locks rows).
    pub fn un_seul_ecrivain(&self) -> bool {
        self.backend() == DbBackend::Sqlite
    }

    /// `t`, encoded once for the many rows that carry it.
    pub fn horodatage(&self, t: chrono::DateTime<chrono::Utc>) -> Horodatage {
        Horodatage::new(self.backend(), t)
    }

    /// SQLite: copies the whole WAL into the database and truncates it, waiting for the
    /// others' writes (a bulk writer calls it between its batches so that the log stays
    /// bounded; the background checkpoint is passive and may never catch up with it).
    /// Nothing to do on PostgreSQL.
    /// A checkpoint running beside (the background one) makes it answer "busy" at once:
    /// it is asked again until it could truncate (a few seconds at most, then the
    /// background checkpoint is left to catch up). Returns whether the log was truncated.
    pub async fn tronquer_wal(&self) -> Result<bool, StoreError> {
        if self.backend() != DbBackend::Sqlite {
            return Ok(true);
        }
        for _ in 0..TRONCATURE_ESSAIS {
            // one row: busy (1 when it could not finish), frames in the log, frames copied
            let r = self
                .db
                .query_one_raw(sea_orm::Statement::from_string(DbBackend::Sqlite, "PRAGMA wal_checkpoint(TRUNCATE)"))
                .await?;
            let occupe: i64 = r.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
            if occupe == 0 {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tracing::warn!("journal WAL non tronqué : un autre accès le tenait");
        Ok(false)
    }

    /// After a bulk load (`dude demo --count`): the planner's statistics refreshed and,
    /// on PostgreSQL, the visibility map set (`VACUUM (ANALYZE)`), without which an
    /// index-only scan of freshly loaded tables still reads every row it finds (the
    /// monthly lists of the 77 took 17.6 s at 6,000,000 without it; BENCHMARKS.md).
    pub async fn apres_chargement(&self) -> Result<(), StoreError> {
        match self.backend() {
            DbBackend::Postgres => {
                self.db
                    .execute_unprepared("VACUUM (ANALYZE) dossier, dossier_section, inscription_evenement, journal")
                    .await?;
            }
            _ => {
                self.db.execute_unprepared("PRAGMA optimize").await?;
            }
        }
        Ok(())
    }

    /// Database reachable (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("SELECT 1").await?;
        Ok(())
    }
}

/// The key of the PostgreSQL advisory lock held while migrating ("DUDEMIGR").
const VERROU_MIGRATIONS: i64 = 0x4455_4445_4d49_4752;

/// Applies the pending migrations. On PostgreSQL, instances started together migrate
/// one after the other (a session lock on a connection of its own): the first applies,
/// the others find nothing left to do.
async fn migrer(db: &DatabaseConnection, url: &str) -> Result<(), StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        dude_migrations::Migrator::up(db, None).await?;
        // a migration that rewrote a large table leaves its pages in the log: copied
        // and cut now, before anything else reads (a large log slows every opening)
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        return Ok(());
    }
    let mut opt = ConnectOptions::new(url.to_string());
    opt.sqlx_logging(false).max_connections(1).min_connections(1).connect_timeout(Duration::from_secs(10));
    let seule = Database::connect(opt).await?;
    seule.execute_unprepared(&format!("SELECT pg_advisory_lock({VERROU_MIGRATIONS})")).await?;
    let r = dude_migrations::Migrator::up(&seule, None).await;
    let _ = seule.execute_unprepared(&format!("SELECT pg_advisory_unlock({VERROU_MIGRATIONS})")).await;
    let _ = seule.close().await;
    Ok(r?)
}

/// Attempts at truncating the WAL, 20 ms apart.
const TRONCATURE_ESSAIS: usize = 250;

/// How often the SQLite WAL is checkpointed.
const CHECKPOINT: Duration = Duration::from_secs(1);

/// SQLite: copies the WAL into the database every second, in the background (a passive
/// checkpoint: it never waits for readers or writers). With the copy left to whichever
/// write crosses the threshold, a large import's commit waited for its hundreds of
/// megabytes to be copied (BENCHMARKS.md). Runs as long as the runtime does.
fn checkpoints(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut tic = tokio::time::interval(CHECKPOINT);
        tic.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut en_erreur = false;
        loop {
            tic.tick().await;
            match db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
                Ok(_) => en_erreur = false,
                Err(e) if !en_erreur => {
                    en_erreur = true;
                    tracing::warn!(erreur = %e, "checkpoint du journal WAL impossible : nouvel essai chaque seconde");
                }
                Err(_) => {}
            }
        }
    });
}

/// Connections in a SQLite pool by default (one writes at a time; readers in parallel).
pub const CONNEXIONS_SQLITE: u32 = 16;
/// Connections in a PostgreSQL pool by default: four per core of this machine. More
/// connections than the cores can serve only make the server's processes take turns:
/// on 2 cores the API mix served 5,500 req/s with 8, 4,950 with 16 and 4,200 with 32
/// (BENCHMARKS.md).
pub fn connexions_postgres() -> u32 {
    4 * std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(2)
}

/// Opens a pool on `url`, of at most `connexions` connections (default: per database).
pub async fn connect(url: &str, connexions: Option<u32>) -> Result<DatabaseConnection, StoreError> {
    let mut opt = ConnectOptions::new(url.to_string());
    opt.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(10));
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = rest.split('?').next().unwrap_or_default();
        if !path.is_empty()
            && path != ":memory:"
            && let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::Io { path: dir.display().to_string(), source })?;
        }
        let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
        opt = ConnectOptions::new(url);
        opt.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(connexions.unwrap_or(CONNEXIONS_SQLITE))
            .min_connections(1);
        opt.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // 16 KiB pages for new databases (SQLite's default is 4 KiB): a 100,000-row
                // import writes 25–30 % faster (BENCHMARKS.md); existing files keep theirs
                .page_size(16384)
                // 32 MiB of page cache per connection (SQLite's default is 2 MiB): the
                // keyed NIR index is random by nature, imports and the journal touch it
                // all over (pages are allocated as used)
                .pragma("cache_size", "-32768")
                // the WAL is copied into the database by a background task (see
                // `checkpoints`), not by the write that crosses the threshold
                .pragma("wal_autocheckpoint", "0")
                // and its file is cut back to 64 MiB after a large import
                .pragma("journal_size_limit", "67108864")
        });
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        opt.max_connections(connexions.unwrap_or_else(connexions_postgres)).min_connections(1);
    } else {
        return Err(StoreError::UnsupportedUrl(url.split('@').next_back().unwrap_or("").chars().take(60).collect()));
    }
    Ok(Database::connect(opt).await?)
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Statement};

    use super::*;

    async fn pragma(db: &DatabaseConnection, nom: &str) -> i64 {
        let ligne = db
            .query_one_raw(Statement::from_string(DbBackend::Sqlite, format!("PRAGMA {nom}")))
            .await
            .unwrap()
            .unwrap();
        ligne.try_get_by_index::<i64>(0).unwrap()
    }

    #[tokio::test]
    async fn a_new_sqlite_file_gets_16k_pages_and_leaves_the_checkpoint_to_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/sous/dossier/dude.db", dir.path().display());
        let store = Store::open(&url, &MasterKey::from_bytes([1; 32])).await.unwrap();
        let db = store.connection();
        assert_eq!(pragma(db, "page_size").await, 16384);
        assert_eq!(pragma(db, "wal_autocheckpoint").await, 0);
        assert_eq!(pragma(db, "cache_size").await, -32768);
        assert_eq!(pragma(db, "foreign_keys").await, 1);
    }

    #[tokio::test]
    async fn an_unknown_scheme_is_refused_without_echoing_credentials() {
        let Err(e) = connect("mysql://root:secret@db.example/dude", None).await else { panic!("accepted") };
        let texte = e.to_string();
        assert!(texte.contains("db.example/dude"), "{texte}");
        assert!(!texte.contains("secret"), "{texte}");
    }
}
