//! The dossier repository: dossiers, their sections (one per data category, with
//! provenance) and registration events.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use futures::{StreamExt, TryStreamExt};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionOptions, TransactionTrait,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::entity::{dossier, dossier_section, inscription_evenement};
use super::{Store, StoreError};
use dude_modele::dossier::codes::Coded;
use dude_modele::dossier::contact::Contact;
use dude_modele::dossier::identite::Identite;
use dude_modele::dossier::inscription::{EvenementInscription, HistoriqueInscription};
use dude_modele::dossier::rsa::Rsa;
use dude_modele::dossier::{Categorie, Dossier, DossierId, IdentiteSection, Inscription, Nir};

/// Where a group of fields comes from: organisation, system or adapter and version, author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub source: String,
    pub auteur: Option<String>,
}

impl Provenance {
    pub fn new(source: impl Into<String>, auteur: Option<String>) -> Self {
        Self { source: source.into(), auteur }
    }
}

/// A stored group of fields with its provenance.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionStockee {
    pub categorie: String,
    #[schema(value_type = Object)]
    pub donnees: serde_json::Value,
    pub source: String,
    pub auteur: Option<String>,
    pub maj_le: chrono::DateTime<Utc>,
}

/// What a monthly list needs of a candidate.
#[derive(Debug, Clone)]
pub struct CandidatListe {
    pub id: DossierId,
    pub identite: Identite,
    pub contact: Option<Contact>,
    pub rsa: Option<Rsa>,
    pub historique: HistoriqueInscription,
}

/// The keyed look-up indexes an identity gives its dossier (the values stay in the
/// identity section): folded nom and prénom, numéro France Travail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexIdentite {
    pub nom: String,
    pub prenom: String,
    pub numero_france_travail: Option<String>,
}

/// How a person is looked for by the portal's search.
#[derive(Debug, Clone, Copy)]
pub enum CritereRecherche<'a> {
    Nir(&'a Nir),
    Nom { nom: &'a str, prenom: &'a str, date_naissance: Option<NaiveDate> },
    NumeroFranceTravail(&'a str),
}

/// The `inscription` section stores what the events do not: the last monthly update.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct InscriptionSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    derniere_actualisation: Option<NaiveDate>,
}

const INSERT_CHUNK: usize = 400;
/// Chunks of a monthly list's candidates read at once.
const LECTURES_SIMULTANEES: usize = 4;

fn corrupt(id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt { dossier: id.to_string(), what: what.to_string() }
}

fn sections_of(d: &Dossier) -> Result<Vec<(Categorie, String)>, serde_json::Error> {
    use serde_json::to_string as j;
    let mut out = vec![(
        Categorie::Identite,
        j(&IdentiteSection { identite: d.identite.clone(), situation: d.situation.clone() })?,
    )];
    if let Some(c) = &d.contact {
        out.push((Categorie::Contact, j(c)?));
    }
    if d.inscription.derniere_actualisation.is_some() {
        out.push((
            Categorie::Inscription,
            j(&InscriptionSection { derniere_actualisation: d.inscription.derniere_actualisation })?,
        ));
    }
    if let Some(r) = &d.rsa {
        out.push((Categorie::Rsa, j(r)?));
    }
    if let Some(o) = &d.orientation {
        out.push((Categorie::Orientation, j(o)?));
    }
    if !d.diagnostic.besoins_par_diagnostic.is_empty() || !d.diagnostic.diagnostics.is_empty() {
        out.push((Categorie::Diagnostic, j(&d.diagnostic)?));
    }
    if !d.contraintes.contraintes.is_empty() || d.contraintes.date_exploration.is_some() {
        out.push((Categorie::Contraintes, j(&d.contraintes)?));
    }
    if let Some(p) = &d.pouvoir_agir {
        out.push((Categorie::PouvoirAgir, j(p)?));
    }
    if !d.metiers_recherches.is_empty() {
        out.push((Categorie::MetiersRecherches, j(&d.metiers_recherches)?));
    }
    if !d.projets_creation.is_empty() {
        out.push((Categorie::ProjetsCreation, j(&d.projets_creation)?));
    }
    if let Some(a) = &d.accompagnement {
        out.push((Categorie::AccompagnementGlobal, j(a)?));
    }
    if !d.echanges.is_empty() {
        out.push((Categorie::ContactsEchanges, j(&d.echanges)?));
    }
    if !d.rendez_vous.0.is_empty() {
        out.push((Categorie::RendezVous, j(&d.rendez_vous)?));
    }
    Ok(out)
}

