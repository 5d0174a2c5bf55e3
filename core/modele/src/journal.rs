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
    pub decision: Verdict,
    pub raison: String,
}

/// What was decided of an access: `ACCEPTE` or `REFUSE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Accepte,
    Refuse,
}

impl Verdict {
    pub fn de(accepte: bool) -> Self {
        if accepte { Verdict::Accepte } else { Verdict::Refuse }
    }

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accepte => "ACCEPTE",
            Verdict::Refuse => "REFUSE",
        }
    }

    pub fn as_str(&self) -> &'static str {
        self.code()
    }

    /// From its stored code (anything else is a refusal: fail closed).
    pub fn depuis_code(code: &str) -> Self {
        if code == "ACCEPTE" { Verdict::Accepte } else { Verdict::Refuse }
    }
}

impl PartialEq<&str> for Verdict {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

/// The purpose journaled with the acts of administrators.
pub const FINALITE_ADMINISTRATION: &str = "Administration des habilitations et droits des personnes";

impl Entree {
    /// A partner's access to personal data, through the gate: the calling application,
    /// its agent and convention, the categories decided and why.
    pub fn acces(
        appelant: &crate::habilitation::Appelant,
        action: &str,
        dossier: Option<Uuid>,
        categories: &[crate::dossier::Categorie],
        decision: crate::habilitation::authorizer::Decision,
        quand: DateTime<Utc>,
    ) -> Self {
        use crate::dossier::codes::Coded;
        Entree {
            horodatage: horodatage(quand),
            request_id: appelant.request_id.clone(),
            agent: Some(appelant.agent.identifiant.clone()),
            organisation: Some(appelant.organisation.id.clone()),
            client: Some(appelant.client.client_id.clone()),
            convention: Some(appelant.convention.id.clone()),
            dossier,
            action: action.into(),
            categories: categories.iter().map(|c| c.code()).collect::<Vec<_>>().join(","),
            finalite: appelant.convention.finalites.first().cloned(),
            decision: Verdict::de(decision.autorise),
            raison: decision.motif.code().into(),
        }
    }

    /// An administrator's act (`objet`: what it bears on, by identifier).
    #[allow(clippy::too_many_arguments)]
    pub fn administration(
        admin: &crate::habilitation::administrateur::Administrateur,
        action: String,
        objet: String,
        dossier: Option<Uuid>,
        categories: &str,
        finalite: &str,
        verdict: Verdict,
        quand: DateTime<Utc>,
    ) -> Self {
        Entree {
            horodatage: horodatage(quand),
            request_id: admin.request_id.clone(),
            agent: Some(admin.identifiant.clone()),
            organisation: admin.organisation.as_ref().map(|o| o.id.clone()),
            client: None,
            convention: None,
            dossier,
            action,
            categories: categories.into(),
            finalite: Some(finalite.into()),
            decision: verdict,
            raison: objet,
        }
    }

    /// A record of an imported file, decided against the convention (its action names
    /// the file once its hash is known).
    #[allow(clippy::too_many_arguments)]
    pub fn import(
        convention: &crate::habilitation::convention::Convention,
        auteur: &str,
        organisation: Option<String>,
        request_id: &str,
        dossier: Option<Uuid>,
        categories: String,
        verdict: Verdict,
        raison: String,
        quand: DateTime<Utc>,
    ) -> Self {
        Entree {
            horodatage: horodatage(quand),
            request_id: request_id.into(),
            agent: Some(auteur.into()),
            organisation,
            client: None,
            convention: Some(convention.id.clone()),
            dossier,
            action: String::new(),
            categories,
            finalite: convention.finalites.first().cloned(),
            decision: verdict,
            raison,
        }
    }

    /// A file made for a partner's system by its adapter (an export).
    #[allow(clippy::too_many_arguments)]
    pub fn export(
        convention: &crate::habilitation::convention::Convention,
        adaptateur: &str,
        genre: &str,
        auteur: &str,
        request_id: &str,
        dossier: Uuid,
        verdict: Verdict,
        raison: String,
        quand: DateTime<Utc>,
    ) -> Self {
        Entree {
            horodatage: horodatage(quand),
            request_id: request_id.into(),
            agent: Some(auteur.into()),
            organisation: None,
            client: None,
            convention: Some(convention.id.clone()),
            dossier: Some(dossier),
            action: format!("export:{adaptateur}:{genre}"),
            categories: "identite,nir,accompagnement".into(),
            finalite: convention.finalites.first().cloned(),
            decision: verdict,
            raison,
        }
    }
}

/// A sequenced, chained entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntreeChainee {
    pub seq: i64,
    pub entree: Entree,
    pub hash_precedent: String,
    pub hash: String,
}

/// The end of the chain as entries are added to it: last sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chaine {
    seq: i64,
    precedent: String,
}

