//! Normalisation of the values found in départements' files.

/// Lower case, accents removed, `*` and surrounding spaces dropped: how header names and
/// coded values are compared.
pub fn normalise(s: &str) -> String {
    let t = s.trim().trim_matches('*').trim();
    let mut out = String::with_capacity(t.len());
    let mut espace = false;
    for c in t.chars() {
        let c = match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            '’' => '\'',
            c => c.to_ascii_lowercase(),
        };
        // runs of white space become one space, none at the ends
        if c.is_whitespace() {
            espace = !out.is_empty();
            continue;
        }
        if espace {
            out.push(' ');
            espace = false;
        }
        out.push(c);
    }
    out
}

/// A date as JJ/MM/AAAA, AAAA-MM-JJ, JJ-MM-AAAA (optionally followed by a time, as in
/// France Travail extracts) → AAAA-MM-JJ.
pub fn date(s: &str) -> Result<String, String> {
    // messages never repeat the value: a date of birth is personal data
    let s = s.trim();
    let d = s.split([' ', 'T']).next().unwrap_or(s);
    let mut parts = d.split(['/', '-']);
    let (a, b, c) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), Some(c), None) => (a, b, c),
        _ => return Err("date illisible (JJ/MM/AAAA, AAAA-MM-JJ ou JJ-MM-AAAA attendu)".into()),
    };
    let (y, m, j) = match (a.len(), c.len()) {
        (4, _) => (a, b, c),
        (_, 4) => (c, b, a),
        _ => return Err("date illisible (JJ/MM/AAAA, AAAA-MM-JJ ou JJ-MM-AAAA attendu)".into()),
    };
    let (Ok(y), Ok(m), Ok(j)) = (y.parse::<u32>(), m.parse::<u32>(), j.parse::<u32>()) else {
        return Err("date illisible : jour, mois et année en chiffres attendus".into());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("date : mois hors de 01 à 12".into()),
    };
    if !(1..=days).contains(&j) || !(1900..=2100).contains(&y) {
        return Err("date inexistante ou hors des années 1900 à 2100".into());
    }
    // written digit by digit: format! costs a few calls through core::fmt per number,
    // a visible share of a component's parse (three numbers per date, dates in every row)
    let mut iso = *b"0000-00-00";
    for (mut v, fin, n) in [(y, 4, 4), (m, 7, 2), (j, 10, 2)] {
        for c in iso[fin - n..fin].iter_mut().rev() {
            *c = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    // ASCII digits and hyphens: never lossy (the shortest conversion in a component)
    Ok(String::from_utf8_lossy(&iso).into_owned())
}

/// A value quoted in a message only when it looks like a code (at most 4 letters or
/// digits): a misplaced column must not carry a name or a date into the report.
fn cut(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty() && t.chars().count() <= 4 && t.chars().all(|c| c.is_alphanumeric() || c == '.') {
        t.to_string()
    } else {
        "…".to_string()
    }
}

pub fn civilite(s: &str) -> Result<String, String> {
    match normalise(s).trim_end_matches('.') {
        "m" | "mr" | "monsieur" => Ok("M".into()),
        "mme" | "madame" | "mlle" => Ok("MME".into()),
        _ => Err(format!("civilité « {} » inconnue (M, MME)", cut(s))),
    }
}

pub fn sexe(s: &str) -> Result<String, String> {
    match normalise(s).as_ref() {
        "1" | "h" | "m" | "homme" | "masculin" => Ok("1".into()),
        "2" | "f" | "femme" | "feminin" => Ok("2".into()),
        _ => Err(format!("sexe « {} » inconnu (1/H, 2/F)", cut(s))),
    }
}

pub fn nationalite(s: &str) -> Result<String, String> {
    match normalise(s).as_ref() {
        "fr" | "francaise" | "france" => Ok("FR".into()),
        "ue" | "union europeenne" | "eee" => Ok("UE".into()),
        "hue" | "hors ue" | "etrangere" => Ok("HUE".into()),
        _ => Err(format!("nationalité « {} » inconnue (FR, UE, HUE)", cut(s))),
    }
}

pub fn role(s: &str) -> Result<String, String> {
    match normalise(s).as_ref() {
        "dem" | "demandeur" | "allocataire" => Ok("DEM".into()),
        "cjt" | "conjoint" => Ok("CJT".into()),
        _ => Err(format!("rôle « {} » inconnu (demandeur, conjoint)", cut(s))),
    }
}

pub fn organisme(s: &str) -> Result<String, String> {
    match normalise(s).as_ref() {
        "caf" => Ok("CAF".into()),
        "msa" => Ok("MSA".into()),
        _ => Err(format!("organisme « {} » inconnu (CAF, MSA)", cut(s))),
    }
}

pub fn type_parcours(s: &str) -> Result<String, String> {
    match normalise(s).replace(['-', ' '], "").as_ref() {
        "social" => Ok("SOCIAL".into()),
        "socioprofessionnel" | "sociopro" => Ok("SOCIOPRO".into()),
        "professionnel" | "pro" | "emploi" => Ok("PRO".into()),
        _ => Err(format!("type de parcours « {} » inconnu (social, socioprofessionnel, professionnel)", cut(s))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_format() {
        for s in ["1998-05-25", "25/05/1998", "25-05-1998", "1998-05-25 00:00:00.0"] {
            assert_eq!(date(s).unwrap(), "1998-05-25", "{s}");
        }
        assert!(date("2023-02-29").is_err());
        assert_eq!(date("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(date("5/3/1900").unwrap(), "1900-03-05");
        assert_eq!(date("2100-12-31").unwrap(), "2100-12-31");
        assert!(date("31/04/2020").is_err());
        assert!(date("hier").is_err());
    }

    #[test]
    fn codes() {
        assert_eq!(normalise(" Prénom* "), "prenom");
        assert_eq!(civilite("M.").unwrap(), "M");
        assert_eq!(civilite("Madame").unwrap(), "MME");
        assert_eq!(type_parcours("Socio-professionnel").unwrap(), "SOCIOPRO");
        assert!(type_parcours("autre").is_err());
    }

    #[test]
    fn messages_never_quote_a_date_or_a_name() {
        let e = date("15/13/1985").unwrap_err();
        assert!(!e.contains("1985") && e.contains("mois"), "{e}");
        let e = date("le 15 janvier").unwrap_err();
        assert!(!e.contains("janvier"), "{e}");
        let e = civilite("Dupont").unwrap_err();
        assert!(!e.contains("Dupont") && e.contains('…'), "{e}");
        assert!(civilite("XX").unwrap_err().contains("« XX »"), "a short code is quoted");
    }

    #[test]
    fn normalise_collapses_white_space_once() {
        assert_eq!(normalise("  Socio \t  Professionnel  "), "socio professionnel");
        assert_eq!(normalise("*"), "");
        assert_eq!(normalise("Épinay-sur-Seine"), "epinay-sur-seine");
    }
}
