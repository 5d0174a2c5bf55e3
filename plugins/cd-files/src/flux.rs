//! The CAF/MSA « flux bénéficiaires RSA »: XML of schema `vrsb0801.xsd` (CNAF), one
//! `<InfosFoyerRSA>` per RSA household under `<Racine>`, windows-1252 by default.
//!
//! Streaming: the bytes of one household are kept until its `</InfosFoyerRSA>` arrives,
//! then decoded, parsed with quick-xml and dropped, so memory is bounded by one household
//! whatever the chunking (a chunk may cut a tag or a multi-byte character in two).
//!
//! Each job seeker of the household (RSA role `DEM` or `CJT`) becomes one record, numbered
//! by the line of its `<Personne>` tag; children and other persons (`ENF`, `AUT`, `RDO`, no
//! RSA role) are skipped. The household's data (organisme, matricule, dates, state of the
//! right, closure, suspension, address) is copied into each of its persons.
//!
//! Entry date: DTORIDEMRSA (« date d'entrée au RSA/RMI/API », TroncCommunDroitRSA) when
//! given, else DTDEMRSA (date of the current RSA application). Closure: FinDroit or
//! FinDroitMoisAnterieur; suspension: SuspensionDroit or SuspensionVersement, the kind
//! matching ETATDOSRSA (3 / 4) first, the latest first. Address: RGADR 01 (« dernière
//! adresse »). Codes of motifs are passed as the CAF writes them.
//!
//! Row errors name the XML element (`NIR`, `DTNAI`, `ETATDOSRSA`…, `InfosFoyerRSA` for a
//! malformed or unclosed household). A problem with the household's own data drops its
//! persons (one error on the household's line); a problem with one person drops that
//! person (errors on its line). `Err` only for what is not this flux (not XML, another
//! root, an unsupported encoding) or a truncated file (at `finish`).
//!
//! Option: `encodage` (`utf-8` or `windows-1252`) overrides the encoding of the XML
//! declaration (a UTF-8 BOM also means UTF-8; nothing at all means windows-1252).

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

use crate::codes::{self, normalise};
use crate::model::*;

const RACINE: &[u8] = b"Racine";
const FOYER: &[u8] = b"InfosFoyerRSA";
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Bytes of one household (or of one pending tag) beyond which the file is refused.
pub const MAX_FOYER: usize = 16 << 20;

/// Where the scanner is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Etat {
    /// Before the root element.
    Prologue,
    /// Inside `<Racine>`, outside any household.
    Racine,
    /// Inside a household: its `<` is at `debut` in the buffer, on line `ligne`.
    Foyer { debut: usize, ligne: u64 },
    /// After `</Racine>`.
    Fin,
}

/// The streaming parser.
pub struct FluxParser {
    force: Option<&'static Encoding>,
    encodage: &'static Encoding,
    buf: Vec<u8>,
    /// Scan position in `buf`: everything before it is read.
    pos: usize,
    /// Line number of `buf[pos]`.
    ligne: u64,
    etat: Etat,
    /// Elements open outside households, root first.
    ouverts: Vec<Vec<u8>>,
    /// Bytes received so far.
    recus: u64,
    /// The start of the file was checked for a byte order mark.
    bom_lu: bool,
    /// The file starts with a UTF-8 BOM.
    bom: bool,
}

impl FluxParser {
    pub fn new(options: &[(String, String)]) -> Result<Self, String> {
        let mut force = None;
        for (k, v) in options {
            match k.as_str() {
                "encodage" => {
                    force = Some(match normalise(v).as_str() {
                        "utf-8" | "utf8" => UTF_8,
                        "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => WINDOWS_1252,
                        _ => return Err("option encodage : utf-8 ou windows-1252 attendu".to_string()),
                    })
                }
                _ => return Err("option inconnue pour le flux RSA (option possible : encodage)".to_string()),
            }
        }
        Ok(Self {
            force,
            encodage: force.unwrap_or(WINDOWS_1252),
            buf: Vec::new(),
            pos: 0,
            ligne: 1,
            etat: Etat::Prologue,
            ouverts: Vec::new(),
            recus: 0,
            bom_lu: false,
            bom: false,
        })
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        self.recus += chunk.len() as u64;
        self.buf.extend_from_slice(chunk);
        let mut batch = Batch::default();
        self.avancer(&mut batch)?;
        Ok(batch)
    }

    pub fn finish(&mut self) -> Result<Batch, String> {
        let mut batch = Batch::default();
        self.avancer(&mut batch)?;
        match self.etat {
            Etat::Fin => Ok(batch),
            Etat::Prologue if self.recus == 0 => Err("fichier vide".into()),
            Etat::Prologue => Err("fichier tronqué ou non XML : élément racine <Racine> absent".into()),
            Etat::Racine => Err(format!("fichier tronqué après la ligne {} : balise </Racine> absente", self.ligne)),
            Etat::Foyer { ligne, .. } => {
                Err(format!("fichier tronqué : le foyer <InfosFoyerRSA> commencé ligne {ligne} n'est pas fermé"))
            }
        }
    }

    /// Bytes held: at most one household and one pending tag.
    pub fn en_attente(&self) -> usize {
        self.buf.len()
    }

    /// Reads every complete piece of markup in the buffer, then drops what is no longer needed.
    fn avancer(&mut self, batch: &mut Batch) -> Result<(), String> {
        if !self.bom_lu {
            if self.buf.len() < BOM.len() && BOM.starts_with(&self.buf) && !self.buf.is_empty() {
                return Ok(());
            }
            if self.buf.starts_with(b"\xFF\xFE") || self.buf.starts_with(b"\xFE\xFF") {
                return Err("fichier en UTF-16 : non pris en charge (UTF-8 ou windows-1252 attendu)".into());
            }
            if !self.buf.is_empty() {
                self.bom_lu = true;
                if self.buf.starts_with(BOM) {
                    self.pos = BOM.len();
                    self.bom = true;
                    if self.force.is_none() {
                        self.encodage = UTF_8;
                    }
                }
            }
        }
        loop {
            let reste = &self.buf[self.pos..];
            let lt = reste.iter().position(|&c| c == b'<');
            let texte = &reste[..lt.unwrap_or(reste.len())];
            if matches!(self.etat, Etat::Prologue) && !texte.iter().all(u8::is_ascii_whitespace) {
                return Err("ce n'est pas un document XML (texte avant l'élément racine)".into());
            }
            self.ligne += lignes(texte);
            self.pos += texte.len();
            if lt.is_none() {
                break;
            }
            let Some((balise, n)) = balise(&self.buf[self.pos..]) else { break };
            let (debut, ligne) = (self.pos, self.ligne);
            self.ligne += lignes(&self.buf[debut..debut + n]);
            self.pos += n;
            self.traiter(balise, debut, ligne, batch)?;
        }
        let garde = match self.etat {
            Etat::Foyer { debut, ligne } => {
                self.etat = Etat::Foyer { debut: 0, ligne };
                debut
            }
            _ => self.pos,
        };
        self.buf.drain(..garde);
        self.pos -= garde;
        if self.buf.len() > MAX_FOYER {
            return Err(format!(
                "foyer ou balise de plus de {} Mio ligne {} : fichier refusé",
                MAX_FOYER >> 20,
                self.ligne
            ));
        }
        Ok(())
    }

