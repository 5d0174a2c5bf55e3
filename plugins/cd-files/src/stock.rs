//! The stock-recovery file of seed 002 annex 1 as CSV, with a per-département column
//! mapping: `;` or `,`, optional BOM, quoted fields, UTF-8 or windows-1252, dates as
//! JJ/MM/AAAA, AAAA-MM-JJ or JJ-MM-AAAA. Streaming: records come out as chunks arrive.
//!
//! Options: `separateur` (`;` default, `,`), `encodage` (`utf-8` default, `windows-1252`),
//! and `colonne.<champ>` = header of that field in the file, for the fields listed in
//! [`Champ`]; headers not mapped are recognised by their usual names.

use std::borrow::Cow;
use std::collections::HashMap;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::codes::{self, normalise};
use crate::model::*;

/// Fields this adapter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Champ {
    Civilite,
    Nom,
    NomNaissance,
    Prenom,
    DateNaissance,
    Nir,
    Sexe,
    Nationalite,
    Role,
    Telephone,
    Courriel,
    Adresse,
    Complement,
    CodePostal,
    Commune,
    DateEntreeRsa,
    Organisme,
    NumeroAllocataire,
    TypeParcours,
    Referent,
    Structure,
    DateOrientation,
}

impl Champ {
    const ALL: [Champ; 22] = [
        Champ::Civilite,
        Champ::Nom,
        Champ::NomNaissance,
        Champ::Prenom,
        Champ::DateNaissance,
        Champ::Nir,
        Champ::Sexe,
        Champ::Nationalite,
        Champ::Role,
        Champ::Telephone,
        Champ::Courriel,
        Champ::Adresse,
        Champ::Complement,
        Champ::CodePostal,
        Champ::Commune,
        Champ::DateEntreeRsa,
        Champ::Organisme,
        Champ::NumeroAllocataire,
        Champ::TypeParcours,
        Champ::Referent,
        Champ::Structure,
        Champ::DateOrientation,
    ];