impl Chaine {
    /// After `tete` (last sequence number and hash; none: an empty journal).
    pub fn depuis(tete: Option<(i64, String)>) -> Self {
        let (seq, precedent) = tete.unwrap_or((0, GENESE.to_string()));
        Self { seq, precedent }
    }

    /// Sequences and chains the next entry.
    pub fn chainer(&mut self, entree: Entree) -> EntreeChainee {
        self.seq += 1;
        let h = hash(&self.precedent, self.seq, &entree);
        let c = EntreeChainee { seq: self.seq, entree, hash_precedent: std::mem::take(&mut self.precedent), hash: h };
        self.precedent.clone_from(&c.hash);
        c
    }

    /// Last sequence number and hash.
    pub fn tete(self) -> (i64, String) {
        (self.seq, self.precedent)
    }
}

/// The action of an anchor: the main chain's entry that closes a sub-chain.
pub const ACTION_ANCRAGE: &str = "journal.ancrage";

/// A sub-chain: the entries of one import, chained among themselves from a genesis of
/// their own while the import writes, and anchored in the main chain by one entry that
/// names the sub-chain, counts its entries and carries its head's hash. The main chain's
/// hash covers the anchor, so the sub-chain is as tamper-evident as the main chain; and
/// the main chain is held for one entry at the import's commit, not for its every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancrage {
    /// The sub-chain's identifier (a UUID).
    pub chaine: String,
    pub entrees: i64,
    /// The hash of its last entry.
    pub tete: String,
}

impl Ancrage {
    /// The hash that precedes a sub-chain's first entry: derived from its identifier, so
    /// that no entry can be moved from one sub-chain to another.
    pub fn genese(chaine: &str) -> String {
        let mut h = Sha256::new();
        h.update(b"dude-sous-chaine\0");
        h.update(chaine.as_bytes());
        hex::encode(h.finalize())
    }

    /// A new sub-chain, before its first entry.
    pub fn chaine(chaine: &str) -> Chaine {
        Chaine::depuis(Some((0, Self::genese(chaine))))
    }

    /// The anchor entry, made on the model of the sub-chain's entries (same author,
    /// convention, request and time).
    pub fn entree(&self, modele: &Entree) -> Entree {
        Entree {
            dossier: None,
            action: ACTION_ANCRAGE.into(),
            categories: String::new(),
            decision: Verdict::Accepte,
            raison: format!("sous-chaîne {} : {} entrées, tête {}", self.chaine, self.entrees, self.tete),
            ..modele.clone()
        }
    }

    /// The anchor an entry is, if it is one.
    pub fn lire(e: &Entree) -> Option<Self> {
        if e.action != ACTION_ANCRAGE {
            return None;
        }
        let reste = e.raison.strip_prefix("sous-chaîne ")?;
        let (chaine, reste) = reste.split_once(" : ")?;
        let (entrees, tete) = reste.split_once(" entrées, tête ")?;
        Some(Self { chaine: chaine.into(), entrees: entrees.parse().ok()?, tete: tete.into() })
    }
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
    field(e.decision.code());
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
            decision: Verdict::Accepte,
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

    #[test]
    fn a_chain_sequences_and_links_its_entries_after_its_head() {
        let mut c = Chaine::depuis(None);
        let a = c.chainer(e());
        let b = c.chainer(e());
        assert_eq!((a.seq, a.hash_precedent.as_str()), (1, GENESE));
        assert_eq!((b.seq, &b.hash_precedent), (2, &a.hash));
        assert_eq!(b.hash, hash(&a.hash, 2, &b.entree));
        assert_eq!(c.tete(), (2, b.hash.clone()));
        let mut suite = Chaine::depuis(Some((2, b.hash.clone())));
        assert_eq!(suite.chainer(e()).hash_precedent, b.hash);
    }

    #[test]
    fn an_anchor_names_its_sub_chain_and_reads_back() {
        let mut c = Ancrage::chaine("abc");
        let a = c.chainer(e());
        assert_eq!((a.seq, a.hash_precedent.as_str()), (1, Ancrage::genese("abc").as_str()));
        assert_ne!(Ancrage::genese("abc"), Ancrage::genese("abd"));
        let (n, tete) = c.tete();
        let ancrage = Ancrage { chaine: "abc".into(), entrees: n, tete };
        let entree = ancrage.entree(&e());
        assert_eq!((entree.action.as_str(), entree.dossier), (ACTION_ANCRAGE, None));
        assert_eq!(Ancrage::lire(&entree), Some(ancrage));
        assert_eq!(Ancrage::lire(&e()), None);
        let mut faux = entree.clone();
        faux.raison = "sous-chaîne abc : beaucoup d'entrées".into();
        assert_eq!(Ancrage::lire(&faux), None);
    }
}
