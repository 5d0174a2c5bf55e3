//! Normalisation of the values found in départements' files.

/// Lower case, accents removed, `*` and surrounding spaces dropped: how header names and
/// coded values are compared.
pub fn normalise(s: &str) -> String {
    s.trim()
        .trim_matches('*')
        .trim()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            '’' => '\'',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A date as JJ/MM/AAAA, AAAA-MM-JJ, JJ-MM-AAAA (optionally followed by a time, as in
/// France Travail extracts) → AAAA-MM-JJ.
pub fn date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let d = s.split([' ', 'T']).next().unwrap_or(s);
    let parts: Vec<&str> = d.split(['/', '-']).collect();
    let (y, m, j) = match parts.as_slice() {
        [y, m, j] if y.len() == 4 => (*y, *m, *j),
        [j, m, y] if y.len() == 4 => (*y, *m, *j),
        _ => return Err(format!("date « {} » illisible (JJ/MM/AAAA, AAAA-MM-JJ ou JJ-MM-AAAA)", cut(s))),
    };
    let (Ok(y), Ok(m), Ok(j)) = (y.parse::<u32>(), m.parse::<u32>(), j.parse::<u32>()) else {
        return Err(format!("date « {} » illisible", cut(s)));
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("date « {} » : mois {m} invalide", cut(s))),
    };
    if !(1..=days).contains(&j) || !(1900..=2100).contains(&y) {
        return Err(format!("date « {} » invalide", cut(s)));
    }
    Ok(format!("{y:04}-{m:02}-{j:02}"))
}

fn cut(s: &str) -> String {
    s.chars().take(24).collect()
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
}
