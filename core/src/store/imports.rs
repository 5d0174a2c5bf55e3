//! Reads and writes of an import: look-ups by NIR index, then one transaction holding the
//! new and updated dossiers, the record of the file and the journal entries (the
//! import's sub-chain, anchored in the main chain by one entry just before the commit).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use super::dossiers::LignesDossiers;
use super::entity::{dossier, dossier_section, import_fichier};
use super::{Provenance, Store, StoreError};
use dude_modele::dossier::codes::Coded;
use dude_modele::dossier::{Categorie, DossierId};
use dude_modele::journal::{Ancrage, Chaine, Entree};

/// Sections to replace in an existing dossier, with the index columns they move.
#[derive(Debug, Clone)]
pub struct MiseAJour {
    pub id: DossierId,
    pub sections: Vec<(Categorie, String)>,
    pub departement: Option<String>,
    pub rsa_beneficiaire: Option<bool>,
    /// The look-up indexes of the identity, when it changed.
    pub index_identite: Option<super::dossiers::IndexIdentite>,
}

/// The record of an imported file.
#[derive(Debug, Clone)]
pub struct FichierImporte {
    pub convention_id: String,
    pub sha256: String,
    pub nom_fichier: String,
    pub adaptateur: String,
    pub crees: i64,
    pub modifies: i64,
    pub inchanges: i64,
    pub refuses: i64,
}

impl Store {
    /// When the same file was last imported under this convention.
    pub async fn import_precedent(&self, convention: &str, sha256: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(import_fichier::Entity::find()
            .filter(import_fichier::Column::ConventionId.eq(convention))
            .filter(import_fichier::Column::Sha256.eq(sha256))
            .order_by_desc(import_fichier::Column::ImporteLe)
            .one(self.connection())
            .await?
            .map(|m| m.importe_le))
    }

    /// Dossiers by NIR index, for many NIRs at once: index → (id, date of birth).
    pub async fn dossiers_par_index(
        &self,
        index: &[String],
    ) -> Result<HashMap<String, Vec<(DossierId, chrono::NaiveDate)>>, StoreError> {
        let mut out: HashMap<String, Vec<(DossierId, chrono::NaiveDate)>> = HashMap::new();
        for chunk in index.chunks(2000) {
            let rows: Vec<(String, String, chrono::NaiveDate)> = dossier::Entity::find()
                .select_only()
                .column(dossier::Column::NirIndex)
                .column(dossier::Column::Id)
                .column(dossier::Column::DateNaissance)
                .filter(dossier::Column::NirIndex.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(self.connection())
                .await?;
            for (ix, id, d) in rows {
                let id = uuid::Uuid::parse_str(&id)
                    .map_err(|e| StoreError::Corrupt { dossier: id.clone(), what: e.to_string() })?;
                out.entry(ix).or_default().push((id, d));
            }
        }
        Ok(out)
    }

    /// Stored JSON of some sections of several dossiers at once: dossier → category →
    /// JSON (a dossier without any of them is absent).
    pub async fn sections_json(
        &self,
        ids: &[DossierId],
        cats: &[Categorie],
    ) -> Result<HashMap<DossierId, HashMap<Categorie, String>>, StoreError> {
        let mut out: HashMap<DossierId, HashMap<Categorie, String>> = HashMap::new();
        for chunk in ids.chunks(2000) {
            let rows = dossier_section::Entity::find()
                .filter(dossier_section::Column::DossierId.is_in(chunk.iter().map(DossierId::to_string)))
                .filter(dossier_section::Column::Categorie.is_in(cats.iter().map(|c| c.code())))
                .all(self.connection())
                .await?;
            for r in rows {
                let id = uuid::Uuid::parse_str(&r.dossier_id)
                    .map_err(|e| StoreError::Corrupt { dossier: r.dossier_id.clone(), what: e.to_string() })?;
                if let Ok(c) = Categorie::from_code(&r.categorie) {
                    out.entry(id).or_default().insert(c, r.donnees);
                }
            }
        }
        Ok(out)
    }

    /// Opens the transaction of an import: everything it writes, journal included, is
    /// committed by [`EcritureImport::terminer`] or rolled back when dropped.
    pub async fn commencer_import(&self, prov: Provenance) -> Result<EcritureImport, StoreError> {
        let now = Utc::now();
        let sous_chaine = uuid::Uuid::new_v4().to_string();
        Ok(EcritureImport {
            txn: self.connection().begin().await?,
            store: self.clone(),
            prov,
            now,
            horodatage: self.horodatage(now),
            chaine: Ancrage::chaine(&sous_chaine),
            sous_chaine,
            modele: None,
        })
    }
}

/// Updates per statement (7 parameters each).
const MAJ_CHUNK: usize = 1000;

/// What an import writes for a group of records.
pub struct LotImport {
    pub nouveaux: LignesDossiers,
    pub maj: Vec<MiseAJour>,
}

impl LotImport {
    /// No rows, the same provenance and time.
    pub fn vide(&self) -> Self {
        Self { nouveaux: self.nouveaux.vide(), maj: Vec::new() }
    }
}

/// The writes of one import, in one transaction, made as the file is read.
pub struct EcritureImport {
    txn: DatabaseTransaction,
    store: Store,
    prov: Provenance,
    now: DateTime<Utc>,
    horodatage: super::Horodatage,
    /// The import's sub-chain of journal entries: its identifier and its end.
    sous_chaine: String,
    chaine: Chaine,
    /// The first entry, model of the anchor.
    modele: Option<Entree>,
}

impl EcritureImport {
    /// When the import's rows say they were written.
    pub fn maintenant(&self) -> DateTime<Utc> {
        self.now
    }

