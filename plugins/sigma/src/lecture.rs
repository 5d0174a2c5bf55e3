//! The `sigma-csv` format (FORMAT.md, sections 2 to 5): SIGMA's messages of the
//! accompagnement global, one line each, merged into one person per NIR. Streaming: chunks
//! may be cut anywhere; a person comes out when the next person's lines begin, or at the end.

use std::collections::HashMap;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::codes::{self, DECISION_FIN, DECISIONS, FREINS, MOTIFS, RESULTATS, SORTIES};
use dude_adapter_sdk::*;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The columns of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    TypeMessage,
    Nir,
    Nom,
    Prenom,
    DateNaissance,
    CodePostal,
    Commune,
    Adresse,
    ComplementAdresse,
    Telephone,
    Courriel,
    IdSigma,
    NContratInsertion,
    DateDebut,
    Freins,
    MotifsNonIntegration,
    DateBilan,
    ResultatBilan,
    DecisionBilan,
    Sortie,
    DateFinProlongation,
}

impl Col {
    pub const ALL: [Col; 21] = [
        Col::TypeMessage,
        Col::Nir,
        Col::Nom,
        Col::Prenom,
        Col::DateNaissance,
        Col::CodePostal,
        Col::Commune,
        Col::Adresse,
        Col::ComplementAdresse,
        Col::Telephone,
        Col::Courriel,
        Col::IdSigma,
        Col::NContratInsertion,
        Col::DateDebut,
        Col::Freins,
        Col::MotifsNonIntegration,
        Col::DateBilan,
        Col::ResultatBilan,
        Col::DecisionBilan,
        Col::Sortie,
        Col::DateFinProlongation,
    ];

    /// The header name, also the field name of row errors.
    pub fn nom(self) -> &'static str {
        match self {
            Col::TypeMessage => "TYPE_MESSAGE",
            Col::Nir => "NIR",
            Col::Nom => "NOM",
            Col::Prenom => "PRENOM",
            Col::DateNaissance => "DATE_NAISSANCE",
            Col::CodePostal => "CODE_POSTAL",
            Col::Commune => "COMMUNE",
            Col::Adresse => "ADRESSE",
            Col::ComplementAdresse => "COMPLEMENT_ADRESSE",
            Col::Telephone => "TELEPHONE",
            Col::Courriel => "COURRIEL",
            Col::IdSigma => "ID_SIGMA",
            Col::NContratInsertion => "N_CONTRAT_INSERTION",
            Col::DateDebut => "DATE_DEBUT",
            Col::Freins => "FREINS",
            Col::MotifsNonIntegration => "MOTIFS_NON_INTEGRATION",
            Col::DateBilan => "DATE_BILAN",
            Col::ResultatBilan => "RESULTAT_BILAN",
            Col::DecisionBilan => "DECISION_BILAN",
            Col::Sortie => "SORTIE",
            Col::DateFinProlongation => "DATE_FIN_PROLONGATION",
        }
    }

    /// Columns every header must have.
    fn requise(self) -> bool {
        !matches!(
            self,
            Col::Adresse
                | Col::ComplementAdresse
                | Col::Telephone
                | Col::Courriel
                | Col::IdSigma
                | Col::NContratInsertion
        )
    }
}

