//! Adapter records (WIT types) → canonical groups of fields. Every problem names the
//! field; nothing personal goes into the messages.

use chrono::NaiveDate;

use crate::adaptateur::bindings::dude::adapter::types as t;
use dude_modele::dossier::Nir;
use dude_modele::dossier::accompagnement::{AccompagnementGlobal, BilanGlobal};
use dude_modele::dossier::codes::Coded;
use dude_modele::dossier::contact::{Adresse, Contact, Departement};
use dude_modele::dossier::diagnostic::Besoin;
use dude_modele::dossier::identite::{Civilite, Identite, Sexe};
use dude_modele::dossier::orientation::{Orientation, Referent};
use dude_modele::dossier::parcours::{ParcoursInsertion, Prestation};
use dude_modele::dossier::rsa::{EtatDossierRsa, EvenementDroit, Rsa};

/// One record, checked and converted.
#[derive(Debug, Clone)]
pub struct Enregistrement {
    pub numero: u64,
    pub nir: Nir,
    pub identite: Identite,
    pub contact: Option<Contact>,
    pub rsa: Option<Rsa>,
    pub orientation: Option<Orientation>,
    /// The accompagnement global the file carries, with its start date.
    pub global: Option<(Option<NaiveDate>, AccompagnementGlobal)>,
    pub parcours: Option<ParcoursInsertion>,
    /// The idNational the partner holds for this person, to be checked against the NIR.
    pub identifiant_france_travail: Option<String>,
}

/// A problem with one record: (field, message).
pub type ChampInvalide = (String, String);

fn date(field: &str, s: &str) -> Result<NaiveDate, ChampInvalide> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| (field.into(), "date AAAA-MM-JJ attendue".into()))
}

fn date_opt(field: &str, s: &Option<String>) -> Result<Option<NaiveDate>, ChampInvalide> {
    s.as_deref().map(|d| date(field, d)).transpose()
}

fn code<T: Coded>(field: &str, v: &Option<String>) -> Result<Option<T>, ChampInvalide> {
    v.as_deref().map(T::from_code).transpose().map_err(|e| (field.into(), e.to_string()))
}

fn codes<T: Coded>(field: &str, v: &[String]) -> Result<Vec<T>, ChampInvalide> {
    v.iter().enumerate().map(|(i, c)| T::from_code(c).map_err(|e| (format!("{field}[{i}]"), e.to_string()))).collect()
}

fn evenement_droit(
    champ: &str,
    d: &Option<String>,
    motif: &Option<String>,
) -> Result<Option<EvenementDroit>, ChampInvalide> {
    if let Some(m) = motif
        && (m.is_empty() || m.len() > 8 || !m.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err((format!("motif_{champ}"), "code motif de 1 à 8 lettres ou chiffres attendu".into()));
    }
    match (date_opt(&format!("date_{champ}"), d)?, motif) {
        (Some(date), motif) => Ok(Some(EvenementDroit { date, motif: motif.clone() })),
        (None, Some(_)) => Err((format!("date_{champ}"), "obligatoire avec le motif".into())),
        (None, None) => Ok(None),
    }
}

fn global(a: &t::AccompagnementGlobal) -> Result<(Option<NaiveDate>, AccompagnementGlobal), ChampInvalide> {
    let bilans = a
        .bilans
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let f = |x: &str| format!("bilans[{i}].{x}");
            Ok(BilanGlobal {
                date: date(&f("date"), &b.date)?,
                resultat: Coded::from_code(&b.resultat).map_err(|e| (f("resultat"), e.to_string()))?,
                decision: Coded::from_code(&b.decision).map_err(|e| (f("decision"), e.to_string()))?,
                sortie: code(&f("sortie"), &b.sortie)?,
            })
        })
        .collect::<Result<Vec<_>, ChampInvalide>>()?;
    let prolongations = a
        .prolongations
        .iter()
        .enumerate()
        .map(|(i, d)| date(&format!("prolongations[{i}]"), d))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((
        date_opt("date_debut_accompagnement", &a.date_debut)?,
        AccompagnementGlobal {
            freins: codes("freins", &a.freins)?,
            motifs_non_integration: codes("motifs_non_integration", &a.motifs_non_integration)?,
            bilans,
            prolongations,
        },
    ))
}

fn parcours(p: &t::Parcours) -> Result<ParcoursInsertion, ChampInvalide> {
    Ok(ParcoursInsertion {
        date_entree_dispositif: date("date_entree_dispositif", &p.date_entree_dispositif)?,
        date_rendez_vous_orientation: date_opt("date_rendez_vous_orientation", &p.date_rendez_vous_orientation)?,
        besoins: p
            .besoins
            .iter()
            .enumerate()
            .map(|(i, b)| {
                Ok(Besoin {
                    code: Coded::from_code(&b.code).map_err(|e| (format!("besoins[{i}].code"), e.to_string()))?,
                    valeur: Coded::from_code(&b.valeur).map_err(|e| (format!("besoins[{i}].valeur"), e.to_string()))?,
                })
            })
            .collect::<Result<Vec<_>, ChampInvalide>>()?,
        rendez_vous: p
            .rendez_vous
            .iter()
            .enumerate()
            .map(|(i, d)| date(&format!("rendez_vous[{i}]"), d))
            .collect::<Result<Vec<_>, _>>()?,
        prestations: p
            .prestations
            .iter()
            .enumerate()
            .map(|(i, x)| {
                if x.libelle.trim().is_empty() || x.libelle.len() > 200 {
                    return Err((format!("prestations[{i}].libelle"), "libellé de 1 à 200 caractères attendu".into()));
                }
                Ok(Prestation {
                    libelle: x.libelle.trim().to_string(),
                    date_debut: date(&format!("prestations[{i}].date_debut"), &x.date_debut)?,
                    duree_jours: x.duree_jours,
                    collective: x.collective,
                })
            })
            .collect::<Result<Vec<_>, ChampInvalide>>()?,
    })
}

pub fn convertir(p: &t::Personne) -> Result<Enregistrement, ChampInvalide> {
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
        numero_france_travail: None,
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
        Some(r) => {
            let etat_dossier: Option<EtatDossierRsa> = code("etat_dossier", &r.etat_dossier)?;
            let cloture = evenement_droit("cloture", &r.date_cloture, &r.motif_cloture)?;
            Some(Rsa {
                // a closed, refused or pending right makes no beneficiary
                beneficiaire: match etat_dossier {
                    Some(e) => e.ouvert(),
                    None => cloture.is_none(),
                },
                role: code("role", &r.role)?,
                date_entree: date_opt("date_entree_rsa", &r.date_entree)?,
                organisme: code("organisme", &r.organisme)?,
                numero_allocataire: r.numero_allocataire.clone(),
                droits_devoirs: r.droits_devoirs.unwrap_or(true),
                etat_dossier,
                cloture,
                suspension: evenement_droit("suspension", &r.date_suspension, &r.motif_suspension)?,
            })
        }
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
            organisme: None,
            origine: None,
        }),
        None => None,
    };
    Ok(Enregistrement {
        numero: p.numero,
        nir,
        identite,
        contact,
        rsa,
        orientation,
        global: p.accompagnement.as_ref().map(global).transpose()?,
        parcours: p.parcours.as_ref().map(parcours).transpose()?,
        identifiant_france_travail: p.parcours.as_ref().and_then(|x| x.identifiant_france_travail.clone()),
    })
}
