//! Contact details and residence (département of residence drives territory and lists).

use serde::{Deserialize, Serialize};

/// A French département code: 01–95 (20 excluded), 2A, 2B, 971–976.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "77")]
pub struct Departement(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code département invalide (01 à 95, 2A, 2B, 971 à 976)")]
pub struct DepartementError(pub String);

impl Departement {
    pub fn parse(s: &str) -> Result<Self, DepartementError> {
        let up = s.trim().to_ascii_uppercase();
        let ok = match up.len() {
            2 if up == "2A" || up == "2B" => true,
            2 => up.parse::<u8>().is_ok_and(|n| (1..=95).contains(&n) && n != 20),
            3 => up.parse::<u16>().is_ok_and(|n| (971..=976).contains(&n)),
            _ => false,
        };
        if ok { Ok(Self(up)) } else { Err(DepartementError(s.chars().take(8).collect())) }
    }

    /// The département of a postcode (Corsica 20xxx: 2A below 20200, 2B from it; DROM 97x).
    pub fn from_code_postal(cp: &str) -> Result<Self, DepartementError> {
        let cp = cp.trim();
        if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DepartementError(cp.chars().take(8).collect()));
        }
        match &cp[..2] {
            "20" => Self::parse(if cp < "20200" { "2A" } else { "2B" }),
            "97" => Self::parse(&cp[..3]),
            d => Self::parse(d),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Departement {
    type Error = DepartementError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Departement> for String {
    fn from(d: Departement) -> Self {
        d.0
    }
}

impl std::fmt::Display for Departement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Postal address.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Adresse {
    pub ligne1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ligne2: Option<String>,
    pub code_postal: String,
    pub commune: String,
}

/// Contact details and residence.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
    pub adresse: Adresse,
    /// Département of residence.
    pub departement: Departement,
    /// Resides in a zone de revitalisation rurale.
    #[serde(default)]
    pub zrr: bool,
    /// Resides in a quartier prioritaire de la politique de la ville.
    #[serde(default)]
    pub qpv: bool,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact")
            .field("departement", &self.departement)
            .field("adresse", &"***")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departements() {
        for ok in ["01", "2a", "2B", "77", "93", "95", "971", "976"] {
            assert!(Departement::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["00", "20", "96", "977", "7", "ABC", ""] {
            assert!(Departement::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Departement::from_code_postal("77000").unwrap().as_str(), "77");
        assert_eq!(Departement::from_code_postal("20000").unwrap().as_str(), "2A");
        assert_eq!(Departement::from_code_postal("20200").unwrap().as_str(), "2B");
        assert_eq!(Departement::from_code_postal("97400").unwrap().as_str(), "974");
    }
}
