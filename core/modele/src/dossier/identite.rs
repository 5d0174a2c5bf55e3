//! Identity of the person and personal situation (seed 002 annex 1, seed 004 annex 1).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// Civilité.
    Civilite, "civilité" {
        Monsieur => ("M", "Monsieur"),
        Madame => ("MME", "Madame"),
    }
);

coded_enum!(
    /// Sexe, as the first digit of the NIR codes it.
    Sexe, "sexe" {
        Homme => ("1", "Homme"),
        Femme => ("2", "Femme"),
    }
);

coded_enum!(
    /// Nationalité (groupes de la fiche d'inscription).
    Nationalite, "nationalité" {
        Francaise => ("FR", "Française"),
        UnionEuropeenne => ("UE", "Ressortissant de l'Union européenne ou de l'EEE"),
        HorsUnion => ("HUE", "Ressortissant hors Union européenne"),
    }
);

coded_enum!(
    /// Situation familiale (seed 004 annex 1: seul ou en couple).
    SituationFamiliale, "situation familiale" {
        Seul => ("SEUL", "Seul"),
        EnCouple => ("COUPLE", "En couple"),
    }
);

/// Identity. The NIR is not part of it: it lives encrypted beside the dossier.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identite {
    pub civilite: Civilite,
    pub nom: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom_naissance: Option<String>,
    pub prenom: String,
    pub date_naissance: NaiveDate,
    pub sexe: Sexe,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationalite: Option<Nationalite>,
    /// Identity certified against the national registry ("Top identité certifiée").
    pub identite_certifiee: bool,
    /// The numéro France Travail (identifiant of a registered person, 11 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numero_france_travail: Option<String>,
}

/// Whether `s` is shaped as a numéro France Travail: 11 digits or capital letters.
pub fn numero_france_travail_valide(s: &str) -> bool {
    s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

impl std::fmt::Debug for Identite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identite")
            .field("civilite", &self.civilite)
            .field("nom", &"***")
            .field("prenom", &"***")
            .field("date_naissance", &"****-**-**")
            .field("identite_certifiee", &self.identite_certifiee)
            .finish_non_exhaustive()
    }
}

/// Personal situation (vie personnelle, seed 004 annex 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SituationPersonnelle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub situation_familiale: Option<SituationFamiliale>,
    #[serde(default)]
    pub enfants_a_charge: u8,
    /// Reconnaissance de la qualité de travailleur handicapé.
    #[serde(default)]
    pub rqth: bool,
    /// Its period, when the source gave it (no end: for ever).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rqth_debut: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rqth_fin: Option<NaiveDate>,
}

/// A name as a search compares it (seed 002 annex 3: "accents, casse et tirets"): letters
/// without their accents, upper-case, ligatures spelt out, and hyphens, apostrophes and
/// runs of spaces as one space, trimmed. `Marie-Hélène` and `MARIE HELENE` are one name.
pub fn nom_plie(nom: &str) -> String {
    let mut out = String::with_capacity(nom.len());
    let mut espace = false;
    for c in nom.chars() {
        let sans_accent: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
            'ç' | 'Ç' => "C",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "E",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "I",
            'ñ' | 'Ñ' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "O",
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "Y",
            'æ' | 'Æ' => "AE",
            'œ' | 'Œ' => "OE",
            '-' | '\'' | '’' | '‐' | '–' | '.' => " ",
            c if c.is_whitespace() => " ",
            _ => "",
        };
        let morceau = if sans_accent.is_empty() { None } else { Some(sans_accent) };
        match morceau {
            Some(" ") => espace = !out.is_empty(),
            Some(s) => {
                if espace {
                    out.push(' ');
                    espace = false;
                }
                out.push_str(s);
            }
            None if c.is_alphanumeric() => {
                if espace {
                    out.push(' ');
                    espace = false;
                }
                out.extend(c.to_uppercase());
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests_nom {
    use super::nom_plie;

    #[test]
    fn accents_case_hyphens_and_apostrophes_folded() {
        assert_eq!(nom_plie("Marie-Hélène"), "MARIE HELENE");
        assert_eq!(nom_plie("  marie   helene "), "MARIE HELENE");
        assert_eq!(nom_plie("D'Arçon"), "D ARCON");
        assert_eq!(nom_plie("d’ARCON"), "D ARCON");
        assert_eq!(nom_plie("Lætitia Œuvrard"), "LAETITIA OEUVRARD");
        assert_eq!(nom_plie("N'Diaye--Ba"), "N DIAYE BA");
        assert_eq!(nom_plie("Zoë"), "ZOE");
        assert_eq!(nom_plie(""), "");
    }
}
