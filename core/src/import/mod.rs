//! Imports: partner file → adapter (sandboxed, streaming) → checked records → one
//! transaction (dossiers, provenance, and the journal entry of every record) → report.
//!
//! Three stages run at once: the adapter parses in a blocking thread; as its batches
//! come, records are converted, looked up by NIR in groups, checked and turned into rows;
//! a writer task inserts each group's rows in the import's transaction. The journal
//! entries of the decisions go to an anonymous temporary file as they are made; once the
//! file's hash names the import they are read back, chained and inserted in the same
//! transaction, which then commits: entries and data are in the database together or
//! not at all. Memory stays flat whatever the file's size: groups of records, the spill
//! file's buffer, and 16 bytes per distinct person of the file (to refuse a person given
//! twice).
//!
//! Checks against the convention: the categories the file writes must be writable, the
//! person must reside in the convention's territory and belong to its publics. A refused
//! record is reported (line, field, reason) and journaled; the rest of the file proceeds.
//! Re-importing the same file changes nothing and says so.

pub mod archive;
pub mod conversion;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, Read, Seek, Write};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use futures::StreamExt;

use crate::adaptateur::{Adaptateur, AdaptateurError, Limites, tache};
use crate::crypto::id_national::IdNationalCodec;
use crate::journal::{Entree, Journal, JournalError};
use crate::store::imports::{FichierImporte, LotImport, MiseAJour};
use crate::store::{Provenance, Store, StoreError};
use dude_modele::dossier::accompagnement::Accompagnement;
use dude_modele::dossier::codes::Coded;
use dude_modele::dossier::{Categorie, Dossier, IdentiteSection};
use dude_modele::habilitation::convention::{Action, Convention, Public};
use dude_modele::habilitation::perimetre::Personne;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Plugin(#[from] AdaptateurError),
    /// The adapter failed the whole file; what it wrote on its output, if anything.
    #[error("{erreur}{}", sortie.as_deref().map(|s| format!(" — sortie de l'adaptateur : {s}")).unwrap_or_default())]
    Adaptateur { erreur: AdaptateurError, sortie: Option<String> },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("convention {0} : {1}")]
    Convention(String, String),
    #[error(transparent)]
    Archive(#[from] archive::ArchiveError),
    #[error("lecture du fichier : {0}")]
    Lecture(String),
    #[error("import interrompu : {0}")]
    Interne(String),
}

/// Opens a partner file: plain, or a one-file encrypted 7z/zip archive (told apart by
/// its first bytes). Returns the content and, for an archive, the name of the file in it.
pub fn ouvrir_entree<R: Read + std::io::Seek + Send + 'static>(
    mut source: R,
    mot_de_passe: Option<archive::MotDePasse>,
) -> Result<(Box<dyn Read + Send>, Option<String>), ImportError> {
    let mut debut = [0u8; 8];
    let mut n = 0;
    while n < debut.len() {
        match source.read(&mut debut[n..]).map_err(|e| ImportError::Lecture(e.to_string()))? {
            0 => break,
            k => n += k,
        }
    }
    source.seek(std::io::SeekFrom::Start(0)).map_err(|e| ImportError::Lecture(e.to_string()))?;
    match archive::Conteneur::detecter(&debut[..n]) {
        archive::Conteneur::Brut => Ok((Box::new(source), None)),
        c => {
            let contenu = archive::ouvrir(c, source, mot_de_passe)?;
            let nom = contenu.nom.clone();
            Ok((Box::new(contenu), Some(nom)))
        }
    }
}

/// One reason a line was refused (a line may have several: it counts once).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LigneRefusee {
    pub numero: u64,
    pub champ: Option<String>,
    pub raison: String,
}

/// The import report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rapport {
    pub fichier: String,
    pub sha256: String,
    pub adaptateur: String,
    pub octets: u64,
    pub deja_importe_le: Option<DateTime<Utc>>,
    pub crees: u64,
    pub modifies: u64,
    pub inchanges: u64,
    /// Lines refused (each once, whatever the number of its reasons).
    pub refuses: u64,
    /// Every reason of refusal, in line order.
    pub lignes_refusees: Vec<LigneRefusee>,
    pub message: String,
    /// What the adapter wrote on its output during the import (capped, NIRs masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sortie_adaptateur: Option<String>,
}

