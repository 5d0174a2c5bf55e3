//! The portal's search by name: keyed indexes of the folded nom and prénom beside the
//! NIR's (the names themselves stay in the identity section), with one index on
//! (nom, prénom, date de naissance, département, id): it covers the search, which then
//! reads neither the table nor more entries than its bound, in the index's order.
//! Dossiers stored before this migration get theirs from the running server
//! (`Store::indexer_identites`), which holds the key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("dossier").add_column(string_len_null("nom_index", 64)).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table("dossier").add_column(string_len_null("prenom_index", 64)).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dossier_nom")
                    .table("dossier")
                    .col("nom_index")
                    .col("prenom_index")
                    .col("date_naissance")
                    .col("departement")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_dossier_nom").table("dossier").to_owned()).await?;
        manager.alter_table(Table::alter().table("dossier").drop_column("prenom_index").to_owned()).await?;
        manager.alter_table(Table::alter().table("dossier").drop_column("nom_index").to_owned()).await?;
        Ok(())
    }
}
