//! `/dossiers/{id}/diagnostic`: the socio-professional diagnostic filled in by check boxes
//! only (seed 002 annex 3 §1.2, "aucun champ de texte libre"): the needs of each
//! diagnostic, the contraintes with their situations and objectifs, the pouvoir d'agir,
//! and for a person in accompagnement global (seed 004) the freins périphériques, the
//! motifs de non-intégration and the bilan.
//! Each part is its own form, saved by the application's use case (its checks, journal
//! and provenance), then the page again with what was recorded.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::{Connecte, csrf_valide};
use super::{Cadre, Choix, choix, erreur, page};
use crate::app::acces::Reference;
use crate::app::consultation::{self, Vue};
use crate::app::error::Refus;
use crate::app::{AppError, AppState};
use crate::app::{accompagnement, diagnostic};
use crate::dossier::Categorie;
use crate::dossier::accompagnement::{
    BilanGlobal, DecisionBilan, MotifNonIntegration, ResultatBilan, SortieAccompagnement,
};
use crate::dossier::codes::Coded;
use crate::dossier::contraintes::{
    CodeContrainte, CodeObjectif, CodeSituation, ContrainteSaisie, ObjectifContrainte, SituationContrainte,
    ValeurContrainte, ValeurObjectif, ValeurSituation,
};
use crate::dossier::diagnostic::{
    Besoin, CodeBesoin, NiveauPouvoirAgir, PouvoirAgir, ResultatPouvoirAgir, ThematiqueBesoin, ValeurBesoin,
};

struct BesoinVue {
    code: &'static str,
    libelle: &'static str,
    valeurs: Vec<Choix>,
}

struct ThematiqueVue {
    libelle: &'static str,
    besoins: Vec<BesoinVue>,
}

struct DiagnosticVue {
    metier: String,
    nom_metier: String,
    thematiques: Vec<ThematiqueVue>,
}

struct SituationVue {
    code: &'static str,
    libelle: &'static str,
    coche: bool,
}

struct ObjectifVue {
    code: &'static str,
    libelle: &'static str,
    valeurs: Vec<Choix>,
}

struct ContrainteVue {
    code: &'static str,
    libelle: &'static str,
    /// Recorded before: sent back even when set to "non abordée".
    stockee: bool,
    valeurs: Vec<Choix>,
    situations: Vec<SituationVue>,
    objectifs: Vec<ObjectifVue>,
}

/// The accompagnement global's check boxes (seed 004).
struct GlobalVue {
    freins: Vec<SituationVue>,
    motifs: Vec<SituationVue>,
    /// Résultat and décision: field, question, choices.
    questions: [(&'static str, &'static str, Vec<Choix>); 2],
    sorties: Vec<Choix>,
    aujourdhui: String,
}

#[derive(Template)]
#[template(path = "portail/diagnostic.html")]
struct PageDiagnostic {
    cadre: Cadre,
    csrf: String,
    reference: String,
    personne: String,
    /// What was just recorded, or why not.
    succes: Option<&'static str>,
    refus: Option<String>,
    diagnostics: Option<Vec<DiagnosticVue>>,
    contraintes: Option<Vec<ContrainteVue>>,
    pouvoir: Option<[(&'static str, &'static str, Vec<Choix>); 3]>,
    global: Option<GlobalVue>,
}

#[derive(Debug, Deserialize)]
pub struct Retour {
    enregistre: Option<String>,
}

/// `GET /dossiers/{id}/diagnostic`: the forms of what the agent may write.
pub async fn formulaire(
    State(state): State<AppState>,
    c: Connecte,
    Path(reference): Path<String>,
    Query(q): Query<Retour>,
) -> Response {
    let succes = match q.enregistre.as_deref() {
        Some("besoins") => Some("Les besoins du diagnostic sont enregistrés."),
        Some("contraintes") => Some("Les contraintes sont enregistrées."),
        Some("pouvoir_agir") => Some("Le pouvoir d'agir est enregistré."),
        Some("freins") => Some("Les freins et les motifs de non-intégration sont enregistrés."),
        Some("bilan") => Some("Le bilan est enregistré."),
        _ => None,
    };
    rendre(&state, &c, reference, succes, None).await
}

