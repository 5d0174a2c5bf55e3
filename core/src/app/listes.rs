//! Monthly RSA lists for a département (seed 003 §3): selection by the store, rule by
//! `dossier::listes`, rows and CSV here. A list carries personal data: only the
//! département's administrators (or national ones, or the operator) get it, and it is
//! journaled before it leaves.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dossier::codes::Coded;
use crate::dossier::contact::Departement;
use crate::dossier::listes::{Liste, Mois, evenement_retenu};
use crate::store::{Store, StoreError};

/// One person on a list. No NIR: the numéro allocataire identifies the person for the
/// département.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LigneListe {
    pub nom: String,
    pub prenom: String,
    pub date_naissance: NaiveDate,
    pub numero_allocataire: Option<String>,
    pub organisme: Option<String>,
    pub code_postal: Option<String>,
    pub commune: Option<String>,
    pub evenement: String,
    pub date_evenement: NaiveDate,
    pub categorie_code: Option<String>,
    pub motif_cloture_code: Option<String>,
    pub motif_cloture_lib: Option<String>,
}

/// A computed list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListeMensuelle {
    pub departement: String,
    pub mois: String,
    pub liste: String,
    pub libelle: String,
    pub nombre: usize,
    pub lignes: Vec<LigneListe>,
}

/// Computes a list. Candidates are RSA beneficiaries of the département with an event
/// between the first day of M−1 and the last day of M; the rule decides (before their
/// sections are read).
pub async fn calculer(
    store: &Store,
    departement: &Departement,
    mois: Mois,
    liste: Liste,
) -> Result<ListeMensuelle, StoreError> {
    let candidates = store
        .candidats_aux_listes(departement.as_str(), mois.previous().first_day(), mois.last_day(), |h| {
            evenement_retenu(liste, mois, h).is_some()
        })
        .await?;
    let mut lignes: Vec<LigneListe> = candidates
        .iter()
        .filter_map(|c| {
            let e = evenement_retenu(liste, mois, &c.historique)?;
            Some(LigneListe {
                nom: c.identite.nom.clone(),
                prenom: c.identite.prenom.clone(),
                date_naissance: c.identite.date_naissance,
                numero_allocataire: c.rsa.as_ref().and_then(|r| r.numero_allocataire.clone()),
                organisme: c.rsa.as_ref().and_then(|r| r.organisme).map(|o| o.code().to_string()),
                code_postal: c.contact.as_ref().map(|x| x.adresse.code_postal.clone()),
                commune: c.contact.as_ref().map(|x| x.adresse.commune.clone()),
                evenement: e.evenement.code().to_string(),
                date_evenement: e.date,
                categorie_code: e.categorie.map(|x| x.code().to_string()),
                motif_cloture_code: e.motif_cloture.map(|x| x.code().to_string()),
                motif_cloture_lib: e.motif_cloture.map(|x| x.libelle().to_string()),
            })
        })
        .collect();
    lignes.sort_by(|a, b| (a.date_evenement, &a.nom, &a.prenom).cmp(&(b.date_evenement, &b.nom, &b.prenom)));
    Ok(ListeMensuelle {
        departement: departement.to_string(),
        mois: mois.to_string(),
        liste: liste.code().to_string(),
        libelle: liste.libelle().to_string(),
        nombre: lignes.len(),
        lignes,
    })
}

