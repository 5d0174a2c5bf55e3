//! Dossiers: one row per person (indexes only, the NIR encrypted), one row per data
//! category (the stored group of fields with its provenance), and the dated registration
//! events.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dossier")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    // HMAC-SHA256 of the NIR (hex), keyed: the look-up index
                    .col(string_len("nir_index", 64))
                    // AES-256-GCM-SIV nonce + ciphertext (base64)
                    .col(string("nir_chiffre"))
                    .col(date("date_naissance"))
                    // derived from the contact section, for territory and monthly lists
                    .col(string_len_null("departement", 3))
                    .col(boolean("rsa_beneficiaire").default(false))
                    .col(timestamp_with_time_zone("cree_le"))
                    .col(timestamp_with_time_zone("maj_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_dossier_nir_index").table("dossier").col("nir_index").to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dossier_departement_rsa")
                    .table("dossier")
                    .col("departement")
                    .col("rsa_beneficiaire")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("dossier_section")
                    .if_not_exists()
                    .col(string_len("dossier_id", 36))
                    .col(string_len("categorie", 32))
                    // the group of fields, as canonical JSON
                    .col(text("donnees"))
                    // provenance: organisation / system / adapter and version
                    .col(string("source"))
                    .col(string_null("auteur"))
                    .col(timestamp_with_time_zone("maj_le"))
                    .primary_key(Index::create().col("dossier_id").col("categorie"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_section_dossier")
                            .from("dossier_section", "dossier_id")
                            .to("dossier", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("inscription_evenement")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string_len("dossier_id", 36))
                    // order of the event in the person's history (same-day events keep it)
                    .col(integer("seq"))
                    .col(date("date"))
                    .col(string_len("evenement", 16))
                    .col(string_len_null("categorie", 4))
                    .col(string_len_null("motif_inscription", 8))
                    .col(string_len_null("situation", 8))
                    .col(string_len_null("motif_cloture", 8))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_evenement_dossier")
                            .from("inscription_evenement", "dossier_id")
                            .to("dossier", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evenement_dossier_seq")
                    .table("inscription_evenement")
                    .col("dossier_id")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_evenement_date").table("inscription_evenement").col("date").to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["inscription_evenement", "dossier_section", "dossier"] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
