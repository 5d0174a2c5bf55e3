//! Organisations, conventions, agents, API clients and the hash-chained access journal.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisation")
                    .if_not_exists()
                    .col(string_len("id", 64).primary_key())
                    .col(string("nom"))
                    .col(string_len("type_organisation", 32))
                    // JSON list of département codes
                    .col(text("departements"))
                    .col(string_len_null("parent", 64))
                    .col(timestamp_with_time_zone("maj_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("convention")
                    .if_not_exists()
                    .col(string_len("id", 64).primary_key())
                    // the whole convention as JSON (parties, territories, publics, categories,
                    // purposes, dates, MFA, retention, breach notice, SLA, adapter)
                    .col(text("donnees"))
                    .col(timestamp_with_time_zone("maj_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("agent")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("organisation_id", 64))
                    // one account per person: the identifier is unique
                    .col(string_len_uniq("identifiant", 128))
                    .col(string("nom"))
                    .col(string("prenom"))
                    .col(string_null("courriel"))
                    .col(string_len("role", 32))
                    .col(date("habilitation_debut"))
                    .col(date("habilitation_fin"))
                    .col(date_null("certification"))
                    .col(timestamp_with_time_zone_null("revoque_le"))
                    .col(timestamp_with_time_zone("maj_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_client")
                    .if_not_exists()
                    .col(string_len("client_id", 64).primary_key())
                    .col(string("nom"))
                    // Argon2id PHC string
                    .col(string("secret_hash"))
                    .col(string_len("organisation_id", 64))
                    .col(string_len("convention_id", 64))
                    .col(text("scopes"))
                    .col(timestamp_with_time_zone_null("revoque_le"))
                    .col(timestamp_with_time_zone("maj_le"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("journal")
                    .if_not_exists()
                    .col(big_integer("seq").primary_key())
                    .col(timestamp_with_time_zone("horodatage"))
                    .col(string_len("request_id", 64))
                    .col(string_len_null("agent", 128))
                    .col(string_len_null("organisation", 64))
                    .col(string_len_null("client", 64))
                    .col(string_len_null("convention", 64))
                    .col(string_len_null("dossier", 36))
                    .col(string_len("action", 64))
                    .col(string("categories"))
                    .col(string_null("finalite"))
                    .col(string_len("decision", 8))
                    .col(string("raison"))
                    .col(string_len("hash_precedent", 64))
                    .col(string_len("hash", 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_journal_dossier").table("journal").col("dossier").to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["journal", "api_client", "agent", "convention", "organisation"] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