/// What to import, under which convention, by whom.
pub struct DemandeImport {
    pub convention: Arc<Convention>,
    pub adaptateur: Arc<Adaptateur>,
    pub format: String,
    pub options: Vec<(String, String)>,
    pub nom_fichier: String,
    pub auteur: String,
    pub organisation: Option<String>,
    pub request_id: String,
    pub limites: Limites,
    /// To check the idNational a partner's file carries.
    pub ids: IdNationalCodec,
}

/// A reader that hashes what goes through it and reports progress.
struct Tee<R> {
    inner: R,
    hash: Sha256,
    lu: u64,
    progression: Option<Box<dyn Fn(u64) + Send>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.lu += n as u64;
        if let Some(p) = &self.progression {
            p(self.lu);
        }
        Ok(n)
    }
}

/// A reader that fails once the import's receiver is gone.
struct Abandon<R, T> {
    inner: R,
    ouvert: tokio::sync::mpsc::Sender<T>,
}

impl<R: Read, T> Read for Abandon<R, T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.ouvert.is_closed() {
            return Err(std::io::Error::other("import abandonné"));
        }
        self.inner.read(buf)
    }
}

fn refus(numero: u64, champ: Option<&str>, raison: impl Into<String>) -> LigneRefusee {
    LigneRefusee { numero, champ: champ.map(str::to_string), raison: raison.into() }
}

/// Records decided per group: their NIRs are looked up together, their rows go to the
/// writer together.
const GROUPE: usize = 2000;

/// Groups whose dossiers are read at once, ahead of their decisions: at national size
/// the reads wait on scattered pages, and the disk answers several such waits together.
const LECTURES_SIMULTANEES: usize = 3;

/// A group of records, with the refusals the adapter made of their lines.
type Groupe = (Vec<LigneRefusee>, Vec<(u64, ConversionFaite)>);

/// The adapter's batches as groups of about [`GROUPE`] records, converted, each with
/// the keyed index of its NIR. An error refuses its whole line, even when the adapter
/// also gave a record for it.
fn grouper<'a>(
    rx: tokio::sync::mpsc::Receiver<crate::adaptateur::bindings::dude::adapter::types::Batch>,
    store: &'a Store,
) -> impl futures::Stream<Item = Groupe> + 'a {
    futures::stream::unfold(Some(rx), move |rx| async move {
        let mut rx = rx?;
        let (mut erreurs, mut groupe) = (Vec::new(), Vec::with_capacity(GROUPE));
        while groupe.len() < GROUPE {
            let Some(b) = rx.recv().await else {
                return (!erreurs.is_empty() || !groupe.is_empty()).then_some(((erreurs, groupe), None));
            };
            let refusees: std::collections::HashSet<u64> = b.errors.iter().map(|e| e.record_number).collect();
            erreurs.extend(b.errors.into_iter().map(|e| refus(e.record_number, e.field.as_deref(), e.message)));
            for p in b.personnes.iter().filter(|p| !refusees.contains(&p.numero)) {
                let r = conversion::convertir(p).map(|e| {
                    let ix = store.nir_vault().index(&e.nir);
                    (e, ix)
                });
                groupe.push((p.numero, r));
            }
        }
        Some(((erreurs, groupe), Some(rx)))
    })
}

/// What became of one record.
enum Devenir {
    Nouveau(Box<Dossier>, String),
    MiseAJour(MiseAJour),
    Inchange,
    Refus(LigneRefusee, Option<uuid::Uuid>),
}

/// Counts and refusals of an import, and the journal entries of its decisions.
struct Bilan {
    crees: u64,
    modifies: u64,
    inchanges: u64,
    refuses: Vec<LigneRefusee>,
    /// The lines refused, each once.
    lignes: std::collections::HashSet<u64>,
    decisions: Decisions,
}

/// One decision of an import, as its journal entry will say it (the entry's other
/// fields are the import's own).
#[derive(serde::Serialize, serde::Deserialize)]
struct Decision {
    dossier: Option<uuid::Uuid>,
    categories: String,
    accepte: bool,
    raison: String,
}

/// The decisions of an import, spilled as JSON lines to an anonymous temporary file
/// (removed by the system when closed, even after a crash) as they are made, and read
/// back at the end, when the file's hash names the import's journal action.
struct Decisions {
    fichier: std::io::BufWriter<std::fs::File>,
}

