//! The journal's sub-chains: an import's entries, chained among themselves while it
//! writes and anchored in the main chain by one entry at its commit (so the main chain
//! is held for that one entry, not for the import's every row: 15 s for 2,000,000 rows
//! at national size, during which every other journal writer waited).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("journal_sous_chaine")
                    .if_not_exists()
                    .col(string_len("chaine", 36))
                    .col(big_integer("rang"))
                    .col(timestamp_with_time_zone("horodatage"))
                    .col(string_len("request_id", 64))
                    .col(string_len_null("agent", 128))
                    .col(string_len_null("organisation", 64))
                    .col(string_len_null("client", 64))
                    .col(string_len_null("convention", 64))
                    .col(string_len_null("dossier", 36))
                    .col(string_len("action", 64))
                    .col(string("categories"))
                    .col(string_null("finalite"))
                    .col(string_len("decision", 8))
                    .col(string("raison"))
                    .col(string_len("hash_precedent", 64))
                    .col(string_len("hash", 64))
                    .primary_key(Index::create().col("chaine").col("rang"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_journal_sous_chaine_dossier")
                    .table("journal_sous_chaine")
                    .col("dossier")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("journal_sous_chaine").to_owned()).await?;
        Ok(())
    }
}
