//! The "Parcours insertion emploi" export of the GIP Plateforme de l'inclusion (seed 002
//! annex 4 option 2) as JSON lines: one person per line (see FORMAT.md). Streaming: lines
//! come out as chunks arrive; a bad line is reported (record number = line number, field =
//! JSON path) and the file goes on.
//!
//! Option: `ligne_max_octets` (default 1 MiB): a longer line is reported and skipped,
//! without being buffered whole.

use std::collections::BTreeSet;

use serde_json::value::RawValue;

use crate::codes;
use crate::lignes::{Ligne, Lignes};
use crate::model::*;
use crate::objet::{Champs, Lecteur, Lu, Objet};

/// The format this parser reads.
pub const FORMAT: &str = "parcours-jsonl";

/// Default cap on one line: 1 MiB.
pub const LIGNE_MAX_DEFAUT: usize = 1 << 20;
/// Highest cap the option accepts: 64 MiB.
pub const LIGNE_MAX_PLAFOND: usize = 64 << 20;

/// Fields of a line.
pub const CHAMPS: [&str; 18] = [
    "nir",
    "nom",
    "prenom",
    "date_naissance",
    "civilite",
    "adresse",
    "code_postal",
    "commune",
    "identifiant_france_travail",
    "identifiant_rsa",
    "organisme",
    "date_ouverture_droits",
    "date_entree_dispositif",
    "date_rendez_vous_orientation",
    "type_parcours",
    "diagnostic",
    "rendez_vous",
    "prestations",
];

/// Fields of an element of `prestations`.
pub const CHAMPS_PRESTATION: [&str; 4] = ["libelle", "date_debut", "duree_jours", "collective"];

/// Fields of an element of `diagnostic` in its list form.
pub const CHAMPS_BESOIN: [&str; 2] = ["code", "valeur"];

/// Longest prestation accepted, in days (ten years).
pub const DUREE_MAX_JOURS: u32 = 3660;

const OBLIGATOIRE: &str = "champ obligatoire absent";

/// The streaming parser.
pub struct ParcoursParser {
    lignes: Lignes,
    max: usize,
    /// Unknown field names met in the file (names only), logged once at the end.
    inconnus: BTreeSet<String>,
}

impl ParcoursParser {
    pub fn new(options: &[(String, String)]) -> Result<Self, String> {
        let mut max = LIGNE_MAX_DEFAUT;
        for (k, v) in options {
            match k.as_str() {
                "ligne_max_octets" => {
                    max = v.trim().parse::<usize>().ok().filter(|n| (1..=LIGNE_MAX_PLAFOND).contains(n)).ok_or_else(
                        || format!("option ligne_max_octets : nombre d'octets de 1 à {LIGNE_MAX_PLAFOND}"),
                    )?
                }
                _ => return Err("option inconnue (options : ligne_max_octets)".to_string()),
            }
        }
        Ok(Self { lignes: Lignes::new(max), max, inconnus: BTreeSet::new() })
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        let mut batch = Batch::default();
        let (max, inconnus) = (self.max, &mut self.inconnus);
        self.lignes.pousser(chunk, &mut |numero, ligne| lire(numero, ligne, max, &mut batch, inconnus));
        Ok(batch)
    }

    pub fn finish(&mut self) -> Result<Batch, String> {
        let mut batch = Batch::default();
        let (max, inconnus) = (self.max, &mut self.inconnus);
        self.lignes.terminer(&mut |numero, ligne| lire(numero, ligne, max, &mut batch, inconnus));
        if !self.inconnus.is_empty() {
            let noms: Vec<&str> = self.inconnus.iter().map(String::as_str).collect();
            dude_adapter_sdk::log(
                dude_adapter_sdk::Niveau::Warn,
                &format!("{FORMAT} : champs inconnus ignorés : {}", noms.join(", ")),
            );
            self.inconnus.clear();
        }
        Ok(batch)
    }

    /// Unknown field names met so far (names only, e.g. `prestations[].lieu`).
    pub fn champs_inconnus(&self) -> impl Iterator<Item = &str> {
        self.inconnus.iter().map(String::as_str)
    }
}

impl dude_adapter_sdk::Analyseur for ParcoursParser {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        ParcoursParser::push(self, chunk)
    }

    fn finish(&mut self) -> Result<Batch, String> {
        ParcoursParser::finish(self)
    }
}

fn erreur(numero: u64, field: Option<String>, message: impl Into<String>) -> RowError {
    RowError { record_number: numero, field, message: message.into() }
}

