//! The portal's sessions, server-side so that several instances share them: the row is
//! keyed by the SHA-256 of the cookie's token (a copy of the table opens no session).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("session_portail")
                    .if_not_exists()
                    .col(string_len("id", 64).primary_key())
                    .col(string_len_null("agent_id", 128))
                    .col(string_len_null("convention_id", 128))
                    .col(string_len("csrf", 64))
                    .col(text("donnees"))
                    .col(timestamp_with_time_zone("cree_le"))
                    .col(timestamp_with_time_zone("vu_le"))
                    .col(timestamp_with_time_zone("expire_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_session_portail_expire").table("session_portail").col("expire_le").to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("session_portail").to_owned()).await?;
        Ok(())
    }
}
