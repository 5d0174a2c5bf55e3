//! Files produced for a partner's system by its adapter (dossier events such as a bilan
//! of the accompagnement global), sealed, waiting to be fetched.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("export_sortant")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("convention_id", 64))
                    .col(string_len("dossier_id", 36))
                    .col(string_len("genre", 32))
                    .col(string("adaptateur"))
                    .col(string("format"))
                    .col(timestamp_with_time_zone("cree_le"))
                    .col(blob_null("contenu"))
                    .col(big_integer("taille"))
                    .col(string_len_null("sha256", 64))
                    .col(text_null("erreur"))
                    .col(timestamp_with_time_zone_null("recupere_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_export_convention_date")
                    .table("export_sortant")
                    .col("convention_id")
                    .col("cree_le")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("export_sortant").to_owned()).await
    }
}
