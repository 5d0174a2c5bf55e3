//! Adapter records (WIT types) → canonical groups of fields. Every problem names the
//! field; nothing personal goes into the messages.

use chrono::NaiveDate;

use crate::dossier::Nir;
use crate::dossier::codes::Coded;
use crate::dossier::contact::{Adresse, Contact, Departement};
use crate::dossier::identite::{Civilite, Identite, Sexe};
use crate::dossier::orientation::{Orientation, Referent};
use crate::dossier::rsa::Rsa;
use crate::plugin::bindings::dude::adapter::types as t;

/// One record, checked and converted.
#[derive(Debug, Clone)]
pub struct Enregistrement {
    pub numero: u64,
    pub nir: Nir,
    pub identite: Identite,
    pub contact: Option<Contact>,
    pub rsa: Option<Rsa>,
    pub orientation: Option<Orientation>,
}

/// A problem with one record: (field, message).
pub type Probleme = (String, String);

fn date(field: &str, s: &str) -> Result<NaiveDate, Probleme> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| (field.into(), "date AAAA-MM-JJ attendue".into()))
}

fn code<T: Coded>(field: &str, v: &Option<String>) -> Result<Option<T>, Probleme> {
    v.as_deref().map(T::from_code).transpose().map_err(|e| (field.into(), e.to_string()))
}

pub fn convertir(p: &t::Personne) -> Result<Enregistrement, Probleme> {
    let i = &p.identite;
    let nir = i
        .nir
        .as_deref()
        .ok_or_else(|| ("nir".to_string(), "NIR ou NIA absent : rattachement impossible".to_string()))?;
    let nir = Nir::parse(nir).map_err(|e| ("nir".to_string(), e.to_string()))?;
    // Sex and civility from the NIR when the file does not give them.
    let sexe_nir = match nir.expose().as_bytes()[0] {
        b'1' | b'3' | b'7' => Sexe::Homme,
        _ => Sexe::Femme,
    };
    let sexe = code::<Sexe>("sexe", &i.sexe)?.unwrap_or(sexe_nir);
    let civilite = code::<Civilite>("civilite", &i.civilite)?.unwrap_or(match sexe {
        Sexe::Homme => Civilite::Monsieur,
        Sexe::Femme => Civilite::Madame,
    });
    if i.nom.trim().is_empty() {
        return Err(("nom".into(), "obligatoire".into()));
    }
    if i.prenom.trim().is_empty() {
        return Err(("prenom".into(), "obligatoire".into()));
    }
    let identite = Identite {
        civilite,
        nom: i.nom.trim().to_string(),
        nom_naissance: i.nom_naissance.clone(),
        prenom: i.prenom.trim().to_string(),
        date_naissance: date("date_naissance", &i.date_naissance)?,
        sexe,
        nationalite: code("nationalite", &i.nationalite)?,
        identite_certifiee: false,
    };
    let contact = match &p.contact {
        Some(c) => match &c.adresse {
            Some(a) if !a.code_postal.is_empty() => Some(Contact {
                telephone: c.telephone.clone(),
                courriel: c.courriel.clone(),
                departement: Departement::from_code_postal(&a.code_postal)
                    .map_err(|e| ("code_postal".to_string(), e.to_string()))?,
                adresse: Adresse {
                    ligne1: a.ligne1.clone(),
                    ligne2: a.ligne2.clone(),
                    code_postal: a.code_postal.clone(),
                    commune: a.commune.clone(),
                },
                zrr: false,
                qpv: false,
            }),
            _ => None,
        },
        None => None,
    };
    let rsa = match &p.rsa {
        Some(r) => Some(Rsa {
            beneficiaire: true,
            role: code("role", &r.role)?,
            date_entree: r.date_entree.as_deref().map(|d| date("date_entree_rsa", d)).transpose()?,
            organisme: code("organisme", &r.organisme)?,
            numero_allocataire: r.numero_allocataire.clone(),
            droits_devoirs: r.droits_devoirs.unwrap_or(true),
            etat_dossier: code("etat_dossier", &r.etat_dossier)?,
        }),
        None => None,
    };
    let orientation = match &p.orientation {
        Some(o) => Some(Orientation {
            type_parcours: Coded::from_code(&o.type_parcours)
                .map_err(|e| ("type_parcours".to_string(), e.to_string()))?,
            date: date(
                "date_orientation",
                o.date.as_deref().ok_or_else(|| {
                    ("date_orientation".to_string(), "obligatoire avec le type de parcours".to_string())
                })?,
            )?,
            referent: o.referent_nom.clone().map(|nom| Referent {
                nom,
                prenom: o.referent_prenom.clone().unwrap_or_default(),
                courriel: None,
            }),
            structure: o.structure.clone(),
        }),
        None => None,
    };
    Ok(Enregistrement { numero: p.numero, nir, identite, contact, rsa, orientation })
}
