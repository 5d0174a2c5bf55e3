//! Values of the GIP export → codes of `core/src/dossier`. Error messages name the
//! problem, never the value (it may be personal data).

/// Upper case, `-` and spaces as `_`, `é`/`É` as `E`: how coded values are compared.
fn normalise(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            'é' | 'É' | 'è' | 'È' | 'ê' | 'Ê' => 'E',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// `AAAA-MM-JJ` or `JJ/MM/AAAA` → `AAAA-MM-JJ`, a real calendar date between 1900 and 2100.
pub fn date(s: &str) -> Result<String, String> {
    const FORMAT: &str = "date invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu";
    let b = s.trim().as_bytes();
    let chiffres = |r: std::ops::Range<usize>| -> Option<u32> {
        let p = b.get(r)?;
        p.iter().all(u8::is_ascii_digit).then(|| p.iter().fold(0, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let (a, m, j) = match b {
        [_, _, _, _, b'-', _, _, b'-', _, _] => (chiffres(0..4), chiffres(5..7), chiffres(8..10)),
        [_, _, b'/', _, _, b'/', _, _, _, _] => (chiffres(6..10), chiffres(3..5), chiffres(0..2)),
        _ => return Err(FORMAT.into()),
    };
    let (Some(a), Some(m), Some(j)) = (a, m, j) else { return Err(FORMAT.into()) };
    let bissextile = (a % 4 == 0 && a % 100 != 0) || a % 400 == 0;
    let jours = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if bissextile => 29,
        2 => 28,
        _ => return Err("date invalide : mois inexistant".into()),
    };
    if !(1..=jours).contains(&j) {
        return Err("date invalide : jour inexistant dans ce mois".into());
    }
    if !(1900..=2100).contains(&a) {
        return Err("date invalide : année hors de 1900 à 2100".into());
    }
    Ok(format!("{a:04}-{m:02}-{j:02}"))
}

/// `M`/`MME` (also `Monsieur`, `Madame`, `Mr`, `Mlle`), any case.
pub fn civilite(s: &str) -> Result<String, String> {
    match normalise(s).trim_end_matches('.') {
        "M" | "MR" | "MONSIEUR" => Ok("M".into()),
        "MME" | "MADAME" | "MLLE" | "MADEMOISELLE" => Ok("MME".into()),
        _ => Err("civilité inconnue (M, MME)".into()),
    }
}

/// `CAF` or `MSA`, any case.
pub fn organisme(s: &str) -> Result<String, String> {
    match normalise(s).as_str() {
        "CAF" => Ok("CAF".into()),
        "MSA" => Ok("MSA".into()),
        _ => Err("organisme inconnu (CAF, MSA)".into()),
    }
}

/// `social` | `socio-professionnel` | `professionnel` (any case; the core codes `SOCIAL`,
/// `SOCIOPRO`, `PRO` are accepted too) → `SOCIAL`, `SOCIOPRO`, `PRO`.
pub fn type_parcours(s: &str) -> Result<String, String> {
    match normalise(s).replace('_', "").as_str() {
        "SOCIAL" => Ok("SOCIAL".into()),
        "SOCIOPROFESSIONNEL" | "SOCIOPRO" => Ok("SOCIOPRO".into()),
        "PROFESSIONNEL" | "PRO" => Ok("PRO".into()),
        _ => Err("type de parcours inconnu (social, socio-professionnel, professionnel)".into()),
    }
}

/// Codes of `CodeBesoin` (core/modele/src/dossier/diagnostic.rs): France Travail's
/// besoins, "1" to "21".
pub const BESOINS: [&str; 21] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21",
];

/// The GIP's named codes of its earlier files, and the France Travail code each stands for
/// (the core reads them too).
pub const BESOINS_NOMMES: [(&str, &str); 9] = [
    ("ELABORER_PROJET", "3"),
    ("CONFIRMER_PROJET", "4"),
    ("VALORISER_COMPETENCES", "8"),
    ("REUSSIR_CANDIDATURES", "9"),
    ("PREPARER_ENTRETIENS", "15"),
    ("RECHERCHER_OFFRES", "11"),
    ("SE_FORMER", "5"),
    ("COMPETENCES_NUMERIQUES", "7"),
    ("CREER_ENTREPRISE", "16"),
];

/// Codes of `ValeurBesoin` (core/src/dossier/diagnostic.rs).
pub const VALEURS_BESOIN: [&str; 3] = ["NON_EXPLORE", "BESOIN", "POINT_FORT"];

/// A `CodeBesoin` code: France Travail's number ("1" to "21"), or one of the GIP's named
/// codes (any case, `-` or space for `_`), answered as France Travail's number.
pub fn code_besoin(s: &str) -> Result<String, String> {
    let n = normalise(s);
    if let Some(c) = BESOINS.iter().find(|c| **c == n) {
        return Ok(c.to_string());
    }
    BESOINS_NOMMES.iter().find(|(nom, _)| *nom == n).map(|(_, c)| c.to_string()).ok_or_else(|| {
        let noms: Vec<&str> = BESOINS_NOMMES.iter().map(|(nom, _)| *nom).collect();
        format!("besoin inconnu (1 à 21, ou {})", noms.join(", "))
    })
}

/// A `ValeurBesoin` code, any case, `-` or space for `_`, accents ignored (`Non exploré`).
pub fn valeur_besoin(s: &str) -> Result<String, String> {
    let n = normalise(s);
    VALEURS_BESOIN
        .iter()
        .find(|c| **c == n)
        .map(|c| c.to_string())
        .ok_or_else(|| format!("valeur du besoin inconnue ({})", VALEURS_BESOIN.join(", ")))
}

/// A NIR or NIA: spaces dropped, 13 or 15 letters or digits (the core checks the key).
pub fn nir(s: &str) -> Result<String, String> {
    let n: String = s.split_whitespace().collect();
    if !(n.len() == 13 || n.len() == 15) {
        return Err(format!("NIR de {} caractères au lieu de 13 ou 15", n.chars().count()));
    }
    if !n.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("NIR : chiffres attendus (2A ou 2B pour la Corse)".into());
    }
    Ok(n.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(date(" 29/02/2024 ").unwrap(), "2024-02-29");
        assert_eq!(date("01/12/1985").unwrap(), "1985-12-01");
        for bad in ["2023-02-29", "31/04/2020", "2024-13-01", "2024-1-01", "1/12/1985", "2024-01-01T00:00:00", "hier"] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(date("1850-01-01").unwrap_err().contains("année"));
        assert!(date("2024-00-10").unwrap_err().contains("mois inexistant"));
        assert!(date("31/04/2020").unwrap_err().contains("jour inexistant"));
        // The value is never echoed.
        assert!(!date("12/34/5678").unwrap_err().contains("5678"));
    }

    #[test]
    fn codes() {
        assert_eq!(civilite("mme").unwrap(), "MME");
        assert_eq!(civilite("Monsieur").unwrap(), "M");
        assert_eq!(civilite("M.").unwrap(), "M");
        assert!(civilite("X").is_err());
        assert_eq!(organisme("msa").unwrap(), "MSA");
        assert!(organisme("CPAM").is_err());
        assert_eq!(type_parcours("Socio-professionnel").unwrap(), "SOCIOPRO");
        assert_eq!(type_parcours("socioprofessionnel").unwrap(), "SOCIOPRO");
        assert_eq!(type_parcours("professionnel").unwrap(), "PRO");
        assert_eq!(type_parcours("SOCIAL").unwrap(), "SOCIAL");
        assert!(type_parcours("emploi").is_err());
        assert_eq!(code_besoin("se_former").unwrap(), "5");
        assert_eq!(code_besoin("Competences-numeriques").unwrap(), "7");
        assert_eq!(code_besoin(" 12 ").unwrap(), "12");
        assert!(code_besoin("22").is_err());
        assert!(code_besoin("cuisiner").unwrap_err().contains("SE_FORMER"));
        assert_eq!(valeur_besoin("point fort").unwrap(), "POINT_FORT");
        assert_eq!(valeur_besoin("Non exploré").unwrap(), "NON_EXPLORE");
        assert!(valeur_besoin("oui").is_err());
    }

    #[test]
    fn nirs() {
        assert_eq!(nir("1 85 12 75 123 456 78").unwrap(), "185127512345678");
        assert_eq!(nir("2852a12345678").unwrap(), "2852A12345678");
        assert!(nir("12345").unwrap_err().contains("5 caractères"));
        assert!(nir("18512751234_6").is_err());
    }
}
