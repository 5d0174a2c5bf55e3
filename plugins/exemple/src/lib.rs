//! DUDE adapter `exemple`: the smallest complete adapter, the same as `../exemple-py/app.py`
//! in Python (plugins/README.md shows both).
//!
//! Format `csv-simple`: UTF-8 (a BOM is dropped), lines ended by `\n` or `\r\n`, a header
//! `nir;nom;prenom;date_naissance` then one person per line, the date as AAAA-MM-JJ.
//! Option `separateur`: one character (default `;`). Lines are numbered from 1, the header
//! included; a bad line is a row error (the file goes on), a bad header or an unusable
//! format or option an `Err` (the file stops). The host checks the NIR itself.

use dude_adapter_sdk::{
    Adaptateur, Analyseur, Batch, Categorie, Description, Direction, Evenement, Identite, Personne, RowError,
};

/// The format read.
pub const FORMAT: &str = "csv-simple";
const COLONNES: [&str; 4] = ["nir", "nom", "prenom", "date_naissance"];
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The adapter, as the component exports it.
pub struct Exemple;

impl Adaptateur for Exemple {
    type Analyseur = CsvSimple;

    fn description() -> Description {
        Description {
            name: "exemple".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            formats: vec![FORMAT.into()],
            categories: vec![Categorie::Identite, Categorie::Nir],
            directions: vec![Direction::Import],
        }
    }

    /// An `Err` here is kept by the SDK and returned by the first `push` or `finish`
    /// (the WIT constructor cannot fail).
    fn analyseur(format: &str, options: &[(String, String)]) -> Result<CsvSimple, String> {
        if format != FORMAT {
            return Err(format!("format non pris en charge (formats : {FORMAT})"));
        }
        CsvSimple::new(options)
    }

    fn exporter(_format: &str, _evenement: &Evenement) -> Result<Vec<u8>, String> {
        Err("export non pris en charge".into())
    }
}

/// The streaming parser of `csv-simple`.
pub struct CsvSimple {
    separateur: char,
    /// The bytes of the line not ended yet.
    tampon: Vec<u8>,
    /// Number of the last line read (1: the header).
    numero: u64,
}

impl CsvSimple {
    pub fn new(options: &[(String, String)]) -> Result<Self, String> {
        let mut separateur = ';';
        for (cle, valeur) in options {
            match cle.as_str() {
                "separateur" => {
                    let mut c = valeur.chars();
                    separateur = match (c.next(), c.next()) {
                        (Some(s), None) if s != '\n' && s != '\r' => s,
                        _ => return Err("option separateur : un seul caractère attendu".into()),
                    };
                }
                _ => return Err("option inconnue (options : separateur)".to_string()),
            }
        }
        Ok(Self { separateur, tampon: Vec::new(), numero: 0 })
    }

    /// One line, without its `\n`.
    fn ligne(&mut self, ligne: &[u8], lot: &mut Batch) -> Result<(), String> {
        self.numero += 1;
        let n = self.numero;
        let ligne = ligne.strip_suffix(b"\r").unwrap_or(ligne);
        if n == 1 {
            let entete = std::str::from_utf8(ligne.strip_prefix(BOM).unwrap_or(ligne)).unwrap_or_default();
            if entete.split(self.separateur).map(|c| c.trim().to_lowercase()).ne(COLONNES) {
                return Err(format!("en-tête attendu : {}", COLONNES.join(&self.separateur.to_string())));
            }
            return Ok(());
        }
        // one error per line, with the column's name and no value from the file
        let mut erreur = |field: Option<&str>, message: String| {
            lot.errors.push(RowError { record_number: n, field: field.map(Into::into), message });
        };
        let Ok(texte) = std::str::from_utf8(ligne) else {
            erreur(None, "ligne non UTF-8".into());
            return Ok(());
        };
        if texte.trim().is_empty() {
            return Ok(());
        }
        let champs: Vec<&str> = texte.split(self.separateur).map(str::trim).collect();
        let [nir, nom, prenom, date] = champs[..] else {
            erreur(None, format!("{} champs au lieu de {}", champs.len(), COLONNES.len()));
            return Ok(());
        };
        if nom.is_empty() {
            erreur(Some("nom"), "nom manquant".into());
        } else if prenom.is_empty() {
            erreur(Some("prenom"), "prénom manquant".into());
        } else if !date_valide(date) {
            erreur(Some("date_naissance"), "date AAAA-MM-JJ attendue".into());
        } else {
            let identite = Identite {
                nir: (!nir.is_empty()).then(|| nir.into()),
                nom: nom.into(),
                prenom: prenom.into(),
                date_naissance: date.into(),
                ..Default::default()
            };
            lot.personnes.push(Personne { numero: n, identite, ..Default::default() });
        }
        Ok(())
    }
}

