//! Service levels: per-minute aggregates of partner calls, probe results, maintenance and
//! partner-side unavailability windows.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sla_minute")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(timestamp_with_time_zone("minute"))
                    .col(string_len("api", 32))
                    .col(string_len("ressource", 64))
                    .col(string_len("convention_id", 64))
                    .col(string_len("client_id", 64))
                    .col(big_integer("nombre"))
                    .col(big_integer("c2xx"))
                    .col(big_integer("c4xx"))
                    .col(big_integer("c5xx"))
                    .col(big_integer("sous_1s"))
                    .col(blob("latences"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_sla_minute").table("sla_minute").col("minute").to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sla_sonde")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(timestamp_with_time_zone("minute"))
                    .col(string_len("cible", 96))
                    .col(boolean("ok"))
                    .col(big_integer("duree_ms"))
                    .col(text_null("detail"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_sla_sonde").table("sla_sonde").col("minute").to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table("sla_fenetre")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("nature", 16))
                    .col(timestamp_with_time_zone("debut"))
                    .col(timestamp_with_time_zone("fin"))
                    .col(string_len_null("api", 32))
                    .col(string_len_null("convention_id", 64))
                    .col(text("motif"))
                    .col(timestamp_with_time_zone("annonce_le"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["sla_fenetre", "sla_sonde", "sla_minute"] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
