//! Registers of service management: incidents, data breaches, changes, API versions —
//! each a JSON document whose rules live in `dude_core::sla::regles`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sla_registre")
                    .if_not_exists()
                    .col(string_len("id", 64).primary_key())
                    .col(string_len("genre", 16))
                    .col(string_len_null("convention_id", 64))
                    .col(boolean("ouvert"))
                    .col(text("donnees"))
                    .col(timestamp_with_time_zone("cree_le"))
                    .col(timestamp_with_time_zone("maj_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_sla_registre").table("sla_registre").col("genre").col("ouvert").to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("sla_registre").to_owned()).await
    }
}
