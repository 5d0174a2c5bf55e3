//! Several instances on one database: the leases that make background work run once
//! across them, the notice of a change sent to every instance (PostgreSQL
//! `LISTEN/NOTIFY`), and the adapters uploaded through one of them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

use super::{Store, StoreError};

/// The channel of change notices.
pub const CANAL: &str = "dude_changements";

fn maintenant_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// A lease as stored: its holder and the end of its term (Unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Bail {
    pub nom: String,
    pub titulaire: String,
    pub expire_ms: i64,
}

impl Store {
    fn requete(&self, sql: &str, valeurs: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(self.backend(), sql, valeurs)
    }

    /// Takes the lease `nom` for `titulaire` for `duree`, or renews it if `titulaire`
    /// holds it; true when `titulaire` holds it now. A lease whose term has passed is
    /// anyone's: the database decides between instances that ask at once.
    pub async fn bail_prendre(&self, nom: &str, titulaire: &str, duree: Duration) -> Result<bool, StoreError> {
        let t = maintenant_ms();
        let r = self
            .connection()
            .execute_raw(self.requete(
                "INSERT INTO bail (nom, titulaire, expire_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (nom) DO UPDATE SET titulaire = excluded.titulaire, expire_ms = excluded.expire_ms \
                 WHERE bail.titulaire = excluded.titulaire OR bail.expire_ms < $4",
                vec![nom.into(), titulaire.into(), (t + duree.as_millis() as i64).into(), t.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Gives back every lease `titulaire` holds (at shutdown): another instance takes
    /// each without waiting for its term.
    pub async fn baux_rendre(&self, titulaire: &str) -> Result<(), StoreError> {
        self.connection()
            .execute_raw(self.requete("DELETE FROM bail WHERE titulaire = $1", vec![titulaire.into()]))
            .await?;
        Ok(())
    }

    /// Every lease, held or lapsed.
    pub async fn baux(&self) -> Result<Vec<Bail>, StoreError> {
        Ok(Bail::find_by_statement(self.requete("SELECT nom, titulaire, expire_ms FROM bail ORDER BY nom", vec![]))
            .all(self.connection())
            .await?)
    }

    /// Tells every instance that `sujet` changed (PostgreSQL: `NOTIFY`, delivered at
    /// the commit; SQLite: one instance only, nothing to tell).
    pub async fn notifier(&self, sujet: &str) -> Result<(), StoreError> {
        if self.backend() == DbBackend::Postgres {
            self.connection()
                .execute_raw(self.requete("SELECT pg_notify($1, $2)", vec![CANAL.into(), sujet.into()]))
                .await?;
        }
        Ok(())
    }

    /// The notices of the other instances (and this one's), as they arrive; `"*"` after
    /// the listening connection was lost and found again (notices may have been missed).
    /// `None` on SQLite.
    pub async fn ecouter(&self) -> Result<Option<tokio::sync::mpsc::Receiver<String>>, StoreError> {
        if self.backend() != DbBackend::Postgres {
            return Ok(None);
        }
        let pool = self.connection().get_postgres_connection_pool();
        let mut ecoute = sea_orm::sqlx::postgres::PgListener::connect_with(pool)
            .await
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        ecoute.listen(CANAL).await.map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        let (tx, rx) = tokio::sync::mpsc::channel(256);
        tokio::spawn(async move {
            loop {
                let sujet = match ecoute.try_recv().await {
                    Ok(Some(n)) => n.payload().to_string(),
                    Ok(None) => "*".to_string(),
                    Err(e) => {
                        tracing::warn!(erreur = %e, "écoute des changements interrompue : nouvel essai");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        "*".to_string()
                    }
                };
                if tx.send(sujet).await.is_err() {
                    return; // nobody listens any more
                }
            }
        });
        Ok(Some(rx))
    }

    /// Keeps an uploaded adapter where every instance reads it (replacing the file's
    /// previous version).
    pub async fn adaptateur_deposer(
        &self,
        fichier: &str,
        sha256: &str,
        octets: Vec<u8>,
        le: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let table = super::masse::Table::new("adaptateur_depose", &["fichier", "sha256", "octets", "depose_le"]);
        super::masse::inserer_ou_remplacer(
            self.connection(),
            &table,
            &["fichier"],
            &["sha256", "octets", "depose_le"],
            [vec![fichier.into(), sha256.into(), octets.into(), self.horodatage(le).valeur()]],
        )
        .await?;
        Ok(())
    }

    /// The uploaded adapters: file name and SHA-256.
    pub async fn adaptateurs_deposes(&self) -> Result<Vec<(String, String)>, StoreError> {
        #[derive(FromQueryResult)]
        struct Ligne {
            fichier: String,
            sha256: String,
        }
        Ok(Ligne::find_by_statement(
            self.requete("SELECT fichier, sha256 FROM adaptateur_depose ORDER BY fichier", vec![]),
        )
        .all(self.connection())
        .await?
        .into_iter()
        .map(|l| (l.fichier, l.sha256))
        .collect())
    }

    /// An uploaded adapter's bytes.
    pub async fn adaptateur_octets(&self, fichier: &str) -> Result<Option<Vec<u8>>, StoreError> {
        #[derive(FromQueryResult)]
        struct Ligne {
            octets: Vec<u8>,
        }
        Ok(Ligne::find_by_statement(
            self.requete("SELECT octets FROM adaptateur_depose WHERE fichier = $1", vec![fichier.into()]),
        )
        .one(self.connection())
        .await?
        .map(|l| l.octets))
    }
}
