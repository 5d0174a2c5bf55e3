//! The `contrat-insertion` format (FORMAT.md, section 6): a bilan recorded on the France
//! Travail side, sent back to SIGMA so that the Département updates the contrat d'insertion.

use crate::codes::{self, DECISION_FIN, DECISION_MAINTIEN, DECISIONS, FREINS, RESULTATS, SORTIES};
use dude_adapter_sdk::*;

/// The columns of the file, in order.
pub const COLONNES: [&str; 15] = [
    "TYPE_MESSAGE",
    "HORODATAGE",
    "NIR",
    "NOM",
    "PRENOM",
    "DATE_NAISSANCE",
    "DATE_DEBUT",
    "FREINS",
    "RANG_BILAN",
    "DATE_BILAN",
    "RESULTAT_BILAN",
    "DECISION_BILAN",
    "SORTIE",
    "DATE_FIN_PROLONGATION",
    "ACTION_CONTRAT",
];

/// What SIGMA does with the contrat d'insertion, by decision (DUDE code).
fn action(decision: &str) -> &'static str {
    match decision {
        DECISION_MAINTIEN => "ACTUALISER",
        DECISION_FIN => "CLORE",
        _ => "REORIENTER",
    }
}

/// A field, quoted when it holds `;`, `"` or a line break.
fn champ(s: &str) -> String {
    if s.contains([';', '"', '\r', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// AAAA-MM-JJTHH:MM:SSZ, checked.
fn horodatage(s: &str) -> Result<&str, String> {
    let b = s.as_bytes();
    let forme = b.len() == 20
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && [11, 12, 14, 15, 17, 18].iter().all(|&i| b[i].is_ascii_digit());
    let ok = forme
        && codes::date_vers_sigma(&s[..10]).is_some()
        && s[11..13].parse::<u32>().is_ok_and(|h| h < 24)
        && s[14..16].parse::<u32>().is_ok_and(|m| m < 60)
        && s[17..19].parse::<u32>().is_ok_and(|x| x < 60);
    if ok { Ok(s) } else { Err("date de l'événement illisible (AAAA-MM-JJTHH:MM:SSZ attendu)".into()) }
}

fn date(quoi: &str, s: &str) -> Result<String, String> {
    codes::date_vers_sigma(s).ok_or_else(|| format!("{quoi} illisible (AAAA-MM-JJ attendu)"))
}

fn code(table: &codes::Table, dude: &str) -> Result<&'static str, String> {
    table.sigma(dude).ok_or_else(|| format!("{} : code DUDE inconnu", table.quoi))
}

/// The event as the `contrat-insertion` file: the header and one line.
pub fn contrat_insertion(e: &Evenement) -> Result<Vec<u8>, String> {
    if e.kind != "BILAN" {
        let kind: String = e.kind.chars().take(40).collect();
        return Err(format!(
            "événement « {kind} » non exporté : le format contrat-insertion ne transmet à SIGMA que les bilans (BILAN)"
        ));
    }
    let horodatage = horodatage(&e.date)?;
    let ag =
        e.accompagnement.as_ref().ok_or("événement BILAN sans accompagnement global : rien à transmettre à SIGMA")?;
    if ag.bilans.is_empty() {
        return Err("événement BILAN sans bilan dans l'accompagnement global : rien à transmettre à SIGMA".into());
    }
    let nir = e.identite.nir.as_deref().ok_or("NIR absent : SIGMA ne peut pas rattacher le bilan à la personne")?;
    let nir = codes::nir(nir)?;
    if e.identite.nom.trim().is_empty() {
        return Err("nom absent".into());
    }
    if e.identite.prenom.trim().is_empty() {
        return Err("prénom absent".into());
    }
    let date_naissance = date("date de naissance", &e.identite.date_naissance)?;
    let date_debut = ag.date_debut.as_deref().map(|d| date("date de début de l'accompagnement", d)).transpose()?;
    let freins = ag.freins.iter().map(|f| code(&FREINS, f)).collect::<Result<Vec<_>, _>>()?.join("|");

    // The latest bilan (the last one given for its date), and its rank by date.
    for (i, b) in ag.bilans.iter().enumerate() {
        date(&format!("date du bilan n° {}", i + 1), &b.date)?;
    }
    let mut ordre: Vec<&Bilan> = ag.bilans.iter().collect();
    ordre.sort_by(|a, b| a.date.cmp(&b.date));
    let rang = ordre.len();
    let bilan = ordre[rang - 1];
    let resultat = code(&RESULTATS, &bilan.resultat)?;
    let decision = code(&DECISIONS, &bilan.decision)?;
    let sortie = match (&bilan.sortie, bilan.decision.as_str()) {
        (Some(s), DECISION_FIN) => code(&SORTIES, s)?,
        (None, DECISION_FIN) => return Err("bilan de fin d'accompagnement (FIN_AXE2) sans sortie".into()),
        (Some(_), _) => return Err("bilan avec une sortie alors que la décision n'est pas FIN_AXE2".into()),
        (None, _) => "",
    };
    // For a maintien, the end of the latest prolongation after the bilan.
    for p in &ag.prolongations {
        date("date de fin de prolongation", p)?;
    }
    let fin_prolongation = match bilan.decision.as_str() {
        DECISION_MAINTIEN => ag.prolongations.iter().filter(|p| p.as_str() > bilan.date.as_str()).max(),
        _ => None,
    };
    let fin_prolongation = fin_prolongation.map(|p| date("date de fin de prolongation", p)).transpose()?;

    let ligne = [
        "BILAN".to_string(),
        horodatage.to_string(),
        nir,
        champ(e.identite.nom.trim()),
        champ(e.identite.prenom.trim()),
        date_naissance,
        date_debut.unwrap_or_default(),
        freins,
        rang.to_string(),
        date("date du bilan", &bilan.date)?,
        resultat.to_string(),
        decision.to_string(),
        sortie.to_string(),
        fin_prolongation.unwrap_or_default(),
        action(&bilan.decision).to_string(),
    ];
    let mut out = COLONNES.join(";");
    out.push_str("\r\n");
    out.push_str(&ligne.join(";"));
    out.push_str("\r\n");
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTETE: &str = "TYPE_MESSAGE;HORODATAGE;NIR;NOM;PRENOM;DATE_NAISSANCE;DATE_DEBUT;FREINS;RANG_BILAN;DATE_BILAN;\
                          RESULTAT_BILAN;DECISION_BILAN;SORTIE;DATE_FIN_PROLONGATION;ACTION_CONTRAT\r\n";

    fn bilan(date: &str, resultat: &str, decision: &str, sortie: Option<&str>) -> Bilan {
        Bilan {
            date: date.into(),
            resultat: resultat.into(),
            decision: decision.into(),
            sortie: sortie.map(Into::into),
        }
    }

    /// The event of FORMAT.md, example 6.4.
    fn evenement() -> Evenement {
        Evenement {
            kind: "BILAN".into(),
            date: "2025-01-10T14:32:05Z".into(),
            identite: Identite {
                nom: "Martin".into(),
                prenom: "Julien".into(),
                date_naissance: "1985-03-12".into(),
                nir: Some("185037728801240".into()),
                ..Default::default()
            },
            accompagnement: Some(AccompagnementGlobal {
                date_debut: Some("2024-01-15".into()),
                freins: vec!["28".into(), "27".into()],
                motifs_non_integration: vec![],
                bilans: vec![
                    bilan("2025-01-10", "OBJECTIF_ATTEINT", "FIN_AXE2", Some("EMPLOI_CDI")),
                    bilan("2024-07-15", "OBJECTIF_PARTIELLEMENT_ATTEINT", "MAINTIEN_AXE2", None),
                ],
                prolongations: vec!["2025-01-15".into()],
            }),
        }
    }

    fn texte(e: &Evenement) -> String {
        String::from_utf8(contrat_insertion(e).unwrap()).unwrap()
    }

    #[test]
    fn known_event_byte_for_byte() {
        let attendu = format!(
            "{ENTETE}BILAN;2025-01-10T14:32:05Z;185037728801240;Martin;Julien;12/03/1985;15/01/2024;FIN|LOG;2;\
             10/01/2025;OA;FIN;CDI;;CLORE\r\n"
        );
        assert_eq!(contrat_insertion(&evenement()).unwrap(), attendu.as_bytes());
        assert_eq!(contrat_insertion(&evenement()).unwrap(), contrat_insertion(&evenement()).unwrap());
        assert_eq!(ENTETE.trim_end().split(';').collect::<Vec<_>>(), COLONNES);
    }

    /// The code blocks of FORMAT.md's section 6.4 are what the exporter writes.
    #[test]
    fn format_md_examples() {
        let doc = include_str!("../FORMAT.md");
        let section = &doc[doc.find("### 6.4 Example").unwrap()..];
        let blocs: Vec<&str> = section.split("```").skip(1).step_by(2).collect();
        let attendu = blocs[1].trim_start_matches('\n').replace('\n', "\r\n");
        assert_eq!(texte(&evenement()), attendu);
        let mut e = evenement();
        e.accompagnement.as_mut().unwrap().bilans.remove(0);
        assert_eq!(texte(&e), format!("{ENTETE}{}", blocs[2].trim_start_matches('\n').replace('\n', "\r\n")));
    }

    #[test]
    fn maintien_with_prolongation_and_quoted_names() {
        let mut e = evenement();
        e.identite.nom = "Martin; dit \"Jo\"".into();
        e.identite.nir = Some("1 85 03 77 288 012".into());
        let ag = e.accompagnement.as_mut().unwrap();
        ag.bilans = vec![bilan("2024-07-15", "OBJECTIF_PARTIELLEMENT_ATTEINT", "MAINTIEN_AXE2", None)];
        ag.prolongations = vec!["2024-03-01".into(), "2025-01-15".into(), "2024-12-31".into()];
        ag.freins.clear();
        ag.date_debut = None;
        assert_eq!(
            texte(&e),
            format!(
                "{ENTETE}BILAN;2025-01-10T14:32:05Z;1850377288012;\"Martin; dit \"\"Jo\"\"\";Julien;12/03/1985;;;1;\
                 15/07/2024;OPA;MAINTIEN;;15/01/2025;ACTUALISER\r\n"
            )
        );
        // No prolongation after the bilan: none sent.
        e.accompagnement.as_mut().unwrap().prolongations = vec!["2024-03-01".into()];
        assert!(texte(&e).ends_with(";MAINTIEN;;;ACTUALISER\r\n"), "{}", texte(&e));
        // Orientation vers le suivi social exclusif; the prolongation is not sent.
        let ag = e.accompagnement.as_mut().unwrap();
        ag.prolongations = vec!["2025-06-30".into()];
        ag.bilans.push(bilan("2024-09-01", "OBJECTIF_NON_ATTEINT", "ORIENTATION_SOCIAL_EXCLUSIF", None));
        assert!(texte(&e).ends_with(";2;01/09/2024;ONA;SOCIAL;;;REORIENTER\r\n"), "{}", texte(&e));
    }

    #[test]
    fn every_code_goes_out_as_sigma_code() {
        for c in SORTIES.codes {
            let mut e = evenement();
            e.accompagnement.as_mut().unwrap().bilans =
                vec![bilan("2025-01-10", "OBJECTIF_ATTEINT", "FIN_AXE2", Some(c.dude))];
            assert!(texte(&e).ends_with(&format!(";OA;FIN;{};;CLORE\r\n", c.sigma)), "{}", c.dude);
        }
        let mut e = evenement();
        e.accompagnement.as_mut().unwrap().freins = FREINS.codes.iter().map(|c| c.dude.to_string()).collect();
        assert!(texte(&e).contains(";FIN|LOG|SAN|ADM|FAM|COM|MOB;"), "{}", texte(&e));
    }

    #[test]
    fn refusals() {
        let refus = |f: &dyn Fn(&mut Evenement)| {
            let mut e = evenement();
            f(&mut e);
            contrat_insertion(&e).unwrap_err()
        };
        let e = refus(&|e| e.kind = "CONTACT".into());
        assert!(e.contains("« CONTACT »") && e.contains("BILAN"), "{e}");
        let e = refus(&|e| e.accompagnement = None);
        assert!(e.contains("sans accompagnement global"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().bilans.clear());
        assert!(e.contains("sans bilan"), "{e}");
        let e = refus(&|e| e.identite.nir = None);
        assert!(e.contains("NIR absent"), "{e}");
        let e = refus(&|e| e.identite.nir = Some("12345".into()));
        assert!(e.contains("5 caractères") && !e.contains("12345"), "{e}");
        let e = refus(&|e| e.identite.nom = " ".into());
        assert!(e.contains("nom"), "{e}");
        let e = refus(&|e| e.identite.date_naissance = "12/03/1985".into());
        assert!(e.contains("date de naissance") && !e.contains("1985"), "{e}");
        let e = refus(&|e| e.date = "2025-01-10 14:32:05".into());
        assert!(e.contains("AAAA-MM-JJTHH:MM:SSZ"), "{e}");
        let e = refus(&|e| e.date = "2025-01-10T24:32:05Z".into());
        assert!(e.contains("événement"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().bilans[1].date = "2024-13-01".into());
        assert!(e.contains("bilan n° 2"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().bilans[0].resultat = "BRAVO".into());
        assert!(e.contains("résultat du bilan"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().bilans[0].sortie = None);
        assert!(e.contains("sans sortie"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().bilans[0].decision = "MAINTIEN_AXE2".into());
        assert!(e.contains("n'est pas FIN_AXE2"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().freins.push("CHOMAGE".into()));
        assert!(e.contains("frein"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().prolongations.push("demain".into()));
        assert!(e.contains("prolongation"), "{e}");
        let e = refus(&|e| e.accompagnement.as_mut().unwrap().date_debut = Some("2024".into()));
        assert!(e.contains("début"), "{e}");
    }
}