    /// The option name (`colonne.<name>`) and the field name in errors.
    pub fn nom(self) -> &'static str {
        match self {
            Champ::Civilite => "civilite",
            Champ::Nom => "nom",
            Champ::NomNaissance => "nom_naissance",
            Champ::Prenom => "prenom",
            Champ::DateNaissance => "date_naissance",
            Champ::Nir => "nir",
            Champ::Sexe => "sexe",
            Champ::Nationalite => "nationalite",
            Champ::Role => "role",
            Champ::Telephone => "telephone",
            Champ::Courriel => "courriel",
            Champ::Adresse => "adresse",
            Champ::Complement => "complement",
            Champ::CodePostal => "code_postal",
            Champ::Commune => "commune",
            Champ::DateEntreeRsa => "date_entree_rsa",
            Champ::Organisme => "organisme",
            Champ::NumeroAllocataire => "numero_allocataire",
            Champ::TypeParcours => "type_parcours",
            Champ::Referent => "referent",
            Champ::Structure => "structure",
            Champ::DateOrientation => "date_orientation",
        }
    }

    /// Usual header names (normalised) of the field in départements' files.
    fn synonymes(self) -> &'static [&'static str] {
        match self {
            Champ::Civilite => &["civilite"],
            Champ::Nom => &["nom", "nom d'usage", "nom de famille"],
            Champ::NomNaissance => &["nom de naissance"],
            Champ::Prenom => &["prenom"],
            Champ::DateNaissance => &["date de naissance", "date naissance", "date_naissance"],
            Champ::Nir => &["nir", "nir/nia", "nia", "numero de securite sociale"],
            Champ::Sexe => &["sexe"],
            Champ::Nationalite => &["nationalite"],
            Champ::Role => &["demandeur ou conjoint", "role", "statut rsa", "role personne"],
            Champ::Telephone => &["telephone", "numero de telephone"],
            Champ::Courriel => &["email", "courriel", "adresse electronique", "adresse mail"],
            Champ::Adresse => &["adresse", "adresse postale"],
            Champ::Complement => &["adresse (complement)", "complement d'adresse"],
            Champ::CodePostal => &["code postal", "cp"],
            Champ::Commune => &["ville", "commune"],
            Champ::DateEntreeRsa => {
                &["date d'entree rsa", "date entree rsa", "date d'entree dans le rsa", "date demande rsa"]
            }
            Champ::Organisme => &["code organisme", "organisme", "caf/msa", "organisme payeur"],
            Champ::NumeroAllocataire => &["numero allocataire caf/msa", "numero allocataire", "matricule"],
            Champ::TypeParcours => &["type de parcours", "orientation", "parcours"],
            Champ::Referent => &["referent", "referent unique", "accompagnateurs"],
            Champ::Structure => &["structure", "structure d'accompagnement"],
            Champ::DateOrientation => &["date d'orientation", "date orientation"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encodage {
    Utf8,
    Windows1252,
}

/// The streaming parser.
pub struct StockParser {
    reader: Reader,
    encodage: Encodage,
    mapping: HashMap<Champ, String>,
    /// Column of each field (indexed by `Champ as usize`), once the header is read.
    colonnes: Option<[Option<usize>; Champ::ALL.len()]>,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Record number (the header is record 1, as a line number).
    numero: u64,
    debut: bool,
}

impl StockParser {
    pub fn new(options: &[(String, String)]) -> Result<Self, String> {
        let mut sep = b';';
        let mut encodage = Encodage::Utf8;
        let mut mapping = HashMap::new();
        for (k, v) in options {
            match k.as_str() {
                "separateur" => {
                    sep = match v.as_str() {
                        ";" => b';',
                        "," => b',',
                        "\\t" | "\t" => b'\t',
                        _ => return Err("option separateur : ; , ou tabulation attendu".to_string()),
                    }
                }
                "encodage" => {
                    encodage = match normalise(v).as_str() {
                        "utf-8" | "utf8" => Encodage::Utf8,
                        "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Encodage::Windows1252,
                        _ => return Err("option encodage : utf-8 ou windows-1252 attendu".to_string()),
                    }
                }
                k if k.starts_with("colonne.") => {
                    let name = &k["colonne.".len()..];
                    let champ = Champ::ALL.into_iter().find(|c| c.nom() == name).ok_or_else(|| {
                        "option colonne.<champ> : champ inconnu (voir le guide du format)".to_string()
                    })?;
                    mapping.insert(champ, normalise(v));
                }
                _ => return Err("option inconnue (options : separateur, encodage, colonne.<champ>)".to_string()),
            }
        }
        Ok(Self {
            reader: ReaderBuilder::new().delimiter(sep).build(),
            encodage,
            mapping,
            colonnes: None,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            numero: 0,
            debut: true,
        })
    }

    pub fn push(&mut self, mut chunk: &[u8]) -> Result<Batch, String> {
        if self.debut && !chunk.is_empty() {
            self.debut = false;
            if let Some(rest) = chunk.strip_prefix(b"\xEF\xBB\xBF") {
                chunk = rest;
            }
        }
        self.lire(chunk)
    }

    pub fn finish(&mut self) -> Result<Batch, String> {
        let b = self.lire(&[])?;
        if self.colonnes.is_none() {
            return Err("fichier vide : ligne d'en-tête absente".into());
        }
        Ok(b)
    }

    fn lire(&mut self, mut input: &[u8]) -> Result<Batch, String> {
        let mut batch = Batch::default();
        loop {
            let (res, nin, nout, nend) =
                self.reader.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.ends_len..]);
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty => return Ok(batch),
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    self.numero += 1;
                    // the fields are read in place, from buffers lent by the parser
                    let (out, ends) = (std::mem::take(&mut self.out), std::mem::take(&mut self.ends));
                    let fait = champs(&out[..self.out_len], &ends[..self.ends_len], self.encodage, self.numero)
                        .and_then(|fields| self.record(&fields, &mut batch));
                    (self.out, self.ends) = (out, ends);
                    self.out_len = 0;
                    self.ends_len = 0;
                    fait?;
                }
                ReadRecordResult::End => return Ok(batch),
            }
        }
    }

    fn record(&mut self, fields: &[Cow<'_, str>], batch: &mut Batch) -> Result<(), String> {
        if fields.iter().all(|f| f.trim().is_empty()) {
            return Ok(());
        }
        let Some(colonnes) = &self.colonnes else {
            let mut par_champ = [None; Champ::ALL.len()];
            for (c, i) in self.entete(fields)? {
                par_champ[c as usize] = Some(i);
            }
            self.colonnes = Some(par_champ);
            return Ok(());
        };
        let numero = self.numero;
        // a field's trimmed text, borrowed; `get` when the record keeps it
        let brut = |c: Champ| {
            colonnes[c as usize]
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("null"))
        };
        let get = |c: Champ| brut(c).map(str::to_string);
        let mut errors = Vec::new();
        let mut err = |c: Champ, message: String| {
            errors.push(RowError { record_number: numero, field: Some(c.nom().into()), message })
        };
        let mut coded = |c: Champ, f: fn(&str) -> Result<String, String>| match brut(c).map(f) {
            Some(Ok(v)) => Some(v),
            Some(Err(e)) => {
                err(c, e);
                None
            }
            None => None,
        };
        let civilite = coded(Champ::Civilite, codes::civilite);
        let sexe = coded(Champ::Sexe, codes::sexe);
        let nationalite = coded(Champ::Nationalite, codes::nationalite);
        let role = coded(Champ::Role, codes::role);
        let organisme = coded(Champ::Organisme, codes::organisme);
        let type_parcours = coded(Champ::TypeParcours, codes::type_parcours);
        let date_naissance = coded(Champ::DateNaissance, codes::date);
        let date_entree = coded(Champ::DateEntreeRsa, codes::date);
        let date_orientation = coded(Champ::DateOrientation, codes::date);
        let nir = brut(Champ::Nir).map(|n| n.split_whitespace().collect::<String>());
        if let Some(n) = &nir
            && !(n.len() == 13 || n.len() == 15)
        {
            err(Champ::Nir, format!("NIR de {} caractères au lieu de 13 ou 15", n.len()));
        }
        let nom = get(Champ::Nom);
        let prenom = get(Champ::Prenom);
        if nom.is_none() {
            err(Champ::Nom, "obligatoire".into());
        }
        if prenom.is_none() {
            err(Champ::Prenom, "obligatoire".into());
        }
        if date_naissance.is_none() && brut(Champ::DateNaissance).is_none() {
            err(Champ::DateNaissance, "obligatoire".into());
        }
        if !errors.is_empty() {
            batch.errors.extend(errors);
            return Ok(());
        }
        let adresse = get(Champ::Adresse).map(|ligne1| Adresse {
            ligne1,
            ligne2: get(Champ::Complement),
            code_postal: get(Champ::CodePostal).unwrap_or_default(),
            commune: get(Champ::Commune).unwrap_or_default(),
        });
        let telephone = brut(Champ::Telephone).map(|t| t.split(',').next().unwrap_or_default().trim().to_string());
        let contact = (telephone.is_some() || brut(Champ::Courriel).is_some() || adresse.is_some()).then(|| Contact {
            telephone,
            courriel: get(Champ::Courriel),
            adresse,
        });
        let rsa = (role.is_some()
            || date_entree.is_some()
            || organisme.is_some()
            || brut(Champ::NumeroAllocataire).is_some())
        .then(|| Rsa {
            role,
            date_entree,
            organisme,
            numero_allocataire: get(Champ::NumeroAllocataire),
            ..Default::default()
        });
        let (referent_nom, referent_prenom) = match brut(Champ::Referent) {
            Some(r) if !r.contains('@') => {
                let mut it = r.splitn(2, ' ');
                (it.next().map(str::to_string), it.next().map(str::to_string))
            }
            _ => (None, None),
        };
        let orientation = type_parcours.map(|type_parcours| Orientation {
            type_parcours,
            date: date_orientation,
            referent_nom,
            referent_prenom,
            structure: get(Champ::Structure),
        });
        batch.personnes.push(Personne {
            numero,
            identite: Identite {
                civilite,
                nom: nom.unwrap_or_default(),
                nom_naissance: get(Champ::NomNaissance),
                prenom: prenom.unwrap_or_default(),
                date_naissance: date_naissance.unwrap_or_default(),
                sexe,
                nationalite,
                nir,
            },
            contact,
            rsa,
            orientation,
            ..Default::default()
        });
        Ok(())
    }

    fn entete(&self, fields: &[Cow<'_, str>]) -> Result<HashMap<Champ, usize>, String> {
        let names: Vec<String> = fields.iter().map(|f| normalise(f)).collect();
        let mut cols = HashMap::new();
        for champ in Champ::ALL {
            let found = match self.mapping.get(&champ) {
                Some(h) => Some(names.iter().position(|n| n == h).ok_or_else(|| {
                    format!("en-tête : la colonne désignée par l'option colonne.{} est absente du fichier", champ.nom())
                })?),
                None => champ.synonymes().iter().find_map(|s| names.iter().position(|n| n == s)),
            };
            if let Some(i) = found {
                cols.insert(champ, i);
            }
        }
        for required in [Champ::Nom, Champ::Prenom, Champ::DateNaissance] {
            if !cols.contains_key(&required) {
                return Err(format!(
                    "en-tête : colonne {} introuvable (option colonne.{} pour la désigner)",
                    required.nom(),
                    required.nom()
                ));
            }
        }
        Ok(cols)
    }
}

