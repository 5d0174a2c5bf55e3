//! The access journal's entries: every read and write of personal data — who, what,
//! when, why, decision and reason — and the hash that chains them.

use chrono::{DateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash that precedes the first entry.
pub const GENESE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One access, before it is sequenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entree {
    pub horodatage: DateTime<Utc>,
    pub request_id: String,
    pub agent: Option<String>,
    pub organisation: Option<String>,
    pub client: Option<String>,
    pub convention: Option<String>,
    pub dossier: Option<Uuid>,
    /// What was done (`statut`, `diagnostics.ecrire`…).
    pub action: String,
    /// Data categories concerned, comma-separated codes.
    pub categories: String,
    pub finalite: Option<String>,
    /// `ACCEPTE` or `REFUSE`.
    pub decision: String,
    pub raison: String,
}

/// A sequenced, chained entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntreeChainee {
    pub seq: i64,
    pub entree: Entree,
    pub hash_precedent: String,
    pub hash: String,
}

/// Truncates to the microsecond, the precision every database keeps.
pub fn horodatage(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// SHA-256 over the previous hash, the sequence number and every field, each
/// length-prefixed so no two different entries can serialise alike.
pub fn hash(precedent: &str, seq: i64, e: &Entree) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(precedent);
    field(&seq.to_string());
    field(&e.horodatage.timestamp_micros().to_string());
    field(&e.request_id);
    for o in [&e.agent, &e.organisation, &e.client, &e.convention] {
        field(o.as_deref().unwrap_or("\u{0}"));
    }
    field(&e.dossier.map(|d| d.to_string()).unwrap_or_else(|| "\u{0}".into()));
    field(&e.action);
    field(&e.categories);
    field(e.finalite.as_deref().unwrap_or("\u{0}"));
    field(&e.decision);
    field(&e.raison);
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e() -> Entree {
        Entree {
            horodatage: horodatage(Utc::now()),
            request_id: "r".into(),
            agent: Some("AG1".into()),
            organisation: None,
            client: None,
            convention: None,
            dossier: None,
            action: "statut".into(),
            categories: "inscription".into(),
            finalite: None,
            decision: "ACCEPTE".into(),
            raison: "AUTORISE".into(),
        }
    }

    #[test]
    fn hash_covers_previous_and_every_field() {
        let a = e();
        let h = hash(GENESE, 1, &a);
        assert_eq!(h, hash(GENESE, 1, &a));
        assert_ne!(h, hash(&h, 1, &a));
        assert_ne!(h, hash(GENESE, 2, &a));
        let mut b = a.clone();
        b.agent = None;
        assert_ne!(h, hash(GENESE, 1, &b));
        let mut c = a.clone();
        c.agent = Some("AG".into());
        c.action = "1statut".into();
        assert_ne!(h, hash(GENESE, 1, &c), "length prefixes keep fields apart");
    }
}