/// Rows of new dossiers, prepared off the database's thread, inserted in bulk; all of
/// one provenance and time.
pub struct LignesDossiers {
    prov: Provenance,
    maj_le: super::Horodatage,
    dossiers: Vec<Vec<sea_orm::Value>>,
    sections: Vec<Vec<sea_orm::Value>>,
    evenements: Vec<Vec<sea_orm::Value>>,
}

impl LignesDossiers {
    pub fn new(prov: Provenance, maj_le: super::Horodatage) -> Self {
        Self { prov, maj_le, dossiers: Vec::new(), sections: Vec::new(), evenements: Vec::new() }
    }

    /// No rows, the same provenance and time.
    pub fn vide(&self) -> Self {
        Self::new(self.prov.clone(), self.maj_le.clone())
    }
}

/// The sections table for bulk writes: each row gives dossier, category and JSON; the
/// provenance and time are the same for all.
pub(super) fn table_sections<'a>(prov: &Provenance, maj_le: &super::Horodatage) -> super::masse::Table<'a> {
    super::masse::Table::new("dossier_section", &["dossier_id", "categorie", "donnees"])
        .constante("source", prov.source.clone())
        .constante("auteur", prov.auteur.clone())
        .constante("maj_le", maj_le.valeur())
}

/// An event's columns, in the order of [`Store::inserer_lignes`].
fn event_values(id: &str, seq: usize, e: &EvenementInscription) -> Vec<sea_orm::Value> {
    let code = |c: Option<&'static str>| c.map(str::to_string).into();
    vec![
        id.to_string().into(),
        (seq as i32).into(),
        e.date.into(),
        e.evenement.code().into(),
        code(e.categorie.map(|c| c.code())),
        code(e.motif_inscription.map(|c| c.code())),
        code(e.situation.map(|c| c.code())),
        code(e.motif_cloture.map(|c| c.code())),
    ]
}

fn event_of(r: &inscription_evenement::Model) -> Result<EvenementInscription, StoreError> {
    let c = |what: &str, e: dude_modele::dossier::codes::UnknownCode| corrupt(&r.dossier_id, format!("{what}: {e}"));
    Ok(EvenementInscription {
        date: r.date,
        evenement: Coded::from_code(&r.evenement).map_err(|e| c("evenement", e))?,
        categorie: r.categorie.as_deref().map(Coded::from_code).transpose().map_err(|e| c("categorie", e))?,
        motif_inscription: r
            .motif_inscription
            .as_deref()
            .map(Coded::from_code)
            .transpose()
            .map_err(|e| c("motif_inscription", e))?,
        situation: r.situation.as_deref().map(Coded::from_code).transpose().map_err(|e| c("situation", e))?,
        motif_cloture: r
            .motif_cloture
            .as_deref()
            .map(Coded::from_code)
            .transpose()
            .map_err(|e| c("motif_cloture", e))?,
    })
}

fn historique_of(id: &str, rows: &[inscription_evenement::Model]) -> Result<HistoriqueInscription, StoreError> {
    let events = rows.iter().map(event_of).collect::<Result<Vec<_>, _>>()?;
    HistoriqueInscription::from_events(events).map_err(|e| corrupt(id, e))
}