/// The message columns, with the message type that uses each.
const COLONNES_MESSAGE: [(Col, TypeMessage); 8] = [
    (Col::DateDebut, TypeMessage::Diagnostic),
    (Col::Freins, TypeMessage::Diagnostic),
    (Col::MotifsNonIntegration, TypeMessage::Diagnostic),
    (Col::DateBilan, TypeMessage::Bilan),
    (Col::ResultatBilan, TypeMessage::Bilan),
    (Col::DecisionBilan, TypeMessage::Bilan),
    (Col::Sortie, TypeMessage::Bilan),
    (Col::DateFinProlongation, TypeMessage::Prolongation),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeMessage {
    Diagnostic,
    Bilan,
    Prolongation,
}

impl TypeMessage {
    fn lire(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "DIAGNOSTIC" => Some(TypeMessage::Diagnostic),
            "BILAN" => Some(TypeMessage::Bilan),
            "PROLONGATION" => Some(TypeMessage::Prolongation),
            _ => None,
        }
    }

    fn nom(self) -> &'static str {
        match self {
            TypeMessage::Diagnostic => "DIAGNOSTIC",
            TypeMessage::Bilan => "BILAN",
            TypeMessage::Prolongation => "PROLONGATION",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encodage {
    Utf8,
    Windows1252,
}

/// One message, read and checked.
#[derive(Debug)]
enum Message {
    Diagnostic { date_debut: Option<String>, freins: Vec<String>, motifs: Vec<String> },
    Bilan(Bilan),
    Prolongation(String),
}

/// The identification columns of one line.
#[derive(Debug)]
struct Ident {
    nir: String,
    nom: String,
    prenom: String,
    date_naissance: String,
    code_postal: String,
    commune: String,
    adresse: Option<String>,
    complement: Option<String>,
    telephone: Option<String>,
    courriel: Option<String>,
    id_sigma: Option<String>,
}

/// The lines of the person being read.
#[derive(Debug)]
struct Bloc {
    /// The NIR without its key: the person.
    cle: String,
    /// Line of the person's first message: the record number.
    premiere_ligne: u64,
    /// Identification of the first accepted line, and that line.
    ident: Option<(Ident, u64)>,
    diagnostic: Option<u64>,
    date_debut: Option<String>,
    freins: Vec<String>,
    motifs: Vec<String>,
    bilans: Vec<(Bilan, u64)>,
    prolongations: Vec<(String, u64)>,
}

impl Bloc {
    fn new(cle: String, premiere_ligne: u64) -> Self {
        Bloc {
            cle,
            premiere_ligne,
            ident: None,
            diagnostic: None,
            date_debut: None,
            freins: Vec::new(),
            motifs: Vec::new(),
            bilans: Vec::new(),
            prolongations: Vec::new(),
        }
    }

    /// Problems of an accepted line against the person's earlier lines.
    fn coherence(&self, id: &Ident, message: &Message) -> Vec<(Col, String)> {
        let mut e = Vec::new();
        if let Some((premier, ligne)) = &self.ident {
            let diff = |col: Col| (col, format!("valeur différente de celle de la ligne {ligne} pour le même NIR"));
            if premier.nir.len() == 15 && id.nir.len() == 15 && premier.nir != id.nir {
                e.push((Col::Nir, format!("clé différente de celle de la ligne {ligne}")));
            }
            if codes::normalise(&premier.nom) != codes::normalise(&id.nom) {
                e.push(diff(Col::Nom));
            }
            if codes::normalise(&premier.prenom) != codes::normalise(&id.prenom) {
                e.push(diff(Col::Prenom));
            }
            if premier.date_naissance != id.date_naissance {
                e.push(diff(Col::DateNaissance));
            }
            if premier.code_postal != id.code_postal {
                e.push(diff(Col::CodePostal));
            }
            if let (Some(a), Some(b)) = (&premier.id_sigma, &id.id_sigma)
                && a != b
            {
                e.push(diff(Col::IdSigma));
            }
        }
        match message {
            Message::Diagnostic { .. } => {
                if let Some(l) = self.diagnostic {
                    e.push((
                        Col::TypeMessage,
                        format!("second message DIAGNOSTIC pour la personne (le premier est ligne {l}) : un seul par personne et par fichier"),
                    ));
                }
            }
            Message::Bilan(b) => {
                if let Some((_, l)) = self.bilans.iter().find(|(x, _)| x.date == b.date) {
                    e.push((Col::DateBilan, format!("un bilan à la même date figure déjà ligne {l}")));
                }
            }
            Message::Prolongation(d) => {
                if let Some((_, l)) = self.prolongations.iter().find(|(x, _)| x == d) {
                    e.push((Col::DateFinProlongation, format!("même date de fin de prolongation qu'à la ligne {l}")));
                }
            }
        }
        e
    }

    fn ajouter(&mut self, id: Ident, message: Message, ligne: u64) {
        if self.ident.is_none() {
            self.ident = Some((id, ligne));
        }
        match message {
            Message::Diagnostic { date_debut, freins, motifs } => {
                self.diagnostic = Some(ligne);
                self.date_debut = date_debut;
                self.freins = freins;
                self.motifs = motifs;
            }
            Message::Bilan(b) => self.bilans.push((b, ligne)),
            Message::Prolongation(d) => self.prolongations.push((d, ligne)),
        }
    }

    /// The merged person, when at least one line was accepted.
    fn personne(self) -> Option<Personne> {
        let (id, _) = self.ident?;
        let mut bilans: Vec<Bilan> = self.bilans.into_iter().map(|(b, _)| b).collect();
        bilans.sort_by(|a, b| a.date.cmp(&b.date));
        let mut prolongations: Vec<String> = self.prolongations.into_iter().map(|(d, _)| d).collect();
        prolongations.sort();
        Some(Personne {
            numero: self.premiere_ligne,
            identite: Identite {
                nom: id.nom,
                prenom: id.prenom,
                date_naissance: id.date_naissance,
                nir: Some(id.nir),
                ..Default::default()
            },
            contact: Some(Contact {
                telephone: id.telephone,
                courriel: id.courriel,
                adresse: Some(Adresse {
                    ligne1: id.adresse.unwrap_or_default(),
                    ligne2: id.complement,
                    code_postal: id.code_postal,
                    commune: id.commune,
                }),
            }),
            accompagnement: Some(AccompagnementGlobal {
                date_debut: self.date_debut,
                freins: self.freins,
                motifs_non_integration: self.motifs,
                bilans,
                prolongations,
            }),
            ..Default::default()
        })
    }
}

/// The streaming parser of `sigma-csv`.
pub struct AnalyseurSigma {
    reader: Reader,
    encodage: Encodage,
    /// The first bytes, held until we know whether they are a BOM.
    debut: Option<Vec<u8>>,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Last byte the CSV reader consumed (to tell a record's last line).
    dernier: u8,
    colonnes: Option<HashMap<Col, usize>>,
    nb_colonnes: usize,
    courant: Option<Bloc>,
    /// Persons already read (NIR without key → line of their first message).
    vus: HashMap<String, u64>,
}

impl AnalyseurSigma {
    pub fn new(options: &[(String, String)]) -> Result<Self, String> {
        let mut encodage = Encodage::Utf8;
        for (k, v) in options {
            match k.as_str() {
                "encodage" => {
                    encodage = match v.trim().to_ascii_lowercase().as_str() {
                        "utf-8" | "utf8" => Encodage::Utf8,
                        "windows-1252" | "cp1252" | "iso-8859-1" | "latin1" => Encodage::Windows1252,
                        _ => return Err("option encodage : utf-8 ou windows-1252 attendu".to_string()),
                    }
                }
                _ => return Err("option inconnue (option admise : encodage)".to_string()),
            }
        }
        Ok(Self {
            reader: ReaderBuilder::new().delimiter(b';').build(),
            encodage,
            debut: Some(Vec::new()),
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 32],
            ends_len: 0,
            dernier: 0,
            colonnes: None,
            nb_colonnes: 0,
            courant: None,
            vus: HashMap::new(),
        })
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        let Some(mut debut) = self.debut.take() else { return self.lire(chunk) };
        debut.extend_from_slice(chunk);
        if debut.len() < BOM.len() && BOM.starts_with(&debut) {
            self.debut = Some(debut);
            return Ok(Batch::default());
        }
        self.lire_debut(debut)
    }

    pub fn finish(&mut self) -> Result<Batch, String> {
        let mut batch = match self.debut.take() {
            Some(debut) => self.lire_debut(debut)?,
            None => Batch::default(),
        };
        batch.extend(self.lire(&[])?);
        if self.colonnes.is_none() {
            return Err("fichier vide : ligne d'en-tête absente".into());
        }
        if let Some(p) = self.courant.take().and_then(Bloc::personne) {
            batch.personnes.push(p);
        }
        Ok(batch)
    }

    /// A UTF-8 BOM means UTF-8 whatever the option says.
    fn lire_debut(&mut self, debut: Vec<u8>) -> Result<Batch, String> {
        match debut.strip_prefix(BOM) {
            Some(reste) => {
                self.encodage = Encodage::Utf8;
                self.lire(reste)
            }
            None => self.lire(&debut),
        }
    }

    fn lire(&mut self, mut input: &[u8]) -> Result<Batch, String> {
        let mut batch = Batch::default();
        loop {
            let (res, nin, nout, nend) =
                self.reader.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.ends_len..]);
            if nin > 0 {
                self.dernier = input[nin - 1];
            }
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return Ok(batch),
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    // The reader counts '\n'; it has consumed the record's own '\n' when
                    // the line ends with LF (not with CR LF): go back to the record's last
                    // line, then up by the line breaks inside quoted fields.
                    let derniere = self.reader.line() - u64::from(self.dernier == b'\n');
                    let dedans = self.out[..self.out_len].iter().filter(|&&b| b == b'\n').count() as u64;
                    let ligne = derniere - dedans;
                    let champs: Vec<Vec<u8>> = {
                        let mut start = 0;
                        self.ends[..self.ends_len]
                            .iter()
                            .map(|&end| {
                                let f = self.out[start..end].to_vec();
                                start = end;
                                f
                            })
                            .collect()
                    };
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.enregistrement(ligne, champs, &mut batch)?;
                }
            }
        }
    }

    fn decoder(&self, raw: &[u8]) -> Option<String> {
        match self.encodage {
            Encodage::Utf8 => String::from_utf8(raw.to_vec()).ok(),
            Encodage::Windows1252 => Some(encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw).0.into_owned()),
        }
    }

    fn enregistrement(&mut self, ligne: u64, champs: Vec<Vec<u8>>, batch: &mut Batch) -> Result<(), String> {
        if champs.iter().all(|f| f.iter().all(|b| b.is_ascii_whitespace())) {
            return Ok(());
        }
        let Some(colonnes) = &self.colonnes else {
            let noms = champs
                .iter()
                .map(|f| self.decoder(f))
                .collect::<Option<Vec<String>>>()
                .ok_or("en-tête : texte non UTF-8 (option encodage=windows-1252 ?)")?;
            self.entete(&noms)?;
            return Ok(());
        };
        let err = |col: Option<Col>, message: String| RowError {
            record_number: ligne,
            field: col.map(|c| c.nom().to_string()),
            message,
        };
        if champs.len() > self.nb_colonnes
            && champs[self.nb_colonnes..].iter().any(|f| !f.iter().all(u8::is_ascii_whitespace))
        {
            batch.errors.push(err(
                None,
                format!("{} champs pour {} colonnes d'en-tête : ligne ignorée", champs.len(), self.nb_colonnes),
            ));
            return Ok(());
        }
        let mut valeurs: HashMap<Col, String> = HashMap::new();
        let mut illisibles = Vec::new();
        for (&col, &i) in colonnes {
            let Some(raw) = champs.get(i) else { continue };
            match self.decoder(raw) {
                Some(v) => {
                    let v = v.trim();
                    if !v.is_empty() {
                        valeurs.insert(col, v.to_string());
                    }
                }
                None => illisibles.push(col),
            }
        }
        if !illisibles.is_empty() {
            illisibles.sort_by_key(|c| Col::ALL.iter().position(|x| x == c));
            batch.errors.extend(
                illisibles
                    .into_iter()
                    .map(|c| err(Some(c), "texte non UTF-8 (option encodage=windows-1252 ?) : ligne ignorée".into())),
            );
            return Ok(());
        }
        let (ident, message, mut erreurs) = lire_ligne(&valeurs);

        if let Some(nir) = ident.as_ref().map(|i| i.nir.clone()).or_else(|| nir_seul(&valeurs)) {
            let cle: String = nir.chars().take(13).collect();
            if self.courant.as_ref().map(|b| &b.cle) != Some(&cle) {
                if let Some(&premiere) = self.vus.get(&cle) {
                    erreurs.push((
                        Col::Nir,
                        format!(
                            "personne déjà présente plus haut (à partir de la ligne {premiere}) : les lignes d'une même personne doivent se suivre"
                        ),
                    ));
                    batch.errors.extend(erreurs.into_iter().map(|(c, m)| err(Some(c), m)));
                    return Ok(());
                }
                if let Some(p) = self.courant.take().and_then(Bloc::personne) {
                    batch.personnes.push(p);
                }
                self.vus.insert(cle.clone(), ligne);
                self.courant = Some(Bloc::new(cle, ligne));
            }
            if let (Some(bloc), Some(id), Some(m)) = (self.courant.as_mut(), ident, message)
                && erreurs.is_empty()
            {
                erreurs = bloc.coherence(&id, &m);
                if erreurs.is_empty() {
                    bloc.ajouter(id, m, ligne);
                }
            }
        }
        batch.errors.extend(erreurs.into_iter().map(|(c, m)| err(Some(c), m)));
        Ok(())
    }

    fn entete(&mut self, noms: &[String]) -> Result<(), String> {
        let noms: Vec<String> = noms.iter().map(|n| n.trim().to_ascii_uppercase().replace([' ', '-'], "_")).collect();
        let mut cols = HashMap::new();
        for col in Col::ALL {
            let mut positions = noms.iter().enumerate().filter(|(_, n)| *n == col.nom()).map(|(i, _)| i);
            if let Some(i) = positions.next() {
                if positions.next().is_some() {
                    return Err(format!("en-tête : colonne {} en double", col.nom()));
                }
                cols.insert(col, i);
            }
        }
        let absentes: Vec<&str> =
            Col::ALL.iter().filter(|c| c.requise() && !cols.contains_key(c)).map(|c| c.nom()).collect();
        if !absentes.is_empty() {
            return Err(format!("en-tête : colonne(s) obligatoire(s) absente(s) : {}", absentes.join(", ")));
        }
        self.nb_colonnes = noms.len();
        self.colonnes = Some(cols);
        Ok(())
    }
}