/// The fields of one record: `out` holds them end to end, `ends` where each ends. Text
/// is borrowed where it can be (UTF-8, or windows-1252 that is plain ASCII).
fn champs<'a>(out: &'a [u8], ends: &[usize], encodage: Encodage, numero: u64) -> Result<Vec<Cow<'a, str>>, String> {
    let mut start = 0;
    let mut fields = Vec::with_capacity(ends.len());
    for &end in ends {
        let raw = &out[start..end];
        fields.push(match encodage {
            Encodage::Utf8 => Cow::Borrowed(
                std::str::from_utf8(raw)
                    .map_err(|_| format!("ligne {numero} : texte non UTF-8 (option encodage=windows-1252 ?)"))?,
            ),
            Encodage::Windows1252 => encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw).0,
        });
        start = end;
    }
    Ok(fields)
}

impl dude_adapter_sdk::Analyseur for StockParser {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        StockParser::push(self, chunk)
    }

    fn finish(&mut self) -> Result<Batch, String> {
        StockParser::finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(bytes: &[u8], opts: &[(&str, &str)], chunk: usize) -> Result<Batch, String> {
        let opts: Vec<(String, String)> = opts.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let mut p = StockParser::new(&opts)?;
        let mut b = Batch::default();
        for c in bytes.chunks(chunk.max(1)) {
            b.extend(p.push(c)?);
        }
        b.extend(p.finish()?);
        Ok(b)
    }

    const REF: &str = "../../../shared/reference-formats/carnet-de-bord";
    const DATA: &str = "tests/data";

    fn donnees(nom: &str) -> Vec<u8> {
        let path = format!("{DATA}/{nom}");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A reference file beside the repository, or `None` (said on stderr) when those files
    /// are absent: the conformance layer runs only where they are.
    fn reference(nom: &str) -> Option<Vec<u8>> {
        if !std::path::Path::new(REF).is_dir() {
            eprintln!("fichiers de référence absents ({REF}) : couche de conformité non exécutée");
            return None;
        }
        let path = format!("{REF}/{nom}");
        Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    #[test]
    fn sample_file_in_any_chunking() {
        let bytes = donnees("stock.csv");
        let whole = parse_all(&bytes, &[], 1 << 20).unwrap();
        assert_eq!(whole.personnes.len(), 10, "{:?}", whole.errors);
        assert!(whole.errors.is_empty(), "{:?}", whole.errors);
        let first = &whole.personnes[0];
        assert_eq!((first.numero, first.identite.prenom.as_str()), (2, "Margaux"));
        assert_eq!(first.identite.date_naissance, "1991-03-14");
        assert_eq!(first.identite.nir.as_deref(), Some("291037728801482"));
        let contact = first.contact.as_ref().unwrap();
        assert_eq!(contact.telephone.as_deref(), Some("0611223344"), "the first of the numbers listed");
        let adresse = contact.adresse.as_ref().unwrap();
        assert_eq!(adresse.ligne2.as_deref(), Some("Résidence \"Les Glycines\""), "doubled quotes");
        assert_eq!(adresse.code_postal, "77000");
        assert_eq!(first.rsa.as_ref().unwrap().numero_allocataire.as_deref(), Some("7700123"));
        let ligne = |n: u64| whole.personnes.iter().find(|p| p.numero == n).unwrap();
        let complement = ligne(5).contact.as_ref().unwrap().adresse.as_ref().unwrap().ligne2.as_deref();
        assert_eq!(complement, Some("Bât. C; porte 12"), "separator inside quotes");
        assert_eq!(ligne(8).identite.nir.as_deref(), Some("184067710804572"), "NIR written with spaces");
        assert_eq!(ligne(7).identite.nir.as_deref(), Some("2000193008021"), "NIR without its key");
        assert_eq!(ligne(6).identite.nir, None);
        assert!(ligne(11).contact.is_none() && ligne(11).rsa.is_none(), "identity only");
        for size in [1, 7, 64] {
            assert_eq!(parse_all(&bytes, &[], size).unwrap(), whole, "chunks of {size}");
        }
    }

    #[test]
    fn all_date_formats_and_faulty_rows() {
        let b = parse_all(&donnees("stock-formats-dates.csv"), &[], 100).unwrap();
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert!(b.personnes.iter().all(|p| p.identite.date_naissance.len() == 10));
        // JJ/MM/AAAA, JJ-MM-AAAA, JJ/MM/AAAA, AAAA-MM-JJ, a one-digit day, a time after the date
        let dates: Vec<&str> = b.personnes.iter().map(|p| p.identite.date_naissance.as_str()).collect();
        assert_eq!(dates, ["1991-03-14", "1987-11-02", "2001-08-21", "1995-07-30", "1979-12-05", "2000-01-31"]);
        let b = parse_all(&donnees("stock-erreurs.csv"), &[], 100).unwrap();
        assert!(!b.errors.is_empty(), "the faulty file has row errors");
        assert!(b.errors.iter().all(|e| e.record_number >= 2 && e.field.is_some()), "{:?}", b.errors);
        // date of birth missing, unreadable (five-digit year), non-existent (30 February)
        let lignes: Vec<(u64, &str)> =
            b.errors.iter().map(|e| (e.record_number, e.field.as_deref().unwrap_or(""))).collect();
        assert_eq!(lignes, [(2, "date_naissance"), (3, "date_naissance"), (5, "date_naissance")]);
        assert_eq!(b.personnes.iter().map(|p| p.numero).collect::<Vec<_>>(), [4, 6]);
    }

    #[test]
    fn conformite_reference_import_beneficiaires() {
        let Some(bytes) = reference("import_beneficiaires.csv") else { return };
        let whole = parse_all(&bytes, &[], 1 << 20).unwrap();
        assert_eq!(whole.personnes.len(), 4, "{:?}", whole.errors);
        assert!(whole.errors.is_empty(), "{:?}", whole.errors);
        let first = &whole.personnes[0];
        assert_eq!(first.identite.prenom, "Charlotte");
        assert_eq!(first.identite.date_naissance, "1998-05-25");
        let adresse = first.contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!(adresse.ligne2.as_deref(), Some("Lieu-dit \"Le sandwich\""), "doubled quotes");
        assert_eq!(adresse.code_postal, "61120");
        assert_eq!(first.rsa.as_ref().unwrap().numero_allocataire.as_deref(), Some("2055990"));
        for size in [1, 7, 64] {
            assert_eq!(parse_all(&bytes, &[], size).unwrap(), whole, "chunks of {size}");
        }
    }

    #[test]
    fn conformite_reference_date_formats_and_buggy_rows() {
        let Some(bytes) = reference("import_beneficiaires_with_all_date_formats.csv") else { return };
        let b = parse_all(&bytes, &[], 100).unwrap();
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert!(b.personnes.iter().all(|p| p.identite.date_naissance.len() == 10));
        let Some(bytes) = reference("import_beneficiaires_buggy.csv") else { return };
        let b = parse_all(&bytes, &[], 100).unwrap();
        assert!(!b.errors.is_empty(), "the buggy file has row errors");
        assert!(b.errors.iter().all(|e| e.record_number >= 2 && e.field.is_some()), "{:?}", b.errors);
    }

    #[test]
    fn mapping_encoding_separator() {
        let csv = "Civ,NOM USAGE,Prénom,Né le,NIR,Rôle,Type de parcours,Date entrée RSA\r\n\
                   MME,Lefèvre,Léa,03/02/1990,2900377123456,conjoint,Social,01-09-2024\r\n\
                   M,Bad,Date,31/02/1990,,,,\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(csv);
        let opts = [
            ("separateur", ","),
            ("encodage", "windows-1252"),
            ("colonne.civilite", "Civ"),
            ("colonne.nom", "NOM USAGE"),
            ("colonne.date_naissance", "Né le"),
            ("colonne.role", "Rôle"),
            ("colonne.date_entree_rsa", "Date entrée RSA"),
        ];
        let b = parse_all(&bytes, &opts, 5).unwrap();
        assert_eq!(b.personnes.len(), 1);
        let p = &b.personnes[0];
        assert_eq!((p.identite.nom.as_str(), p.identite.prenom.as_str()), ("Lefèvre", "Léa"));
        assert_eq!(p.identite.civilite.as_deref(), Some("MME"));
        assert_eq!(p.rsa.as_ref().unwrap().role.as_deref(), Some("CJT"));
        assert_eq!(p.rsa.as_ref().unwrap().date_entree.as_deref(), Some("2024-09-01"));
        assert_eq!(p.orientation.as_ref().unwrap().type_parcours, "SOCIAL");
        assert_eq!(b.errors.len(), 1);
        assert_eq!(b.errors[0].record_number, 3);
        assert_eq!(b.errors[0].field.as_deref(), Some("date_naissance"));
    }

    #[test]
    fn clear_errors() {
        let Err(e) = StockParser::new(&[("colonne.age".into(), "x".into())]) else { panic!("refused") };
        assert!(e.contains("champ inconnu") && !e.contains("age"), "{e}");
        let e = parse_all(b"a;b\n1;2\n", &[], 100).unwrap_err();
        assert!(e.contains("colonne nom"), "{e}");
        let e = parse_all(b"", &[], 100).unwrap_err();
        assert!(e.contains("vide"), "{e}");
        let e = parse_all(b"Nom;Pr\xe9nom;Date de naissance\n", &[], 100).unwrap_err();
        assert!(e.contains("UTF-8"), "{e}");
    }
}
