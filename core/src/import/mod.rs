//! Imports: partner file → adapter (sandboxed, streaming) → checked records → one
//! transaction (dossiers, provenance) → report; every record journaled.
//!
//! Checks against the convention: the categories the file writes must be writable, the
//! person must reside in the convention's territory and belong to its publics. A refused
//! record is reported (line, field, reason) and journaled; the rest of the file proceeds.
//! Re-importing the same file changes nothing and says so.

pub mod archive;
pub mod conversion;

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::crypto::id_national::IdNationalCodec;
use crate::dossier::accompagnement::Accompagnement;
use crate::dossier::codes::Coded;
use crate::dossier::{Categorie, Dossier, IdentiteSection};
use crate::habilitation::convention::{Action, Convention, Public};
use crate::journal::{Entree, Journal, JournalError};
use crate::plugin::{Adaptateur, Limites, PluginError, tache};
use crate::store::imports::{FichierImporte, MiseAJour};
use crate::store::{Provenance, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Plugin(#[from] PluginError),
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

/// A refused record.
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
    pub refuses: u64,
    pub lignes_refusees: Vec<LigneRefusee>,
    pub message: String,
}

/// What to import, under which convention, by whom.
pub struct Demande {
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

/// Runs an import. The file streams through the adapter off the async runtime; the
/// writes are one transaction; the journal entries are committed before it.
pub async fn importer(
    store: &Store,
    journal: &Journal,
    d: Demande,
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
    // 1. parse, streaming, in the sandbox (a blocking thread); the batches come here as
    // they are made, so converting them and looking their NIRs up overlaps the parse
    let adaptateur = d.adaptateur.clone();
    let (format, options, limites) = (d.format.clone(), d.options.clone(), d.limites);
    let nom = d.adaptateur.nom.clone();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<crate::plugin::bindings::dude::adapter::types::Batch>(8);
    let job = tokio::task::spawn_blocking(move || {
        // an abandoned import (its deadline passed) stops reading at the next chunk
        let ouvert = tx.clone();
        let input = Abandon { inner: input, ouvert };
        let mut tee = Tee { inner: input, hash: Sha256::new(), lu: 0, progression };
        tache::analyser(&adaptateur, &format, &options, &mut tee, &limites, &mut |b| {
            // the receiver only goes away when the import is abandoned
            let _ = tx.blocking_send(b);
        })?;
        let sha: String = tee.hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok::<_, PluginError>((sha, tee.lu))
    });
    // (the keyed NIR index is computed once per record; NIRs are looked up in batches)
    type Converti = Result<(conversion::Enregistrement, String), conversion::Probleme>;
    let mut converties: Vec<(u64, Converti)> = Vec::new();
    let mut erreurs = Vec::new();
    let mut connus: HashMap<String, Vec<(uuid::Uuid, chrono::NaiveDate)>> = HashMap::new();
    let recevoir = async {
        let mut a_chercher: Vec<String> = Vec::new();
        while let Some(b) = rx.recv().await {
            erreurs.extend(b.errors);
            for p in &b.personnes {
                let r = conversion::convertir(p).map(|e| {
                    let ix = store.vault().index(&e.nir);
                    (e, ix)
                });
                if let Ok((_, ix)) = &r {
                    a_chercher.push(ix.clone());
                }
                converties.push((p.numero, r));
            }
            if a_chercher.len() >= 2000 {
                connus.extend(store.dossiers_par_index(&a_chercher).await?);
                a_chercher.clear();
            }
        }
        connus.extend(store.dossiers_par_index(&a_chercher).await?);
        Ok::<_, ImportError>(job.await.map_err(|e| ImportError::Interne(e.to_string()))??)
    };
    let (sha256, octets) = tokio::time::timeout(limites.delai_total, recevoir)
        .await
        .map_err(|_| PluginError::Delai(nom, limites.delai_total.as_millis() as u64))??;
    let t_analyse = std::time::Instant::now();
    let deja = store.import_precedent(&conv.id, &sha256).await?;

    // 2. check every record against the convention; prepare the changes
    let mut refuses: Vec<LigneRefusee> =
        erreurs.into_iter().map(|e| refus(e.record_number, e.field.as_deref(), e.message)).collect();
    let mut refus_dossier: Vec<Option<uuid::Uuid>> = vec![None; refuses.len()];
    let mut nouveaux: Vec<Dossier> = Vec::new();
    let mut index_nouveaux: Vec<String> = Vec::new();
    let mut maj: Vec<MiseAJour> = Vec::new();
    let mut inchanges = 0u64;
    let mut vus: HashMap<String, u64> = HashMap::new();
    for (numero, r) in converties {
        let (e, nir_index) = match r {
            Ok(x) => x,
            Err((champ, raison)) => {
                refuses.push(refus(numero, Some(&champ), raison));
                refus_dossier.push(None);
                continue;
            }
        };
        if let Some(premier) = vus.insert(e.nir.expose(), e.numero) {
            refuses.push(refus(e.numero, Some("nir"), format!("même personne qu'à la ligne {premier}")));
            refus_dossier.push(None);
            continue;
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
            refuses.push(refus(
                e.numero,
                Some(c.code()),
                format!("catégorie {} non modifiable selon la convention", c.code()),
            ));
            refus_dossier.push(None);
            continue;
        }
        let existants: Vec<uuid::Uuid> = connus
            .get(&nir_index)
            .map(|v| v.iter().filter(|(_, d)| *d == e.identite.date_naissance).map(|(id, _)| *id).collect())
            .unwrap_or_default();
        if existants.len() > 1 {
            refuses.push(refus(e.numero, Some("nir"), "plusieurs dossiers pour ce NIR et cette date de naissance"));
            refus_dossier.push(None);
            continue;
        }
        let existant = match existants.first() {
            Some(id) => {
                store.personne(*id, conv.publics.contains(&Public::AccompagnementGlobal)).await?.map(|p| (*id, p))
            }
            None => None,
        };
        let departement = e
            .contact
            .as_ref()
            .map(|c| c.departement.clone())
            .or_else(|| existant.as_ref().and_then(|x| x.1.departement.clone()));
        let dossier_id = existant.as_ref().map(|x| x.0);
        if let Some(id_ft) = &e.identifiant_france_travail {
            // the idNational was issued to one of the convention's parties for this person
            let correspond =
                dossier_id.is_some_and(|id| conv.parties.iter().any(|p| d.ids.decode(p, id_ft).is_ok_and(|x| x == id)));
            if !correspond {
                refuses.push(refus(
                    e.numero,
                    Some("identifiant_france_travail"),
                    "identifiant France Travail inconnu ou d'une autre personne que le NIR",
                ));
                refus_dossier.push(dossier_id);
                continue;
            }
        }
        let Some(dep) = departement else {
            refuses.push(refus(
                e.numero,
                Some("code_postal"),
                "département de résidence inconnu : territoire invérifiable",
            ));
            refus_dossier.push(dossier_id);
            continue;
        };
        if !conv.territoire.couvre(&dep) {
            refuses.push(refus(
                e.numero,
                Some("code_postal"),
                format!("résidence dans le département {dep}, hors du territoire de la convention"),
            ));
            refus_dossier.push(dossier_id);
            continue;
        }
        let dans_public = conv.publics.iter().any(|pu| match pu {
            Public::Tous => true,
            // a closed or refused right in the file does not bring a new person in
            Public::BeneficiairesRsa => {
                e.rsa.as_ref().is_some_and(|r| r.beneficiaire)
                    || existant.as_ref().is_some_and(|x| x.1.beneficiaire_rsa)
            }
            Public::DemandeursInscrits | Public::AccompagnementGlobal => {
                existant.as_ref().is_some_and(|x| x.1.dans_publics_de(*pu))
            }
        });
        if !dans_public {
            refuses.push(refus(e.numero, None, "personne hors des publics de la convention"));
            refus_dossier.push(dossier_id);
            continue;
        }
        match existant {
            None => {
                let mut dossier = Dossier::new(e.nir, e.identite);
                dossier.contact = e.contact;
                dossier.rsa = e.rsa;
                dossier.orientation = e.orientation;
                let voulu = e.global.is_some() || e.parcours.is_some();
                let (debut, global) = e.global.map(|(d, g)| (d, Some(g))).unwrap_or((None, None));
                dossier.accompagnement = Accompagnement::fusionner(None, global, debut, e.parcours);
                if voulu && dossier.accompagnement.is_none() {
                    refuses.push(refus(
                        e.numero,
                        Some("date_debut_accompagnement"),
                        "date de début de l'accompagnement absente pour une première transmission",
                    ));
                    refus_dossier.push(None);
                    continue;
                }
                nouveaux.push(dossier);
                index_nouveaux.push(nir_index);
            }
            Some((id, _)) => {
                let stored = store.sections_json(id, &cats).await?;
                let mut sections = Vec::new();
                let ancienne: Option<IdentiteSection> =
                    stored.get(&Categorie::Identite).and_then(|s| serde_json::from_str(s).ok());
                let mut identite = e.identite;
                if let Some(a) = &ancienne {
                    // certification is not the file's to remove
                    identite.identite_certifiee |= a.identite.identite_certifiee;
                }
                let section =
                    IdentiteSection { identite, situation: ancienne.map(|a| a.situation).unwrap_or_default() };
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
                        None => {
                            refuses.push(refus(
                                e.numero,
                                Some("date_debut_accompagnement"),
                                "date de début de l'accompagnement absente pour une première transmission",
                            ));
                            refus_dossier.push(Some(id));
                            continue;
                        }
                    }
                }
                if sections.is_empty() {
                    inchanges += 1;
                } else {
                    maj.push(MiseAJour {
                        id,
                        sections,
                        departement: e.contact.as_ref().map(|c| c.departement.to_string()),
                        rsa_beneficiaire: e.rsa.as_ref().map(|r| r.beneficiaire),
                    });
                }
            }
        }
    }

    // 3. journal (committed first: fail closed), then one transaction
    let now = crate::journal::horodatage(Utc::now());
    let action = format!("import:{}:{}", d.adaptateur.nom, &sha256[..12]);
    let entree = |dossier: Option<uuid::Uuid>, categories: String, accepte: bool, raison: String| Entree {
        horodatage: now,
        request_id: d.request_id.clone(),
        agent: Some(d.auteur.clone()),
        organisation: d.organisation.clone(),
        client: None,
        convention: Some(conv.id.clone()),
        dossier,
        action: action.clone(),
        categories,
        finalite: conv.finalites.first().cloned(),
        decision: if accepte { "ACCEPTE" } else { "REFUSE" }.into(),
        raison,
    };
    let mut entrees = Vec::new();
    for n in &nouveaux {
        let mut cats = vec!["identite", "nir"];
        for (present, c) in [
            (n.contact.is_some(), Categorie::Contact),
            (n.rsa.is_some(), Categorie::Rsa),
            (n.orientation.is_some(), Categorie::Orientation),
            (n.accompagnement.is_some(), Categorie::AccompagnementGlobal),
        ] {
            if present {
                cats.push(c.code());
            }
        }
        entrees.push(entree(Some(n.id), cats.join(","), true, "création".into()));
    }
    for m in &maj {
        let cats = m.sections.iter().map(|(c, _)| c.code()).collect::<Vec<_>>().join(",");
        entrees.push(entree(Some(m.id), cats, true, "mise à jour".into()));
    }
    for (r, dossier) in refuses.iter().zip(&refus_dossier) {
        let raison = format!("ligne {} : {}", r.numero, r.champ.as_deref().unwrap_or("enregistrement"));
        entrees.push(entree(*dossier, String::new(), false, raison));
    }
    let t_controles = t_analyse.elapsed();
    journal.ecrire_lot(entrees).await?;
    let t_journal = t_analyse.elapsed() - t_controles;
    let (crees, modifies) = (nouveaux.len() as u64, maj.len() as u64);
    let prov = Provenance::new(
        format!("adaptateur:{}@{}/convention:{}", d.adaptateur.nom, d.adaptateur.version, conv.id),
        Some(d.auteur.clone()),
    );
    store
        .appliquer_import(
            &nouveaux,
            &index_nouveaux,
            &maj,
            &FichierImporte {
                convention_id: conv.id.clone(),
                sha256: sha256.clone(),
                nom_fichier: d.nom_fichier.clone(),
                adaptateur: format!("{}@{}", d.adaptateur.nom, d.adaptateur.version),
                crees: crees as i64,
                modifies: modifies as i64,
                inchanges: inchanges as i64,
                refuses: refuses.len() as i64,
            },
            &prov,
        )
        .await?;
    tracing::info!(
        fichier_sha256 = %&sha256[..12],
        controles_ms = t_controles.as_millis() as u64,
        journal_ms = t_journal.as_millis() as u64,
        ecriture_ms = (t_analyse.elapsed() - t_controles - t_journal).as_millis() as u64,
        "import : durées des étapes après l'analyse"
    );
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
        refuses: refuses.len() as u64,
        lignes_refusees: refuses,
        message,
    })
}
