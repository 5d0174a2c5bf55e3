//! A JSON object read by serde_json as its fields' raw JSON texts (borrowed from the line),
//! then each field read on its own: a bad field is reported with its JSON path
//! (`prestations[2].date_debut`) and a French message, and the other fields are still read.
//! serde_json's own messages are never passed on: they may quote the value.

use std::collections::BTreeSet;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Fields of a JSON object in file order, values as raw JSON (duplicates kept, to be
/// reported).
pub struct Objet<'a> {
    champs: Vec<(String, &'a RawValue)>,
}

impl<'de> Deserialize<'de> for Objet<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Objet<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("un objet JSON")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Objet<'de>, A::Error> {
                let mut champs = Vec::new();
                while let Some(cle) = map.next_key::<String>()? {
                    champs.push((cle, map.next_value::<&'de RawValue>()?));
                }
                Ok(Objet { champs })
            }
        }
        d.deserialize_map(V)
    }
}

/// A problem already recorded in the [`Lecteur`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signale;

/// What reading a field gives: `Ok(None)` when absent, `null` or empty text.
pub type Lu<T> = Result<Option<T>, Signale>;

/// An object being read, with its path in the line (`""` for the line's object).
pub struct Champs<'a> {
    pub chemin: String,
    objet: Objet<'a>,
}

impl<'a> Champs<'a> {
    /// The path of field `nom` of this object.
    pub fn chemin_de(&self, nom: &str) -> String {
        if self.chemin.is_empty() { nom.to_string() } else { format!("{}.{nom}", self.chemin) }
    }

    /// Fields in file order.
    pub fn champs(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.objet.champs.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// Most unknown field names remembered (for one log line).
const INCONNUS_MAX: usize = 20;

/// Collects the problems of one line, and the unknown field names of the file.
pub struct Lecteur<'i> {
    pub erreurs: Vec<(Option<String>, String)>,
    inconnus: &'i mut BTreeSet<String>,
}

impl<'i> Lecteur<'i> {
    pub fn new(inconnus: &'i mut BTreeSet<String>) -> Self {
        Self { erreurs: Vec::new(), inconnus }
    }

    pub fn erreur(&mut self, chemin: impl Into<String>, message: impl Into<String>) -> Signale {
        self.erreurs.push((Some(chemin.into()), message.into()));
        Signale
    }

    /// `objet` at `chemin`, whose known fields are `connus`: the others are remembered as
    /// unknown (by name, with `[]` for list indices) and otherwise ignored. `None`: the keys
    /// are data (codes), not field names.
    pub fn champs<'a>(&mut self, objet: Objet<'a>, chemin: String, connus: Option<&[&str]>) -> Champs<'a> {
        let Some(connus) = connus else { return Champs { chemin, objet } };
        for (cle, _) in &objet.champs {
            if connus.contains(&cle.as_str()) || self.inconnus.len() >= INCONNUS_MAX {
                continue;
            }
            // Field names only, and only when they look like field names.
            let nom = if !cle.is_empty()
                && cle.len() <= 64
                && cle.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                cle.as_str()
            } else {
                "(nom de champ non conforme)"
            };
            let generique = generique(&chemin);
            let nom = if generique.is_empty() { nom.to_string() } else { format!("{generique}.{nom}") };
            self.inconnus.insert(nom);
        }
        Champs { chemin, objet }
    }

    /// `raw` as an object at `chemin`.
    pub fn objet<'a>(
        &mut self,
        raw: &'a RawValue,
        chemin: String,
        connus: Option<&[&str]>,
    ) -> Result<Champs<'a>, Signale> {
        match serde_json::from_str::<Objet<'a>>(raw.get()) {
            Ok(objet) => Ok(self.champs(objet, chemin, connus)),
            Err(_) => Err(self.erreur(chemin, "objet JSON attendu")),
        }
    }

    /// The raw value of field `nom`; `Ok(None)` when absent or `null`; an error when the
    /// field appears twice.
    pub fn brut<'a>(&mut self, o: &Champs<'a>, nom: &str) -> Lu<&'a RawValue> {
        let mut valeurs = o.champs().filter(|(k, _)| *k == nom).map(|(_, v)| v);
        let Some(v) = valeurs.next() else { return Ok(None) };
        if valeurs.next().is_some() {
            return Err(self.erreur(o.chemin_de(nom), "champ présent plusieurs fois"));
        }
        Ok((v.get() != "null").then_some(v))
    }

    /// A JSON string at `chemin`, trimmed; `Ok(None)` when `null` or empty.
    pub fn texte_brut(&mut self, chemin: &str, raw: &RawValue) -> Lu<String> {
        if raw.get() == "null" {
            return Ok(None);
        }
        match serde_json::from_str::<String>(raw.get()) {
            Ok(s) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
            Err(_) => Err(self.erreur(chemin, "texte attendu")),
        }
    }

    /// Field `nom` as text.
    pub fn texte(&mut self, o: &Champs, nom: &str) -> Lu<String> {
        match self.brut(o, nom)? {
            Some(raw) => self.texte_brut(&o.chemin_de(nom), raw),
            None => Ok(None),
        }
    }

    /// Field `nom` as text, converted by `f` (whose message names the problem).
    pub fn code(&mut self, o: &Champs, nom: &str, f: fn(&str) -> Result<String, String>) -> Lu<String> {
        match self.texte(o, nom)? {
            Some(s) => f(&s).map(Some).map_err(|e| self.erreur(o.chemin_de(nom), e)),
            None => Ok(None),
        }
    }

    /// An identifier: text, or a non-negative whole number written as digits; 64
    /// characters at most.
    pub fn identifiant(&mut self, o: &Champs, nom: &str) -> Lu<String> {
        let Some(raw) = self.brut(o, nom)? else { return Ok(None) };
        let chemin = o.chemin_de(nom);
        let s = match serde_json::from_str::<u64>(raw.get()) {
            Ok(n) => n.to_string(),
            Err(_) => match serde_json::from_str::<String>(raw.get()) {
                Ok(s) => s.trim().to_string(),
                Err(_) => return Err(self.erreur(chemin, "texte ou nombre entier attendu")),
            },
        };
        if s.chars().count() > 64 {
            return Err(self.erreur(chemin, "identifiant trop long (64 caractères au plus)"));
        }
        Ok((!s.is_empty()).then_some(s))
    }

    /// A whole number from `min` to `max`.
    pub fn entier(&mut self, o: &Champs, nom: &str, min: u32, max: u32) -> Lu<u32> {
        let Some(raw) = self.brut(o, nom)? else { return Ok(None) };
        match serde_json::from_str::<u32>(raw.get()) {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(self.erreur(o.chemin_de(nom), format!("nombre entier de {min} à {max} attendu"))),
        }
    }

    /// `true` or `false`.
    pub fn booleen(&mut self, o: &Champs, nom: &str) -> Lu<bool> {
        let Some(raw) = self.brut(o, nom)? else { return Ok(None) };
        serde_json::from_str::<bool>(raw.get())
            .map(Some)
            .map_err(|_| self.erreur(o.chemin_de(nom), "true ou false attendu"))
    }

    /// A JSON list, its elements raw.
    pub fn liste<'a>(&mut self, o: &Champs<'a>, nom: &str) -> Lu<Vec<&'a RawValue>> {
        let Some(raw) = self.brut(o, nom)? else { return Ok(None) };
        serde_json::from_str::<Vec<&'a RawValue>>(raw.get())
            .map(Some)
            .map_err(|_| self.erreur(o.chemin_de(nom), "liste JSON attendue"))
    }

    /// A field that must be there: `Ok(None)` is reported as missing, with `message`.
    pub fn requis<T>(&mut self, chemin: impl FnOnce() -> String, lu: Lu<T>, message: &str) -> Option<T> {
        match lu {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.erreur(chemin(), message);
                None
            }
            Err(Signale) => None,
        }
    }
}