/// The list as CSV: `;`-separated, UTF-8, a header line, as départements read them.
pub fn to_csv(l: &ListeMensuelle) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    w.write_record([
        "nom",
        "prenom",
        "date_naissance",
        "numero_allocataire",
        "organisme",
        "code_postal",
        "commune",
        "evenement",
        "date_evenement",
        "categorie",
        "motif_cloture_code",
        "motif_cloture_lib",
    ])?;
    for r in &l.lignes {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        w.write_record([
            r.nom.clone(),
            r.prenom.clone(),
            r.date_naissance.to_string(),
            o(&r.numero_allocataire),
            o(&r.organisme),
            o(&r.code_postal),
            o(&r.commune),
            r.evenement.clone(),
            r.date_evenement.to_string(),
            o(&r.categorie_code),
            o(&r.motif_cloture_code),
            o(&r.motif_cloture_lib),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
/// Who asks for a list.
pub enum Demandeur<'a> {
    /// The operator, on the command line.
    Commande,
    Administrateur(&'a crate::habilitation::administrateur::Administrateur),
    /// An agent of the département in the portal, under a convention whose territory
    /// holds the département, whose publics include the RSA beneficiaries, and that lets
    /// it read what the lists show.
    Agent(&'a crate::habilitation::Appelant),
}

/// The list of `departement` for `mois`, checked and journaled.
pub async fn liste_mensuelle(
    s: &super::Services,
    demandeur: Demandeur<'_>,
    departement: &Departement,
    mois: Mois,
    liste: Liste,
) -> Result<ListeMensuelle, super::AppError> {
    use crate::journal::{Entree, Verdict};
    let action = format!("listes-mensuelles:{departement}:{mois}:{}", liste.code());
    let demandeur = match demandeur {
        Demandeur::Agent(a) => return liste_pour_agent(s, a, departement, mois, liste, &action).await,
        Demandeur::Administrateur(a) => Some(a),
        Demandeur::Commande => None,
    };
    if let Some(a) = demandeur
        && !a.competent_pour(departement)
    {
        return Err(super::habilitations::interdit(s, a, &action, &departement.to_string()).await);
    }
    let l = calculer(&s.store, departement, mois, liste).await?;
    let operateur;
    let admin = match demandeur {
        Some(a) => a,
        None => {
            operateur = crate::habilitation::administrateur::Administrateur {
                identifiant: "operateur".into(),
                organisation: None,
                role: crate::habilitation::agent::Role::Administrateur,
                request_id: uuid::Uuid::new_v4().to_string(),
            };
            &operateur
        }
    };
    let e = Entree::administration(
        admin,
        action,
        format!("{} lignes", l.nombre),
        None,
        "identite,contact,rsa,inscription",
        "Listes mensuelles des bénéficiaires du RSA (seed 003 §3)",
        Verdict::Accepte,
        s.clock.now(),
    );
    s.journal.ecrire(e).await?;
    Ok(l)
}

/// A list for an agent: what the lists show must be readable under its convention, the
/// département within its territory, the RSA beneficiaries among its publics; journaled
/// as an access of the agent, accepted or refused.
async fn liste_pour_agent(
    s: &super::Services,
    a: &crate::habilitation::Appelant,
    departement: &Departement,
    mois: Mois,
    liste: Liste,
    action: &str,
) -> Result<ListeMensuelle, super::AppError> {
    use crate::dossier::Categorie;
    use crate::habilitation::authorizer::{Decision, Motif};
    use crate::habilitation::convention::{Action, Public};
    use crate::habilitation::perimetre::Personne;
    use crate::journal::Entree;
    let cats = [Categorie::Identite, Categorie::Contact, Categorie::Rsa, Categorie::Inscription];
    let lire: Vec<_> = cats.iter().map(|c| (*c, Action::Lire)).collect();
    super::acces::Gate::new(s, a, "listes-mensuelles").sans_personne(&lire).await?;
    let couvre = Personne::departements_du_territoire(a).is_none_or(|l| l.contains(departement))
        && a.convention.publics.iter().any(|p| matches!(p, Public::BeneficiairesRsa | Public::Tous));
    let decision = match couvre {
        true => Decision { autorise: true, motif: Motif::Autorise },
        false => Decision { autorise: false, motif: Motif::HorsTerritoire },
    };
    s.journal.ecrire(Entree::acces(a, action, None, &cats, decision, s.clock.now())).await?;
    if !couvre {
        return Err(super::AppError::Refus(Motif::HorsTerritoire));
    }
    Ok(calculer(&s.store, departement, mois, liste).await?)
}
