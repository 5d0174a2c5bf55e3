//! The authorization rules (casbin `policy.csv`) set through the admin API, kept where
//! every instance reads them: each set is a new version; the newest is in force.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("regles_habilitation")
                    .if_not_exists()
                    .col(big_integer("version").primary_key())
                    .col(text("texte"))
                    .col(string_len("sha256", 64))
                    .col(string_len("deposees_par", 128))
                    .col(timestamp_with_time_zone("deposees_le"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("regles_habilitation").to_owned()).await?;
        Ok(())
    }
}