/// Inserts or replaces one section with its provenance.
pub(super) async fn ecrire_section(
    db: &impl sea_orm::ConnectionTrait,
    sid: &str,
    cat: Categorie,
    json: String,
    prov: &Provenance,
    now: chrono::DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    dossier_section::Entity::insert(dossier_section::ActiveModel {
        dossier_id: Set(sid.to_string()),
        categorie: Set(cat.code().to_string()),
        donnees: Set(json),
        source: Set(prov.source.clone()),
        auteur: Set(prov.auteur.clone()),
        maj_le: Set(now),
    })
    .on_conflict(
        OnConflict::columns([dossier_section::Column::DossierId, dossier_section::Column::Categorie])
            .update_columns([
                dossier_section::Column::Donnees,
                dossier_section::Column::Source,
                dossier_section::Column::Auteur,
                dossier_section::Column::MajLe,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn parse_section<T: DeserializeOwned>(id: &str, cat: Categorie, json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| corrupt(id, format!("section {}: {e}", cat.code())))
}

impl Store {
    /// Inserts new dossiers, their sections and histories in one transaction.
    pub async fn inserer_dossiers(&self, dossiers: &[Dossier], prov: &Provenance) -> Result<(), StoreError> {
        let mut lignes = LignesDossiers::new(prov.clone(), self.horodatage(Utc::now()));
        for d in dossiers {
            self.preparer_dossier(&mut lignes, d, None)?;
        }
        let txn = self.connection().begin().await?;
        self.inserer_lignes(&txn, lignes).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds the rows of a new dossier to `lignes` (NIR encrypted, sections serialised):
    /// the work done before the database is asked. `nir_index` when the caller already
    /// computed it.
    pub fn preparer_dossier(
        &self,
        lignes: &mut LignesDossiers,
        d: &Dossier,
        nir_index: Option<String>,
    ) -> Result<(), StoreError> {
        let id = d.id.to_string();
        for (cat, json) in sections_of(d).map_err(|e| corrupt(&id, e))? {
            lignes.sections.push(vec![id.clone().into(), cat.code().into(), json.into()]);
        }
        for (i, e) in d.inscription.historique.evenements().iter().enumerate() {
            lignes.evenements.push(event_values(&id, i + 1, e));
        }
        let nir_index = nir_index.unwrap_or_else(|| self.nir_vault().index(&d.nir));
        let ix = self.index_identite(&d.identite);
        lignes.dossiers.push(vec![
            id.into(),
            nir_index.into(),
            self.nir_vault().encrypt(&d.nir).into(),
            d.identite.date_naissance.into(),
            d.departement().map(|x| x.as_str().to_string()).into(),
            d.beneficiaire_rsa().into(),
            ix.numero_france_travail.into(),
            ix.nom.into(),
            ix.prenom.into(),
        ]);
        Ok(())
    }

    /// Inserts prepared rows on `db` (the caller's transaction).
    pub async fn inserer_lignes(&self, db: &impl ConnectionTrait, lignes: LignesDossiers) -> Result<(), StoreError> {
        use super::masse::{Table, inserer};
        let cols = [
            "id",
            "nir_index",
            "nir_chiffre",
            "date_naissance",
            "departement",
            "rsa_beneficiaire",
            "numero_ft_index",
            "nom_index",
            "prenom_index",
        ];
        let t = Table::new("dossier", &cols)
            .constante("cree_le", lignes.maj_le.valeur())
            .constante("maj_le", lignes.maj_le.valeur());
        inserer(db, &t, lignes.dossiers).await?;
        inserer(db, &table_sections(&lignes.prov, &lignes.maj_le), lignes.sections).await?;
        let cols =
            ["dossier_id", "seq", "date", "evenement", "categorie", "motif_inscription", "situation", "motif_cloture"];
        inserer(db, &Table::new("inscription_evenement", &cols), lignes.evenements).await?;
        Ok(())
    }

    /// The look-up indexes of an identity.
    pub fn index_identite(&self, i: &Identite) -> IndexIdentite {
        let v = self.nir_vault();
        IndexIdentite {
            nom: v.index_nom("nom", &i.nom),
            prenom: v.index_nom("prenom", &i.prenom),
            numero_france_travail: i.numero_france_travail.as_deref().map(|n| v.index_numero_france_travail(n)),
        }
    }

    /// Gives up to `lot` dossiers stored before the name indexes existed theirs; returns
    /// how many it did (0: none left).
    pub async fn indexer_identites(&self, lot: u64) -> Result<usize, StoreError> {
        let ids: Vec<String> = dossier::Entity::find()
            .select_only()
            .column(dossier::Column::Id)
            .filter(dossier::Column::NomIndex.is_null())
            .limit(lot)
            .into_tuple()
            .all(self.connection())
            .await?;
        let sections = dossier_section::Entity::find()
            .filter(dossier_section::Column::DossierId.is_in(ids.iter().cloned()))
            .filter(dossier_section::Column::Categorie.eq(Categorie::Identite.code()))
            .all(self.connection())
            .await?;
        let txn = self.connection().begin().await?;
        for s in &sections {
            let ident: IdentiteSection = parse_section(&s.dossier_id, Categorie::Identite, &s.donnees)?;
            let ix = self.index_identite(&ident.identite);
            dossier::Entity::update_many()
                .col_expr(dossier::Column::NomIndex, Expr::value(ix.nom))
                .col_expr(dossier::Column::PrenomIndex, Expr::value(ix.prenom))
                .col_expr(dossier::Column::NumeroFtIndex, Expr::value(ix.numero_france_travail))
                .filter(dossier::Column::Id.eq(s.dossier_id.as_str()))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        if sections.len() < ids.len() {
            return Err(corrupt(&ids[0], "section identite absente"));
        }
        Ok(ids.len())
    }

    /// Dossiers a search finds, residing in one of `departements` when given (the
    /// caller's territory), at most `limite`, in a stable order: by date of birth,
    /// département and id (a name search reads them in its index's order, and stops at
    /// the bound).
    pub async fn rechercher_dossiers(
        &self,
        critere: CritereRecherche<'_>,
        departements: Option<&[String]>,
        limite: u64,
    ) -> Result<Vec<DossierId>, StoreError> {
        let v = self.nir_vault();
        let mut q = dossier::Entity::find().select_only().column(dossier::Column::Id);
        q = match critere {
            CritereRecherche::Nir(nir) => q.filter(dossier::Column::NirIndex.eq(v.index(nir))),
            CritereRecherche::NumeroFranceTravail(n) => {
                q.filter(dossier::Column::NumeroFtIndex.eq(v.index_numero_france_travail(n)))
            }
            CritereRecherche::Nom { nom, prenom, date_naissance } => {
                let q = q
                    .filter(dossier::Column::NomIndex.eq(v.index_nom("nom", nom)))
                    .filter(dossier::Column::PrenomIndex.eq(v.index_nom("prenom", prenom)));
                match date_naissance {
                    Some(d) => q.filter(dossier::Column::DateNaissance.eq(d)),
                    None => q,
                }
            }
        };
        if let Some(ds) = departements {
            q = q.filter(dossier::Column::Departement.is_in(ds.iter().cloned()));
        }
        let rows: Vec<String> = q
            .order_by_asc(dossier::Column::DateNaissance)
            .order_by_asc(dossier::Column::Departement)
            .order_by_asc(dossier::Column::Id)
            .limit(limite)
            .into_tuple()
            .all(self.connection())
            .await?;
        rows.iter().map(|s| Uuid::parse_str(s).map_err(|e| corrupt(s, e))).collect()
    }

    /// Number of dossiers.
    /// Whether any dossier is stored (one row read, whatever the size: a count would
    /// read them all).
    pub async fn a_des_dossiers(&self) -> Result<bool, StoreError> {
        Ok(dossier::Entity::find()
            .select_only()
            .column(dossier::Column::Id)
            .into_tuple::<String>()
            .one(self.connection())
            .await?
            .is_some())
    }

    pub async fn compter_dossiers(&self) -> Result<u64, StoreError> {
        Ok(dossier::Entity::find().count(self.connection()).await?)
    }

    /// Dossiers whose numéro France Travail is `numero`.
    pub async fn dossiers_par_numero_france_travail(&self, numero: &str) -> Result<Vec<DossierId>, StoreError> {
        let rows: Vec<String> = dossier::Entity::find()
            .select_only()
            .column(dossier::Column::Id)
            .filter(dossier::Column::NumeroFtIndex.eq(self.nir_vault().index_numero_france_travail(numero)))
            .into_tuple()
            .all(self.connection())
            .await?;
        rows.iter().map(|s| Uuid::parse_str(s).map_err(|e| corrupt(s, e))).collect()
    }

    /// Dossiers whose NIR is `nir` and who are born on `date_naissance`.
    pub async fn dossiers_par_nir(&self, nir: &Nir, date_naissance: NaiveDate) -> Result<Vec<DossierId>, StoreError> {
        let rows: Vec<String> = dossier::Entity::find()
            .select_only()
            .column(dossier::Column::Id)
            .filter(dossier::Column::NirIndex.eq(self.nir_vault().index(nir)))
            .filter(dossier::Column::DateNaissance.eq(date_naissance))
            .into_tuple()
            .all(self.connection())
            .await?;
        rows.iter().map(|s| Uuid::parse_str(s).map_err(|e| corrupt(s, e))).collect()
    }

    /// What the caller's perimeter needs of the person; `None` when the dossier does not
    /// exist. The accompaniment section is read only when `accompagnement` is asked.
    pub async fn personne(
        &self,
        id: DossierId,
        accompagnement: bool,
    ) -> Result<Option<dude_modele::habilitation::perimetre::Personne>, StoreError> {
        Ok(self.personnes(&[id], accompagnement).await?.remove(&id))
    }

    /// [`Store::personne`] of several dossiers at once (a search's candidates): one query
    /// for the dossiers and their events, one for the accompaniments when asked; the
    /// dossiers that do not exist are absent.
    pub async fn personnes(
        &self,
        ids: &[DossierId],
        accompagnement: bool,
    ) -> Result<HashMap<DossierId, dude_modele::habilitation::perimetre::Personne>, StoreError> {
        use dude_modele::dossier::accompagnement::{Accompagnement, ModaliteAccompagnement};
        use dude_modele::dossier::contact::Departement;
        #[derive(sea_orm::FromQueryResult)]
        struct Row {
            dossier_id: String,
            departement: Option<String>,
            rsa_beneficiaire: bool,
            id: Option<i64>,
            seq: Option<i32>,
            date: Option<NaiveDate>,
            evenement: Option<String>,
            categorie: Option<String>,
            motif_inscription: Option<String>,
            situation: Option<String>,
            motif_cloture: Option<String>,
        }
        let mut out = HashMap::new();
        for chunk in ids.chunks(INSERT_CHUNK) {
            let sids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
            let marques: Vec<String> = (1..=sids.len()).map(|i| format!("${i}")).collect();
            // the dossiers' index columns and their events (LEFT JOIN), in one query
            let rows = <Row as sea_orm::FromQueryResult>::find_by_statement(sea_orm::Statement::from_sql_and_values(
                self.backend(),
                format!(
                    "SELECT d.id AS dossier_id, d.departement, d.rsa_beneficiaire, e.id, e.seq, e.date, e.evenement, \
                     e.categorie, e.motif_inscription, e.situation, e.motif_cloture \
                     FROM dossier d LEFT JOIN inscription_evenement e ON e.dossier_id = d.id \
                     WHERE d.id IN ({}) ORDER BY d.id, e.seq",
                    marques.join(", ")
                ),
                sids.iter().map(|s| s.clone().into()),
            ))
            .all(self.connection())
            .await?;
            let mut globaux = std::collections::HashSet::new();
            if accompagnement {
                for s in dossier_section::Entity::find()
                    .filter(dossier_section::Column::DossierId.is_in(sids.iter().cloned()))
                    .filter(dossier_section::Column::Categorie.eq(Categorie::AccompagnementGlobal.code()))
                    .all(self.connection())
                    .await?
                {
                    let a: Accompagnement = parse_section(&s.dossier_id, Categorie::AccompagnementGlobal, &s.donnees)?;
                    if a.modalite == Some(ModaliteAccompagnement::Global) {
                        globaux.insert(s.dossier_id);
                    }
                }
            }
            let mut i = 0;
            while i < rows.len() {
                let sid = rows[i].dossier_id.clone();
                let premier = &rows[i];
                let departement = premier
                    .departement
                    .as_deref()
                    .map(|d| Departement::parse(d).map_err(|e| corrupt(&sid, e)))
                    .transpose()?;
                let beneficiaire_rsa = premier.rsa_beneficiaire;
                let mut events = Vec::new();
                while i < rows.len() && rows[i].dossier_id == sid {
                    let r = &rows[i];
                    if let (Some(id), Some(seq), Some(date), Some(evenement)) = (r.id, r.seq, r.date, &r.evenement) {
                        events.push(inscription_evenement::Model {
                            id,
                            dossier_id: sid.clone(),
                            seq,
                            date,
                            evenement: evenement.clone(),
                            categorie: r.categorie.clone(),
                            motif_inscription: r.motif_inscription.clone(),
                            situation: r.situation.clone(),
                            motif_cloture: r.motif_cloture.clone(),
                        });
                    }
                    i += 1;
                }
                let id = Uuid::parse_str(&sid).map_err(|e| corrupt(&sid, e))?;
                out.insert(
                    id,
                    dude_modele::habilitation::perimetre::Personne {
                        departement,
                        beneficiaire_rsa,
                        historique: historique_of(&sid, &events)?,
                        accompagnement_global: globaux.contains(&sid),
                    },
                );
            }
        }
        Ok(out)
    }

    /// The identity and contact sections of several dossiers (a page of search results),
    /// in one query; a dossier without an identity section is absent.
    pub async fn identites_et_contacts(
        &self,
        ids: &[DossierId],
    ) -> Result<HashMap<DossierId, (IdentiteSection, Option<Contact>)>, StoreError> {
        let sids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let mut identites = HashMap::new();
        let mut contacts = HashMap::new();
        for s in dossier_section::Entity::find()
            .filter(dossier_section::Column::DossierId.is_in(sids))
            .filter(dossier_section::Column::Categorie.is_in([Categorie::Identite.code(), Categorie::Contact.code()]))
            .all(self.connection())
            .await?
        {
            let id = Uuid::parse_str(&s.dossier_id).map_err(|e| corrupt(&s.dossier_id, e))?;
            if s.categorie == Categorie::Identite.code() {
                identites.insert(id, parse_section::<IdentiteSection>(&s.dossier_id, Categorie::Identite, &s.donnees)?);
            } else {
                contacts.insert(id, parse_section::<Contact>(&s.dossier_id, Categorie::Contact, &s.donnees)?);
            }
        }
        Ok(identites.into_iter().map(|(id, i)| (id, (i, contacts.remove(&id)))).collect())
    }

    /// The NIRs of several dossiers, decrypted, in one query.
    pub async fn charger_nirs(&self, ids: &[DossierId]) -> Result<HashMap<DossierId, Nir>, StoreError> {
        let rows: Vec<(String, String)> = dossier::Entity::find()
            .select_only()
            .column(dossier::Column::Id)
            .column(dossier::Column::NirChiffre)
            .filter(dossier::Column::Id.is_in(ids.iter().map(Uuid::to_string)))
            .into_tuple()
            .all(self.connection())
            .await?;
        rows.into_iter()
            .map(|(id, c)| Ok((Uuid::parse_str(&id).map_err(|e| corrupt(&id, e))?, self.nir_vault().decrypt(&c)?)))
            .collect()
    }

    /// Sections of a dossier with their provenance, restricted to `categories` when given.
    pub async fn sections(
        &self,
        id: DossierId,
        categories: Option<&[Categorie]>,
    ) -> Result<Vec<SectionStockee>, StoreError> {
        let sid = id.to_string();
        let mut q = dossier_section::Entity::find().filter(dossier_section::Column::DossierId.eq(sid.as_str()));
        if let Some(cats) = categories {
            q = q.filter(dossier_section::Column::Categorie.is_in(cats.iter().map(|c| c.code())));
        }
        q.order_by_asc(dossier_section::Column::Categorie)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|r| {
                Ok(SectionStockee {
                    donnees: serde_json::from_str(&r.donnees).map_err(|e| corrupt(&sid, e))?,
                    categorie: r.categorie,
                    source: r.source,
                    auteur: r.auteur,
                    maj_le: r.maj_le,
                })
            })
            .collect()
    }

    /// Whether the dossier exists.
    pub async fn dossier_existe(&self, id: DossierId) -> Result<bool, StoreError> {
        Ok(dossier::Entity::find_by_id(id.to_string()).count(self.connection()).await? > 0)
    }

    /// The registration history, `None` when the dossier does not exist.
    pub async fn charger_historique(&self, id: DossierId) -> Result<Option<HistoriqueInscription>, StoreError> {
        let sid = id.to_string();
        let rows = inscription_evenement::Entity::find()
            .filter(inscription_evenement::Column::DossierId.eq(sid.as_str()))
            .order_by_asc(inscription_evenement::Column::Seq)
            .all(self.connection())
            .await?;
        if rows.is_empty() && !self.dossier_existe(id).await? {
            return Ok(None);
        }
        historique_of(&sid, &rows).map(Some)
    }

    /// One section, `None` when absent (or when the dossier does not exist).
    pub async fn charger_section<T: DeserializeOwned>(
        &self,
        id: DossierId,
        cat: Categorie,
    ) -> Result<Option<T>, StoreError> {
        let sid = id.to_string();
        let row =
            dossier_section::Entity::find_by_id((sid.clone(), cat.code().to_string())).one(self.connection()).await?;
        row.map(|r| parse_section(&sid, cat, &r.donnees)).transpose()
    }

    /// The NIR of a dossier, decrypted.
    pub async fn charger_nir(&self, id: DossierId) -> Result<Option<Nir>, StoreError> {
        let row = dossier::Entity::find_by_id(id.to_string()).one(self.connection()).await?;
        Ok(row.map(|r| self.nir_vault().decrypt(&r.nir_chiffre)).transpose()?)
    }

    /// The whole dossier, NIR decrypted.
    pub async fn charger_dossier(&self, id: DossierId) -> Result<Option<Dossier>, StoreError> {
        let sid = id.to_string();
        let Some(row) = dossier::Entity::find_by_id(sid.clone()).one(self.connection()).await? else {
            return Ok(None);
        };
        let nir = self.nir_vault().decrypt(&row.nir_chiffre)?;
        let sections: HashMap<String, String> = dossier_section::Entity::find()
            .filter(dossier_section::Column::DossierId.eq(sid.as_str()))
            .all(self.connection())
            .await?
            .into_iter()
            .map(|s| (s.categorie, s.donnees))
            .collect();
        let get = |cat: Categorie| sections.get(cat.code()).map(String::as_str);
        fn opt<T: DeserializeOwned>(id: &str, cat: Categorie, s: Option<&str>) -> Result<Option<T>, StoreError> {
            s.map(|s| parse_section(id, cat, s)).transpose()
        }
        let ident: IdentiteSection = opt(&sid, Categorie::Identite, get(Categorie::Identite))?
            .ok_or_else(|| corrupt(&sid, "section identite absente"))?;
        let mut d = Dossier::new(nir, ident.identite);
        d.id = id;
        d.situation = ident.situation;
        d.contact = opt(&sid, Categorie::Contact, get(Categorie::Contact))?;
        let ins: Option<InscriptionSection> = opt(&sid, Categorie::Inscription, get(Categorie::Inscription))?;
        d.inscription = Inscription {
            historique: self.charger_historique(id).await?.unwrap_or_default(),
            derniere_actualisation: ins.and_then(|i| i.derniere_actualisation),
        };
        d.rsa = opt(&sid, Categorie::Rsa, get(Categorie::Rsa))?;
        d.orientation = opt(&sid, Categorie::Orientation, get(Categorie::Orientation))?;
        d.diagnostic = opt(&sid, Categorie::Diagnostic, get(Categorie::Diagnostic))?.unwrap_or_default();
        d.contraintes = opt(&sid, Categorie::Contraintes, get(Categorie::Contraintes))?.unwrap_or_default();
        d.pouvoir_agir = opt(&sid, Categorie::PouvoirAgir, get(Categorie::PouvoirAgir))?;
        d.metiers_recherches =
            opt(&sid, Categorie::MetiersRecherches, get(Categorie::MetiersRecherches))?.unwrap_or_default();
        d.projets_creation =
            opt(&sid, Categorie::ProjetsCreation, get(Categorie::ProjetsCreation))?.unwrap_or_default();
        d.accompagnement = opt(&sid, Categorie::AccompagnementGlobal, get(Categorie::AccompagnementGlobal))?;
        d.echanges = opt(&sid, Categorie::ContactsEchanges, get(Categorie::ContactsEchanges))?.unwrap_or_default();
        d.rendez_vous = opt(&sid, Categorie::RendezVous, get(Categorie::RendezVous))?.unwrap_or_default();
        Ok(Some(d))
    }

    /// Reads a section, lets `change` modify it, and writes it back with its provenance,
    /// in one transaction that holds the write lock from the read on (no lost update).
    /// Returns `None` when the dossier does not exist.
    pub async fn modifier_section<T, E>(
        &self,
        id: DossierId,
        cat: Categorie,
        prov: &Provenance,
        change: impl FnOnce(Option<T>) -> Result<T, E>,
    ) -> Result<Option<Result<T, E>>, StoreError>
    where
        T: Serialize + DeserializeOwned,
    {
        let sid = id.to_string();
        let backend = self.backend();
        let txn = if backend == DbBackend::Sqlite {
            self.connection()
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?
        } else {
            self.connection().begin().await?
        };
        let mut q = dossier::Entity::find_by_id(sid.clone());
        if backend == DbBackend::Postgres {
            q = q.lock_exclusive();
        }
        if q.one(&txn).await?.is_none() {
            return Ok(None);
        }
        let current = dossier_section::Entity::find_by_id((sid.clone(), cat.code().to_string()))
            .one(&txn)
            .await?
            .map(|r| parse_section::<T>(&sid, cat, &r.donnees))
            .transpose()?;
        let new = match change(current) {
            Ok(v) => v,
            Err(e) => return Ok(Some(Err(e))),
        };
        let json = serde_json::to_string(&new).map_err(|e| corrupt(&sid, e))?;
        let now = Utc::now();
        ecrire_section(&txn, &sid, cat, json, prov, now).await?;
        dossier::Entity::update_many()
            .col_expr(dossier::Column::MajLe, Expr::value(now))
            .filter(dossier::Column::Id.eq(sid.as_str()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Some(Ok(new)))
    }

    /// RSA beneficiaries residing in `departement` with a registration event between
    /// `from` and `to` (inclusive) whose history `retenir` keeps, with what the monthly
    /// lists need. The histories come from an index; the sections (identity, contact,
    /// RSA), scattered over the largest table, are read for the kept ones only: at
    /// national size a list keeps about one candidate in five.
    pub async fn candidats_aux_listes(
        &self,
        departement: &str,
        from: NaiveDate,
        to: NaiveDate,
        retenir: impl Fn(&HistoriqueInscription) -> bool,
    ) -> Result<Vec<CandidatListe>, StoreError> {
        let db = self.connection();
        let ids: Vec<String> = dossier::Entity::find()
            .select_only()
            .column(dossier::Column::Id)
            .filter(dossier::Column::Departement.eq(departement))
            .filter(dossier::Column::RsaBeneficiaire.eq(true))
            // for each of the département's beneficiaries (an index range), its own events
            // (by the index on dossier_id): never the events of the whole country in the
            // window, nor a scan of the table
            .filter(Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(inscription_evenement::Entity)
                    .and_where(
                        Expr::col((inscription_evenement::Entity, inscription_evenement::Column::DossierId))
                            .equals((dossier::Entity, dossier::Column::Id)),
                    )
                    .and_where(inscription_evenement::Column::Date.between(from, to))
                    .to_owned(),
            ))
            .order_by_asc(dossier::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        // chunk by chunk, a few at once: read cold, each chunk waits on scattered pages,
        // and the disk answers several such waits together
        let retenir = &retenir;
        let lots: Vec<Vec<CandidatListe>> = futures::stream::iter(ids.chunks(INSERT_CHUNK).map(<[String]>::to_vec))
            .map(|chunk| self.candidats_du_lot(chunk, retenir))
            .buffered(LECTURES_SIMULTANEES)
            .try_collect()
            .await?;
        Ok(lots.into_iter().flatten().collect())
    }

    /// [`Store::candidats_aux_listes`] for one chunk of candidates: their events, the rule,
    /// then the sections of those kept.
    async fn candidats_du_lot(
        &self,
        chunk: Vec<String>,
        retenir: &impl Fn(&HistoriqueInscription) -> bool,
    ) -> Result<Vec<CandidatListe>, StoreError> {
        let db = self.connection();
        let mut out = Vec::new();
        let mut events: HashMap<String, Vec<inscription_evenement::Model>> = HashMap::new();
        for r in inscription_evenement::Entity::find()
            .filter(inscription_evenement::Column::DossierId.is_in(chunk.iter().cloned()))
            .order_by_asc(inscription_evenement::Column::DossierId)
            .order_by_asc(inscription_evenement::Column::Seq)
            .all(db)
            .await?
        {
            events.entry(r.dossier_id.clone()).or_default().push(r);
        }
        let mut historiques = Vec::with_capacity(chunk.len());
        for id in &chunk {
            let h = historique_of(id, events.get(id).map(Vec::as_slice).unwrap_or(&[]))?;
            if retenir(&h) {
                historiques.push((id, h));
            }
        }
        if historiques.is_empty() {
            return Ok(out);
        }
        let mut sections: HashMap<(String, String), String> = HashMap::new();
        for s in dossier_section::Entity::find()
            .filter(dossier_section::Column::DossierId.is_in(historiques.iter().map(|(id, _)| (*id).clone())))
            .filter(dossier_section::Column::Categorie.is_in([
                Categorie::Identite.code(),
                Categorie::Contact.code(),
                Categorie::Rsa.code(),
            ]))
            .all(db)
            .await?
        {
            sections.insert((s.dossier_id, s.categorie), s.donnees);
        }
        for (id, historique) in historiques {
            let get = |c: Categorie| sections.get(&(id.clone(), c.code().to_string()));
            let ident: IdentiteSection = parse_section(
                id,
                Categorie::Identite,
                get(Categorie::Identite).ok_or_else(|| corrupt(id, "section identite absente"))?,
            )?;
            out.push(CandidatListe {
                id: Uuid::parse_str(id).map_err(|e| corrupt(id, e))?,
                identite: ident.identite,
                contact: get(Categorie::Contact).map(|s| parse_section(id, Categorie::Contact, s)).transpose()?,
                rsa: get(Categorie::Rsa).map(|s| parse_section(id, Categorie::Rsa, s)).transpose()?,
                historique,
            });
        }
        Ok(out)
    }
}