fn erreur_decisions(e: impl std::fmt::Display) -> ImportError {
    ImportError::Interne(format!("fichier temporaire des décisions : {e}"))
}

impl Decisions {
    fn new() -> Result<Self, ImportError> {
        Ok(Self {
            fichier: std::io::BufWriter::with_capacity(256 << 10, tempfile::tempfile().map_err(erreur_decisions)?),
        })
    }

    fn noter(&mut self, d: &Decision) -> Result<(), ImportError> {
        serde_json::to_writer(&mut self.fichier, d).map_err(erreur_decisions)?;
        self.fichier.write_all(b"\n").map_err(erreur_decisions)
    }

    /// The decisions in the order they were made.
    fn relire(self) -> Result<impl Iterator<Item = Result<Decision, ImportError>> + Send, ImportError> {
        let mut f = self.fichier.into_inner().map_err(erreur_decisions)?;
        f.seek(std::io::SeekFrom::Start(0)).map_err(erreur_decisions)?;
        Ok(std::io::BufReader::with_capacity(256 << 10, f)
            .lines()
            .map(|l| serde_json::from_str(&l.map_err(erreur_decisions)?).map_err(erreur_decisions)))
    }
}

/// Journal entries chained and inserted per statement at the end of an import (into
/// its sub-chain).
const ENTREES_PAR_LOT: usize = 5000;