async fn rendre(
    state: &AppState,
    c: &Connecte,
    reference: String,
    succes: Option<&'static str>,
    refus: Option<String>,
) -> Response {
    let x = match consultation::consulter(
        state.services(),
        &c.appelant,
        Reference::IdNational(&reference),
        Vue::Diagnostic,
    )
    .await
    {
        Ok(x) => x,
        Err(e) => return erreur(state, c, e),
    };
    let modifiable = |k: Categorie| x.modifiables.contains(&k);
    let d = &x.dossier;
    let personne = d
        .identite
        .as_ref()
        .map_or_else(|| "la personne".to_string(), |i| format!("{} {}", i.identite.prenom, i.identite.nom));
    let diagnostics = d.diagnostic.as_ref().filter(|_| modifiable(Categorie::Diagnostic)).map(|dg| {
        dg.diagnostics
            .iter()
            .map(|m| {
                let valeurs: BTreeMap<CodeBesoin, ValeurBesoin> = dg
                    .besoins_par_diagnostic
                    .iter()
                    .filter(|b| b.id_metier == m.id_metier)
                    .flat_map(|b| b.besoins.iter().map(|x| (x.code, x.valeur)))
                    .collect();
                let thematiques = ThematiqueBesoin::ALL
                    .iter()
                    .map(|t| ThematiqueVue {
                        libelle: t.libelle(),
                        besoins: CodeBesoin::du_diagnostic()
                            .filter(|b| b.thematique() == Some(*t))
                            .map(|b| BesoinVue {
                                code: b.code(),
                                libelle: b.libelle(),
                                valeurs: choix(Some(valeurs.get(&b).copied().unwrap_or(ValeurBesoin::NonExplore))),
                            })
                            .collect(),
                    })
                    .filter(|t| !t.besoins.is_empty())
                    .collect();
                DiagnosticVue {
                    metier: state.ids().encode_metier(c.appelant.partenaire(), &m.id_metier),
                    nom_metier: m.nom_metier.clone(),
                    thematiques,
                }
            })
            .collect()
    });
    let contraintes = d.contraintes.as_ref().filter(|_| modifiable(Categorie::Contraintes)).map(|ct| {
        CodeContrainte::de_la_thematique()
            .map(|k| {
                let stockee = ct.contraintes.iter().find(|x| x.code == k);
                ContrainteVue {
                    code: k.code(),
                    libelle: k.libelle(),
                    stockee: stockee.is_some(),
                    valeurs: choix(Some(stockee.map_or(ValeurContrainte::NonAbordee, |x| x.valeur))),
                    situations: k
                        .situations()
                        .map(|s| SituationVue {
                            code: s.code(),
                            libelle: s.libelle(),
                            coche: stockee.is_some_and(|x| {
                                x.situations.iter().any(|y| y.code == s && y.valeur == ValeurSituation::Oui)
                            }),
                        })
                        .collect(),
                    objectifs: k
                        .objectifs()
                        .map(|o| ObjectifVue {
                            code: o.code(),
                            libelle: o.libelle(),
                            valeurs: choix(
                                stockee.and_then(|x| x.objectifs.iter().find(|y| y.code == o)).map(|y| y.valeur),
                            ),
                        })
                        .collect(),
                }
            })
            .collect()
    });
    let pouvoir = d.pouvoir_agir.as_ref().filter(|_| modifiable(Categorie::PouvoirAgir)).map(|p| {
        let p = p.as_ref();
        [
            ("confiance", "Se sent-elle en capacité de retrouver un emploi ?", choix(p.map(|x| x.confiance))),
            ("accompagnement", "Souhaite-t-elle être accompagnée ?", choix(p.map(|x| x.accompagnement))),
            ("resultat", "Analyse du pouvoir d'agir", choix(p.map(|x| x.resultat_analyse))),
        ]
    });
    let global = match &d.accompagnement {
        Some(Some(a)) if modifiable(Categorie::AccompagnementGlobal) => a.global.as_ref().map(|g| GlobalVue {
            freins: CodeContrainte::de_la_thematique()
                .map(|k| SituationVue { code: k.code(), libelle: k.libelle(), coche: g.freins.contains(&k) })
                .collect(),
            motifs: MotifNonIntegration::ALL
                .iter()
                .map(|m| SituationVue {
                    code: m.code(),
                    libelle: m.libelle(),
                    coche: g.motifs_non_integration.contains(m),
                })
                .collect(),
            questions: [
                ("resultat", "Résultat", choix::<ResultatBilan>(None)),
                ("decision", "Décision", choix::<DecisionBilan>(None)),
            ],
            sorties: choix::<SortieAccompagnement>(None),
            aujourdhui: state.services().clock.today().to_string(),
        }),
        _ => None,
    };
    let status = if refus.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page(
        status,
        &PageDiagnostic {
            cadre: Cadre::new(state, format!("Diagnostic de {personne}"), Some(c.agent.clone())),
            csrf: c.session.csrf.clone(),
            reference,
            personne,
            succes,
            refus,
            diagnostics,
            contraintes,
            pouvoir,
            global,
        },
    )
}

