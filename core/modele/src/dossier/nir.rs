//! The NIR (numéro d'inscription au répertoire) and the NIA (numéro d'identification
//! d'attente), validated.
//!
//! 13 characters (no key) or 15 (with the key); Corsica's départements 2A and 2B are read
//! as 19 and 18 to compute the key; key = 97 − (n mod 97). A NIR never prints in clear:
//! `Display` and `Debug` mask it, [`Nir::expose`] gives the clear value to the few places
//! that must have it (encryption, the keyed index).

use std::fmt;

/// Why a string is not a valid NIR. Never carries the value itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NirError {
    #[error("NIR : longueur {0} au lieu de 13 ou 15 caractères")]
    Length(usize),
    #[error("NIR : caractère non admis en position {0} (chiffres attendus, 2A/2B aux positions 6-7)")]
    Character(usize),
    #[error("NIR : premier caractère (sexe) non admis (1, 2, 3, 4, 7 ou 8)")]
    Sex(char),
    #[error("NIR : mois de naissance non admis (01 à 12, ou 20 à 42 et 50 à 99)")]
    Month(u32),
    #[error("NIR : clé de contrôle incorrecte")]
    Key,
}

/// Whether the number is a definitive NIR or a temporary NIA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum NirKind {
    Nir,
    Nia,
}

/// A validated NIR or NIA, normalised to upper case, stored without its key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nir {
    /// The 13 characters without the key.
    body: String,
}

impl Nir {
    /// Parses and validates a NIR of 13 or 15 characters (spaces are ignored).
    pub fn parse(input: &str) -> Result<Self, NirError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        let len = s.chars().count();
        if len != 13 && len != 15 {
            return Err(NirError::Length(len));
        }
        for (i, c) in s.chars().enumerate() {
            let corsica = (i == 6) && (c == 'A' || c == 'B') && s.as_bytes()[5] == b'2';
            if !c.is_ascii_digit() && !corsica {
                return Err(NirError::Character(i + 1));
            }
        }
        let sex = s.as_bytes()[0] as char;
        if !matches!(sex, '1' | '2' | '3' | '4' | '7' | '8') {
            return Err(NirError::Sex(sex));
        }
        let month: u32 = s[3..5].parse().map_err(|_| NirError::Character(4))?;
        // 01-12 a month; 20-42 and 50-99 are used by INSEE for unknown or fictitious months.
        if month == 0 || (13..=19).contains(&month) || (43..=49).contains(&month) {
            return Err(NirError::Month(month));
        }
        let body = s[..13].to_string();
        if len == 15 {
            let key: u64 = s[13..15].parse().map_err(|_| NirError::Character(14))?;
            if key != Self::key_of(&body) {
                return Err(NirError::Key);
            }
        }
        Ok(Self { body })
    }

    /// 97 − (n mod 97), with 2A read as 19 and 2B as 18.
    fn key_of(body: &str) -> u64 {
        let numeric = body.replacen("2A", "19", 1).replacen("2B", "18", 1);
        let n: u64 = numeric.parse().expect("validated digits");
        97 - (n % 97)
    }

    /// The control key (2 digits).
    pub fn key(&self) -> u64 {
        Self::key_of(&self.body)
    }

    /// NIR or NIA: 7 and 8 in first position mark a temporary number.
    pub fn kind(&self) -> NirKind {
        match self.body.as_bytes()[0] {
            b'7' | b'8' => NirKind::Nia,
            _ => NirKind::Nir,
        }
    }

    /// The 15-character clear value. Only for encryption and the keyed index.
    pub fn expose(&self) -> String {
        format!("{}{:02}", self.body, self.key())
    }

    /// The first seven characters, as the "essentiel" view shows them.
    pub fn partial(&self) -> String {
        format!("{}********", &self.body[..7])
    }
}

impl fmt::Display for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}**************", &self.body[..1])
    }
}

impl fmt::Debug for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nir({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_15_with_key() {
        // 1 84 12 76 451 089 -> key 46
        let body = "1841276451089";
        let key = Nir::key_of(body);
        let nir = Nir::parse(&format!("{body}{key:02}")).unwrap();
        assert_eq!(nir.kind(), NirKind::Nir);
        assert_eq!(nir.expose(), format!("{body}{key:02}"));
        assert_eq!(key, 97 - (1841276451089u64 % 97));
    }

    #[test]
    fn valid_13_without_key_and_spaces() {
        let nir = Nir::parse("2 69 05 49 588 157").unwrap();
        assert_eq!(nir.expose().len(), 15);
        assert_eq!(nir.partial(), "2690549********");
    }

    #[test]
    fn corsica_keys_read_2a_as_19_and_2b_as_18() {
        let a = "1780 52A 123 456".replace(' ', "");
        let b = "1780 52B 123 456".replace(' ', "");
        let ka = 97 - ("178051912345 6".replace(' ', "").parse::<u64>().unwrap() % 97);
        let kb = 97 - ("178051812345 6".replace(' ', "").parse::<u64>().unwrap() % 97);
        assert!(Nir::parse(&format!("{a}{ka:02}")).is_ok());
        assert!(Nir::parse(&format!("{b}{kb:02}")).is_ok());
        assert_eq!(
            Nir::parse(&format!("{a}{kb:02}")).unwrap_err(),
            if ka == kb { unreachable!() } else { NirError::Key }
        );
        // lower case is normalised
        assert!(Nir::parse(&format!("{}{ka:02}", a.to_lowercase())).is_ok());
    }

    #[test]
    fn errors_name_the_problem_without_the_value() {
        assert_eq!(Nir::parse("123").unwrap_err(), NirError::Length(3));
        assert_eq!(Nir::parse("18412764510X9").unwrap_err(), NirError::Character(12));
        assert_eq!(Nir::parse("1841A76451089").unwrap_err(), NirError::Character(5));
        assert_eq!(Nir::parse("5841276451089").unwrap_err(), NirError::Sex('5'));
        assert_eq!(Nir::parse("1841376451089").unwrap_err(), NirError::Month(13));
        assert_eq!(Nir::parse("184127645108900").unwrap_err(), NirError::Key);
        let msg = Nir::parse("184127645108900").unwrap_err().to_string();
        assert!(!msg.contains("1841276"), "{msg}");
    }

    #[test]
    fn nia_and_masking() {
        let nia = Nir::parse("7841276451089").unwrap();
        assert_eq!(nia.kind(), NirKind::Nia);
        assert_eq!(format!("{nia}"), "7**************");
        assert_eq!(format!("{nia:?}"), "Nir(7**************)");
    }
}
