//! Files imported through an adapter: what, under which convention, with which result.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("import_fichier")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("convention_id", 64))
                    .col(string_len("sha256", 64))
                    .col(string("nom_fichier"))
                    .col(string("adaptateur"))
                    .col(timestamp_with_time_zone("importe_le"))
                    .col(big_integer("crees"))
                    .col(big_integer("modifies"))
                    .col(big_integer("inchanges"))
                    .col(big_integer("refuses"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_import_convention_sha")
                    .table("import_fichier")
                    .col("convention_id")
                    .col("sha256")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("import_fichier").to_owned()).await
    }
}