impl Analyseur for CsvSimple {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        let mut lot = Batch::default();
        let Some(fin) = chunk.iter().rposition(|&b| b == b'\n') else {
            self.tampon.extend_from_slice(chunk);
            return Ok(lot);
        };
        // the lines this chunk ends; its bytes after the last `\n` wait for the next one
        let mut lignes = std::mem::take(&mut self.tampon);
        lignes.extend_from_slice(&chunk[..fin]);
        self.tampon.extend_from_slice(&chunk[fin + 1..]);
        for ligne in lignes.split(|&b| b == b'\n') {
            self.ligne(ligne, &mut lot)?;
        }
        Ok(lot)
    }

    fn finish(&mut self) -> Result<Batch, String> {
        let mut lot = Batch::default();
        if !self.tampon.is_empty() {
            let reste = std::mem::take(&mut self.tampon);
            self.ligne(&reste, &mut lot)?;
        }
        if self.numero == 0 {
            return Err(format!("fichier vide : en-tête attendu : {}", COLONNES.join(&self.separateur.to_string())));
        }
        Ok(lot)
    }
}

/// AAAA-MM-JJ, a real calendar date.
fn date_valide(d: &str) -> bool {
    let b = d.as_bytes();
    let nombre = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |v, c| c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(a), Some(m), Some(j)) = (nombre(0..4), nombre(5..7), nombre(8..10)) else { return false };
    let jours = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if a % 4 == 0 && (a % 100 != 0 || a % 400 == 0) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=jours).contains(&j)
}

#[cfg(target_arch = "wasm32")]
dude_adapter_sdk::composant!(Exemple);

#[cfg(test)]
mod tests {
    use super::*;

    const FICHIER: &[u8] = include_bytes!("../exemple.csv");

    fn lire(octets: &[u8], taille: usize, options: &[(String, String)]) -> Result<Batch, String> {
        let mut a = Exemple::analyseur(FORMAT, options)?;
        let mut tout = Batch::default();
        for morceau in octets.chunks(taille.max(1)) {
            tout.extend(a.push(morceau)?);
        }
        tout.extend(a.finish()?);
        Ok(tout)
    }

    fn erreurs(b: &Batch) -> Vec<(u64, Option<&str>, &str)> {
        b.errors.iter().map(|e| (e.record_number, e.field.as_deref(), e.message.as_str())).collect()
    }

    #[test]
    fn description() {
        let d = Exemple::description();
        assert_eq!((d.name.as_str(), d.version.as_str()), ("exemple", "0.1.0"));
        assert_eq!(d.formats, ["csv-simple"]);
        assert_eq!(d.categories, [Categorie::Identite, Categorie::Nir]);
        assert_eq!(d.directions, [Direction::Import]);
        assert_eq!(Exemple::exporter(FORMAT, &Evenement::default()).unwrap_err(), "export non pris en charge");
    }

    #[test]
    fn the_sample_file() {
        let b = lire(FICHIER, usize::MAX, &[]).unwrap();
        assert_eq!(b.personnes.iter().map(|p| p.numero).collect::<Vec<_>>(), [2, 3, 4, 6]);
        let p = &b.personnes[0].identite;
        assert_eq!(
            (p.nir.as_deref(), p.nom.as_str(), p.prenom.as_str(), p.date_naissance.as_str()),
            (Some("285037728804554"), "MARTIN", "Léa", "1985-03-14")
        );
        assert_eq!(erreurs(&b), [(5, Some("date_naissance"), "date AAAA-MM-JJ attendue")]);
    }

