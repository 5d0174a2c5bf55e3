//! Heartbeats: each running instance records the minutes it was up, so that a minute in
//! which no instance ran counts as unavailable ("service arrêté").

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sla_battement")
                    .if_not_exists()
                    .col(string_len("instance", 64))
                    .col(timestamp_with_time_zone("minute"))
                    .primary_key(Index::create().col("instance").col("minute"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_sla_battement").table("sla_battement").col("minute").to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("sla_battement").to_owned()).await?;
        Ok(())
    }
}