/// The NIR of a line whose other columns are wrong, to keep track of the person.
fn nir_seul(v: &HashMap<Col, String>) -> Option<String> {
    v.get(&Col::Nir).and_then(|n| codes::nir(n).ok())
}

type Erreurs = Vec<(Col, String)>;

/// Reads one line: its identification, its message, the problems (column, message).
fn lire_ligne(v: &HashMap<Col, String>) -> (Option<Ident>, Option<Message>, Erreurs) {
    let mut e: Erreurs = Vec::new();
    let get = |c: Col| v.get(&c).map(String::as_str);
    let requis = |c: Col, e: &mut Erreurs| {
        let r = get(c);
        if r.is_none() {
            e.push((c, "obligatoire".into()));
        }
        r
    };

    // Identification.
    let nir = requis(Col::Nir, &mut e).and_then(|n| codes::nir(n).map_err(|m| e.push((Col::Nir, m))).ok());
    let nom = requis(Col::Nom, &mut e);
    let prenom = requis(Col::Prenom, &mut e);
    let date_naissance = requis(Col::DateNaissance, &mut e)
        .and_then(|d| codes::date_sigma(d).map_err(|m| e.push((Col::DateNaissance, m))).ok());
    let code_postal = requis(Col::CodePostal, &mut e).and_then(|cp| {
        let ok = cp.len() == 5 && cp.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            e.push((Col::CodePostal, "code postal de 5 chiffres attendu".into()));
        }
        ok.then_some(cp)
    });
    let commune = requis(Col::Commune, &mut e);
    let telephone = get(Col::Telephone).and_then(|t| {
        let t: String = t.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let chiffres = t.strip_prefix('+').unwrap_or(&t);
        let ok = chiffres.bytes().all(|b| b.is_ascii_digit()) && (9..=15).contains(&chiffres.len());
        if !ok {
            e.push((Col::Telephone, "numéro de téléphone illisible (chiffres, + en tête admis)".into()));
        }
        ok.then_some(t)
    });
    let courriel = get(Col::Courriel).and_then(|c| {
        let ok = match c.split_once('@') {
            Some((l, d)) => !l.is_empty() && d.contains('.') && !d.contains('@') && !c.contains(char::is_whitespace),
            None => false,
        };
        if !ok {
            e.push((Col::Courriel, "adresse électronique illisible".into()));
        }
        ok.then(|| c.to_string())
    });

    // Message.
    let type_message = match get(Col::TypeMessage) {
        None => {
            e.push((Col::TypeMessage, "obligatoire (DIAGNOSTIC, BILAN ou PROLONGATION)".into()));
            None
        }
        Some(t) => {
            let t = TypeMessage::lire(t);
            if t.is_none() {
                e.push((Col::TypeMessage, "type de message inconnu (DIAGNOSTIC, BILAN ou PROLONGATION)".into()));
            }
            t
        }
    };
    let message = type_message.and_then(|t| {
        for (col, pour) in COLONNES_MESSAGE {
            if pour != t && get(col).is_some() {
                e.push((col, format!("sans objet pour un message {} : doit être vide", t.nom())));
            }
        }
        let date = |c: Col, e: &mut Erreurs| get(c).and_then(|d| codes::date_sigma(d).map_err(|m| e.push((c, m))).ok());
        let code = |c: Col, t: &codes::Table, e: &mut Erreurs| {
            get(c).and_then(|s| {
                let r = t.lire(s).map(|x| x.dude.to_string());
                if r.is_none() {
                    e.push((c, format!("{} {} (codes admis : {})", t.quoi, t.inconnu, t.liste())));
                }
                r
            })
        };
        match t {
            TypeMessage::Diagnostic => {
                let date_debut = date(Col::DateDebut, &mut e);
                let liste = |c: Col, t: &codes::Table, e: &mut Erreurs| match get(c).map(|s| t.lire_liste(s)) {
                    Some(Ok(l)) => Some(l),
                    Some(Err(m)) => {
                        e.push((c, m));
                        None
                    }
                    None => Some(Vec::new()),
                };
                let freins = liste(Col::Freins, &FREINS, &mut e);
                let motifs = liste(Col::MotifsNonIntegration, &MOTIFS, &mut e);
                // Integrated (a start date) or not (motifs), when the motifs could be read.
                match (get(Col::DateDebut).is_some(), motifs.as_ref().map(|m| !m.is_empty())) {
                    (false, Some(false)) => e.push((
                        Col::DateDebut,
                        "obligatoire quand MOTIFS_NON_INTEGRATION est vide (personne intégrée)".into(),
                    )),
                    (true, Some(true)) => e.push((
                        Col::MotifsNonIntegration,
                        "incompatible avec DATE_DEBUT : une personne non intégrée n'a pas de date de début".into(),
                    )),
                    _ => {}
                }
                Some(Message::Diagnostic { date_debut, freins: freins?, motifs: motifs? })
            }
            TypeMessage::Bilan => {
                if get(Col::DateBilan).is_none() {
                    e.push((Col::DateBilan, "obligatoire pour un message BILAN".into()));
                }
                if get(Col::ResultatBilan).is_none() {
                    e.push((Col::ResultatBilan, format!("obligatoire pour un message BILAN ({})", RESULTATS.liste())));
                }
                if get(Col::DecisionBilan).is_none() {
                    e.push((Col::DecisionBilan, format!("obligatoire pour un message BILAN ({})", DECISIONS.liste())));
                }
                let date = date(Col::DateBilan, &mut e);
                let resultat = code(Col::ResultatBilan, &RESULTATS, &mut e);
                let decision = code(Col::DecisionBilan, &DECISIONS, &mut e);
                let sortie = code(Col::Sortie, &SORTIES, &mut e);
                match (decision.as_deref(), get(Col::Sortie).is_some()) {
                    (Some(DECISION_FIN), false) => e.push((
                        Col::Sortie,
                        format!(
                            "obligatoire quand la décision est la fin d'accompagnement (FIN) : {}",
                            SORTIES.liste()
                        ),
                    )),
                    (Some(d), true) if d != DECISION_FIN => {
                        e.push((Col::Sortie, "sans objet : la décision n'est pas la fin d'accompagnement (FIN)".into()))
                    }
                    _ => {}
                }
                Some(Message::Bilan(Bilan { date: date?, resultat: resultat?, decision: decision?, sortie }))
            }
            TypeMessage::Prolongation => {
                if get(Col::DateFinProlongation).is_none() {
                    e.push((Col::DateFinProlongation, "obligatoire pour un message PROLONGATION".into()));
                }
                date(Col::DateFinProlongation, &mut e).map(Message::Prolongation)
            }
        }
    });

    let ident = match (nir, nom, prenom, date_naissance, code_postal, commune) {
        (Some(nir), Some(nom), Some(prenom), Some(date_naissance), Some(code_postal), Some(commune)) => Some(Ident {
            nir,
            nom: nom.to_string(),
            prenom: prenom.to_string(),
            date_naissance,
            code_postal: code_postal.to_string(),
            commune: commune.to_string(),
            adresse: get(Col::Adresse).map(str::to_string),
            complement: get(Col::ComplementAdresse).map(str::to_string),
            telephone,
            courriel,
            id_sigma: get(Col::IdSigma).map(str::to_string),
        }),
        _ => None,
    };
    if !e.is_empty() {
        return (ident, None, e);
    }
    (ident, message, e)
}

