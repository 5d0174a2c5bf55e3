//! SIGMA's coded values (FORMAT.md, section 4) and their DUDE codes, dates, and the
//! normalisation used to compare codes and labels.

/// One coded value: SIGMA's short code, the DUDE code (`core/src/dossier`), the labels
/// SIGMA may write instead of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub sigma: &'static str,
    pub dude: &'static str,
    pub libelles: &'static [&'static str],
}

/// A list of coded values.
#[derive(Debug)]
pub struct Table {
    /// What the code is, for messages ("frein périphérique").
    pub quoi: &'static str,
    /// "inconnu" or "inconnue", as `quoi` requires.
    pub inconnu: &'static str,
    pub codes: &'static [Code],
}

impl Table {
    /// The value for a SIGMA code, a DUDE code or a label (case, accents, punctuation and
    /// spacing ignored).
    pub fn lire(&self, s: &str) -> Option<&'static Code> {
        let n = normalise(s);
        if n.is_empty() {
            return None;
        }
        self.codes
            .iter()
            .find(|c| normalise(c.sigma) == n || normalise(c.dude) == n || c.libelles.iter().any(|l| normalise(l) == n))
    }

    /// The SIGMA code of a DUDE code.
    pub fn sigma(&self, dude: &str) -> Option<&'static str> {
        self.codes.iter().find(|c| c.dude == dude).map(|c| c.sigma)
    }

    /// "FIN, LOG, …" for messages.
    pub fn liste(&self) -> String {
        self.codes.iter().map(|c| c.sigma).collect::<Vec<_>>().join(", ")
    }

    /// Reads a `|`-separated list: empty items are skipped, repeats dropped (first
    /// occurrence kept). An unknown item gives its position (1-based), never its value.
    pub fn lire_liste(&self, s: &str) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::new();
        for (i, item) in s.split('|').map(str::trim).filter(|x| !x.is_empty()).enumerate() {
            match self.lire(item) {
                Some(c) => {
                    if !out.iter().any(|d| d == c.dude) {
                        out.push(c.dude.to_string());
                    }
                }
                None => {
                    return Err(format!(
                        "{} {} en position {} de la liste (codes admis : {})",
                        self.quoi,
                        self.inconnu,
                        i + 1,
                        self.liste()
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// Freins périphériques (seed 004 annex 1) → the core's `CodeContrainte`, France Travail's
/// contraintes 23–29 (read by SIGMA's code or label, France Travail's label, or the core's
/// former code, first in each list).
pub const FREINS: Table = Table {
    quoi: "frein périphérique",
    inconnu: "inconnu",
    codes: &[
        Code { sigma: "FIN", dude: "28", libelles: &["FINANCES", "Faire face à des difficultés financières"] },
        Code { sigma: "LOG", dude: "27", libelles: &["LOGEMENT", "Faire face à des difficultés de logement"] },
        Code { sigma: "SAN", dude: "25", libelles: &["SANTE", "Prendre en compte son état de santé"] },
        Code {
            sigma: "ADM",
            dude: "29",
            libelles: &["ADMIN_JURIDIQUE", "Faire face à des difficultés administratives ou juridiques"],
        },
        Code {
            sigma: "FAM",
            dude: "24",
            libelles: &["FAMILLE", "Surmonter des contraintes familiales", "Surmonter ses contraintes familiales"],
        },
        Code {
            sigma: "COM",
            dude: "26",
            libelles: &[
                "INSERTION_COMMUNICATION",
                "Développer ses capacités d'insertion et de communication",
                "Développer ses capacités en lecture, écriture et calcul",
            ],
        },
        Code {
            sigma: "MOB",
            dude: "23",
            libelles: &["TRANSPORT", "Accéder à un moyen de transport", "Développer sa mobilité"],
        },
    ],
};

/// Motifs de non-intégration → `MotifNonIntegration`.
pub const MOTIFS: Table = Table {
    quoi: "motif de non-intégration",
    inconnu: "inconnu",
    codes: &[
        Code {
            sigma: "NA_ABS",
            dude: "NON_ADHESION_ABSENT",
            libelles: &["Non adhésion : absent non excusé", "Absent non excusé"],
        },
        Code {
            sigma: "NA_AG",
            dude: "NON_ADHESION_REFUS_GLOBAL",
            libelles: &[
                "Non adhésion : ne souhaite plus l'intégration dans l'accompagnement global",
                "Ne souhaite plus l'intégration dans l'accompagnement global",
            ],
        },
        Code {
            sigma: "NA_SOC",
            dude: "NON_ADHESION_REFUS_SOCIAL",
            libelles: &[
                "Non adhésion : ne souhaite plus l'accompagnement social",
                "Ne souhaite plus l'accompagnement social",
            ],
        },
        Code { sigma: "FNI", dude: "FREINS_NON_IDENTIFIES", libelles: &["Freins sociaux à l'emploi non identifiés"] },
        Code {
            sigma: "REP",
            dude: "REPRISE_EMPLOI_FORMATION",
            libelles: &["Reprise d'emploi, formation ou suivi de prestations longues"],
        },
        Code { sigma: "PNC", dude: "PUBLIC_NON_CONCERNE", libelles: &["Public non concerné"] },
    ],
};

/// Résultat du bilan → `ResultatBilan`.
pub const RESULTATS: Table = Table {
    quoi: "résultat du bilan",
    inconnu: "inconnu",
    codes: &[
        Code { sigma: "OA", dude: "OBJECTIF_ATTEINT", libelles: &["Objectif atteint"] },
        Code { sigma: "OPA", dude: "OBJECTIF_PARTIELLEMENT_ATTEINT", libelles: &["Objectif partiellement atteint"] },
        Code { sigma: "ONA", dude: "OBJECTIF_NON_ATTEINT", libelles: &["Objectif non atteint"] },
    ],
};

/// DUDE code of the decision that ends the accompagnement global (a sortie is then due).
pub const DECISION_FIN: &str = "FIN_AXE2";
/// DUDE code of the decision that keeps the accompagnement global going.
pub const DECISION_MAINTIEN: &str = "MAINTIEN_AXE2";

/// Décision du bilan → `DecisionBilan`.
pub const DECISIONS: Table = Table {
    quoi: "décision du bilan",
    inconnu: "inconnue",
    codes: &[
        Code { sigma: "MAINTIEN", dude: DECISION_MAINTIEN, libelles: &["Maintien en accompagnement global – Axe 2"] },
        Code {
            sigma: "SOCIAL",
            dude: "ORIENTATION_SOCIAL_EXCLUSIF",
            libelles: &["Orientation vers le suivi social exclusif"],
        },
        Code { sigma: "FIN", dude: DECISION_FIN, libelles: &["Fin d'accompagnement global axe 2"] },
    ],
};

/// Sortie de l'accompagnement global → `SortieAccompagnement`.
pub const SORTIES: Table = Table {
    quoi: "sortie d'accompagnement",
    inconnu: "inconnue",
    codes: &[
        Code { sigma: "CDI", dude: "EMPLOI_CDI", libelles: &["Emploi CDI"] },
        Code { sigma: "CDD_PLUS6", dude: "EMPLOI_CDD_CTT_PLUS_6_MOIS", libelles: &["Emploi CDD/CTT > 6 mois"] },
        Code { sigma: "CDD_MOINS6", dude: "EMPLOI_CDD_CTT_MOINS_6_MOIS", libelles: &["Emploi CDD/CTT < 6 mois"] },
        Code { sigma: "CREA", dude: "CREATION_REPRISE", libelles: &["Création/reprise d'entreprise"] },
        Code { sigma: "AUTRE", dude: "AUTRE_SORTIE", libelles: &["Autre sortie"] },
        Code { sigma: "SCV", dude: "SERVICE_CIVIQUE", libelles: &["Service civique"] },
        Code {
            sigma: "SUIVI_FT",
            dude: "AUTRES_SUIVIS_FT",
            libelles: &["Autres suivis France Travail", "Autres suivis Pôle emploi"],
        },
        Code { sigma: "RETRAIT", dude: "RETRAIT_MARCHE_TRAVAIL", libelles: &["Retrait du marché du travail"] },
        Code {
            sigma: "AXE3",
            dude: "AXE3_SOCIAL_EXCLUSIF",
            libelles: &["Accompagnement global en axe 3 – volet social exclusif"],
        },
    ],
};

/// Lower case, accents removed, every character other than a letter, a digit, `<` or `>`
/// read as a space, spaces collapsed: "Emploi CDD/CTT > 6 mois" → "emploi cdd ctt > 6 mois".
pub fn normalise(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'œ' | 'Œ' => 'o',
            c if c.is_alphanumeric() || c == '<' || c == '>' => c.to_ascii_lowercase(),
            _ => ' ',
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn jours_du_mois(a: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (a.is_multiple_of(4) && !a.is_multiple_of(100)) || a.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

fn valide(a: u32, m: u32, j: u32) -> bool {
    (1900..=2100).contains(&a) && (1..=jours_du_mois(a, m)).contains(&j)
}

fn chiffres(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// A SIGMA date, JJ/MM/AAAA exactly, → AAAA-MM-JJ. The message never quotes the value.
pub fn date_sigma(s: &str) -> Result<String, String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('/').collect();
    let [j, m, a] = parts.as_slice() else {
        return Err("date illisible (JJ/MM/AAAA attendu)".into());
    };
    if j.len() != 2 || m.len() != 2 || a.len() != 4 {
        return Err("date illisible (JJ/MM/AAAA attendu)".into());
    }
    match (chiffres(j), chiffres(m), chiffres(a)) {
        (Some(j), Some(m), Some(a)) if valide(a, m, j) => Ok(format!("{a:04}-{m:02}-{j:02}")),
        (Some(_), Some(_), Some(_)) => Err("date inexistante ou hors des années 1900 à 2100".into()),
        _ => Err("date illisible (JJ/MM/AAAA attendu)".into()),
    }
}

/// A DUDE date, AAAA-MM-JJ, → JJ/MM/AAAA.
pub fn date_vers_sigma(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('-').collect();
    let [a, m, j] = parts.as_slice() else { return None };
    if a.len() != 4 || m.len() != 2 || j.len() != 2 {
        return None;
    }
    let (a, m, j) = (chiffres(a)?, chiffres(m)?, chiffres(j)?);
    valide(a, m, j).then(|| format!("{j:02}/{m:02}/{a:04}"))
}

/// A NIR or NIA as SIGMA writes it: spaces removed, upper case; 13 or 15 characters,
/// digits (2A/2B at positions 6-7 for Corsica). The key itself is checked by the core.
pub fn nir(s: &str) -> Result<String, String> {
    let n: String = s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    let len = n.chars().count();
    if len != 13 && len != 15 {
        return Err(format!("NIR de {len} caractères au lieu de 13 ou 15"));
    }
    for (i, c) in n.chars().enumerate() {
        let corse = i == 6 && (c == 'A' || c == 'B') && n.as_bytes()[5] == b'2';
        if !c.is_ascii_digit() && !corse {
            return Err(format!("NIR : caractère non admis en position {} (chiffres attendus)", i + 1));
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: [&Table; 5] = [&FREINS, &MOTIFS, &RESULTATS, &DECISIONS, &SORTIES];

    #[test]
    fn every_form_reads_back_to_its_code() {
        for t in TABLES {
            for c in t.codes {
                assert_eq!(t.lire(c.sigma), Some(c), "{}", c.sigma);
                assert_eq!(t.lire(c.dude), Some(c), "{}", c.dude);
                assert_eq!(t.lire(&c.sigma.to_lowercase()), Some(c));
                for l in c.libelles {
                    assert_eq!(t.lire(l), Some(c), "{l}");
                    assert_eq!(t.lire(&l.to_uppercase()), Some(c), "{l}");
                }
                assert_eq!(t.sigma(c.dude), Some(c.sigma));
            }
        }
    }

    #[test]
    fn no_two_values_share_a_form() {
        for t in TABLES {
            let mut formes: Vec<String> = Vec::new();
            for c in t.codes {
                let mut propres = vec![normalise(c.sigma), normalise(c.dude)];
                propres.extend(c.libelles.iter().map(|l| normalise(l)));
                propres.sort();
                propres.dedup();
                for f in propres {
                    assert!(!formes.contains(&f), "{} : « {f} » ambigu", t.quoi);
                    formes.push(f);
                }
            }
        }
    }

    #[test]
    fn dude_codes_are_the_core_codes() {
        let dude = |t: &Table| t.codes.iter().map(|c| c.dude).collect::<Vec<_>>();
        assert_eq!(dude(&FREINS), ["28", "27", "25", "29", "24", "26", "23"]);
        assert_eq!(dude(&DECISIONS), ["MAINTIEN_AXE2", "ORIENTATION_SOCIAL_EXCLUSIF", "FIN_AXE2"]);
        assert_eq!(dude(&SORTIES).len(), 9);
        assert_eq!(dude(&MOTIFS).len(), 6);
    }

    #[test]
    fn labels_with_other_punctuation() {
        assert_eq!(DECISIONS.lire("maintien en accompagnement global - axe 2").unwrap().dude, "MAINTIEN_AXE2");
        assert_eq!(SORTIES.lire("Emploi CDD/CTT < 6 mois").unwrap().sigma, "CDD_MOINS6");
        assert_eq!(SORTIES.lire("EMPLOI CDD / CTT > 6 MOIS").unwrap().sigma, "CDD_PLUS6");
        assert_eq!(MOTIFS.lire("Non adhesion: absent non excuse").unwrap().sigma, "NA_ABS");
        assert_eq!(FREINS.lire("Développer ses capacités d’insertion et de communication").unwrap().sigma, "COM");
        assert!(FREINS.lire("").is_none());
        assert!(FREINS.lire("FINANCE").is_none());
    }

    #[test]
    fn lists() {
        assert_eq!(FREINS.lire_liste("FIN| logement |FIN||SANTE").unwrap(), ["28", "27", "25"]);
        assert_eq!(FREINS.lire_liste("").unwrap(), Vec::<String>::new());
        let e = FREINS.lire_liste("FIN|Dupont").unwrap_err();
        assert!(e.contains("position 2") && !e.contains("Dupont"), "{e}");
    }

    #[test]
    fn dates() {
        assert_eq!(date_sigma("05/01/2024").unwrap(), "2024-01-05");
        assert_eq!(date_sigma(" 29/02/2024 ").unwrap(), "2024-02-29");
        assert!(date_sigma("29/02/2023").unwrap_err().contains("inexistante"));
        assert!(date_sigma("2024-01-05").is_err());
        assert!(date_sigma("5/1/2024").is_err());
        assert!(date_sigma("31/04/2024").is_err());
        assert!(date_sigma("aa/bb/cccc").unwrap_err().contains("illisible"));
        assert_eq!(date_vers_sigma("2024-01-05").as_deref(), Some("05/01/2024"));
        assert_eq!(date_vers_sigma("2024-02-30"), None);
        assert_eq!(date_vers_sigma("05/01/2024"), None);
    }

    #[test]
    fn nirs() {
        assert_eq!(nir("1 85 03 77 288 012").unwrap(), "1850377288012");
        assert_eq!(nir("185032a28801245").unwrap(), "185032A28801245");
        assert!(nir("18503772880").unwrap_err().contains("11 caractères"));
        assert!(nir("18503X7288012").unwrap_err().contains("position 6"));
    }
}
