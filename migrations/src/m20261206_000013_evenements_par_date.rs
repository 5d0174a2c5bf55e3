//! The events of a window read from one index: (date, dossier) instead of (date), so
//! that the monthly lists can take the window's dossiers from a range of the index and
//! join them with the département's RSA beneficiaries (`idx_dossier_listes`) by hashing,
//! instead of probing each beneficiary's events: at 6,000,000 dossiers on PostgreSQL,
//! 450,000 probes into the events' index, read cold, took most of the first list's 12.7 s
//! (BENCHMARKS.md). The index on (date) is a prefix of the new one: dropped.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_evenement_date_dossier")
                    .table("inscription_evenement")
                    .if_not_exists()
                    .col("date")
                    .col("dossier_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_evenement_date").table("inscription_evenement").if_exists().to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name("idx_evenement_date").table("inscription_evenement").col("date").to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_evenement_date_dossier").table("inscription_evenement").to_owned())
            .await?;
        Ok(())
    }
}