/// Runs an import. The file streams through the adapter off the async runtime; records
/// are checked and their rows prepared as batches come, and written as they are
/// prepared by a second task, in one transaction that also holds their journal
/// entries: a sub-chain of the import's own, anchored in the main chain by one entry
/// just before the commit (the main chain is held for that entry only). Everything or
/// nothing is committed.
pub async fn importer(
    store: &Store,
    journal: &Journal,
    d: DemandeImport,
    input: Box<dyn Read + Send>,
    progression: Option<Box<dyn Fn(u64) + Send>>,
) -> Result<Rapport, ImportError> {
    let conv = d.convention.clone();
    for cat in [Categorie::Identite, Categorie::Nir] {
        if !conv.accorde(cat, Action::Ecrire) {
            return Err(ImportError::Convention(
                conv.id.clone(),
                format!("la catégorie {} n'y est pas en écriture : import impossible", cat.code()),
            ));
        }
    }
    let limites = d.limites;
    let nom = d.adaptateur.nom.clone();
    let debut = std::time::Instant::now();
    let suspension = journal.suspendre().await?;
    let prov = Provenance::new(
        format!("adaptateur:{}@{}/convention:{}", d.adaptateur.nom, d.adaptateur.version, conv.id),
        Some(d.auteur.clone()),
    );
    let mut ecriture = store.commencer_import(prov).await?;
    let ecrit_le = ecriture.maintenant();
    let lot_vide = ecriture.lot();

    // the writer: groups of rows as they are prepared, then the journal and the commit
    let (lots_tx, mut lots_rx) = tokio::sync::mpsc::channel::<LotImport>(2);
    let (fin_tx, fin_rx) = tokio::sync::oneshot::channel::<(Decisions, Gabarit, FichierImporte)>();
    let ecrivain = tokio::spawn(async move {
        let mut attente = std::time::Duration::ZERO;
        while let Some(lot) = lots_rx.recv().await {
            let t = std::time::Instant::now();
            ecriture.ecrire(lot).await?;
            attente += t.elapsed();
        }
        // the sender side is gone: the end of the file, or an abandoned import (its
        // transaction is dropped: rollback; the reason is the reader's, not the writer's)
        let Ok((decisions, gabarit, fichier)) = fin_rx.await else {
            return Ok(None);
        };
        let t = std::time::Instant::now();
        let mut decisions = decisions.relire()?.peekable();
        while decisions.peek().is_some() {
            let entrees = decisions
                .by_ref()
                .take(ENTREES_PAR_LOT)
                .map(|d| d.map(|d| gabarit.entree(d)))
                .collect::<Result<_, _>>()?;
            ecriture.journaliser(entrees).await?;
        }
        let tenue = ecriture.terminer(&fichier).await?;
        Ok::<_, ImportError>(Some((attente, t.elapsed(), tenue)))
    });

    // the parse, in the sandbox (a blocking thread)
    let adaptateur = d.adaptateur.clone();
    let (format, options) = (d.format.clone(), d.options.clone());
    let sortie = tache::Sortie::default();
    let sortie_job = sortie.clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<crate::adaptateur::bindings::dude::adapter::types::Batch>(8);
    let job = tokio::task::spawn_blocking(move || {
        // an abandoned import (its deadline passed) stops reading at the next chunk
        let ouvert = tx.clone();
        let input = Abandon { inner: input, ouvert };
        let mut tee = Tee { inner: input, hash: Sha256::new(), lu: 0, progression };
        tache::analyser(&adaptateur, &format, &options, &mut tee, &limites, &sortie_job, &mut |b| {
            // the receiver only goes away when the import is abandoned
            let _ = tx.blocking_send(b);
        })?;
        let sha = hex::encode(tee.hash.finalize());
        Ok::<_, AdaptateurError>((sha, tee.lu))
    });

    // checks and rows, group by group, while the adapter goes on
    let mut bilan = Bilan {
        crees: 0,
        modifies: 0,
        inchanges: 0,
        refuses: Vec::new(),
        lignes: Default::default(),
        decisions: Decisions::new()?,
    };
    let gabarit = Gabarit {
        conv: conv.clone(),
        auteur: d.auteur.clone(),
        organisation: d.organisation.clone(),
        request_id: d.request_id.clone(),
        horodatage: crate::journal::horodatage(ecrit_le),
        action: String::new(),
    };
    let mut controle =
        Controle { store, conv: &conv, lot_vide, ids: &d.ids, horodatage: gabarit.horodatage, vus: HashMap::new() };
    let lire = async {
        // groups of records as the adapter's batches come (each with the refusals the
        // adapter made of its lines), their dossiers read a few groups ahead, decided in
        // file order
        let accompagnement = conv.publics.contains(&Public::AccompagnementGlobal);
        let mut groupes = std::pin::pin!(
            grouper(rx, store)
                .map(|(erreurs, groupe)| async move {
                    let lus = lire_existants(store, accompagnement, &groupe).await?;
                    Ok::<_, ImportError>((erreurs, groupe, lus))
                })
                .buffered(LECTURES_SIMULTANEES)
        );
        while let Some(g) = groupes.next().await {
            let (erreurs, groupe, lus) = g?;
            for e in erreurs {
                controle.refuser(&mut bilan, e, None)?;
            }
            if groupe.is_empty() {
                continue;
            }
            let lot = controle.decider(&mut bilan, groupe, lus)?;
            if lots_tx.send(lot).await.is_err() {
                // the writer failed: its error is the one reported
                return Err(ImportError::Interne("écriture interrompue".into()));
            }
        }
        let fait = job.await.map_err(|e| ImportError::Interne(e.to_string()))?;
        fait.map_err(|erreur| ImportError::Adaptateur { erreur, sortie: sortie.texte() })
    };
    let lu = tokio::time::timeout(limites.delai_total, lire)
        .await
        .map_err(|_| AdaptateurError::Delai(nom.clone(), limites.delai_total.as_millis() as u64))?;
    drop(lots_tx);
    let (sha256, octets) = match lu {
        Ok(x) => x,
        Err(e) => {
            // the adapter stops at its next chunk; the writer rolls back; then the journal
            // resumes from what is committed
            drop(fin_tx);
            return Err(match ecrivain.await {
                Ok(Err(ecriture)) => ecriture,
                _ => e,
            });
        }
    };
    let deja = store.import_precedent(&conv.id, &sha256).await?;

    // the journal entries, named now that the file's hash names the import (chained by
    // the import's transaction)
    let gabarit = Gabarit { action: format!("import:{}:{}", d.adaptateur.nom, &sha256[..12]), ..gabarit };
    let fichier = FichierImporte {
        convention_id: conv.id.clone(),
        sha256: sha256.clone(),
        nom_fichier: d.nom_fichier.clone(),
        adaptateur: format!("{}@{}", d.adaptateur.nom, d.adaptateur.version),
        crees: bilan.crees as i64,
        modifies: bilan.modifies as i64,
        inchanges: bilan.inchanges as i64,
        refuses: bilan.lignes.len() as i64,
    };
    let Bilan { crees, modifies, inchanges, mut refuses, lignes, decisions } = bilan;
    let _ = fin_tx.send((decisions, gabarit, fichier));
    let (attente, fin_ecriture, chaine_tenue) = ecrivain
        .await
        .map_err(|e| ImportError::Interne(e.to_string()))??
        .ok_or_else(|| ImportError::Interne("écriture abandonnée".into()))?;
    suspension.liberer();
    tracing::info!(
        fichier_sha256 = %&sha256[..12],
        total_ms = debut.elapsed().as_millis() as u64,
        ecriture_pendant_lecture_ms = attente.as_millis() as u64,
        journal_et_commit_ms = fin_ecriture.as_millis() as u64,
        chaine_tenue_ms = chaine_tenue.as_millis() as u64,
        "import : durées"
    );

    let sortie_adaptateur = sortie.texte();
    if let Some(t) = &sortie_adaptateur {
        tracing::info!(fichier_sha256 = %&sha256[..12], adaptateur = %nom, sortie = %t, "sortie de l'adaptateur");
    }
    refuses.sort_by_key(|r| r.numero);
    let message = match (&deja, crees + modifies) {
        (Some(t), 0) => format!("fichier déjà importé le {} : aucune modification", t.format("%d/%m/%Y %H:%M")),
        (None, 0) => "aucune modification".to_string(),
        (_, n) => format!("{n} dossiers créés ou mis à jour"),
    };
    Ok(Rapport {
        fichier: d.nom_fichier,
        sha256,
        adaptateur: format!("{} {}", d.adaptateur.nom, d.adaptateur.version),
        octets,
        deja_importe_le: deja,
        crees,
        modifies,
        inchanges,
        refuses: lignes.len() as u64,
        lignes_refusees: refuses,
        message,
        sortie_adaptateur,
    })
}