    /// One piece of markup, `buf[debut..self.pos]`, starting on line `ligne`.
    fn traiter(&mut self, balise: Balise, debut: usize, ligne: u64, batch: &mut Batch) -> Result<(), String> {
        let nom = |r: (usize, usize)| &self.buf[debut + r.0..debut + r.1];
        match (self.etat, balise) {
            (Etat::Prologue, Balise::Decl) => {
                // A BOM or the option decides before the declaration.
                if self.force.is_none()
                    && !self.bom
                    && let Some(e) = encodage_declare(&self.buf[debut..self.pos])?
                {
                    self.encodage = e;
                }
            }
            (Etat::Prologue, Balise::Ouvrante { nom: n, vide }) => {
                if nom(n) != RACINE {
                    return Err(format!(
                        "élément racine <{}> : ce n'est pas un flux bénéficiaires RSA (racine <Racine> attendue)",
                        affichable(nom(n))
                    ));
                }
                if vide {
                    self.etat = Etat::Fin;
                } else {
                    self.ouverts.push(RACINE.to_vec());
                    self.etat = Etat::Racine;
                }
            }
            (Etat::Prologue, Balise::Fermante { .. }) => {
                return Err(format!("XML mal formé ligne {ligne} : balise fermante avant l'élément racine"));
            }
            (Etat::Racine, Balise::Ouvrante { nom: n, vide }) => {
                if nom(n) == FOYER && self.ouverts.len() == 1 {
                    if vide {
                        batch.errors.push(erreur(ligne, "InfosFoyerRSA", "foyer vide"));
                    } else {
                        self.etat = Etat::Foyer { debut, ligne };
                    }
                } else if !vide {
                    let n = nom(n).to_vec();
                    self.ouverts.push(n);
                }
            }
            (Etat::Racine, Balise::Fermante { nom: n }) => {
                let n = nom(n);
                let attendu = self.ouverts.last().map(Vec::as_slice).unwrap_or_default();
                if n != attendu {
                    return Err(format!(
                        "XML mal formé ligne {ligne} : </{}> ne ferme pas <{}>",
                        affichable(n),
                        affichable(attendu)
                    ));
                }
                self.ouverts.pop();
                if self.ouverts.is_empty() {
                    self.etat = Etat::Fin;
                }
            }
            (Etat::Foyer { debut: d, ligne: l }, Balise::Fermante { nom: n }) if nom(n) == FOYER => {
                foyer(&self.buf[d..self.pos], l, self.encodage, batch);
                self.etat = Etat::Racine;
            }
            (Etat::Foyer { ligne: l, .. }, Balise::Ouvrante { nom: n, vide }) if nom(n) == FOYER => {
                batch.errors.push(erreur(l, "InfosFoyerRSA", "balise </InfosFoyerRSA> absente : foyer ignoré"));
                if vide {
                    batch.errors.push(erreur(ligne, "InfosFoyerRSA", "foyer vide"));
                    self.etat = Etat::Racine;
                } else {
                    self.etat = Etat::Foyer { debut, ligne };
                }
            }
            (Etat::Foyer { ligne: l, .. }, Balise::Fermante { nom: n }) if nom(n) == RACINE => {
                batch.errors.push(erreur(l, "InfosFoyerRSA", "balise </InfosFoyerRSA> absente : foyer ignoré"));
                self.ouverts.clear();
                self.etat = Etat::Fin;
            }
            (Etat::Fin, Balise::Ouvrante { .. } | Balise::Fermante { .. }) => {
                return Err(format!("XML mal formé ligne {ligne} : élément après la fin de </Racine>"));
            }
            _ => {}
        }
        Ok(())
    }
}

impl dude_adapter_sdk::Analyseur for FluxParser {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        FluxParser::push(self, chunk)
    }

    fn finish(&mut self) -> Result<Batch, String> {
        FluxParser::finish(self)
    }
}

fn lignes(octets: &[u8]) -> u64 {
    octets.iter().filter(|&&c| c == b'\n').count() as u64
}

fn erreur(ligne: u64, champ: &str, message: impl Into<String>) -> RowError {
    RowError { record_number: ligne, field: Some(champ.into()), message: message.into() }
}

/// A tag name for a message: ASCII letters, digits and `_-.:` only, 40 at most.
fn affichable(nom: &[u8]) -> String {
    nom.iter()
        .take(40)
        .map(|&c| if c.is_ascii_alphanumeric() || b"_-.:".contains(&c) { c as char } else { '?' })
        .collect()
}

/// A short code for a message, with a leading space (codes are a few letters or digits;
/// anything else is not shown: it could be personal data in the wrong element).
fn code_affichable(v: &str) -> String {
    if v.len() <= 4 && v.chars().all(|c| c.is_ascii_alphanumeric()) { format!(" « {v} »") } else { String::new() }
}

/// The encoding named by an XML declaration `<?xml … encoding="…"?>`, if any.
fn encodage_declare(decl: &[u8]) -> Result<Option<&'static Encoding>, String> {
    // The declaration is ASCII: read it as Latin-1 to get a &str for quick-xml.
    let texte: String = decl.iter().map(|&c| c as char).collect();
    let mut r = Reader::from_str(&texte);
    let Ok(Event::Decl(d)) = r.read_event() else {
        return Err("déclaration XML <?xml … ?> illisible".into());
    };
    let Some(label) = d.encoding() else { return Ok(None) };
    let label = label.map_err(|_| "déclaration XML : attribut encoding illisible".to_string())?;
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(e) if e.is_ascii_compatible() => Ok(Some(e)),
        Some(_) => {
            Err(format!("encodage « {} » non pris en charge (UTF-8 ou windows-1252)", affichable(label.as_bytes())))
        }
        None => Err(format!("encodage « {} » inconnu", affichable(label.as_bytes()))),
    }
}

/// A piece of markup; names are byte ranges in the markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Balise {
    Ouvrante {
        nom: (usize, usize),
        vide: bool,
    },
    Fermante {
        nom: (usize, usize),
    },
    /// `<?xml … ?>`.
    Decl,
    /// Comment, processing instruction, CDATA section, DOCTYPE.
    Autre,
}

/// The markup at the start of `b` (`b[0] == b'<'`) and its length, or `None` if it is not
/// complete yet. Only finds where markup ends; quick-xml checks households in depth.
fn balise(b: &[u8]) -> Option<(Balise, usize)> {
    let jusqua = |motif: &[u8], depuis: usize| {
        b.get(depuis..)?.windows(motif.len()).position(|w| w == motif).map(|i| depuis + i + motif.len())
    };
    let nom = |depuis: usize| {
        let fin = b[depuis..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
            .map_or(b.len(), |i| depuis + i);
        (depuis, fin)
    };
    match *b.get(1)? {
        b'?' => {
            let n = jusqua(b"?>", 2)?;
            let decl = b[2..].starts_with(b"xml") && b.get(5).is_some_and(|c| c.is_ascii_whitespace() || *c == b'?');
            Some((if decl { Balise::Decl } else { Balise::Autre }, n))
        }
        b'!' => {
            if b.starts_with(b"<!--") {
                Some((Balise::Autre, jusqua(b"-->", 4)?))
            } else if b.starts_with(b"<![CDATA[") {
                Some((Balise::Autre, jusqua(b"]]>", 9)?))
            } else if b"<!--".starts_with(b) || b"<![CDATA[".starts_with(b) {
                None
            } else {
                // DOCTYPE: up to the `>` outside quotes and the internal subset.
                let (mut crochets, mut quote) = (0u32, None);
                for (i, &c) in b.iter().enumerate().skip(2) {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, b'"' | b'\'') => quote = Some(c),
                        (None, b'[') => crochets += 1,
                        (None, b']') => crochets = crochets.saturating_sub(1),
                        (None, b'>') if crochets == 0 => return Some((Balise::Autre, i + 1)),
                        _ => {}
                    }
                }
                None
            }
        }
        b'/' => {
            let n = jusqua(b">", 2)?;
            Some((Balise::Fermante { nom: nom(2) }, n))
        }
        _ => {
            let mut quote = None;
            for (i, &c) in b.iter().enumerate().skip(1) {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(c),
                    (None, b'>') => return Some((Balise::Ouvrante { nom: nom(1), vide: b[i - 1] == b'/' }, i + 1)),
                    _ => {}
                }
            }
            None
        }
    }
}

