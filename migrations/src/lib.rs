//! DUDE schema migrations, applied at start (`dude migrate`, `dude serve`).
//! Written once for SQLite and PostgreSQL through sea-query.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_dossiers;
mod m20261122_000002_habilitations;
mod m20261122_000003_imports;
mod m20261122_000004_exports;
mod m20261122_000005_sla;
mod m20261122_000006_sla_registre;
mod m20261203_000007_sla_battement;
mod m20261203_000008_numero_france_travail;
mod m20261203_000009_session_portail;
mod m20261204_000010_recherche_par_nom;
mod m20261205_000011_grappe;
mod m20261205_000012_listes_par_index;
mod m20261206_000013_evenements_par_date;
mod m20261207_000014_regles_habilitation;
mod m20261207_000015_journal_sous_chaine;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_dossiers::Migration),
            Box::new(m20261122_000002_habilitations::Migration),
            Box::new(m20261122_000003_imports::Migration),
            Box::new(m20261122_000004_exports::Migration),
            Box::new(m20261122_000005_sla::Migration),
            Box::new(m20261122_000006_sla_registre::Migration),
            Box::new(m20261203_000007_sla_battement::Migration),
            Box::new(m20261203_000008_numero_france_travail::Migration),
            Box::new(m20261203_000009_session_portail::Migration),
            Box::new(m20261204_000010_recherche_par_nom::Migration),
            Box::new(m20261205_000011_grappe::Migration),
            Box::new(m20261205_000012_listes_par_index::Migration),
            Box::new(m20261206_000013_evenements_par_date::Migration),
            Box::new(m20261207_000014_regles_habilitation::Migration),
            Box::new(m20261207_000015_journal_sous_chaine::Migration),
        ]
    }
}
