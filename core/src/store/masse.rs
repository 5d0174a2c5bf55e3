//! Bulk inserts: one multi-row `INSERT` per chunk, its text built once per table and chunk
//! size, so the driver prepares it once (sqlx caches prepared statements by text) and
//! rows go in without per-row query building. Values shared by every row (provenance,
//! time of an import) are written once into the statement's text as literals, escaped
//! by sea-query for the backend, instead of being bound again for each row. (Numbered
//! parameters shared between rows would do the same, but SQLite looks a named
//! parameter's number up by a linear scan: quadratic in the statement's size.)

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// A time written in many rows: encoded once, cloned per row. For SQLite, the text the
/// driver writes for a `DateTime<Utc>` (RFC 3339), which reads back as the same time.
#[derive(Clone, Debug)]
pub struct Horodatage(Value);

impl Horodatage {
    pub fn new(backend: DbBackend, t: DateTime<Utc>) -> Self {
        match backend {
            DbBackend::Sqlite => Self(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false).into()),
            _ => Self(t.into()),
        }
    }

    pub(crate) fn valeur(&self) -> Value {
        self.0.clone()
    }
}

/// Parameters per statement: below SQLite's limit (32,766) and PostgreSQL's (65,535).
const PARAMETRES_MAX: usize = 30_000;
/// Rows per statement at most.
const LIGNES_MAX: usize = 500;

/// A table written in bulk: the columns each row gives, and columns with one value for
/// every row.
pub(crate) struct Table<'a> {
    pub nom: &'a str,
    pub colonnes: &'a [&'a str],
    pub constantes: Vec<(&'a str, Value)>,
}

impl<'a> Table<'a> {
    pub fn new(nom: &'a str, colonnes: &'a [&'a str]) -> Self {
        Self { nom, colonnes, constantes: Vec::new() }
    }

    /// Column `colonne` is `valeur` in every row.
    pub fn constante(mut self, colonne: &'a str, valeur: impl Into<Value>) -> Self {
        self.constantes.push((colonne, valeur.into()));
        self
    }

    /// Text of the `INSERT` of `lignes` rows: one parameter per row and column, the
    /// constants as literals.
    fn texte(&self, backend: DbBackend, lignes: usize) -> String {
        use sea_orm::sea_query::{MysqlQueryBuilder, PostgresQueryBuilder, QueryBuilder, SqliteQueryBuilder};
        let litteral = |v: &Value| match backend {
            DbBackend::Postgres => PostgresQueryBuilder.value_to_string(v),
            DbBackend::MySql => MysqlQueryBuilder.value_to_string(v),
            _ => SqliteQueryBuilder.value_to_string(v),
        };
        let constantes: String = self.constantes.iter().map(|(_, v)| format!(", {}", litteral(v))).collect();
        let noms = self.colonnes.iter().chain(self.constantes.iter().map(|(c, _)| c));
        let noms: Vec<String> = noms.map(|c| format!("\"{c}\"")).collect();
        let mut sql = format!("INSERT INTO \"{}\" ({}) VALUES ", self.nom, noms.join(", "));
        let mut n = 0;
        for l in 0..lignes {
            sql.push_str(if l == 0 { "(" } else { ", (" });
            for c in 0..self.colonnes.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                if backend == DbBackend::Postgres {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                } else {
                    sql.push('?');
                }
            }
            sql.push_str(&constantes);
            sql.push(')');
        }
        sql
    }
}

/// `ON CONFLICT (cle) DO UPDATE SET c = excluded.c, …` (SQLite ≥ 3.24 and PostgreSQL).
fn conflit(cle: &[&str], remplacees: &[&str]) -> String {
    let cle: Vec<String> = cle.iter().map(|c| format!("\"{c}\"")).collect();
    let set: Vec<String> = remplacees.iter().map(|c| format!("\"{c}\" = excluded.\"{c}\"")).collect();
    format!(" ON CONFLICT ({}) DO UPDATE SET {}", cle.join(", "), set.join(", "))
}

/// Inserts `lignes` (each with one value per column of `table`, in order).
pub(crate) async fn inserer<C: ConnectionTrait>(
    db: &C,
    table: &Table<'_>,
    lignes: impl IntoIterator<Item = Vec<Value>>,
) -> Result<(), DbErr> {
    ecrire(db, table, "", lignes).await
}

/// Inserts `lignes`, or replaces the columns `remplacees` of the rows whose `cle` exists.
pub(crate) async fn inserer_ou_remplacer<C: ConnectionTrait>(
    db: &C,
    table: &Table<'_>,
    cle: &[&str],
    remplacees: &[&str],
    lignes: impl IntoIterator<Item = Vec<Value>>,
) -> Result<(), DbErr> {
    ecrire(db, table, &conflit(cle, remplacees), lignes).await
}

async fn ecrire<C: ConnectionTrait>(
    db: &C,
    table: &Table<'_>,
    suite: &str,
    lignes: impl IntoIterator<Item = Vec<Value>>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let par_ligne = table.colonnes.len().max(1);
    let par_lot = (PARAMETRES_MAX / par_ligne).clamp(1, LIGNES_MAX);
    let debut = || -> Vec<Value> { Vec::with_capacity(par_lot * par_ligne) };
    let mut plein: Option<String> = None;
    let mut valeurs = debut();
    let mut n = 0;
    for ligne in lignes {
        debug_assert_eq!(ligne.len(), table.colonnes.len(), "{} : une valeur par colonne", table.nom);
        valeurs.extend(ligne);
        n += 1;
        if n == par_lot {
            let sql = plein.get_or_insert_with(|| table.texte(backend, par_lot) + suite).clone();
            let lot = std::mem::replace(&mut valeurs, debut());
            db.execute_raw(Statement::from_sql_and_values(backend, sql, lot)).await?;
            n = 0;
        }
    }
    if n > 0 {
        let sql = table.texte(backend, n) + suite;
        db.execute_raw(Statement::from_sql_and_values(backend, sql, valeurs)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_per_row_constants_as_escaped_literals() {
        let t = Table::new("t", &["a", "b"]).constante("c", "l'éco").constante("d", 3);
        assert_eq!(
            t.texte(DbBackend::Sqlite, 2),
            "INSERT INTO \"t\" (\"a\", \"b\", \"c\", \"d\") VALUES (?, ?, 'l''éco', 3), (?, ?, 'l''éco', 3)"
        );
        assert_eq!(
            Table::new("t", &["a"]).constante("c", Option::<String>::None).texte(DbBackend::Postgres, 2),
            "INSERT INTO \"t\" (\"a\", \"c\") VALUES ($1, NULL), ($2, NULL)"
        );
        assert_eq!(
            conflit(&["a"], &["b", "c"]),
            " ON CONFLICT (\"a\") DO UPDATE SET \"b\" = excluded.\"b\", \"c\" = excluded.\"c\""
        );
    }
}