// ----------------------------------------------------------------------------------------
// One household

#[derive(Debug, Default)]
struct PersonneBrute {
    ligne: u64,
    qual: Option<String>,
    nom: Option<String>,
    nom_naissance: Option<String>,
    prenom: Option<String>,
    dtnai: Option<String>,
    nir: Option<String>,
    sexe: Option<String>,
    /// (NATPREST, ROLEPERS) of each `Prestations`.
    prestations: Vec<(Option<String>, Option<String>)>,
    droits_devoirs: Option<String>,
}

#[derive(Debug, Default)]
struct AdresseBrute {
    rang: Option<String>,
    compl_ident: Option<String>,
    compl: Option<String>,
    num_voie: Option<String>,
    type_voie: Option<String>,
    nom_voie: Option<String>,
    lieu_dit: Option<String>,
    code_postal: Option<String>,
    commune: Option<String>,
    /// LIBLIG2ADR…LIBLIG7ADR of an address abroad.
    etranger: Vec<String>,
}

#[derive(Debug, Default)]
struct Evenement {
    /// SuspensionDroit (vs SuspensionVersement), FinDroitMoisAnterieur (vs FinDroit).
    variante: bool,
    motif: Option<String>,
    date: Option<String>,
}

#[derive(Debug, Default)]
struct FoyerBrut {
    identification: bool,
    donnees_administratives: bool,
    prestation: bool,
    fonorg: Option<String>,
    matricule: Option<String>,
    dtdemrsa: Option<String>,
    dtoridemrsa: Option<String>,
    etat: Option<String>,
    personnes: Vec<PersonneBrute>,
    adresses: Vec<AdresseBrute>,
    suspensions: Vec<Evenement>,
    fins: Vec<Evenement>,
}

/// Decodes, parses and emits one household, `<InfosFoyerRSA>…</InfosFoyerRSA>`.
fn foyer(octets: &[u8], ligne: u64, encodage: &'static Encoding, batch: &mut Batch) {
    let Some(texte) = encodage.decode_without_bom_handling_and_without_replacement(octets) else {
        let autre = if encodage == UTF_8 { "windows-1252" } else { "utf-8" };
        batch.errors.push(erreur(
            ligne,
            "InfosFoyerRSA",
            format!("texte illisible en {} (option encodage={autre} ?) : foyer ignoré", encodage.name()),
        ));
        return;
    };
    let mut f = FoyerBrut::default();
    if let Err(message) = lire(&texte, ligne, &mut f) {
        batch.errors.push(erreur(ligne, "InfosFoyerRSA", message));
        return;
    }
    f.emettre(ligne, batch);
}