    #[test]
    fn every_line_and_error() {
        let fichier = "\u{feff} NIR ; Nom;prenom;date_naissance\r\n\
                       ;Durand;Paul;2000-02-29\r\n\
                       \r\n\
                       1;2;3\n\
                       1850578006048;;Jean;1985-05-12\n\
                       1850578006048;Dupont; ;1985-05-12\n\
                       1850578006048;Dupont;Jean;1900-02-29\n\
                       1850578006048;Dupont;Jean;12/05/1985\n\
                       1850578006048;Dupont;Jean;1985-05-12";
        let b = lire(fichier.as_bytes(), usize::MAX, &[]).unwrap();
        assert_eq!(b.personnes.len(), 2);
        assert_eq!((b.personnes[0].numero, b.personnes[0].identite.nir.as_deref()), (2, None));
        assert_eq!((b.personnes[1].numero, b.personnes[1].identite.nir.as_deref()), (9, Some("1850578006048")));
        assert_eq!(
            erreurs(&b),
            [
                (4, None, "3 champs au lieu de 4"),
                (5, Some("nom"), "nom manquant"),
                (6, Some("prenom"), "prénom manquant"),
                (7, Some("date_naissance"), "date AAAA-MM-JJ attendue"),
                (8, Some("date_naissance"), "date AAAA-MM-JJ attendue"),
            ]
        );
        assert!(b.errors.iter().all(|e| !e.message.contains("Dupont") && !e.message.contains("1985")));
    }

    #[test]
    fn chunks_cut_anywhere_give_the_same_records() {
        let texte = String::from_utf8(FICHIER.to_vec()).unwrap().replace('\n', "\r\n");
        let fichier = [BOM, texte.as_bytes()].concat();
        let attendu = lire(&fichier, usize::MAX, &[]).unwrap();
        assert_eq!(attendu.personnes.len(), 4);
        for taille in 1..fichier.len() {
            assert_eq!(lire(&fichier, taille, &[]).unwrap(), attendu, "chunks of {taille}");
        }
    }

    #[test]
    fn separator_option() {
        let virgules = String::from_utf8(FICHIER.to_vec()).unwrap().replace(';', ",");
        let options = [("separateur".to_string(), ",".to_string())];
        assert_eq!(lire(virgules.as_bytes(), 7, &options), lire(FICHIER, 7, &[]));
        // with `;`, the header of a `,` file is refused: the whole file
        assert_eq!(lire(virgules.as_bytes(), 7, &[]).unwrap_err(), "en-tête attendu : nir;nom;prenom;date_naissance");
    }

    #[test]
    fn refusals_of_the_whole_file() {
        let option = |k: &str, v: &str| [(k.to_string(), v.to_string())];
        let Err(e) = Exemple::analyseur("xml", &[]) else { panic!("unknown format") };
        assert_eq!(e, "format non pris en charge (formats : csv-simple)");
        let Err(e) = CsvSimple::new(&option("encodage", "latin1")) else { panic!("unknown option") };
        assert_eq!(e, "option inconnue (options : separateur)");
        for v in ["", ";;", "\n"] {
            assert!(CsvSimple::new(&option("separateur", v)).is_err(), "{v:?}");
        }
        assert!(lire(b"", 1, &[]).unwrap_err().starts_with("fichier vide"));
        assert!(lire(b"nom;prenom\n", 1, &[]).unwrap_err().starts_with("en-tête attendu"));
    }

    #[test]
    fn dates() {
        for ok in ["2000-02-29", "1985-12-31", "2024-02-29"] {
            assert!(date_valide(ok), "{ok}");
        }
        for ko in ["1900-02-29", "1985-04-31", "1985-13-01", "1985-00-10", "85-05-12", "1985-5-12", "1985/05/12", ""] {
            assert!(!date_valide(ko), "{ko}");
        }
    }
}