/// One line → a person or its errors.
fn lire(numero: u64, ligne: Ligne<'_>, max: usize, batch: &mut Batch, inconnus: &mut BTreeSet<String>) {
    let octets = match ligne {
        Ligne::TropLongue => {
            let message = format!("ligne de plus de {max} octets : ignorée (option ligne_max_octets)");
            return batch.errors.push(erreur(numero, None, message));
        }
        Ligne::Texte(t) => t,
    };
    if octets.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let texte = match std::str::from_utf8(octets) {
        Ok(t) => t,
        Err(e) => {
            let message = format!("texte non UTF-8 (octet {} de la ligne)", e.valid_up_to() + 1);
            return batch.errors.push(erreur(numero, None, message));
        }
    };
    let objet = match serde_json::from_str::<Objet>(texte) {
        Ok(o) => o,
        Err(e) => return batch.errors.push(erreur(numero, None, message_json(&e))),
    };
    let mut l = Lecteur::new(inconnus);
    let o = l.champs(objet, String::new(), Some(&CHAMPS));
    let personne = personne(numero, &o, &mut l);
    match personne {
        Some(p) if l.erreurs.is_empty() => batch.personnes.push(p),
        _ => batch.errors.extend(l.erreurs.into_iter().map(|(champ, message)| erreur(numero, champ, message))),
    }
}

/// A French message for a line serde_json cannot read (its own messages are English; they
/// name the problem and its column, never the text).
fn message_json(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let anglais = e.to_string();
    let probleme = match e.classify() {
        Category::Eof => return "JSON incomplet : la ligne s'arrête avant la fin de l'objet".into(),
        Category::Data => return "objet JSON attendu (une personne par ligne)".into(),
        Category::Io => return "JSON illisible".into(),
        Category::Syntax if anglais.starts_with("trailing characters") => "caractères après la fin de l'objet",
        Category::Syntax if anglais.starts_with("control character") => "caractère de contrôle dans un texte",
        Category::Syntax if anglais.starts_with("invalid escape") => "échappement \\ invalide",
        Category::Syntax if anglais.starts_with("invalid unicode") => "échappement \\u invalide",
        Category::Syntax if anglais.starts_with("invalid number") => "nombre invalide",
        Category::Syntax if anglais.starts_with("number out of range") => "nombre hors limites",
        Category::Syntax if anglais.starts_with("key must be a string") => "nom de champ sans guillemets",
        Category::Syntax if anglais.starts_with("recursion limit") => "imbrication trop profonde",
        Category::Syntax => "syntaxe",
    };
    format!("JSON invalide : {probleme} (colonne {})", e.column())
}