/// `prestations[2]` → `prestations[]`: one name per kind of field, whatever the element.
fn generique(chemin: &str) -> String {
    let mut out = String::with_capacity(chemin.len());
    let mut dans_indice = false;
    for c in chemin.chars() {
        match c {
            '[' => {
                dans_indice = true;
                out.push_str("[]");
            }
            ']' => dans_indice = false,
            c if !dans_indice => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_one_by_one_with_their_path() {
        let mut inconnus = BTreeSet::new();
        let mut l = Lecteur::new(&mut inconnus);
        let ligne = r#"{"a": " x ", "n": 12, "b": true, "id": 2055990, "vide": "", "nul": null, "a2": 3, "a2": 4,
                        "l": [1, "z"], "autre": {"p": 1}}"#;
        let objet: Objet = serde_json::from_str(ligne).unwrap();
        let o = l.champs(objet, "prestations[3]".into(), Some(&["a", "n", "b", "id", "vide", "nul", "a2", "l"]));
        assert_eq!(l.texte(&o, "a"), Ok(Some("x".into())));
        assert_eq!(l.texte(&o, "vide"), Ok(None));
        assert_eq!(l.texte(&o, "nul"), Ok(None));
        assert_eq!(l.texte(&o, "absent"), Ok(None));
        assert_eq!(l.entier(&o, "n", 0, 100), Ok(Some(12)));
        assert_eq!(l.booleen(&o, "b"), Ok(Some(true)));
        assert_eq!(l.identifiant(&o, "id"), Ok(Some("2055990".into())));
        assert_eq!(l.identifiant(&o, "a"), Ok(Some("x".into())));
        assert_eq!(l.liste(&o, "l").unwrap().unwrap().len(), 2);
        assert!(l.erreurs.is_empty());
        assert_eq!(l.texte(&o, "n"), Err(Signale));
        assert_eq!(l.entier(&o, "n", 0, 10), Err(Signale));
        assert_eq!(l.booleen(&o, "a"), Err(Signale));
        assert_eq!(l.texte(&o, "a2"), Err(Signale));
        assert!(l.liste(&o, "a").is_err());
        assert_eq!(l.requis(|| o.chemin_de("absent"), l_ok_none(), "obligatoire"), None::<u8>);
        let chemins: Vec<_> = l.erreurs.iter().map(|(c, m)| (c.clone().unwrap(), m.as_str())).collect();
        assert_eq!(
            chemins,
            vec![
                ("prestations[3].n".into(), "texte attendu"),
                ("prestations[3].n".into(), "nombre entier de 0 à 10 attendu"),
                ("prestations[3].a".into(), "true ou false attendu"),
                ("prestations[3].a2".into(), "champ présent plusieurs fois"),
                ("prestations[3].a".into(), "liste JSON attendue"),
                ("prestations[3].absent".into(), "obligatoire"),
            ]
        );
        drop(l);
        assert_eq!(inconnus.into_iter().collect::<Vec<_>>(), vec!["prestations[].autre".to_string()]);
    }

    fn l_ok_none() -> Lu<u8> {
        Ok(None)
    }

    #[test]
    fn generic_paths() {
        assert_eq!(generique("prestations[12]"), "prestations[]");
        assert_eq!(generique("diagnostic[0]"), "diagnostic[]");
        assert_eq!(generique(""), "");
    }
}