impl Analyseur for AnalyseurSigma {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        AnalyseurSigma::push(self, chunk)
    }

    fn finish(&mut self) -> Result<Batch, String> {
        AnalyseurSigma::finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Table;

    const BON: &[u8] = include_bytes!("../tests/data/sigma_ok.csv");
    const MAUVAIS: &[u8] = include_bytes!("../tests/data/sigma_erreurs.csv");
    const ENTETE: &str = "TYPE_MESSAGE;NIR;NOM;PRENOM;DATE_NAISSANCE;ADRESSE;CODE_POSTAL;COMMUNE;DATE_DEBUT;FREINS;\
                          MOTIFS_NON_INTEGRATION;DATE_BILAN;RESULTAT_BILAN;DECISION_BILAN;SORTIE;DATE_FIN_PROLONGATION\n";

    fn lire(bytes: &[u8], opts: &[(&str, &str)], taille: usize) -> Result<Batch, String> {
        let opts: Vec<(String, String)> = opts.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let mut p = AnalyseurSigma::new(&opts)?;
        let mut b = Batch::default();
        for c in bytes.chunks(taille.max(1)) {
            b.extend(p.push(c)?);
        }
        b.extend(p.finish()?);
        Ok(b)
    }

    fn champs(b: &Batch) -> Vec<(u64, Option<&str>)> {
        b.errors.iter().map(|e| (e.record_number, e.field.as_deref())).collect()
    }

    fn ag(p: &Personne) -> &AccompagnementGlobal {
        p.accompagnement.as_ref().unwrap()
    }

    #[test]
    fn good_file_one_person_per_nir() {
        let b = lire(BON, &[], 1 << 20).unwrap();
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        let numeros: Vec<u64> = b.personnes.iter().map(|p| p.numero).collect();
        assert_eq!(numeros, [2, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20]);

        let a = &b.personnes[0];
        assert_eq!(a.identite.nir.as_deref(), Some("185037728801240"));
        assert_eq!((a.identite.nom.as_str(), a.identite.prenom.as_str()), ("Martin", "Julien"));
        assert_eq!(a.identite.date_naissance, "1985-03-12");
        let contact = a.contact.as_ref().unwrap();
        assert_eq!(contact.telephone.as_deref(), Some("0612345678"));
        assert_eq!(contact.courriel.as_deref(), Some("julien.martin@example.org"));
        let adresse = contact.adresse.as_ref().unwrap();
        assert_eq!(adresse.ligne1, "3 rue des Lilas");
        assert_eq!(adresse.ligne2.as_deref(), Some("Bât. B; esc. 2"), "quoted field with the separator");
        assert_eq!((adresse.code_postal.as_str(), adresse.commune.as_str()), ("77000", "Melun"));
        assert_eq!(
            ag(a),
            &AccompagnementGlobal {
                date_debut: Some("2024-01-15".into()),
                freins: vec!["28".into(), "27".into()],
                motifs_non_integration: vec![],
                bilans: vec![
                    Bilan {
                        date: "2024-07-15".into(),
                        resultat: "OBJECTIF_PARTIELLEMENT_ATTEINT".into(),
                        decision: "MAINTIEN_AXE2".into(),
                        sortie: None
                    },
                    Bilan {
                        date: "2025-01-10".into(),
                        resultat: "OBJECTIF_ATTEINT".into(),
                        decision: "FIN_AXE2".into(),
                        sortie: Some("EMPLOI_CDI".into())
                    },
                ],
                prolongations: vec!["2025-01-15".into()],
            }
        );

        // Labels instead of codes, lower-case message type.
        let lea = &b.personnes[1];
        assert_eq!(lea.identite.nom, "Lefèvre");
        assert_eq!(ag(lea).freins, ["25", "23"]);
        assert_eq!(
            ag(lea).bilans,
            [Bilan {
                date: "2024-08-01".into(),
                resultat: "OBJECTIF_NON_ATTEINT".into(),
                decision: "ORIENTATION_SOCIAL_EXCLUSIF".into(),
                sortie: None
            }]
        );
        // Non-intégration: no start date; NIR with spaces.
        let c = &b.personnes[2];
        assert_eq!(c.identite.nir.as_deref(), Some("178067505612359"));
        assert_eq!(ag(c).date_debut, None);
        assert_eq!(ag(c).motifs_non_integration, ["NON_ADHESION_ABSENT", "FREINS_NON_IDENTIFIES"]);
        let e = &b.personnes[4];
        assert_eq!(ag(e).freins, ["24", "26", "23", "25"]);
        assert_eq!(ag(e).motifs_non_integration, ["NON_ADHESION_REFUS_SOCIAL", "PUBLIC_NON_CONCERNE"]);
        assert_eq!(e.contact.as_ref().unwrap().adresse.as_ref().unwrap().ligne1, "", "no street line given");
        // BILAN before DIAGNOSTIC, merged.
        let g = &b.personnes[6];
        assert_eq!(g.numero, 12);
        assert_eq!(ag(g).date_debut.as_deref(), Some("2023-12-20"));
        assert_eq!(ag(g).freins, ["24", "26"]);
        assert_eq!(ag(g).bilans[0].sortie.as_deref(), Some("EMPLOI_CDD_CTT_MOINS_6_MOIS"));
        assert_eq!(b.personnes[11].identite.nir.as_deref(), Some("286122A00403362"), "Corsica");
        // Prolongations only, sorted.
        let n = &b.personnes[13];
        assert_eq!(ag(n).prolongations, ["2024-12-31", "2025-06-30"]);
        assert!(ag(n).bilans.is_empty() && ag(n).freins.is_empty() && ag(n).date_debut.is_none());

        // Every code of every table appears in the sample.
        let mut vus: Vec<String> = Vec::new();
        for p in &b.personnes {
            let a = ag(p);
            vus.extend(a.freins.iter().cloned());
            vus.extend(a.motifs_non_integration.iter().cloned());
            for bl in &a.bilans {
                vus.extend([bl.resultat.clone(), bl.decision.clone()]);
                vus.extend(bl.sortie.clone());
            }
        }
        let tables: [&Table; 5] = [&FREINS, &MOTIFS, &RESULTATS, &DECISIONS, &SORTIES];
        for t in tables {
            for c in t.codes {
                assert!(vus.iter().any(|v| v == c.dude), "{} absent of the sample", c.dude);
            }
        }
    }

    /// The example of FORMAT.md's section 5 reads as the document says.
    #[test]
    fn format_md_example() {
        let doc = include_str!("../FORMAT.md");
        let section = &doc[doc.find("## 5. Example").unwrap()..];
        let exemple = section.split("```").nth(1).unwrap().trim_start_matches('\n');
        let b = lire(exemple.as_bytes(), &[], 5).unwrap();
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        let entier = lire(BON, &[], 1 << 20).unwrap();
        assert_eq!(b.personnes, [entier.personnes[0].clone(), Personne { numero: 6, ..entier.personnes[2].clone() }]);
    }

    #[test]
    fn any_chunking_gives_the_same_result() {
        for fichier in [BON, MAUVAIS] {
            let entier = lire(fichier, &[], 1 << 20).unwrap();
            for taille in [1, 2, 3, 7, 64, 1000] {
                assert_eq!(lire(fichier, &[], taille).unwrap(), entier, "chunks of {taille}");
            }
        }
    }

    #[test]
    fn bom_crlf_and_windows_1252() {
        let entier = lire(BON, &[], 1 << 20).unwrap();
        let avec_bom = [b"\xEF\xBB\xBF".as_slice(), BON].concat();
        for taille in [1, 2, 7, 1 << 20] {
            assert_eq!(lire(&avec_bom, &[], taille).unwrap(), entier, "BOM, chunks of {taille}");
        }
        assert_eq!(lire(&avec_bom, &[("encodage", "windows-1252")], 5).unwrap(), entier, "a BOM means UTF-8");

        let crlf = String::from_utf8(BON.to_vec()).unwrap().replace('\n', "\r\n");
        for taille in [1, 7, 1 << 20] {
            assert_eq!(lire(crlf.as_bytes(), &[], taille).unwrap(), entier, "CRLF, chunks of {taille}");
        }

        let (cp1252, _, pertes) = encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(BON).unwrap());
        assert!(!pertes);
        assert_ne!(cp1252.as_ref(), BON);
        for taille in [1, 7, 1 << 20] {
            assert_eq!(lire(&cp1252, &[("encodage", "windows-1252")], taille).unwrap(), entier, "chunks of {taille}");
        }
        // Without the option: the lines with accents are refused, with a hint, not the file.
        let b = lire(&cp1252, &[], 1 << 20).unwrap();
        assert!(!b.errors.is_empty());
        assert!(b.errors.iter().all(|e| e.message.contains("windows-1252")), "{:?}", b.errors);
        assert_eq!(b.errors.iter().filter(|e| e.record_number == 3).count(), 1, "COMPLEMENT_ADRESSE of line 3");
        assert_eq!(b.errors[0].field.as_deref(), Some("COMPLEMENT_ADRESSE"));
    }

    #[test]
    fn bad_file_every_error_on_its_line() {
        let b = lire(MAUVAIS, &[], 1 << 20).unwrap();
        assert_eq!(
            champs(&b),
            [
                (3, Some("TYPE_MESSAGE")),
                (4, Some("RESULTAT_BILAN")),
                (5, Some("DATE_BILAN")),
                (6, Some("DATE_BILAN")),
                (7, Some("SORTIE")),
                (8, Some("SORTIE")),
                (9, Some("DECISION_BILAN")),
                (11, Some("DATE_BILAN")),
                (12, Some("TYPE_MESSAGE")),
                (14, Some("DATE_FIN_PROLONGATION")),
                (15, Some("DATE_BILAN")),
                (16, Some("NOM")),
                (16, Some("PRENOM")),
                (17, Some("FREINS")),
                (18, Some("MOTIFS_NON_INTEGRATION")),
                (19, Some("DATE_DEBUT")),
                (21, Some("DATE_NAISSANCE")),
                (22, Some("NIR")),
                (23, Some("NIR")),
                (24, Some("CODE_POSTAL")),
                (24, Some("TELEPHONE")),
                (24, Some("COURRIEL")),
                (25, Some("NIR")),
                (26, None),
                (27, Some("PRENOM")),
                (27, Some("DATE_NAISSANCE")),
                (27, Some("CODE_POSTAL")),
                (27, Some("COMMUNE")),
                (27, Some("DATE_BILAN")),
                (27, Some("RESULTAT_BILAN")),
                (27, Some("DECISION_BILAN")),
                (29, Some("MOTIFS_NON_INTEGRATION")),
                (30, Some("DECISION_BILAN")),
                (30, Some("SORTIE")),
                (31, Some("TYPE_MESSAGE")),
                (32, Some("DATE_DEBUT")),
                (33, Some("DATE_NAISSANCE")),
                (34, Some("ID_SIGMA")),
            ]
        );
        let message = |ligne: u64| b.errors.iter().find(|e| e.record_number == ligne).unwrap().message.as_str();
        assert!(message(3).contains("inconnu"), "{}", message(3));
        assert!(message(5).contains("inexistante"), "{}", message(5));
        assert!(message(6).contains("JJ/MM/AAAA"), "{}", message(6));
        assert!(message(7).contains("obligatoire") && message(7).contains("FIN"), "{}", message(7));
        assert!(message(8).contains("sans objet"), "{}", message(8));
        assert!(message(11).contains("ligne 10"), "{}", message(11));
        assert!(message(12).contains("ligne 2"), "{}", message(12));
        assert!(message(14).contains("ligne 13"), "{}", message(14));
        assert!(message(15).contains("PROLONGATION"), "{}", message(15));
        assert!(message(17).contains("position 2"), "{}", message(17));
        assert!(message(21).contains("ligne 20"), "{}", message(21));
        assert!(message(23).contains("11 caractères"), "{}", message(23));
        assert!(message(25).contains("ligne 2") && message(25).contains("se suivre"), "{}", message(25));
        assert!(message(26).contains("22 champs pour 21"), "{}", message(26));
        assert!(message(30).contains("décision du bilan inconnue"), "{}", message(30));
        assert!(message(34).contains("ligne 28"), "{}", message(34));

        // No personal data in any message.
        let texte = std::str::from_utf8(MAUVAIS).unwrap();
        for ligne in texte.lines().skip(1) {
            for (i, v) in ligne.split(';').enumerate() {
                if [3, 4, 5, 6, 11, 12].contains(&i) && v.len() > 3 {
                    assert!(b.errors.iter().all(|e| !e.message.contains(v)), "« {v} » in a message");
                }
            }
        }

        // The persons, with their accepted lines only.
        let numeros: Vec<u64> = b.personnes.iter().map(|p| p.numero).collect();
        assert_eq!(numeros, [2, 16, 28], "R (line 24) and S (26-27) have no accepted line");
        let p = &b.personnes[0];
        assert_eq!(ag(p).date_debut.as_deref(), Some("2024-01-01"));
        assert_eq!(ag(p).freins, ["27"]);
        assert_eq!(
            ag(p).bilans,
            [Bilan {
                date: "2024-07-01".into(),
                resultat: "OBJECTIF_ATTEINT".into(),
                decision: "MAINTIEN_AXE2".into(),
                sortie: None
            }]
        );
        assert_eq!(ag(p).prolongations, ["2025-01-01"]);
        let q = &b.personnes[1];
        assert_eq!(q.identite.prenom, "Alice", "identity of the first accepted line (20)");
        assert_eq!(ag(q).freins, ["28"]);
        assert!(ag(q).bilans.is_empty() && ag(q).prolongations.is_empty());
        let t = &b.personnes[2];
        assert_eq!(t.identite.nom, "Dupuis", "line 35 differs only in case and accents: accepted");
        assert_eq!(ag(t).prolongations, ["2025-06-01"]);
        assert_eq!(ag(t).freins, ["25"]);
    }

    #[test]
    fn persons_come_out_as_soon_as_the_next_begins() {
        let l = |t: &str, nir: &str, extra: &str| format!("{t};{nir};Nom;Prénom;01/01/1980;;77000;Melun;{extra}\n");
        let a = "1800177288001";
        let b = "2800177288002";
        let mut p = AnalyseurSigma::new(&[]).unwrap();
        let b1 = p.push(format!("{ENTETE}{}", l("PROLONGATION", a, ";;;;;;;01/01/2025")).as_bytes()).unwrap();
        assert!(b1.personnes.is_empty() && b1.errors.is_empty());
        let b2 = p.push(l("PROLONGATION", a, ";;;;;;;01/02/2025").as_bytes()).unwrap();
        assert!(b2.personnes.is_empty(), "same person: still open");
        let b3 = p.push(l("PROLONGATION", b, ";;;;;;;01/01/2025").as_bytes()).unwrap();
        assert_eq!(b3.personnes.len(), 1, "A is complete once B begins");
        assert_eq!(b3.personnes[0].numero, 2);
        assert_eq!(ag(&b3.personnes[0]).prolongations, ["2025-01-01", "2025-02-01"]);
        // A again, after B: refused; B goes on.
        let b4 = p.push(l("PROLONGATION", &format!("{a}  "), ";;;;;;;01/03/2025").as_bytes()).unwrap();
        assert_eq!(champs(&b4), [(5, Some("NIR"))]);
        assert!(b4.errors[0].message.contains("ligne 2"));
        let b5 = p.push(l("PROLONGATION", b, ";;;;;;;01/02/2025").as_bytes()).unwrap();
        assert!(b5.errors.is_empty() && b5.personnes.is_empty());
        let fin = p.finish().unwrap();
        assert_eq!(fin.personnes.len(), 1);
        assert_eq!(fin.personnes[0].numero, 4);
        assert_eq!(ag(&fin.personnes[0]).prolongations, ["2025-01-01", "2025-02-01"]);
        // The same NIR with and without its key is the same person.
        let f = format!(
            "{ENTETE}{}{}{}",
            l("PROLONGATION", "185037728801240", ";;;;;;;01/01/2025"),
            l("PROLONGATION", "2800177288002", ";;;;;;;01/01/2025"),
            l("PROLONGATION", "1850377288012", ";;;;;;;01/02/2025")
        );
        let r = lire(f.as_bytes(), &[], 3).unwrap();
        assert_eq!(champs(&r), [(4, Some("NIR"))]);
    }

    #[test]
    fn line_numbers_count_line_breaks_inside_quotes() {
        for fin in ["\n", "\r\n"] {
            let f = format!(
                "{ENTETE}PROLONGATION;1800177288001;Nom;Prénom;01/01/1980;\"1 rue{fin}bâtiment B\";77000;Melun;;;;;;;;01/01/2025{fin}\
                 {fin}\
                 PROLONGATION;2800177288002;Nom;Prénom;01/01/1980;;77000;Melun;;;;;;;;32/01/2025{fin}"
            )
            .replace('\n', fin)
            .replace("\r\r", "\r");
            for taille in [1, 4, 1000] {
                let b = lire(f.as_bytes(), &[], taille).unwrap();
                assert_eq!(champs(&b), [(5, Some("DATE_FIN_PROLONGATION"))], "{fin:?} {taille}");
                assert_eq!(b.personnes.len(), 1);
                assert_eq!(b.personnes[0].numero, 2);
                let adresse = b.personnes[0].contact.as_ref().unwrap().adresse.as_ref().unwrap();
                assert_eq!(adresse.ligne1, format!("1 rue{fin}bâtiment B"));
            }
        }
    }

    #[test]
    fn header_and_options() {
        let e = lire(b"", &[], 10).unwrap_err();
        assert!(e.contains("vide"), "{e}");
        let e = lire(b"\xEF\xBB", &[], 1).unwrap_err();
        assert!(e.contains("UTF-8"), "a truncated BOM alone: {e}");
        let e = lire(b"TYPE_MESSAGE;NIR;NOM\n", &[], 10).unwrap_err();
        assert!(e.contains("PRENOM") && e.contains("DATE_FIN_PROLONGATION") && !e.contains(" NOM,"), "{e}");
        let doublon = ENTETE.replace("ADRESSE", "NOM");
        let e = lire(doublon.as_bytes(), &[], 10).unwrap_err();
        assert!(e.contains("NOM en double"), "{e}");
        let e = lire(b"TYPE_MESSAGE;NIR;PR\xC9NOM\n", &[], 10).unwrap_err();
        assert!(e.contains("UTF-8"), "{e}");
        // Header names: case, spaces or hyphens for underscores; unknown columns ignored.
        let souple = "Type message;nir;Nom;Prenom;date-naissance;Code postal;commune;date_debut;freins;motifs non integration;\
             date_bilan;resultat_bilan;decision_bilan;sortie;date_fin_prolongation;IDENTIFIANT_FT\n\
             DIAGNOSTIC;1800177288001;Nom;Prénom;01/01/1980;77000;Melun;01/01/2024;FIN;;;;;;;123456A\n";
        let b = lire(souple.as_bytes(), &[], 10).unwrap();
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(ag(&b.personnes[0]).freins, ["28"]);
        // Only the header: no person, no error.
        let b = lire(ENTETE.as_bytes(), &[], 10).unwrap();
        assert_eq!(b, Batch::default());

        let Err(e) = AnalyseurSigma::new(&[("separateur".into(), ",".into())]) else { panic!("refused") };
        assert!(e.contains("option inconnue") && !e.contains("separateur"), "{e}");
        let Err(e) = AnalyseurSigma::new(&[("encodage".into(), "ebcdic".into())]) else { panic!("refused") };
        assert!(e.contains("utf-8 ou windows-1252") && !e.contains("ebcdic"), "{e}");
        assert!(AnalyseurSigma::new(&[("encodage".into(), "CP1252".into())]).is_ok());
    }
}