/// A converted record and its keyed NIR index, or the field that failed.
type ConversionFaite = Result<(conversion::Enregistrement, String), conversion::ChampInvalide>;

/// The dossiers of a group's NIRs: NIR index → (id, date of birth).
type Connus = HashMap<String, Vec<(uuid::Uuid, chrono::NaiveDate)>>;

/// The dossiers of a NIR with the record's date of birth.
fn memes<'a>(
    connus: &'a Connus,
    nir_index: &str,
    e: &'a conversion::Enregistrement,
) -> impl Iterator<Item = uuid::Uuid> + 'a {
    connus.get(nir_index).into_iter().flatten().filter(|(_, d)| *d == e.identite.date_naissance).map(|(id, _)| *id)
}

/// The one dossier a record updates, if there is exactly one.
fn existant(connus: &Connus, nir_index: &str, e: &conversion::Enregistrement) -> Option<uuid::Uuid> {
    let mut m = memes(connus, nir_index, e);
    match (m.next(), m.next()) {
        (Some(id), None) => Some(id),
        _ => None,
    }
}

/// What a group's records read of the dossiers beforehand: the dossiers of their NIRs,
/// and of those they may update what the checks and the comparison need (taken as each
/// record is decided).
struct Existants {
    connus: Connus,
    personnes: HashMap<uuid::Uuid, Personne>,
    sections: HashMap<uuid::Uuid, HashMap<Categorie, String>>,
}

/// Reads [`Existants`] for a group: three queries whatever its size.
async fn lire_existants(
    store: &Store,
    accompagnement: bool,
    groupe: &[(u64, ConversionFaite)],
) -> Result<Existants, ImportError> {
    let index: Vec<String> = groupe.iter().filter_map(|(_, r)| r.as_ref().ok().map(|(_, ix)| ix.clone())).collect();
    let connus = store.dossiers_par_index(&index).await?;
    let ids: Vec<uuid::Uuid> =
        groupe.iter().filter_map(|(_, r)| r.as_ref().ok()).filter_map(|(e, ix)| existant(&connus, ix, e)).collect();
    Ok(Existants {
        personnes: store.personnes(&ids, accompagnement).await?,
        sections: store.sections_json(&ids, &CATEGORIES_IMPORT).await?,
        connus,
    })
}