/// Why a form cannot be read: names the field, never its value.
fn champ_invalide(champ: &str) -> String {
    format!("Champ « {champ} » : valeur non admise (cochez une des cases proposées).")
}

fn code<T: Coded>(champ: &str, v: &str) -> Result<T, String> {
    T::from_code(v).map_err(|_| champ_invalide(champ))
}

/// `POST /dossiers/{id}/diagnostic`: one part (`partie`), recorded by its use case.
pub async fn enregistrer(
    State(state): State<AppState>,
    c: Connecte,
    Path(reference): Path<String>,
    Form(champs): Form<Vec<(String, String)>>,
) -> Response {
    let valeur = |k: &str| champs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if !csrf_valide(&c.session, valeur("csrf")) {
        return super::connexion::formulaire_refuse(&state);
    }
    let s = state.services();
    let usager = Reference::IdNational(&reference);
    let partie = valeur("partie").unwrap_or("");
    let resultat: Result<Result<(), String>, AppError> = match partie {
        "besoins" => match lire_besoins(&champs) {
            Err(m) => Ok(Err(m)),
            Ok(besoins) => {
                match diagnostic::enregistrer_besoins(s, &c.appelant, usager, valeur("metier").unwrap_or(""), &besoins)
                    .await
                {
                    Ok(()) => Ok(Ok(())),
                    Err(Refus::Regle(r)) => Ok(Err(format!("Besoins : {r}."))),
                    Err(Refus::App(AppError::IdNational(_))) => Ok(Err(champ_invalide("métier"))),
                    Err(Refus::App(e)) => Err(e),
                }
            }
        },
        "contraintes" => match lire_contraintes(&champs) {
            Err(m) => Ok(Err(m)),
            Ok(saisies) => {
                let today = state.services().clock.today();
                let agent = c.appelant.agent.identifiant.clone();
                match diagnostic::enregistrer_contraintes(s, &c.appelant, usager, &saisies, today, &agent).await {
                    Ok(()) => Ok(Ok(())),
                    Err(Refus::Regle(r)) => Ok(Err(format!("Contraintes : {r}."))),
                    Err(Refus::App(e)) => Err(e),
                }
            }
        },
        "pouvoir_agir" => {
            let lu = (|| -> Result<PouvoirAgir, String> {
                let v = |k: &'static str, lib: &str| valeur(k).ok_or_else(|| champ_invalide(lib));
                Ok(PouvoirAgir {
                    confiance: code::<NiveauPouvoirAgir>("confiance", v("confiance", "confiance")?)?,
                    accompagnement: code::<NiveauPouvoirAgir>(
                        "accompagnement",
                        v("accompagnement", "accompagnement")?,
                    )?,
                    resultat_analyse: code::<ResultatPouvoirAgir>("analyse", v("resultat", "analyse")?)?,
                })
            })();
            match lu {
                Err(m) => Ok(Err(m)),
                Ok(p) => diagnostic::enregistrer_pouvoir_agir(s, &c.appelant, usager, p).await.map(Ok),
            }
        }
        "freins" => {
            let lu = (|| -> Result<(Vec<CodeContrainte>, Vec<MotifNonIntegration>), String> {
                let mut freins = Vec::new();
                let mut motifs = Vec::new();
                for (n, _) in &champs {
                    if let Some(k) = n.strip_prefix("frein:") {
                        freins.push(code::<CodeContrainte>("frein", k)?);
                    } else if let Some(k) = n.strip_prefix("motif:") {
                        motifs.push(code::<MotifNonIntegration>("motif de non-intégration", k)?);
                    }
                }
                Ok((freins, motifs))
            })();
            match lu {
                Err(m) => Ok(Err(m)),
                Ok((freins, motifs)) => {
                    match accompagnement::enregistrer_freins(s, &c.appelant, usager, &freins, &motifs).await {
                        Ok(()) => Ok(Ok(())),
                        Err(Refus::Regle(r)) => Ok(Err(format!("Freins : {r}."))),
                        Err(Refus::App(e)) => Err(e),
                    }
                }
            }
        }
        "bilan" => {
            let today = s.clock.today();
            let lu = (|| -> Result<BilanGlobal, String> {
                let date = valeur("date")
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .ok_or_else(|| "Champ « date du bilan » : date attendue au format AAAA-MM-JJ.".to_string())?;
                let resultat = code::<ResultatBilan>("résultat", valeur("resultat").unwrap_or(""))?;
                let decision = code::<DecisionBilan>("décision", valeur("decision").unwrap_or(""))?;
                let sortie = match valeur("sortie").unwrap_or("") {
                    "" => None,
                    v => Some(code::<SortieAccompagnement>("sortie", v)?),
                };
                BilanGlobal::nouveau(date, resultat, decision, sortie, today).map_err(|r| format!("Bilan : {r}."))
            })();
            match lu {
                Err(m) => Ok(Err(m)),
                Ok(bilan) => match accompagnement::enregistrer_bilan(s, &c.appelant, usager, bilan).await {
                    Ok(()) => Ok(Ok(())),
                    Err(Refus::Regle(r)) => Ok(Err(format!("Bilan : {r}."))),
                    Err(Refus::App(e)) => Err(e),
                },
            }
        }
        _ => Ok(Err(champ_invalide("partie"))),
    };
    match resultat {
        Ok(Ok(())) => Redirect::to(&format!("/dossiers/{reference}/diagnostic?enregistre={partie}")).into_response(),
        Ok(Err(message)) => rendre(&state, &c, reference, None, Some(message)).await,
        Err(e) => erreur(&state, &c, e),
    }
}

