//! Several instances on one database: the leases that make background work run once
//! across them, and the adapters uploaded through one instance, kept where every
//! instance reads them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // a background task's lease: held by one instance until `expire_ms` (Unix
        // milliseconds), renewed by its holder, taken by another once expired
        manager
            .create_table(
                Table::create()
                    .table("bail")
                    .if_not_exists()
                    .col(string_len("nom", 64).primary_key())
                    .col(string_len("titulaire", 128))
                    .col(big_integer("expire_ms"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("adaptateur_depose")
                    .if_not_exists()
                    .col(string_len("fichier", 64).primary_key())
                    .col(string_len("sha256", 64))
                    .col(blob("octets"))
                    .col(timestamp_with_time_zone("depose_le"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("adaptateur_depose").to_owned()).await?;
        manager.drop_table(Table::drop().table("bail").to_owned()).await?;
        Ok(())
    }
}
