//! The numéro France Travail: a keyed index beside the NIR's, so that France Travail's
//! v2 search by `numeroFranceTravail` finds the dossier (the number itself is in the
//! identity section).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("dossier").add_column(string_len_null("numero_ft_index", 64)).to_owned())
            .await?;
        manager
            .create_index(
                Index::create().name("idx_dossier_numero_ft").table("dossier").col("numero_ft_index").to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_dossier_numero_ft").table("dossier").to_owned()).await?;
        manager.alter_table(Table::alter().table("dossier").drop_column("numero_ft_index").to_owned()).await?;
        Ok(())
    }
}