/// What every journal entry of an import shares.
struct Gabarit {
    conv: Arc<Convention>,
    auteur: String,
    organisation: Option<String>,
    request_id: String,
    horodatage: DateTime<Utc>,
    /// Named by the file's hash, once known.
    action: String,
}

impl Gabarit {
    fn entree(&self, d: Decision) -> Entree {
        let mut e = Entree::import(
            &self.conv,
            &self.auteur,
            self.organisation.clone(),
            &self.request_id,
            d.dossier,
            d.categories,
            crate::journal::Verdict::de(d.accepte),
            d.raison,
            self.horodatage,
        );
        e.action.clone_from(&self.action);
        e
    }
}

/// The key of a person in the import's memory of the people already seen: 8 bytes
/// derived from the NIR's keyed index (a collision, about one chance in 10^7 for a file
/// of 2,000,000 people, would refuse one line as a repetition).
fn cle_personne(nir_index: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    nir_index.hash(&mut h);
    h.finish()
}

/// The checks of one import against its convention.
struct Controle<'a> {
    store: &'a Store,
    conv: &'a Convention,
    /// To check the idNational a partner's file carries.
    ids: &'a IdNationalCodec,
    /// An empty group of rows (provenance and time of the import).
    lot_vide: LotImport,
    /// The import's time, for the publics' windows.
    horodatage: DateTime<Utc>,
    /// People already seen in the file ([`cle_personne`]), with their line.
    vus: HashMap<u64, u32>,
}

/// The categories an import may write, read beforehand from the dossiers it updates.
const CATEGORIES_IMPORT: [Categorie; 6] = [
    Categorie::Identite,
    Categorie::Nir,
    Categorie::Contact,
    Categorie::Rsa,
    Categorie::Orientation,
    Categorie::AccompagnementGlobal,
];