/// `besoin:{code}` = a value of the need.
fn lire_besoins(champs: &[(String, String)]) -> Result<Vec<Besoin>, String> {
    champs
        .iter()
        .filter_map(|(n, v)| n.strip_prefix("besoin:").map(|k| (k, v)))
        .map(|(k, v)| {
            Ok(Besoin { code: code::<CodeBesoin>("besoin", k)?, valeur: code::<ValeurBesoin>("valeur du besoin", v)? })
        })
        .collect()
}

/// `contrainte:{code}` = its value; `situation:{code}` checked = yes; `objectif:{code}` =
/// its value, or empty when not set. A contrainte never explored and left "non abordée"
/// with nothing ticked is not recorded.
fn lire_contraintes(champs: &[(String, String)]) -> Result<Vec<ContrainteSaisie>, String> {
    let mut saisies = Vec::new();
    for k in CodeContrainte::de_la_thematique() {
        let Some(v) = champs.iter().find(|(n, _)| n.strip_prefix("contrainte:") == Some(k.code())) else {
            continue;
        };
        let valeur = code::<ValeurContrainte>("valeur de la contrainte", &v.1)?;
        let mut situations = Vec::new();
        let mut objectifs = Vec::new();
        for (n, v) in champs {
            if let Some(s) = n.strip_prefix("situation:") {
                let s = code::<CodeSituation>("situation", s)?;
                if s.contrainte() == k && v == "OUI" {
                    situations.push(SituationContrainte { code: s, valeur: ValeurSituation::Oui });
                }
            } else if let Some(o) = n.strip_prefix("objectif:") {
                let o = code::<CodeObjectif>("objectif", o)?;
                if o.contrainte() == k && !v.is_empty() {
                    objectifs.push(ObjectifContrainte { code: o, valeur: code::<ValeurObjectif>("objectif", v)? });
                }
            }
        }
        let explore = champs.iter().any(|(n, _)| n.strip_prefix("deja:") == Some(k.code()));
        if valeur != ValeurContrainte::NonAbordee || explore || !situations.is_empty() || !objectifs.is_empty() {
            saisies.push(ContrainteSaisie { code: k, valeur, situations, objectifs });
        }
    }
    Ok(saisies)
}