fn personne(numero: u64, o: &Champs, l: &mut Lecteur) -> Option<Personne> {
    // Identity: the core attaches the record to a dossier by NIR and birth date.
    let nir = l.identifiant(o, "nir").and_then(|n| match n {
        Some(n) => codes::nir(&n).map(Some).map_err(|e| l.erreur("nir", e)),
        None => Ok(None),
    });
    let nir = l.requis(chemin("nir"), nir, OBLIGATOIRE);
    let nom = l.texte(o, "nom");
    let nom = l.requis(chemin("nom"), nom, OBLIGATOIRE);
    let prenom = l.texte(o, "prenom");
    let prenom = l.requis(chemin("prenom"), prenom, OBLIGATOIRE);
    let date_naissance = l.code(o, "date_naissance", codes::date);
    let date_naissance = l.requis(chemin("date_naissance"), date_naissance, OBLIGATOIRE);
    let civilite = l.code(o, "civilite", codes::civilite).ok().flatten();
    // Residence.
    let adresse = l.texte(o, "adresse").ok().flatten();
    let code_postal = l.code(o, "code_postal", code_postal).ok().flatten();
    let commune = l.texte(o, "commune").ok().flatten();
    // RSA.
    let identifiant_rsa = l.identifiant(o, "identifiant_rsa").ok().flatten();
    let organisme = l.code(o, "organisme", codes::organisme).ok().flatten();
    let date_ouverture = l.code(o, "date_ouverture_droits", codes::date).ok().flatten();
    // Parcours.
    let identifiant_ft = l.identifiant(o, "identifiant_france_travail").ok().flatten();
    let date_entree = l.code(o, "date_entree_dispositif", codes::date);
    let date_entree = l.requis(chemin("date_entree_dispositif"), date_entree, OBLIGATOIRE);
    let date_rdv_orientation = l.code(o, "date_rendez_vous_orientation", codes::date);
    let type_parcours = l.code(o, "type_parcours", codes::type_parcours);
    if let (Ok(Some(_)), Ok(None)) = (&type_parcours, &date_rdv_orientation) {
        l.erreur("date_rendez_vous_orientation", "obligatoire avec type_parcours (date de l'orientation)");
    }
    let (type_parcours, date_rdv_orientation) = (type_parcours.ok().flatten(), date_rdv_orientation.ok().flatten());
    let besoins = diagnostic(o, l);
    let rendez_vous = rendez_vous(o, l);
    let prestations = prestations(o, l);

    let contact = (adresse.is_some() || code_postal.is_some() || commune.is_some()).then(|| Contact {
        adresse: Some(Adresse {
            ligne1: adresse.unwrap_or_default(),
            ligne2: None,
            code_postal: code_postal.unwrap_or_default(),
            commune: commune.unwrap_or_default(),
        }),
        ..Default::default()
    });
    let rsa = (identifiant_rsa.is_some() || organisme.is_some() || date_ouverture.is_some()).then(|| Rsa {
        numero_allocataire: identifiant_rsa,
        date_entree: date_ouverture,
        organisme,
        ..Default::default()
    });
    let orientation = type_parcours.map(|type_parcours| Orientation {
        type_parcours,
        date: date_rdv_orientation.clone(),
        ..Default::default()
    });
    Some(Personne {
        numero,
        identite: Identite {
            civilite,
            nom: nom?,
            prenom: prenom?,
            date_naissance: date_naissance?,
            nir: Some(nir?),
            ..Default::default()
        },
        contact,
        rsa,
        orientation,
        accompagnement: None,
        parcours: Some(Parcours {
            identifiant_france_travail: identifiant_ft,
            date_entree_dispositif: date_entree?,
            date_rendez_vous_orientation: date_rdv_orientation,
            besoins,
            rendez_vous,
            prestations,
        }),
    })
}

/// The path of a field of the line's object.
fn chemin(nom: &'static str) -> impl FnOnce() -> String {
    move || nom.to_string()
}

/// Five digits.
fn code_postal(s: &str) -> Result<String, String> {
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err("code postal : 5 chiffres attendus".into())
    }
}

/// `diagnostic`: `{"CODE": "VALEUR", …}` or `[{"code": …, "valeur": …}, …]`.
fn diagnostic(o: &Champs, l: &mut Lecteur) -> Vec<Besoin> {
    let mut besoins: Vec<Besoin> = Vec::new();
    let Ok(Some(raw)) = l.brut(o, "diagnostic") else { return besoins };
    let mut ajouter = |l: &mut Lecteur, chemin: String, code: String, valeur: String| {
        if besoins.iter().any(|b| b.code == code) {
            l.erreur(chemin, "besoin déjà renseigné dans ce diagnostic");
        } else {
            besoins.push(Besoin { code, valeur });
        }
    };
    match raw.get().as_bytes().first() {
        Some(b'{') => {
            let Ok(d) = l.objet(raw, "diagnostic".into(), None) else { return Vec::new() };
            for (i, (cle, valeur)) in d.champs().enumerate() {
                let code = match codes::code_besoin(cle) {
                    Ok(c) => c,
                    Err(e) => {
                        // The key is not echoed: it is not one of ours.
                        l.erreur("diagnostic", format!("clé n° {} : {e}", i + 1));
                        continue;
                    }
                };
                let chemin = format!("diagnostic.{cle}");
                // null: this need is not given; a bad value is reported.
                if let Ok(Some(v)) = code_brut(l, &chemin, valeur, codes::valeur_besoin) {
                    ajouter(l, chemin, code, v);
                }
            }
        }
        Some(b'[') => {
            let Ok(Some(liste)) = l.liste(o, "diagnostic") else { return Vec::new() };
            for (i, raw) in liste.into_iter().enumerate() {
                let Ok(b) = l.objet(raw, format!("diagnostic[{i}]"), Some(&CHAMPS_BESOIN)) else { continue };
                let code = l.code(&b, "code", codes::code_besoin);
                let code = l.requis(|| b.chemin_de("code"), code, OBLIGATOIRE);
                let valeur = l.code(&b, "valeur", codes::valeur_besoin);
                let valeur = l.requis(|| b.chemin_de("valeur"), valeur, OBLIGATOIRE);
                if let (Some(code), Some(valeur)) = (code, valeur) {
                    ajouter(l, b.chemin_de("code"), code, valeur);
                }
            }
        }
        _ => {
            l.erreur("diagnostic", "objet {\"BESOIN\": \"VALEUR\"} ou liste [{\"code\", \"valeur\"}] attendu");
        }
    }
    besoins
}