    /// An empty group of this import's provenance and time.
    pub fn lot(&self) -> LotImport {
        LotImport { nouveaux: LignesDossiers::new(self.prov.clone(), self.horodatage.clone()), maj: Vec::new() }
    }

    /// Chains journal entries at the end of the import's sub-chain and inserts them
    /// (the main chain is not held: see [`EcritureImport::terminer`]).
    pub async fn journaliser(&mut self, entrees: Vec<Entree>) -> Result<(), StoreError> {
        if self.modele.is_none() {
            self.modele = entrees.first().cloned();
        }
        let chainees: Vec<_> = entrees.into_iter().map(|e| self.chaine.chainer(e)).collect();
        super::journal::inserer_dans(&self.txn, Some(&self.sous_chaine), &chainees).await?;
        Ok(())
    }

    /// Writes a group: new dossiers, updated sections.
    pub async fn ecrire(&self, lot: LotImport) -> Result<(), StoreError> {
        self.store.inserer_lignes(&self.txn, lot.nouveaux).await?;
        if lot.maj.is_empty() {
            return Ok(());
        }
        let mut sections = Vec::new();
        for m in &lot.maj {
            let sid = m.id.to_string();
            for (cat, json) in &m.sections {
                sections.push(vec![sid.clone().into(), cat.code().into(), json.clone().into()]);
            }
        }
        super::masse::inserer_ou_remplacer(
            &self.txn,
            &super::dossiers::table_sections(&self.prov, &self.horodatage),
            &["dossier_id", "categorie"],
            &["donnees", "source", "auteur", "maj_le"],
            sections,
        )
        .await?;
        for chunk in lot.maj.chunks(MAJ_CHUNK) {
            self.colonnes(chunk).await?;
        }
        Ok(())
    }

    /// The dossier columns a group of updates moves (time, département, RSA, identity
    /// indexes), in one statement: `UPDATE … FROM` a list of values, where a NULL
    /// département or RSA keeps the stored one and `ix` says whether the identity's
    /// indexes are replaced (a new one may be NULL).
    async fn colonnes(&self, maj: &[MiseAJour]) -> Result<(), StoreError> {
        const TYPES: [&str; 7] = ["text", "text", "boolean", "boolean", "text", "text", "text"];
        let backend = self.txn.get_database_backend();
        let mut valeurs: Vec<sea_orm::Value> = vec![self.horodatage.valeur()];
        let mut lignes = Vec::with_capacity(maj.len());
        for m in maj {
            let ix = m.index_identite.as_ref();
            let marques: Vec<String> = TYPES
                .iter()
                .enumerate()
                .map(|(k, t)| match backend {
                    sea_orm::DbBackend::Postgres => format!("${}::{t}", valeurs.len() + 1 + k),
                    _ => "?".to_string(),
                })
                .collect();
            lignes.push(format!("({})", marques.join(", ")));
            valeurs.extend([
                m.id.to_string().into(),
                m.departement.clone().into(),
                m.rsa_beneficiaire.into(),
                ix.is_some().into(),
                ix.map(|i| i.nom.clone()).into(),
                ix.map(|i| i.prenom.clone()).into(),
                ix.and_then(|i| i.numero_france_travail.clone()).into(),
            ]);
        }
        let maj_le = match backend {
            sea_orm::DbBackend::Postgres => "$1",
            _ => "?",
        };
        let garde = |c: &str| format!("{c} = CASE WHEN v.ix THEN v.{c} ELSE dossier.{c} END");
        let sql = format!(
            "WITH v(id, departement, rsa, ix, nom_index, prenom_index, numero_ft_index) AS (VALUES {}) \
             UPDATE dossier SET maj_le = {maj_le}, departement = COALESCE(v.departement, dossier.departement), \
             rsa_beneficiaire = COALESCE(v.rsa, dossier.rsa_beneficiaire), {}, {}, {} \
             FROM v WHERE dossier.id = v.id",
            lignes.join(", "),
            garde("nom_index"),
            garde("prenom_index"),
            garde("numero_ft_index"),
        );
        self.txn.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, valeurs)).await?;
        Ok(())
    }

    /// Records the file, anchors the sub-chain in the main chain (one entry naming it,
    /// counting its entries and carrying its head's hash) and commits everything.
    /// Returns how long the main chain was held.
    pub async fn terminer(self, fichier: &FichierImporte) -> Result<std::time::Duration, StoreError> {
        import_fichier::Entity::insert(import_fichier::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            convention_id: Set(fichier.convention_id.clone()),
            sha256: Set(fichier.sha256.clone()),
            nom_fichier: Set(fichier.nom_fichier.clone()),
            adaptateur: Set(fichier.adaptateur.clone()),
            importe_le: Set(self.now),
            crees: Set(fichier.crees),
            modifies: Set(fichier.modifies),
            inchanges: Set(fichier.inchanges),
            refuses: Set(fichier.refuses),
        })
        .exec_without_returning(&self.txn)
        .await?;
        // last: the main chain is held from here to the commit
        let tenue = std::time::Instant::now();
        if let Some(modele) = &self.modele {
            let (entrees, tete) = self.chaine.tete();
            let ancrage = Ancrage { chaine: self.sous_chaine.clone(), entrees, tete };
            super::journal::ajouter_dans(&self.txn, vec![ancrage.entree(modele)]).await?;
        }
        self.txn.commit().await?;
        Ok(tenue.elapsed())
    }
}