impl Controle<'_> {
    /// Refuses a line for one reason: journaled once per line, every reason reported.
    fn refuser(&self, bilan: &mut Bilan, r: LigneRefusee, dossier: Option<uuid::Uuid>) -> Result<(), ImportError> {
        if bilan.lignes.insert(r.numero) {
            let raison = format!("ligne {} : {}", r.numero, r.champ.as_deref().unwrap_or("enregistrement"));
            bilan.decisions.noter(&Decision { dossier, categories: String::new(), accepte: false, raison })?;
        }
        bilan.refuses.push(r);
        Ok(())
    }

    /// Decides a group of records, in file order, with what was read of their dossiers;
    /// returns the rows to write.
    fn decider(
        &mut self,
        bilan: &mut Bilan,
        groupe: Vec<(u64, ConversionFaite)>,
        mut lus: Existants,
    ) -> Result<LotImport, ImportError> {
        let mut lot = self.lot_vide.vide();
        for (numero, r) in groupe {
            match self.decider_un(numero, r, &mut lus)? {
                Devenir::Nouveau(dossier, nir_index) => {
                    let mut cats = vec!["identite", "nir"];
                    for (present, c) in [
                        (dossier.contact.is_some(), Categorie::Contact),
                        (dossier.rsa.is_some(), Categorie::Rsa),
                        (dossier.orientation.is_some(), Categorie::Orientation),
                        (dossier.accompagnement.is_some(), Categorie::AccompagnementGlobal),
                    ] {
                        if present {
                            cats.push(c.code());
                        }
                    }
                    bilan.decisions.noter(&Decision {
                        dossier: Some(dossier.id),
                        categories: cats.join(","),
                        accepte: true,
                        raison: "création".into(),
                    })?;
                    self.store.preparer_dossier(&mut lot.nouveaux, &dossier, Some(nir_index))?;
                    bilan.crees += 1;
                }
                Devenir::MiseAJour(m) => {
                    let cats = m.sections.iter().map(|(c, _)| c.code()).collect::<Vec<_>>().join(",");
                    bilan.decisions.noter(&Decision {
                        dossier: Some(m.id),
                        categories: cats,
                        accepte: true,
                        raison: "mise à jour".into(),
                    })?;
                    lot.maj.push(m);
                    bilan.modifies += 1;
                }
                Devenir::Inchange => bilan.inchanges += 1,
                Devenir::Refus(r, dossier) => self.refuser(bilan, r, dossier)?,
            }
        }
        Ok(lot)
    }

    /// One record against the convention: categories, territory, publics, the idNational
    /// it carries; then what it creates or changes.
    fn decider_un(&mut self, numero: u64, r: ConversionFaite, lus: &mut Existants) -> Result<Devenir, ImportError> {
        let conv = self.conv;
        let (e, nir_index) = match r {
            Ok(x) => x,
            Err((champ, raison)) => return Ok(Devenir::Refus(refus(numero, Some(&champ), raison), None)),
        };
        let ligne = u32::try_from(e.numero).unwrap_or(u32::MAX);
        if let Some(premier) = self.vus.insert(cle_personne(&nir_index), ligne) {
            let r = refus(e.numero, Some("nir"), format!("même personne qu'à la ligne {premier}"));
            return Ok(Devenir::Refus(r, None));
        }
        let mut cats = vec![Categorie::Identite, Categorie::Nir];
        if e.contact.is_some() {
            cats.push(Categorie::Contact);
        }
        if e.rsa.is_some() {
            cats.push(Categorie::Rsa);
        }
        if e.orientation.is_some() {
            cats.push(Categorie::Orientation);
        }
        if e.global.is_some() || e.parcours.is_some() {
            cats.push(Categorie::AccompagnementGlobal);
        }
        if e.parcours.as_ref().is_some_and(|p| !p.besoins.is_empty()) {
            cats.push(Categorie::Diagnostic);
        }
        if let Some(c) = cats.iter().find(|c| !conv.accorde(**c, Action::Ecrire)) {
            let r =
                refus(e.numero, Some(c.code()), format!("catégorie {} non modifiable selon la convention", c.code()));
            return Ok(Devenir::Refus(r, None));
        }
        if memes(&lus.connus, &nir_index, &e).count() > 1 {
            let r = refus(e.numero, Some("nir"), "plusieurs dossiers pour ce NIR et cette date de naissance");
            return Ok(Devenir::Refus(r, None));
        }
        let existant = existant(&lus.connus, &nir_index, &e).and_then(|id| lus.personnes.remove(&id).map(|p| (id, p)));
        let departement = e
            .contact
            .as_ref()
            .map(|c| c.departement.clone())
            .or_else(|| existant.as_ref().and_then(|x| x.1.departement.clone()));
        let dossier_id = existant.as_ref().map(|x| x.0);
        if let Some(id_ft) = &e.identifiant_france_travail {
            // the idNational was issued to one of the convention's parties for this person
            let correspond = dossier_id
                .is_some_and(|id| conv.parties.iter().any(|p| self.ids.decode(p, id_ft).is_ok_and(|x| x == id)));
            if !correspond {
                let r = refus(
                    e.numero,
                    Some("identifiant_france_travail"),
                    "identifiant France Travail inconnu ou d'une autre personne que le NIR",
                );
                return Ok(Devenir::Refus(r, dossier_id));
            }
        }
        let Some(dep) = departement else {
            let r = refus(e.numero, Some("code_postal"), "département de résidence inconnu : territoire invérifiable");
            return Ok(Devenir::Refus(r, dossier_id));
        };
        if !conv.territoire.couvre(&dep) {
            let r = refus(
                e.numero,
                Some("code_postal"),
                format!("résidence dans le département {dep}, hors du territoire de la convention"),
            );
            return Ok(Devenir::Refus(r, dossier_id));
        }
        // the person as the record would leave them: a closed or refused right in the
        // file does not bring a new person in, nor remove a known beneficiary
        let personne = Personne {
            departement: Some(dep.clone()),
            beneficiaire_rsa: e.rsa.as_ref().is_some_and(|r| r.beneficiaire)
                || existant.as_ref().is_some_and(|x| x.1.beneficiaire_rsa),
            historique: existant.as_ref().map(|x| x.1.historique.clone()).unwrap_or_default(),
            accompagnement_global: existant.as_ref().is_some_and(|x| x.1.accompagnement_global),
        };
        let dans_public = personne.dans_publics_de(conv, self.horodatage.date_naive());
        if !dans_public {
            return Ok(Devenir::Refus(refus(e.numero, None, "personne hors des publics de la convention"), dossier_id));
        }
        let sans_debut = |dossier| {
            Devenir::Refus(
                refus(
                    e.numero,
                    Some("date_debut_accompagnement"),
                    "date de début de l'accompagnement absente pour une première transmission",
                ),
                dossier,
            )
        };
        let Some((id, _)) = existant else {
            let mut dossier = Dossier::new(e.nir, e.identite);
            dossier.contact = e.contact;
            dossier.rsa = e.rsa;
            dossier.orientation = e.orientation;
            let voulu = e.global.is_some() || e.parcours.is_some();
            let (debut, global) = e.global.map(|(d, g)| (d, Some(g))).unwrap_or((None, None));
            dossier.accompagnement = Accompagnement::fusionner(None, global, debut, e.parcours);
            if voulu && dossier.accompagnement.is_none() {
                return Ok(sans_debut(None));
            }
            return Ok(Devenir::Nouveau(Box::new(dossier), nir_index));
        };
        let stored = lus.sections.remove(&id).unwrap_or_default();
        let mut sections = Vec::new();
        let ancienne: Option<IdentiteSection> =
            stored.get(&Categorie::Identite).and_then(|s| serde_json::from_str(s).ok());
        let mut identite = e.identite;
        if let Some(a) = &ancienne {
            // certification is not the file's to remove
            identite.identite_certifiee |= a.identite.identite_certifiee;
        }
        let section = IdentiteSection { identite, situation: ancienne.map(|a| a.situation).unwrap_or_default() };
        let index_identite = self.store.index_identite(&section.identite);
        let mut push = |cat: Categorie, json: Result<String, serde_json::Error>| {
            if let Ok(j) = json
                && stored.get(&cat) != Some(&j)
            {
                sections.push((cat, j));
            }
        };
        push(Categorie::Identite, serde_json::to_string(&section));
        if let Some(c) = &e.contact {
            push(Categorie::Contact, serde_json::to_string(c));
        }
        if let Some(r) = &e.rsa {
            push(Categorie::Rsa, serde_json::to_string(r));
        }
        if let Some(o) = &e.orientation {
            push(Categorie::Orientation, serde_json::to_string(o));
        }
        if e.global.is_some() || e.parcours.is_some() {
            let ancien: Option<Accompagnement> =
                stored.get(&Categorie::AccompagnementGlobal).and_then(|s| serde_json::from_str(s).ok());
            let (debut, global) = e.global.map(|(d, g)| (d, Some(g))).unwrap_or((None, None));
            match Accompagnement::fusionner(ancien.as_ref(), global, debut, e.parcours) {
                Some(a) => push(Categorie::AccompagnementGlobal, serde_json::to_string(&a)),
                None => return Ok(sans_debut(Some(id))),
            }
        }
        if sections.is_empty() {
            return Ok(Devenir::Inchange);
        }
        let identite_changee = sections.iter().any(|(c, _)| *c == Categorie::Identite);
        Ok(Devenir::MiseAJour(MiseAJour {
            id,
            sections,
            departement: e.contact.as_ref().map(|c| c.departement.to_string()),
            rsa_beneficiaire: e.rsa.as_ref().map(|r| r.beneficiaire),
            index_identite: identite_changee.then_some(index_identite),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_come_back_in_order_from_their_spill_file() {
        let mut d = Decisions::new().unwrap();
        let id = uuid::Uuid::new_v4();
        for k in 0..20_000u32 {
            let raison = if k % 2 == 0 { "création".to_string() } else { format!("ligne {k} : nir\tx\n") };
            d.noter(&Decision {
                dossier: (k % 3 == 0).then_some(id),
                categories: "identite,nir".into(),
                accepte: k % 2 == 0,
                raison,
            })
            .unwrap();
        }
        let relues: Vec<Decision> = d.relire().unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(relues.len(), 20_000);
        for (k, r) in relues.iter().enumerate() {
            assert_eq!(r.dossier, (k % 3 == 0).then_some(id));
            assert_eq!(r.accepte, k % 2 == 0);
            if k % 2 == 1 {
                // a reason with a tab and a newline comes back whole
                assert_eq!(r.raison, format!("ligne {k} : nir\tx\n"));
            }
        }
    }

    #[test]
    fn a_person_is_keyed_by_their_nir_index_alone() {
        assert_eq!(cle_personne("ab12"), cle_personne("ab12"));
        assert_ne!(cle_personne("ab12"), cle_personne("ab13"));
    }
}