/// `rendez_vous`: a list of dates.
fn rendez_vous(o: &Champs, l: &mut Lecteur) -> Vec<String> {
    let Ok(Some(liste)) = l.liste(o, "rendez_vous") else { return Vec::new() };
    let mut dates = Vec::with_capacity(liste.len());
    for (i, raw) in liste.into_iter().enumerate() {
        let chemin = format!("rendez_vous[{i}]");
        let d = code_brut(l, &chemin, raw, codes::date);
        if let Some(d) = l.requis(|| chemin.clone(), d, "date attendue") {
            dates.push(d);
        }
    }
    dates
}

/// A JSON string at `chemin`, converted by `f`.
fn code_brut(l: &mut Lecteur, chemin: &str, raw: &RawValue, f: fn(&str) -> Result<String, String>) -> Lu<String> {
    match l.texte_brut(chemin, raw)? {
        Some(s) => f(&s).map(Some).map_err(|e| l.erreur(chemin, e)),
        None => Ok(None),
    }
}

/// `prestations`: a list of `{libelle, date_debut, duree_jours, collective}`.
fn prestations(o: &Champs, l: &mut Lecteur) -> Vec<Prestation> {
    let Ok(Some(liste)) = l.liste(o, "prestations") else { return Vec::new() };
    let mut out = Vec::with_capacity(liste.len());
    for (i, raw) in liste.into_iter().enumerate() {
        let Ok(p) = l.objet(raw, format!("prestations[{i}]"), Some(&CHAMPS_PRESTATION)) else { continue };
        let libelle = l.texte(&p, "libelle");
        let libelle = l.requis(|| p.chemin_de("libelle"), libelle, OBLIGATOIRE);
        let date_debut = l.code(&p, "date_debut", codes::date);
        let date_debut = l.requis(|| p.chemin_de("date_debut"), date_debut, OBLIGATOIRE);
        let duree_jours = l.entier(&p, "duree_jours", 0, DUREE_MAX_JOURS).ok().flatten();
        let collective = l.booleen(&p, "collective");
        let collective = l.requis(|| p.chemin_de("collective"), collective, OBLIGATOIRE);
        if let (Some(libelle), Some(date_debut), Some(collective)) = (libelle, date_debut, collective) {
            out.push(Prestation { libelle, date_debut, duree_jours, collective });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BON: &[u8] = include_bytes!("../tests/data/parcours.jsonl");
    const MAUVAIS: &[u8] = include_bytes!("../tests/data/parcours_erreurs.jsonl");

    fn options(opts: &[(&str, &str)]) -> Vec<(String, String)> {
        opts.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn lire_tout(octets: &[u8], opts: &[(&str, &str)], taille: usize) -> Batch {
        let mut p = ParcoursParser::new(&options(opts)).unwrap();
        let mut b = Batch::default();
        for c in octets.chunks(taille.max(1)) {
            b.extend(p.push(c).unwrap());
        }
        b.extend(p.finish().unwrap());
        b
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn sample_file_every_field() {
        let b = lire_tout(BON, &[], 1 << 20);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        let numeros: Vec<u64> = b.personnes.iter().map(|p| p.numero).collect();
        assert_eq!(numeros, vec![1, 2, 3, 4, 6, 7, 8], "line numbers, the blank line 5 skipped");

        let p = &b.personnes[0];
        assert_eq!(
            p.identite,
            Identite {
                civilite: Some(s("M")),
                nom: s("Martin"),
                prenom: s("Paul"),
                date_naissance: s("1985-05-12"),
                nir: Some(s("185057512345673")),
                ..Default::default()
            }
        );
        assert_eq!(
            p.contact,
            Some(Contact {
                adresse: Some(Adresse {
                    ligne1: s("12 rue des Lilas"),
                    ligne2: None,
                    code_postal: s("93200"),
                    commune: s("Saint-Denis"),
                }),
                ..Default::default()
            })
        );
        assert_eq!(
            p.rsa,
            Some(Rsa {
                numero_allocataire: Some(s("2055990")),
                date_entree: Some(s("2023-11-01")),
                organisme: Some(s("CAF")),
                ..Default::default()
            })
        );
        assert_eq!(
            p.orientation,
            Some(Orientation { type_parcours: s("PRO"), date: Some(s("2024-01-29")), ..Default::default() })
        );
        assert_eq!(p.accompagnement, None);
        let besoin = |code: &str, valeur: &str| Besoin { code: s(code), valeur: s(valeur) };
        assert_eq!(
            p.parcours,
            Some(Parcours {
                identifiant_france_travail: Some(s("FT-7731-A2")),
                date_entree_dispositif: s("2024-01-15"),
                date_rendez_vous_orientation: Some(s("2024-01-29")),
                besoins: vec![besoin("3", "POINT_FORT"), besoin("5", "BESOIN"), besoin("7", "NON_EXPLORE"),],
                rendez_vous: vec![s("2024-02-12"), s("2024-03-11"), s("2024-04-08")],
                prestations: vec![
                    Prestation {
                        libelle: s("Atelier CV"),
                        date_debut: s("2024-02-20"),
                        duree_jours: Some(1),
                        collective: true
                    },
                    Prestation {
                        libelle: s("Bilan de compétences"),
                        date_debut: s("2024-03-04"),
                        duree_jours: Some(15),
                        collective: false
                    },
                ],
            })
        );

        // JJ/MM/AAAA dates, diagnostic as a list, codes in any case, numeric identifiers,
        // a NIR written with a space.
        let p = &b.personnes[1];
        assert_eq!(p.identite.nir.as_deref(), Some("290039306601256"));
        assert_eq!(p.identite.civilite.as_deref(), Some("MME"));
        assert_eq!((p.identite.prenom.as_str(), p.identite.date_naissance.as_str()), ("Léa", "1990-02-03"));
        let rsa = p.rsa.as_ref().unwrap();
        assert_eq!(rsa.numero_allocataire.as_deref(), Some("3120044"));
        assert_eq!(rsa.date_entree.as_deref(), Some("2022-06-15"));
        assert_eq!(rsa.organisme.as_deref(), Some("CAF"));
        assert_eq!(p.orientation.as_ref().unwrap().type_parcours, "SOCIOPRO");
        assert_eq!(p.orientation.as_ref().unwrap().date.as_deref(), Some("2024-01-24"));
        let parcours = p.parcours.as_ref().unwrap();
        assert_eq!(parcours.identifiant_france_travail.as_deref(), Some("0412345678Z"));
        assert_eq!(parcours.date_entree_dispositif, "2024-01-10");
        assert_eq!(parcours.besoins, vec![besoin("9", "BESOIN"), besoin("15", "POINT_FORT")]);
        assert_eq!(parcours.rendez_vous, vec![s("2024-02-07"), s("2024-03-06")]);
        assert_eq!(parcours.prestations[0].date_debut, "2024-02-12");
        assert!(parcours.prestations[0].collective);

        // No street: the residence is the postal code and commune; MSA; social parcours;
        // a prestation without duration.
        let p = &b.personnes[2];
        let adresse = p.contact.as_ref().unwrap().adresse.as_ref().unwrap();
        assert_eq!((adresse.ligne1.as_str(), adresse.code_postal.as_str()), ("", "13005"));
        assert_eq!(p.rsa.as_ref().unwrap().organisme.as_deref(), Some("MSA"));
        assert_eq!(p.rsa.as_ref().unwrap().numero_allocataire.as_deref(), Some("0987654"), "leading zero kept");
        assert_eq!(p.orientation.as_ref().unwrap().type_parcours, "SOCIAL");
        let parcours = p.parcours.as_ref().unwrap();
        assert!(parcours.besoins.is_empty() && parcours.rendez_vous.is_empty());
        assert_eq!(parcours.prestations[0].duree_jours, None);
        assert!(!parcours.prestations[0].collective);

        // No residence, no RSA field: no contact, no rsa; need codes with '-' or spaces.
        let p = &b.personnes[3];
        assert_eq!((p.contact.as_ref(), p.rsa.as_ref(), p.identite.civilite.as_ref()), (None, None, None));
        assert_eq!(p.identite.nir.as_deref(), Some("2950869123045"), "13 characters");
        assert_eq!(p.parcours.as_ref().unwrap().besoins, vec![besoin("4", "NON_EXPLORE"), besoin("16", "BESOIN")]);

        // An orientation meeting without a type de parcours: no orientation, the date stays
        // in the parcours; null fields are absent; the unknown field is ignored.
        let p = &b.personnes[4];
        assert_eq!(p.numero, 6);
        assert_eq!(p.orientation, None);
        let parcours = p.parcours.as_ref().unwrap();
        assert_eq!(parcours.date_rendez_vous_orientation.as_deref(), Some("2024-02-05"));
        assert_eq!(parcours.identifiant_france_travail, None);
        assert_eq!(p.identite.civilite, None);
        assert_eq!(p.contact.as_ref().unwrap().adresse.as_ref().unwrap().ligne1, "Lieu-dit \"Le Moulin\"");
        assert_eq!(parcours.rendez_vous.len(), 4);
        assert_eq!(parcours.prestations[1].date_debut, "2024-04-15");

        // A need whose value is null is not given.
        assert_eq!(b.personnes[5].parcours.as_ref().unwrap().besoins, vec![besoin("5", "BESOIN")]);

        // The least a line may carry.
        let p = &b.personnes[6];
        assert_eq!((p.contact.as_ref(), p.rsa.as_ref(), p.orientation.as_ref()), (None, None, None));
        assert_eq!(
            p.parcours,
            Some(Parcours { date_entree_dispositif: s("2024-05-13"), ..Default::default() }),
            "every list empty"
        );
    }

    #[test]
    fn unknown_fields_are_ignored_and_named() {
        let mut p = ParcoursParser::new(&[]).unwrap();
        let b = p
            .push(
                br#"{"nir": "2850593008104", "nom": "M", "prenom": "S", "date_naissance": "1985-05-14", "date_entree_dispositif": "2024-05-13", "telephone": "0600000000", "prestations": [{"libelle": "A", "date_debut": "2024-05-14", "collective": true, "lieu": "Lille"}], "diagnostic": [{"code": "SE_FORMER", "valeur": "BESOIN", "commentaire": "x"}], "Nom d'usage": "X"}
"#,
            )
            .unwrap();
        assert_eq!((b.personnes.len(), b.errors.len()), (1, 0));
        let inconnus: Vec<&str> = p.champs_inconnus().collect();
        assert_eq!(
            inconnus,
            vec!["(nom de champ non conforme)", "diagnostic[].commentaire", "prestations[].lieu", "telephone"],
            "names only, never values"
        );
        p.finish().unwrap();
        assert_eq!(p.champs_inconnus().count(), 0, "logged once at the end");
    }

    #[test]
    fn same_result_in_any_chunking() {
        for fichier in [BON, MAUVAIS] {
            let entier = lire_tout(fichier, &[], 1 << 20);
            for taille in [1, 2, 7, 64, 333] {
                assert_eq!(lire_tout(fichier, &[], taille), entier, "chunks of {taille}");
            }
        }
    }

    #[test]
    fn bom_and_crlf() {
        let entier = lire_tout(BON, &[], 1 << 20);
        let mut windows = b"\xEF\xBB\xBF".to_vec();
        windows.extend(String::from_utf8(BON.to_vec()).unwrap().replace('\n', "\r\n").bytes());
        for taille in [1, 7, 1 << 20] {
            assert_eq!(lire_tout(&windows, &[], taille), entier, "chunks of {taille}");
        }
        // No final newline, blank lines with spaces.
        let sans_fin = &BON[..BON.len() - 1];
        assert_eq!(lire_tout(sans_fin, &[], 7), entier);
        let mut blancs = b"  \t\r\n".to_vec();
        blancs.extend_from_slice(BON);
        let b = lire_tout(&blancs, &[], 7);
        assert_eq!(b.personnes.len(), 7);
        assert_eq!(b.personnes[0].numero, 2, "the blank line counts");
    }

    #[test]
    fn bad_lines_are_reported_and_the_file_goes_on() {
        let b = lire_tout(MAUVAIS, &[], 1 << 20);
        assert_eq!(b.personnes.len(), 1, "{:?}", b.errors);
        assert_eq!(b.personnes[0].numero, 13);
        let erreurs: Vec<(u64, Option<&str>, &str)> =
            b.errors.iter().map(|e| (e.record_number, e.field.as_deref(), e.message.as_str())).collect();
        let date = "date invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu";
        let jour = "date invalide : jour inexistant dans ce mois";
        let duree = "nombre entier de 0 à 3660 attendu";
        let attendu: Vec<(u64, Option<&str>, &str)> = vec![
            (1, None, "JSON incomplet : la ligne s'arrête avant la fin de l'objet"),
            (2, None, "JSON invalide : nom de champ sans guillemets (colonne 2)"),
            (3, None, "objet JSON attendu (une personne par ligne)"),
            (4, None, "JSON invalide : caractères après la fin de l'objet (colonne 135)"),
            (5, Some("nom"), OBLIGATOIRE),
            (5, Some("date_entree_dispositif"), OBLIGATOIRE),
            (6, Some("date_naissance"), jour),
            (6, Some("date_ouverture_droits"), date),
            (6, Some("rendez_vous[1]"), date),
            (6, Some("rendez_vous[2]"), "date attendue"),
            (7, Some("civilite"), "civilité inconnue (M, MME)"),
            (7, Some("code_postal"), "code postal : 5 chiffres attendus"),
            (7, Some("organisme"), "organisme inconnu (CAF, MSA)"),
            (7, Some("type_parcours"), "type de parcours inconnu (social, socio-professionnel, professionnel)"),
            (
                8,
                Some("diagnostic"),
                "clé n° 2 : besoin inconnu (1 à 21, ou ELABORER_PROJET, CONFIRMER_PROJET, VALORISER_COMPETENCES, REUSSIR_CANDIDATURES, PREPARER_ENTRETIENS, RECHERCHER_OFFRES, SE_FORMER, COMPETENCES_NUMERIQUES, CREER_ENTREPRISE)",
            ),
            (8, Some("diagnostic.se-former"), "besoin déjà renseigné dans ce diagnostic"),
            (8, Some("diagnostic.ELABORER_PROJET"), "valeur du besoin inconnue (NON_EXPLORE, BESOIN, POINT_FORT)"),
            (9, Some("diagnostic[0].valeur"), OBLIGATOIRE),
            (
                9,
                Some("diagnostic[1].code"),
                "besoin inconnu (1 à 21, ou ELABORER_PROJET, CONFIRMER_PROJET, VALORISER_COMPETENCES, REUSSIR_CANDIDATURES, PREPARER_ENTRETIENS, RECHERCHER_OFFRES, SE_FORMER, COMPETENCES_NUMERIQUES, CREER_ENTREPRISE)",
            ),
            (9, Some("diagnostic[2]"), "objet JSON attendu"),
            (10, Some("prestations[0].duree_jours"), duree),
            (10, Some("prestations[1].collective"), "true ou false attendu"),
            (10, Some("prestations[2].date_debut"), jour),
            (10, Some("prestations[2].duree_jours"), duree),
            (10, Some("prestations[2].collective"), OBLIGATOIRE),
            (10, Some("prestations[3]"), "objet JSON attendu"),
            (11, Some("date_rendez_vous_orientation"), "obligatoire avec type_parcours (date de l'orientation)"),
            (12, Some("nir"), "NIR de 5 caractères au lieu de 13 ou 15"),
            (12, Some("nom"), "texte attendu"),
            (12, Some("prenom"), "champ présent plusieurs fois"),
            (12, Some("identifiant_rsa"), "texte ou nombre entier attendu"),
            (12, Some("diagnostic"), "objet {\"BESOIN\": \"VALEUR\"} ou liste [{\"code\", \"valeur\"}] attendu"),
            (12, Some("prestations"), "liste JSON attendue"),
            (14, Some("prestations[0].duree_jours"), duree),
        ];
        for (i, (e, a)) in erreurs.iter().zip(&attendu).enumerate() {
            assert_eq!(e, a, "error {i}");
        }
        assert_eq!(erreurs.len(), attendu.len());
    }

    #[test]
    fn the_examples_of_format_md() {
        let doc = include_str!("../FORMAT.md");
        let lignes: Vec<&str> = doc.lines().filter(|l| l.starts_with("{\"nir\"") && l.ends_with('}')).collect();
        assert_eq!(lignes.len(), 3, "the one-line examples");
        let mut fichier = lignes.join("\n");
        // The multi-line example, as one line.
        let debut = doc.find("{\"nir\": \"185057512345673\", \"nom\": \"Martin\", \"prenom\": \"Paul\", \"date_naissance\": \"1985-05-12\",\n").unwrap();
        let fin = debut + doc[debut..].find("```").unwrap();
        fichier = format!("{}\n{fichier}", doc[debut..fin].replace('\n', " "));
        let b = lire_tout(fichier.as_bytes(), &[], 7);
        assert_eq!(b.personnes.len(), 3);
        assert_eq!(b.personnes[0].parcours.as_ref().unwrap().prestations.len(), 2);
        let erreurs: Vec<(u64, Option<&str>, &str)> =
            b.errors.iter().map(|e| (e.record_number, e.field.as_deref(), e.message.as_str())).collect();
        assert_eq!(
            erreurs,
            vec![
                (4, Some("prestations[0].duree_jours"), "nombre entier de 0 à 3660 attendu"),
                (4, Some("prestations[1].date_debut"), "date invalide : jour inexistant dans ce mois"),
                (4, Some("prestations[1].collective"), OBLIGATOIRE),
            ]
        );
    }

    #[test]
    fn no_personal_data_in_messages() {
        let b = lire_tout(MAUVAIS, &[], 1 << 20);
        for e in &b.errors {
            for donnee in
                ["Martin", "Paul", "Pierre", "185057", "12345", "1985", "2024", "demain", "oui", "CUISINER", "9320"]
            {
                assert!(!e.message.contains(donnee), "{donnee} in {e:?}");
            }
        }
    }

    #[test]
    fn over_long_lines_are_skipped() {
        let lignes: Vec<&[u8]> = BON.split(|&b| b == b'\n').collect();
        let court = lignes[7]; // the last person, 116 bytes
        assert!(court.len() < 200 && lignes[0].len() > 200);
        let mut fichier = Vec::new();
        for l in [lignes[0], court, lignes[1], court] {
            fichier.extend_from_slice(l);
            fichier.extend_from_slice(b"\r\n");
        }
        for taille in [1, 7, 1 << 20] {
            let b = lire_tout(&fichier, &[("ligne_max_octets", "200")], taille);
            assert_eq!(b.personnes.iter().map(|p| p.numero).collect::<Vec<_>>(), vec![2, 4], "chunks of {taille}");
            let attendu = |n| RowError {
                record_number: n,
                field: None,
                message: s("ligne de plus de 200 octets : ignorée (option ligne_max_octets)"),
            };
            assert_eq!(b.errors, vec![attendu(1), attendu(3)]);
        }
        // Exactly at the cap (the \r\n not counted).
        let cap = court.len().to_string();
        let b = lire_tout(&fichier, &[("ligne_max_octets", &cap)], 7);
        assert_eq!(b.personnes.len(), 2);
        let moins = (court.len() - 1).to_string();
        let b = lire_tout(&fichier, &[("ligne_max_octets", &moins)], 7);
        assert_eq!((b.personnes.len(), b.errors.len()), (0, 4));
        // The default cap: 1 MiB.
        let mut enorme = br#"{"nom": ""#.to_vec();
        enorme.resize(LIGNE_MAX_DEFAUT + 10, b'a');
        enorme.extend_from_slice(b"\"}\n");
        enorme.extend_from_slice(court);
        let b = lire_tout(&enorme, &[], 4096);
        assert_eq!((b.personnes.len(), b.errors.len()), (1, 1));
        assert_eq!(
            b.errors[0].message,
            format!("ligne de plus de {LIGNE_MAX_DEFAUT} octets : ignorée (option ligne_max_octets)")
        );
    }

    #[test]
    fn not_utf8_and_cut_characters() {
        let mut fichier = b"{\"nom\": \"L\xe9a\"}\n".to_vec();
        fichier.extend_from_slice(BON.split(|&b| b == b'\n').nth(1).unwrap());
        let b = lire_tout(&fichier, &[], 1);
        assert_eq!(
            b.errors,
            vec![RowError { record_number: 1, field: None, message: s("texte non UTF-8 (octet 11 de la ligne)") }]
        );
        assert_eq!(b.personnes.len(), 1);
        assert_eq!(b.personnes[0].identite.prenom, "Léa", "a character cut between chunks");
        assert_eq!(b.personnes[0].contact.as_ref().unwrap().adresse.as_ref().unwrap().ligne1, "4 allée Émile Zola");
    }

    #[test]
    fn empty_files_and_options() {
        assert_eq!(lire_tout(b"", &[], 1), Batch::default());
        assert_eq!(lire_tout(b"\n\r\n  \n", &[], 1), Batch::default());
        for (k, v) in
            [("ligne_max_octets", "0"), ("ligne_max_octets", "beaucoup"), ("ligne_max_octets", "999999999999")]
        {
            let Err(e) = ParcoursParser::new(&options(&[(k, v)])) else { panic!("{k}={v} refused") };
            assert!(e.contains("ligne_max_octets"), "{e}");
        }
        let Err(e) = ParcoursParser::new(&options(&[("separateur", ";")])) else { panic!("refused") };
        assert!(e.contains("option inconnue") && !e.contains("separateur"), "{e}");
        assert!(ParcoursParser::new(&options(&[("ligne_max_octets", "4096")])).is_ok());
    }
}