fn valeur(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Fills `f` from the household's XML; `Err` names what is malformed (and where).
fn lire(texte: &str, ligne: u64, f: &mut FoyerBrut) -> Result<(), String> {
    let mut r = Reader::from_str(texte);
    let mut pile: Vec<String> = Vec::new();
    let mut courant = String::new();
    // Line of texte[vu]: lines are counted incrementally.
    let (mut vu, mut ligne_vu) = (0usize, ligne);
    let mut ligne_de = |pos: usize| {
        let pos = pos.min(texte.len());
        if pos >= vu {
            ligne_vu += lignes(&texte.as_bytes()[vu..pos]);
            vu = pos;
        }
        ligne_vu
    };
    loop {
        let avant = r.buffer_position() as usize;
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let ou = ligne_de(r.error_position() as usize);
                let quoi = match e {
                    quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MismatchedEndTag {
                        expected,
                        found,
                    }) => format!(
                        " : </{}> au lieu de </{}>",
                        affichable(found.as_bytes()),
                        affichable(expected.as_bytes())
                    ),
                    _ => String::new(),
                };
                return Err(format!("XML mal formé ligne {ou}{quoi} : foyer ignoré"));
            }
        };
        match ev {
            Event::Start(e) => {
                let nom = String::from(e.name().as_ref());
                let debut = avant + texte[avant..].find('<').unwrap_or(0);
                f.ouvrir(&pile, &nom, ligne_de(debut));
                pile.push(nom);
                courant.clear();
            }
            Event::Empty(e) => {
                let nom = String::from(e.name().as_ref());
                let debut = avant + texte[avant..].find('<').unwrap_or(0);
                f.ouvrir(&pile, &nom, ligne_de(debut));
                pile.push(nom);
                f.fermer(&pile, None);
                pile.pop();
                courant.clear();
            }
            Event::Text(t) => courant.push_str(&t.xml10_content()),
            Event::CData(t) => courant.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => {
                let ou = ligne_de(avant);
                match g.resolve_char_ref() {
                    Ok(Some(c)) => courant.push(c),
                    Ok(None) => match resolve_predefined_entity(&g.xml10_content()) {
                        Some(s) => courant.push_str(s),
                        None => return Err(format!("XML mal formé ligne {ou} : entité inconnue : foyer ignoré")),
                    },
                    Err(_) => return Err(format!("XML mal formé ligne {ou} : caractère &#…; invalide : foyer ignoré")),
                }
            }
            Event::End(_) => {
                f.fermer(&pile, valeur(&courant));
                pile.pop();
                courant.clear();
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    match pile.last() {
        Some(nom) => Err(format!("XML mal formé : <{}> non fermé : foyer ignoré", affichable(nom.as_bytes()))),
        None => Ok(()),
    }
}

impl FoyerBrut {
    /// Element `nom` opens under `pile`.
    fn ouvrir(&mut self, pile: &[String], nom: &str, ligne: u64) {
        let chemin: Vec<&str> = pile.iter().map(String::as_str).collect();
        match (chemin.as_slice(), nom) {
            (["InfosFoyerRSA"], "IdentificationRSA") => self.identification = true,
            (["InfosFoyerRSA"], "DonneesAdministratives") => self.donnees_administratives = true,
            (["InfosFoyerRSA"], "PrestationRSA") => self.prestation = true,
            (["InfosFoyerRSA"], "Personne") => self.personnes.push(PersonneBrute { ligne, ..Default::default() }),
            (["InfosFoyerRSA", "Personne"], "Prestations") => {
                if let Some(p) = self.personnes.last_mut() {
                    p.prestations.push((None, None));
                }
            }
            (["InfosFoyerRSA", "DonneesAdministratives"], "Adresse") => self.adresses.push(AdresseBrute::default()),
            (["InfosFoyerRSA", "PrestationRSA", "SituationDossierRSA"], "SuspensionDroit" | "SuspensionVersement") => {
                self.suspensions.push(Evenement { variante: nom == "SuspensionDroit", ..Default::default() })
            }
            (["InfosFoyerRSA", "PrestationRSA", "SituationDossierRSA"], "FinDroit" | "FinDroitMoisAnterieur") => {
                self.fins.push(Evenement { variante: nom == "FinDroitMoisAnterieur", ..Default::default() })
            }
            _ => {}
        }
    }

    /// The element at the top of `pile` closes with text `v`.
    fn fermer(&mut self, pile: &[String], v: Option<String>) {
        let chemin: Vec<&str> = pile.iter().map(String::as_str).collect();
        let Some(chemin) = chemin.strip_prefix(&["InfosFoyerRSA"]) else { return };
        match chemin {
            ["IdentificationRSA", "Organisme", "FONORG"] => self.fonorg = v,
            ["IdentificationRSA", "Organisme", "MATRICULE"] => self.matricule = v,
            ["IdentificationRSA", "DemandeRSA", "DTDEMRSA"] => self.dtdemrsa = v,
            ["PrestationRSA", "DetailDroitRSA", "TroncCommunDroitRSA", "DTORIDEMRSA"] => self.dtoridemrsa = v,
            ["PrestationRSA", "SituationDossierRSA", "EtatDossierRSA", "ETATDOSRSA"] => self.etat = v,
            ["PrestationRSA", "SituationDossierRSA", _, champ] => {
                let liste = match *champ {
                    "MOTISUSDRORSA" | "DDSUSDRORSA" | "MOTISUSVERSRSA" | "DDSUSVERSRSA" => &mut self.suspensions,
                    "MOTICLORSA" | "DTCLORSA" => &mut self.fins,
                    _ => return,
                };
                if let Some(e) = liste.last_mut() {
                    if champ.starts_with("MOTI") {
                        e.motif = v;
                    } else {
                        e.date = v;
                    }
                }
            }
            ["Personne", rest @ ..] => {
                let Some(p) = self.personnes.last_mut() else { return };
                match rest {
                    ["Identification", "QUAL"] => p.qual = v,
                    ["Identification", "NOM"] => p.nom = v,
                    ["Identification", "NOMNAI"] => p.nom_naissance = v,
                    ["Identification", "PRENOM"] => p.prenom = v,
                    ["Identification", "DTNAI"] => p.dtnai = v,
                    ["Identification", "NIR"] => p.nir = v,
                    ["Identification", "SEXE"] => p.sexe = v,
                    ["Prestations", "NATPREST"] => {
                        if let Some(x) = p.prestations.last_mut() {
                            x.0 = v;
                        }
                    }
                    ["Prestations", "ROLEPERS"] => {
                        if let Some(x) = p.prestations.last_mut() {
                            x.1 = v;
                        }
                    }
                    ["MontantCalculDroitRSAPersonne", "TOPPERSDRODEVORSA"] => p.droits_devoirs = v,
                    _ => {}
                }
            }
            ["DonneesAdministratives", "Adresse", bloc, champ] => {
                let Some(a) = self.adresses.last_mut() else { return };
                match (*bloc, *champ) {
                    ("TroncCommunAdresse", "RGADR") => a.rang = v,
                    ("AdresseDetailleeFrance", "COMPLIDEADR") => a.compl_ident = v,
                    ("AdresseDetailleeFrance", "COMPLADR") => a.compl = v,
                    ("AdresseDetailleeFrance", "NUMVOIE") => a.num_voie = v,
                    ("AdresseDetailleeFrance", "LIBTYPEVOIE") => a.type_voie = v,
                    ("AdresseDetailleeFrance", "NOMVOIE") => a.nom_voie = v,
                    ("AdresseDetailleeFrance", "LIEUDIST") => a.lieu_dit = v,
                    ("AdresseDetailleeFrance", "CODEPOS") => a.code_postal = v,
                    ("AdresseDetailleeFrance", "NOMCOM") => a.commune = v,
                    ("AdresseHorsFrance", l) if l.starts_with("LIBLIG") => a.etranger.extend(v),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The household's records and row errors. A problem with the household's own data is
    /// reported once, on its line, and none of its persons is emitted; a problem with one
    /// person drops that person only.
    fn emettre(self, ligne: u64, batch: &mut Batch) {
        let mut erreurs = Vec::new();
        let mut err = |champ: &str, message: String| erreurs.push(erreur(ligne, champ, message));
        let absent = "bloc obligatoire absent".to_string();
        if !self.identification {
            err("IdentificationRSA", absent.clone());
        } else {
            for (champ, v) in [("FONORG", &self.fonorg), ("MATRICULE", &self.matricule), ("DTDEMRSA", &self.dtdemrsa)] {
                if v.is_none() {
                    err(champ, "obligatoire".into());
                }
            }
        }
        if !self.donnees_administratives {
            err("DonneesAdministratives", absent.clone());
        }
        if !self.prestation {
            err("PrestationRSA", absent);
        } else if self.etat.is_none() {
            err("ETATDOSRSA", "obligatoire".into());
        }
        if self.personnes.is_empty() {
            err("Personne", "aucune personne dans le foyer".into());
        }
        let organisme = self.fonorg.as_deref().and_then(|v| match v.to_ascii_uppercase().as_str() {
            "CAF" => Some("CAF".to_string()),
            "MSA" => Some("MSA".to_string()),
            _ => {
                err("FONORG", format!("organisme{} inconnu (CAF, MSA)", code_affichable(v)));
                None
            }
        });
        let etat = self.etat.as_deref().and_then(|v| match v {
            "0" | "1" | "2" | "3" | "4" | "5" | "6" => Some(v.to_string()),
            _ => {
                err("ETATDOSRSA", format!("état du dossier{} inconnu (0 à 6)", code_affichable(v)));
                None
            }
        });
        let mut date = |champ: &str, v: &Option<String>| {
            v.as_deref().and_then(|v| match codes::date(v) {
                Ok(d) => Some(d),
                Err(_) => {
                    err(champ, "date invalide (AAAA-MM-JJ attendu)".into());
                    None
                }
            })
        };
        let dtdemrsa = date("DTDEMRSA", &self.dtdemrsa);
        // DTORIDEMRSA, « date d'entrée au RSA/RMI/API », is the better entry date: the RSA
        // application (DTDEMRSA) may be a later one of someone already in the scheme.
        let date_entree = date("DTORIDEMRSA", &self.dtoridemrsa).or(dtdemrsa);
        // Closure: FinDroit (ETATDOSRSA 5), or FinDroitMoisAnterieur (6).
        let mut fins: Vec<(Option<String>, Option<String>, bool)> = Vec::new();
        for e in &self.fins {
            fins.push((e.motif.clone(), date("DTCLORSA", &e.date), e.variante));
        }
        fins.sort_by_key(|f| f.2 != (etat.as_deref() == Some("6")));
        let (motif_cloture, date_cloture) = fins.into_iter().next().map(|f| (f.0, f.1)).unwrap_or_default();
        // Suspension: of the right (ETATDOSRSA 3) or of the payment (4); the latest one.
        let mut suspensions: Vec<(Option<String>, Option<String>, bool)> = Vec::new();
        for e in &self.suspensions {
            let champ = if e.variante { "DDSUSDRORSA" } else { "DDSUSVERSRSA" };
            suspensions.push((e.motif.clone(), date(champ, &e.date), e.variante));
        }
        let droit = etat.as_deref() == Some("3");
        suspensions.sort_by(|a, b| (a.2 == droit, &a.1).cmp(&(b.2 == droit, &b.1)).reverse());
        let (motif_suspension, date_suspension) =
            suspensions.into_iter().next().map(|s| (s.0, s.1)).unwrap_or_default();
        let adresse = self.adresse();
        let foyer_ok = erreurs.is_empty();
        batch.errors.extend(erreurs);

        for p in self.personnes {
            let mut erreurs = Vec::new();
            let mut err = |champ: &str, message: String| erreurs.push(erreur(p.ligne, champ, message));
            let role = p.prestations.iter().find(|x| x.0.as_deref().is_some_and(|n| n.eq_ignore_ascii_case("RSA")));
            let role = match role.and_then(|x| x.1.as_deref()).map(str::to_ascii_uppercase).as_deref() {
                Some("DEM") => "DEM",
                Some("CJT") => "CJT",
                // Children, other persons, no RSA role: not job seekers.
                None | Some("ENF" | "AUT" | "RDO") => continue,
                Some(autre) => {
                    err("ROLEPERS", format!("rôle RSA{} inconnu (DEM, CJT, ENF, AUT)", code_affichable(autre)));
                    ""
                }
            };
            let civilite = p.qual.as_deref().and_then(|v| match v.to_ascii_uppercase().as_str() {
                "MR" | "M" => Some("M".to_string()),
                "MME" | "MLE" | "MLLE" => Some("MME".to_string()),
                _ => {
                    err("QUAL", format!("qualité{} inconnue (MR, MME)", code_affichable(v)));
                    None
                }
            });
            let sexe = p.sexe.as_deref().and_then(|v| match v {
                "1" | "2" => Some(v.to_string()),
                _ => {
                    err("SEXE", format!("sexe{} inconnu (1, 2)", code_affichable(v)));
                    None
                }
            });
            let droits_devoirs = p.droits_devoirs.as_deref().and_then(|v| match v {
                "1" | "true" => Some(true),
                "0" | "false" => Some(false),
                _ => {
                    err("TOPPERSDRODEVORSA", format!("valeur{} invalide (1 ou 0)", code_affichable(v)));
                    None
                }
            });
            if p.nir.is_none() {
                err("NIR", "obligatoire : rattachement impossible".into());
            }
            for (champ, v) in [("NOM", &p.nom), ("PRENOM", &p.prenom), ("DTNAI", &p.dtnai)] {
                if v.is_none() {
                    err(champ, "obligatoire".into());
                }
            }
            let date_naissance = p.dtnai.as_deref().and_then(|v| match codes::date(v) {
                Ok(d) => Some(d),
                Err(_) => {
                    err("DTNAI", "date de naissance invalide (AAAA-MM-JJ attendu)".into());
                    None
                }
            });
            if !erreurs.is_empty() || !foyer_ok {
                batch.errors.extend(erreurs);
                continue;
            }
            batch.personnes.push(Personne {
                numero: p.ligne,
                identite: Identite {
                    civilite,
                    nom: p.nom.unwrap_or_default(),
                    nom_naissance: p.nom_naissance,
                    prenom: p.prenom.unwrap_or_default(),
                    date_naissance: date_naissance.unwrap_or_default(),
                    sexe,
                    nationalite: None,
                    nir: p.nir,
                },
                contact: adresse.clone().map(|a| Contact { telephone: None, courriel: None, adresse: Some(a) }),
                rsa: Some(Rsa {
                    role: Some(role.to_string()),
                    date_entree: date_entree.clone(),
                    organisme: organisme.clone(),
                    numero_allocataire: self.matricule.clone(),
                    droits_devoirs,
                    etat_dossier: etat.clone(),
                    date_cloture: date_cloture.clone(),
                    motif_cloture: motif_cloture.clone(),
                    date_suspension: date_suspension.clone(),
                    motif_suspension: motif_suspension.clone(),
                }),
                ..Default::default()
            });
        }
    }

    /// The current address (RGADR 01, « dernière adresse »; else the lowest rank).
    fn adresse(&self) -> Option<Adresse> {
        let a = self
            .adresses
            .iter()
            .min_by_key(|a| a.rang.as_deref().and_then(|r| r.parse::<u32>().ok()).unwrap_or(u32::MAX))?;
        let joindre = |parts: &[&Option<String>], sep: &str| {
            let v: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
            (!v.is_empty()).then(|| v.join(sep))
        };
        if a.code_postal.is_none() && a.commune.is_none() && !a.etranger.is_empty() {
            let mut lignes = a.etranger.iter();
            let ligne1 = lignes.next()?.clone();
            let reste: Vec<&str> = lignes.map(String::as_str).collect();
            return Some(Adresse {
                ligne1,
                ligne2: (!reste.is_empty()).then(|| reste.join(", ")),
                code_postal: String::new(),
                commune: String::new(),
            });
        }
        let voie = joindre(&[&a.num_voie, &a.type_voie, &a.nom_voie], " ");
        let complement = joindre(&[&a.compl_ident, &a.compl, &a.lieu_dit], ", ");
        let (ligne1, ligne2) = match (voie, complement) {
            (Some(v), c) => (v, c),
            (None, Some(c)) => (c, None),
            (None, None) if a.code_postal.is_none() && a.commune.is_none() => return None,
            (None, None) => (String::new(), None),
        };
        Some(Adresse {
            ligne1,
            ligne2,
            code_postal: a.code_postal.clone().unwrap_or_default(),
            commune: a.commune.clone().unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REF: &str = "../../../shared/reference-formats/carnet-de-bord";
    const DATA: &str = "tests/data";

    fn opts(o: &[(&str, &str)]) -> Vec<(String, String)> {
        o.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    /// Feeds `bytes` in chunks of `chunk`; also checks the memory bound: never more than
    /// the largest household (+ one pending tag) is held.
    fn parse_all(bytes: &[u8], o: &[(&str, &str)], chunk: usize) -> Result<Batch, String> {
        let mut p = FluxParser::new(&opts(o))?;
        let mut b = Batch::default();
        let borne = plus_grand_foyer(bytes) + chunk + 64;
        for c in bytes.chunks(chunk.max(1)) {
            b.extend(p.push(c)?);
            assert!(p.en_attente() <= borne, "{} bytes held, bound {borne}, chunk {chunk}", p.en_attente());
        }
        b.extend(p.finish()?);
        Ok(b)
    }

    /// Bytes from one `<InfosFoyerRSA>` to the next (or to the end of the file).
    fn plus_grand_foyer(bytes: &[u8]) -> usize {
        let mut debuts: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i..].starts_with(b"<InfosFoyerRSA")).collect();
        debuts.push(bytes.len());
        debuts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
    }

    fn lire_fichier(path: &str) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn same_in_any_chunking(bytes: &[u8], o: &[(&str, &str)]) -> Batch {
        let whole = parse_all(bytes, o, 1 << 20).unwrap();
        for size in [1, 7, 64] {
            assert_eq!(parse_all(bytes, o, size).unwrap(), whole, "chunks of {size}");
        }
        whole
    }

    fn champs(b: &Batch) -> Vec<(u64, &str)> {
        b.errors.iter().map(|e| (e.record_number, e.field.as_deref().unwrap_or(""))).collect()
    }

    /// A reference file beside the repository, or `None` (said on stderr) when those files
    /// are absent: the conformance layer runs only where they are.
    fn reference(nom: &str) -> Option<Vec<u8>> {
        if !std::path::Path::new(REF).is_dir() {
            eprintln!("fichiers de référence absents ({REF}) : couche de conformité non exécutée");
            return None;
        }
        Some(lire_fichier(&format!("{REF}/{nom}")))
    }

    #[test]
    fn monthly_flux() {
        let b = same_in_any_chunking(&lire_fichier(&format!("{DATA}/flux-rsa.xml")), &[]);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        // three households; the child of the third (ROLEPERS ENF, no NIR) is skipped silently
        assert_eq!(b.personnes.len(), 4);
        let nirs: Vec<_> = b.personnes.iter().map(|p| (p.numero, p.identite.nir.as_deref().unwrap())).collect();
        assert_eq!(
            nirs,
            [(29, "2860993048012"), (123, "1840193010023"), (258, "2900593001057"), (396, "1781193066031")]
        );

        let p = &b.personnes[0];
        assert_eq!((p.identite.nom.as_str(), p.identite.prenom.as_str()), ("MOREAU", "CAMILLE"));
        assert_eq!(p.identite.nom_naissance.as_deref(), Some("LAMBERT"));
        assert_eq!(p.identite.civilite.as_deref(), Some("MME"));
        assert_eq!(p.identite.sexe.as_deref(), Some("2"));
        assert_eq!(p.identite.date_naissance, "1986-09-12");
        let rsa = p.rsa.as_ref().unwrap();
        assert_eq!(rsa.role.as_deref(), Some("DEM"));
        assert_eq!(rsa.organisme.as_deref(), Some("CAF"));
        assert_eq!(rsa.numero_allocataire.as_deref(), Some("930412700000000"));
        assert_eq!(rsa.droits_devoirs, Some(true));
        assert_eq!(rsa.etat_dossier.as_deref(), Some("5"));
        assert_eq!((rsa.motif_cloture.as_deref(), rsa.date_cloture.as_deref()), (Some("PCG"), Some("2024-12-31")));
        assert_eq!((rsa.motif_suspension.as_deref(), rsa.date_suspension.as_deref()), (None, None));
        // DTORIDEMRSA (entry into RSA/RMI/API) rather than DTDEMRSA 2019-04-02
        assert_eq!(rsa.date_entree.as_deref(), Some("2017-06-01"));
        let a = p.contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!(
            (a.ligne1.as_str(), a.ligne2.as_deref(), a.code_postal.as_str(), a.commune.as_str()),
            ("12 AV DE LA RESISTANCE", None, "93100", "MONTREUIL")
        );

        let q = &b.personnes[1];
        assert_eq!(q.identite.civilite.as_deref(), Some("M"));
        assert_eq!(q.identite.sexe.as_deref(), Some("1"));
        assert_eq!(q.rsa.as_ref().unwrap().role.as_deref(), Some("CJT"));
        assert_eq!(q.rsa.as_ref().unwrap().droits_devoirs, Some(false));
        let household = |r: &Rsa| (r.numero_allocataire.clone(), r.etat_dossier.clone(), r.date_cloture.clone());
        assert_eq!(household(q.rsa.as_ref().unwrap()), household(rsa), "household data copied");
        assert_eq!(q.contact, p.contact);

        let r = b.personnes[2].rsa.as_ref().unwrap();
        assert_eq!(r.numero_allocataire.as_deref(), Some("931876500000000"));
        assert_eq!(r.etat_dossier.as_deref(), Some("4"));
        assert_eq!((r.motif_suspension.as_deref(), r.date_suspension.as_deref()), (Some("06"), Some("2025-01-01")));
        assert_eq!((r.motif_cloture.as_deref(), r.date_cloture.as_deref()), (None, None));
        let a = b.personnes[2].contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!((a.ligne1.as_str(), a.ligne2.as_deref()), ("7 RUE DES ECOLES", Some("BAT C")), "COMPLIDEADR");

        let s = b.personnes[3].rsa.as_ref().unwrap();
        assert_eq!((s.organisme.as_deref(), s.role.as_deref()), (Some("MSA"), Some("DEM")));
        assert_eq!((s.etat_dossier.as_deref(), s.date_entree.as_deref()), (Some("2"), Some("2023-09-01")));
        assert_eq!((s.date_cloture.as_ref(), s.date_suspension.as_ref()), (None, None));
        let a = b.personnes[3].contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!(
            (a.ligne1.as_str(), a.ligne2.as_deref(), a.code_postal.as_str()),
            ("3 CHE DES VIGNES", Some("LE CLOS"), "93200"),
            "LIEUDIST"
        );
    }

    #[test]
    fn open_right() {
        let b = same_in_any_chunking(&lire_fichier(&format!("{DATA}/flux-rsa-ouvert.xml")), &[]);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(b.personnes.len(), 1);
        let p = &b.personnes[0];
        assert_eq!((p.numero, p.identite.nir.as_deref()), (29, Some("2900593001057")));
        let rsa = p.rsa.as_ref().unwrap();
        assert_eq!(rsa.role.as_deref(), Some("DEM"));
        assert_eq!(rsa.etat_dossier.as_deref(), Some("2"));
        assert_eq!(rsa.droits_devoirs, Some(true));
        assert_eq!((rsa.date_cloture.as_ref(), rsa.date_suspension.as_ref()), (None, None));
    }

    #[test]
    fn invalid_household_misses_mandatory_blocks() {
        // The daily flux sample has no DonneesAdministratives nor PrestationRSA (both
        // mandatory in vrsb0801.xsd): one row error each on the household's line, and its
        // person is not emitted.
        let b = same_in_any_chunking(&lire_fichier(&format!("{DATA}/flux-rsa-invalide.xml")), &[]);
        assert!(b.personnes.is_empty(), "{:?}", b.personnes);
        assert_eq!(champs(&b), [(12, "DonneesAdministratives"), (12, "PrestationRSA")]);
        assert!(b.errors.iter().all(|e| e.message == "bloc obligatoire absent"), "{:?}", b.errors);
    }

    #[test]
    fn conformite_reference_rsabem() {
        let Some(bytes) = reference("RSABEM.xml") else { return };
        let b = same_in_any_chunking(&bytes, &[]);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(b.personnes.len(), 3);
        let nirs: Vec<_> = b.personnes.iter().map(|p| (p.numero, p.identite.nir.as_deref().unwrap())).collect();
        assert_eq!(nirs, [(29, "2820251108030"), (135, "1770393050005"), (303, "2730799404078")]);

        let p = &b.personnes[0];
        assert_eq!((p.identite.nom.as_str(), p.identite.prenom.as_str()), ("TIFOUR", "SOPHIE"));
        assert_eq!(p.identite.nom_naissance.as_deref(), Some("TIFOUR"));
        assert_eq!(p.identite.civilite.as_deref(), Some("MME"));
        assert_eq!(p.identite.sexe.as_deref(), Some("2"));
        assert_eq!(p.identite.date_naissance, "1982-02-01");
        let rsa = p.rsa.as_ref().unwrap();
        assert_eq!(rsa.role.as_deref(), Some("CJT"));
        assert_eq!(rsa.organisme.as_deref(), Some("CAF"));
        assert_eq!(rsa.numero_allocataire.as_deref(), Some("205599000000000"));
        assert_eq!(rsa.droits_devoirs, Some(true));
        assert_eq!(rsa.etat_dossier.as_deref(), Some("5"));
        assert_eq!((rsa.motif_cloture.as_deref(), rsa.date_cloture.as_deref()), (Some("PCG"), Some("2021-11-30")));
        assert_eq!((rsa.motif_suspension.as_deref(), rsa.date_suspension.as_deref()), (None, None));
        // DTORIDEMRSA (entry into RSA/RMI/API) rather than DTDEMRSA 2018-08-06
        assert_eq!(rsa.date_entree.as_deref(), Some("2020-11-07"));
        let a = p.contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!(
            (a.ligne1.as_str(), a.ligne2.as_deref(), a.code_postal.as_str(), a.commune.as_str()),
            ("25 RUE HENRI BARBUSSE", None, "92300", "LEVALLOIS PERRET")
        );

        let q = &b.personnes[1];
        assert_eq!(q.identite.civilite.as_deref(), Some("M"));
        assert_eq!(q.identite.sexe.as_deref(), Some("1"));
        assert_eq!(q.rsa.as_ref().unwrap().droits_devoirs, Some(false));
        let household = |r: &Rsa| (r.numero_allocataire.clone(), r.etat_dossier.clone(), r.date_cloture.clone());
        assert_eq!(household(q.rsa.as_ref().unwrap()), household(rsa), "household data copied");
        assert_eq!(q.contact, p.contact);

        let r = b.personnes[2].rsa.as_ref().unwrap();
        assert_eq!(r.numero_allocataire.as_deref(), Some("208956400000000"));
        assert_eq!(r.etat_dossier.as_deref(), Some("4"));
        assert_eq!((r.motif_suspension.as_deref(), r.date_suspension.as_deref()), (Some("06"), Some("2021-11-01")));
        assert_eq!((r.motif_cloture.as_deref(), r.date_cloture.as_deref()), (None, None));
    }

    #[test]
    fn conformite_reference_rsabem_ouvert() {
        let Some(bytes) = reference("RSABEM-ouvert.xml") else { return };
        let b = same_in_any_chunking(&bytes, &[]);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(b.personnes.len(), 1);
        let p = &b.personnes[0];
        assert_eq!((p.numero, p.identite.nir.as_deref()), (29, Some("2730799404078")));
        let rsa = p.rsa.as_ref().unwrap();
        assert_eq!(rsa.role.as_deref(), Some("CJT"));
        assert_eq!(rsa.etat_dossier.as_deref(), Some("2"));
        assert_eq!(rsa.droits_devoirs, Some(true));
        assert_eq!((rsa.date_cloture.as_ref(), rsa.date_suspension.as_ref()), (None, None));
    }

    #[test]
    fn conformite_reference_rsabei_invalid() {
        let Some(bytes) = reference("RSABEI_invalid.xml") else { return };
        let b = same_in_any_chunking(&bytes, &[]);
        assert!(b.personnes.is_empty(), "{:?}", b.personnes);
        assert_eq!(champs(&b), [(12, "DonneesAdministratives"), (12, "PrestationRSA")]);
        assert!(b.errors.iter().all(|e| e.message == "bloc obligatoire absent"), "{:?}", b.errors);
    }

    #[test]
    fn hand_made_errors_and_skips() {
        let bytes = lire_fichier(&format!("{DATA}/flux-erreurs.xml"));
        let b = same_in_any_chunking(&bytes, &[]);
        assert_eq!(
            champs(&b),
            [
                (49, "NIR"),
                (56, "QUAL"),
                (56, "SEXE"),
                (56, "DTNAI"),
                (73, "FONORG"),
                (73, "ETATDOSRSA"),
                (96, "InfosFoyerRSA"),
                (121, "ROLEPERS"),
                (128, "TOPPERSDRODEVORSA"),
                (145, "InfosFoyerRSA"),
            ]
        );
        let msg =
            |l: u64, f: &str| b.errors.iter().find(|e| e.record_number == l && e.field.as_deref() == Some(f)).unwrap();
        assert!(msg(96, "InfosFoyerRSA").message.contains("ligne 103"), "{:?}", msg(96, "InfosFoyerRSA"));
        assert!(msg(96, "InfosFoyerRSA").message.contains("</PRENOM> au lieu de </NOM>"));
        assert!(msg(145, "InfosFoyerRSA").message.contains("absente"));
        assert!(msg(121, "ROLEPERS").message.contains("« ZZZ »"));
        assert_eq!(msg(56, "DTNAI").message, "date de naissance invalide (AAAA-MM-JJ attendu)", "no value echoed");
        for e in &b.errors {
            for secret in ["DURAND", "JULIE", "1990-02-30", "2900277123456", "MAL", "PETIT"] {
                assert!(!e.message.contains(secret), "personal data in {e:?}");
            }
        }

        // A (DEM; the ENF child without NIR and the AUT person are skipped silently) and G.
        assert_eq!(b.personnes.iter().map(|p| p.numero).collect::<Vec<_>>(), [11, 164]);
        let a = &b.personnes[0];
        assert_eq!((a.identite.nom.as_str(), a.identite.prenom.as_str()), ("LEFÈVRE", "HÉLOÏSE"), "windows-1252");
        let rsa = a.rsa.as_ref().unwrap();
        assert_eq!(rsa.role.as_deref(), Some("DEM"));
        assert_eq!(rsa.organisme.as_deref(), Some("MSA"));
        assert_eq!(rsa.date_entree.as_deref(), Some("2023-01-15"), "DTDEMRSA when no DTORIDEMRSA");
        assert_eq!(rsa.etat_dossier.as_deref(), Some("3"));
        // ETATDOSRSA 3: the latest suspension of the right, not the payment's
        assert_eq!((rsa.motif_suspension.as_deref(), rsa.date_suspension.as_deref()), (Some("44"), Some("2023-09-01")));
        let adr = a.contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!(adr.ligne1, "3 ALL DES CHÊNES & DES HÊTRES", "RGADR 01, entity");
        assert_eq!(adr.ligne2.as_deref(), Some("Chez Mme Dupré"));
        assert_eq!((adr.code_postal.as_str(), adr.commune.as_str()), ("77000", "MELUN"), "CDATA");

        let g = b.personnes[1].rsa.as_ref().unwrap();
        assert_eq!(g.role.as_deref(), Some("CJT"));
        assert_eq!(g.etat_dossier.as_deref(), Some("6"));
        assert_eq!((g.motif_cloture.as_deref(), g.date_cloture.as_deref()), (Some("RFD"), Some("2023-10-31")));
        assert_eq!(g.droits_devoirs, Some(false));
    }

    #[test]
    fn utf8_file() {
        let bytes = lire_fichier(&format!("{DATA}/flux-utf8.xml"));
        let b = same_in_any_chunking(&bytes, &[("encodage", "utf-8")]);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(b.personnes.len(), 1);
        let p = &b.personnes[0];
        assert_eq!((p.numero, p.identite.nom.as_str(), p.identite.prenom.as_str()), (10, "LEFÈVRE", "HÉLOÏSE"));
        assert_eq!(p.rsa.as_ref().unwrap().date_entree.as_deref(), Some("2024-01-01"));
        // without the option nor a declared encoding: windows-1252, as the CAF sends
        let b = parse_all(&bytes, &[], 100).unwrap();
        assert_eq!(b.personnes[0].identite.nom, "LEFÃˆVRE");
        // the declaration is honoured, and a BOM means UTF-8
        let declared = String::from_utf8(bytes.clone())
            .unwrap()
            .replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assert_eq!(same_in_any_chunking(declared.as_bytes(), &[]).personnes[0].identite.nom, "LEFÈVRE");
        let bom = [b"\xEF\xBB\xBF".as_slice(), &bytes].concat();
        assert_eq!(same_in_any_chunking(&bom, &[]).personnes[0].identite.nom, "LEFÈVRE");
        // the option overrides the declaration
        let cp = std::fs::read(format!("{DATA}/flux-erreurs.xml")).unwrap();
        let b = parse_all(&cp, &[("encodage", "utf-8")], 100).unwrap();
        assert!(b.errors.iter().any(|e| e.message.contains("option encodage=windows-1252")), "{:?}", b.errors);
    }

    #[test]
    fn truncated_files_error_at_finish() {
        truncated(&lire_fichier(&format!("{DATA}/flux-rsa.xml")), "NGUYEN", 242);
    }

    #[test]
    fn conformite_reference_truncated_rsabem() {
        let Some(bytes) = reference("RSABEM.xml") else { return };
        truncated(&bytes, "BULLOCK", 287);
    }

    /// Cut at the first `name`, inside the second household (which starts on line
    /// `second`), then before `</Racine>`, then inside that tag.
    fn truncated(bytes: &[u8], name: &str, second: u64) {
        let text = std::str::from_utf8(bytes).unwrap();
        // cut inside the second household
        let cut = text.find(name).unwrap();
        let mut p = FluxParser::new(&[]).unwrap();
        let b = p.push(&bytes[..cut]).unwrap();
        assert_eq!(b.personnes.len(), 2, "the first household is out before the end");
        let e = p.finish().unwrap_err();
        assert!(e.contains("foyer") && e.contains(&format!("ligne {second}")), "{e}");
        // every household complete, root not closed
        let cut = text.find("</Racine>").unwrap();
        let e = parse_all(&bytes[..cut], &[], 7).unwrap_err();
        assert!(e.contains("</Racine>"), "{e}");
        // cut in the middle of a tag
        let e = parse_all(&bytes[..cut + 3], &[], 1).unwrap_err();
        assert!(e.contains("tronqué"), "{e}");
    }

    #[test]
    fn not_this_flux() {
        let e = parse_all(b"", &[], 10).unwrap_err();
        assert!(e.contains("vide"), "{e}");
        let e = parse_all(b"Nom;Pr\xe9nom\n", &[], 10).unwrap_err();
        assert!(e.contains("pas un document XML"), "{e}");
        let e = parse_all(b"<?xml version=\"1.0\"?>\n<html><body/></html>", &[], 3).unwrap_err();
        assert!(e.contains("<html>") && e.contains("Racine"), "{e}");
        let e = parse_all(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><Racine/>", &[], 3).unwrap_err();
        assert!(e.contains("UTF-16"), "{e}");
        let e = parse_all(b"<Racine><IdentificationFlux></Racine>", &[], 3).unwrap_err();
        assert!(e.contains("mal formé"), "{e}");
        let Err(e) = FluxParser::new(&opts(&[("separateur", ";")])) else { panic!("refused") };
        assert!(e.contains("option inconnue") && !e.contains("separateur"), "{e}");
        let Err(e) = FluxParser::new(&opts(&[("encodage", "ebcdic")])) else { panic!("refused") };
        assert!(e.contains("utf-8 ou windows-1252") && !e.contains("ebcdic"), "{e}");
        // an empty flux is fine
        let b = parse_all(b"<?xml version=\"1.0\"?><Racine><!-- rien --></Racine>\n", &[], 2).unwrap();
        assert_eq!(b, Batch::default());
    }

    #[test]
    fn addresses() {
        let foyer = |adresses: &str| {
            let xml =
                format!("<InfosFoyerRSA><DonneesAdministratives>{adresses}</DonneesAdministratives></InfosFoyerRSA>");
            let mut f = FoyerBrut::default();
            lire(&xml, 1, &mut f).unwrap();
            f.adresse()
        };
        let abroad = foyer(
            "<Adresse><TroncCommunAdresse><RGADR>01</RGADR></TroncCommunAdresse><AdresseHorsFrance>\
             <LIBLIG2ADR>12 VIA ROMA</LIBLIG2ADR><LIBLIG3ADR/><LIBLIG4ADR>00100 ROMA</LIBLIG4ADR>\
             <LIBLIG5ADR>ITALIE</LIBLIG5ADR></AdresseHorsFrance></Adresse>",
        )
        .unwrap();
        assert_eq!(abroad.ligne1, "12 VIA ROMA");
        assert_eq!(abroad.ligne2.as_deref(), Some("00100 ROMA, ITALIE"));
        assert_eq!(abroad.code_postal, "", "the core keeps no address without a postcode");
        let lieu_dit = foyer(
            "<Adresse><AdresseDetailleeFrance><LIEUDIST>LE MOULIN</LIEUDIST><CODEPOS>77540</CODEPOS>\
             <NOMCOM>ROZAY</NOMCOM></AdresseDetailleeFrance></Adresse>",
        )
        .unwrap();
        assert_eq!((lieu_dit.ligne1.as_str(), lieu_dit.ligne2), ("LE MOULIN", None));
        assert_eq!(foyer(""), None);
        let mut f = FoyerBrut::default();
        let e = lire("<InfosFoyerRSA><NOM>&inconnue;</NOM></InfosFoyerRSA>", 5, &mut f).unwrap_err();
        assert!(e.contains("entité inconnue"), "{e}");
        let e = lire("<InfosFoyerRSA>\n<A>\n</InfosFoyerRSA>", 5, &mut f).unwrap_err();
        assert!(e.contains("ligne 7"), "{e}");
    }

    #[test]
    fn markup_scanner() {
        assert_eq!(balise(b"<a"), None);
        assert_eq!(balise(b"<a b='>'>"), Some((Balise::Ouvrante { nom: (1, 2), vide: false }, 9)));
        assert_eq!(balise(b"<NOM/>x"), Some((Balise::Ouvrante { nom: (1, 4), vide: true }, 6)));
        assert_eq!(balise(b"</NOM >"), Some((Balise::Fermante { nom: (2, 5) }, 7)));
        assert_eq!(balise(b"<!-"), None);
        assert_eq!(balise(b"<!-- > -->"), Some((Balise::Autre, 10)));
        assert_eq!(balise(b"<![CDATA[<a>]]>"), Some((Balise::Autre, 15)));
        assert_eq!(balise(b"<!DOCTYPE r [<!ENTITY e 'x>'>]>"), Some((Balise::Autre, 31)));
        assert_eq!(balise(b"<?xml version='1.0'?>"), Some((Balise::Decl, 21)));
        assert_eq!(balise(b"<?pi x?>"), Some((Balise::Autre, 8)));
    }
}
