//! `/dossiers/{id}`: a person's dossier as the agent's habilitation allows, in the
//! sections of seed 002 annex 3 §2, each part with where it came from. The address holds
//! the organisation's `idNational` of the person: tampered or foreign, it answers as an
//! unknown person.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;

use super::session::Connecte;
use super::{Cadre, erreur, page};
use crate::app::AppState;
use crate::app::acces::{Origine, Reference};
use crate::app::consultation::{self, Consultation, DossierLisible, Vue};
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;

/// A part of a section: label–value pairs, or a table, with its provenance.
pub struct Bloc {
    pub titre: String,
    pub champs: Vec<(String, String)>,
    pub entetes: Vec<&'static str>,
    pub lignes: Vec<Vec<String>>,
    /// What to say when there is nothing (an empty table).
    pub vide: &'static str,
    pub origine: Option<String>,
}

/// A section of the page (annex 3 §2).
pub struct Section {
    pub id: &'static str,
    pub titre: &'static str,
    pub blocs: Vec<Bloc>,
}

#[derive(Template)]
#[template(path = "portail/dossier.html")]
struct PageDossier {
    cadre: Cadre,
    reference: String,
    personne: String,
    sections: Vec<Section>,
    diagnostic_modifiable: bool,
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn oui_non(b: bool) -> String {
    if b { "Oui" } else { "Non" }.to_string()
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(|| "—".to_string(), f)
}

fn origine(p: &BTreeMap<String, Origine>, c: Categorie) -> Option<String> {
    p.get(c.code()).map(|o| {
        let auteur = o.auteur.as_deref().map(|a| format!(", par {a}")).unwrap_or_default();
        format!("Source : {}{auteur}, le {}", o.source, o.maj_le.format("%d/%m/%Y à %H:%M UTC"))
    })
}

impl Bloc {
    fn champs(titre: &str, champs: Vec<(&str, String)>, origine: Option<String>) -> Self {
        Bloc {
            titre: titre.to_string(),
            champs: champs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            entetes: Vec::new(),
            lignes: Vec::new(),
            vide: "",
            origine,
        }
    }

    fn tableau(
        titre: &str,
        entetes: Vec<&'static str>,
        lignes: Vec<Vec<String>>,
        vide: &'static str,
        origine: Option<String>,
    ) -> Self {
        Bloc { titre: titre.to_string(), champs: Vec::new(), entetes, lignes, vide, origine }
    }
}

/// The sections, in the annex's order, with what is readable.
fn sections(c: &Consultation) -> Vec<Section> {
    let d: &DossierLisible = &c.dossier;
    let p = &c.provenance;
    let mut essentiel = Vec::new();
    let mut personnel = Vec::new();
    if let Some(i) = &d.identite {
        let id = &i.identite;
        let mut champs = vec![
            ("Nom", id.nom.clone()),
            ("Prénom", id.prenom.clone()),
            ("Date de naissance", date(id.date_naissance)),
            ("Identifiant France Travail", opt(id.numero_france_travail.clone(), |x| x)),
        ];
        if let Some(n) = &d.nir_debut {
            champs.insert(0, ("NIR (7 premiers caractères)", n.clone()));
        }
        essentiel.push(Bloc::champs("Identité", champs, origine(p, Categorie::Identite)));
        let s = &i.situation;
        personnel.push(Bloc::champs(
            "Identité et situation personnelle",
            vec![
                ("Civilité", id.civilite.libelle().to_string()),
                ("Sexe", id.sexe.libelle().to_string()),
                ("Nom de naissance", opt(id.nom_naissance.clone(), |x| x)),
                ("Nationalité", opt(id.nationalite, |n| n.libelle().to_string())),
                ("Identité certifiée", oui_non(id.identite_certifiee)),
                ("Situation familiale", opt(s.situation_familiale, |x| x.libelle().to_string())),
                ("Enfants à charge", s.enfants_a_charge.to_string()),
                ("Reconnaissance de la qualité de travailleur handicapé", oui_non(s.rqth)),
            ],
            origine(p, Categorie::Identite),
        ));
    }
    if let Some(contact) = &d.contact {
        let champs = match contact {
            Some(k) => vec![
                (
                    "Adresse postale",
                    [Some(k.adresse.ligne1.clone()), k.adresse.ligne2.clone()]
                        .into_iter()
                        .flatten()
                        .chain([format!("{} {}", k.adresse.code_postal, k.adresse.commune)])
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                ("Téléphone", opt(k.telephone.clone(), |x| x)),
                ("Adresse électronique", opt(k.courriel.clone(), |x| x)),
                ("Réside en zone de revitalisation rurale", oui_non(k.zrr)),
                ("Réside en quartier prioritaire de la politique de la ville", oui_non(k.qpv)),
            ],
            None => vec![("Coordonnées", "Non renseignées".to_string())],
        };
        essentiel.push(Bloc::champs("Coordonnées", champs, origine(p, Categorie::Contact)));
    }
    if let Some((ins, statut)) = &d.inscription {
        let ouverture = statut.ouverture.as_ref();
        essentiel.push(Bloc::champs(
            "Inscription à France Travail",
            vec![
                ("Statut", statut.statut.libelle().to_string()),
                ("Date d'inscription", opt(ouverture.map(|e| e.date), date)),
                ("Catégorie d'inscription", opt(ouverture.and_then(|e| e.categorie), |c| c.libelle().to_string())),
                ("Dernière actualisation", opt(ins.derniere_actualisation, date)),
            ],
            origine(p, Categorie::Inscription),
        ));
        personnel.push(Bloc::tableau(
            "Historique de l'inscription",
            vec!["Date", "Événement", "Catégorie", "Motif"],
            ins.historique
                .evenements()
                .iter()
                .map(|e| {
                    vec![
                        date(e.date),
                        e.evenement.libelle().to_string(),
                        opt(e.categorie, |c| c.libelle().to_string()),
                        e.motif_inscription
                            .map(|m| m.libelle().to_string())
                            .or(e.motif_cloture.map(|m| m.libelle().to_string()))
                            .unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect(),
            "Jamais inscrite.",
            origine(p, Categorie::Inscription),
        ));
    }
    if let Some(rsa) = &d.rsa {
        let champs = match rsa {
            Some(r) => vec![
                ("Bénéficiaire du RSA", oui_non(r.beneficiaire)),
                ("Rôle dans le foyer", opt(r.role, |x| x.libelle().to_string())),
                ("Date d'entrée", opt(r.date_entree, date)),
                ("Organisme payeur", opt(r.organisme, |x| x.libelle().to_string())),
                ("Soumis aux droits et devoirs", oui_non(r.droits_devoirs)),
                ("État du dossier", opt(r.etat_dossier, |x| x.libelle().to_string())),
            ],
            None => vec![("Bénéficiaire du RSA", "Non".to_string())],
        };
        essentiel.push(Bloc::champs("Revenu de solidarité active", champs, origine(p, Categorie::Rsa)));
    }
    let mut profil = Vec::new();
    if let Some(m) = &d.metiers {
        profil.push(Bloc::tableau(
            "Métiers recherchés",
            vec!["Métier", "Code ROME", "Expérience", "Mobilité"],
            m.iter()
                .map(|m| {
                    vec![
                        m.appellation.libelle.clone(),
                        m.rome.clone(),
                        opt(m.duree_experience.as_ref(), |e| format!("{} {}", e.valeur, e.unite.libelle())),
                        m.mobilites.iter().map(|x| x.lieu.libelle.clone()).collect::<Vec<_>>().join(", "),
                    ]
                })
                .collect(),
            "Aucun métier recherché enregistré.",
            origine(p, Categorie::MetiersRecherches),
        ));
    }
    if let Some(pr) = &d.projets {
        profil.push(Bloc::tableau(
            "Projets de création, reprise ou franchise",
            vec!["Activité", "Code ROME", "Création", "Reprise", "Franchise"],
            pr.iter()
                .map(|x| {
                    vec![
                        x.appellation.libelle.clone(),
                        x.rome.clone(),
                        oui_non(x.type_cref_creation),
                        oui_non(x.type_cref_reprise),
                        oui_non(x.type_cref_franchise),
                    ]
                })
                .collect(),
            "Aucun projet enregistré.",
            origine(p, Categorie::ProjetsCreation),
        ));
    }
    let mut diagnostic = Vec::new();
    if let Some(o) = &d.orientation {
        let champs = match o {
            Some(o) => vec![
                ("Parcours", o.type_parcours.libelle().to_string()),
                ("Date d'orientation", date(o.date)),
                ("Structure", opt(o.structure.clone(), |x| x)),
                ("Référent", opt(o.referent.as_ref(), |r| format!("{} {}", r.prenom, r.nom))),
            ],
            None => vec![("Orientation", "Non renseignée".to_string())],
        };
        diagnostic.push(Bloc::champs(
            "Modalité de suivi et d'accompagnement",
            champs,
            origine(p, Categorie::Orientation),
        ));
    }
    if let Some(dg) = &d.diagnostic {
        diagnostic.push(Bloc::tableau(
            "Diagnostics par métier",
            vec!["Métier", "Typologie", "Statut", "Prioritaire", "Mis à jour", "Structure"],
            dg.diagnostics
                .iter()
                .map(|x| {
                    vec![
                        x.nom_metier.clone(),
                        x.typologie.libelle().to_string(),
                        x.statut.libelle().to_string(),
                        oui_non(x.est_prioritaire),
                        date(x.date_mise_a_jour),
                        x.conseiller.structure.clone(),
                    ]
                })
                .collect(),
            "Aucun diagnostic.",
            origine(p, Categorie::Diagnostic),
        ));
        let noms: BTreeMap<&str, &str> =
            dg.diagnostics.iter().map(|x| (x.id_metier.as_str(), x.nom_metier.as_str())).collect();
        diagnostic.push(Bloc::tableau(
            "Besoins identifiés liés au projet professionnel",
            vec!["Diagnostic", "Besoin", "Valeur"],
            dg.besoins_par_diagnostic
                .iter()
                .flat_map(|b| {
                    let metier = noms.get(b.id_metier.as_str()).copied().unwrap_or("—").to_string();
                    b.besoins.iter().map(move |x| {
                        vec![metier.clone(), x.code.libelle().to_string(), x.valeur.libelle().to_string()]
                    })
                })
                .collect(),
            "Aucun besoin exploré.",
            origine(p, Categorie::Diagnostic),
        ));
    }
    if let Some(ct) = &d.contraintes {
        diagnostic.push(Bloc::tableau(
            "Contraintes personnelles identifiées",
            vec!["Contrainte", "Valeur", "Situations", "Objectifs"],
            ct.contraintes
                .iter()
                .map(|x| {
                    vec![
                        x.code.libelle().to_string(),
                        x.valeur.libelle().to_string(),
                        x.situations.iter().map(|s| s.code.libelle()).collect::<Vec<_>>().join(" ; "),
                        x.objectifs
                            .iter()
                            .map(|o| format!("{} ({})", o.code.libelle(), o.valeur.libelle()))
                            .collect::<Vec<_>>()
                            .join(" ; "),
                    ]
                })
                .collect(),
            "Aucune contrainte explorée.",
            origine(p, Categorie::Contraintes),
        ));
    }
    if let Some(pa) = &d.pouvoir_agir {
        let champs = match pa {
            Some(x) => vec![
                ("Confiance en sa capacité à retrouver un emploi", x.confiance.libelle().to_string()),
                ("Besoin d'être accompagné", x.accompagnement.libelle().to_string()),
                ("Analyse", x.resultat_analyse.libelle().to_string()),
            ],
            None => vec![("Pouvoir d'agir", "Non exploré".to_string())],
        };
        diagnostic.push(Bloc::champs("Pouvoir d'agir", champs, origine(p, Categorie::PouvoirAgir)));
    }
    let mut echanges = Vec::new();
    if let Some(e) = &d.echanges {
        echanges.push(Bloc::tableau(
            "Contacts et relations avec France Travail",
            vec!["Date", "Canal", "Motif", "Pièce jointe"],
            e.iter()
                .map(|x| {
                    vec![
                        date(x.date),
                        x.canal.libelle().to_string(),
                        x.motif.libelle().to_string(),
                        oui_non(x.piece_jointe),
                    ]
                })
                .collect(),
            "Aucun échange enregistré.",
            origine(p, Categorie::ContactsEchanges),
        ));
    }
    if let Some(r) = &d.rendez_vous {
        echanges.push(Bloc::tableau(
            "Rendez-vous du parcours",
            vec!["Date", "Motif", "Modalité", "Statut", "Organisme"],
            r.0.iter()
                .map(|x| {
                    let v = &x.detail;
                    vec![
                        v.date.format("%d/%m/%Y %H:%M").to_string(),
                        v.motif.libelle().to_string(),
                        v.modalite_contact.libelle().to_string(),
                        v.statut.libelle().to_string(),
                        v.organisme.libelle_structure.clone().unwrap_or_else(|| v.organisme.code.libelle().to_string()),
                    ]
                })
                .collect(),
            "Aucun rendez-vous.",
            origine(p, Categorie::RendezVous),
        ));
    }
    let mut global = Vec::new();
    if let Some(a) = &d.accompagnement {
        match a {
            Some(a) => {
                global.push(Bloc::champs(
                    "Accompagnement",
                    vec![
                        ("Modalité", opt(a.modalite, |m| m.libelle().to_string())),
                        ("Début", date(a.date_debut)),
                        ("Fin prévue", opt(a.date_fin_prevue, date)),
                        ("Structure", opt(a.structure.clone(), |x| x)),
                    ],
                    origine(p, Categorie::AccompagnementGlobal),
                ));
                if let Some(g) = &a.global {
                    global.push(Bloc::champs(
                        "Accompagnement global",
                        vec![
                            (
                                "Freins périphériques",
                                g.freins.iter().map(|f| f.libelle()).collect::<Vec<_>>().join(" ; "),
                            ),
                            (
                                "Motifs de non-intégration",
                                g.motifs_non_integration.iter().map(|m| m.libelle()).collect::<Vec<_>>().join(" ; "),
                            ),
                        ],
                        None,
                    ));
                    global.push(Bloc::tableau(
                        "Bilans",
                        vec!["Date", "Résultat", "Décision", "Sortie"],
                        g.bilans
                            .iter()
                            .map(|b| {
                                vec![
                                    date(b.date),
                                    b.resultat.libelle().to_string(),
                                    b.decision.libelle().to_string(),
                                    opt(b.sortie, |s| s.libelle().to_string()),
                                ]
                            })
                            .collect(),
                        "Aucun bilan.",
                        None,
                    ));
                }
            }
            None => global.push(Bloc::champs("Accompagnement", vec![("Accompagnement", "Aucun".into())], None)),
        }
    }
    [
        ("essentiel", "L'essentiel", essentiel),
        ("personnel", "Informations personnelles et situation", personnel),
        ("profil", "Profil de compétences", profil),
        ("diagnostic", "Diagnostic et actions", diagnostic),
        ("echanges", "Échanges et contacts", echanges),
        ("accompagnement", "Accompagnement", global),
    ]
    .into_iter()
    .filter(|(_, _, b)| !b.is_empty())
    .map(|(id, titre, blocs)| Section { id, titre, blocs })
    .collect()
}

/// `GET /dossiers/{id}`.
pub async fn consulter(State(state): State<AppState>, c: Connecte, Path(reference): Path<String>) -> Response {
    match consultation::consulter(state.services(), &c.appelant, Reference::IdNational(&reference), Vue::Dossier).await
    {
        Ok(x) => {
            let personne = x
                .dossier
                .identite
                .as_ref()
                .map_or_else(|| "Dossier".to_string(), |i| format!("{} {}", i.identite.prenom, i.identite.nom));
            let diagnostic_modifiable = [Categorie::Diagnostic, Categorie::Contraintes, Categorie::PouvoirAgir]
                .iter()
                .any(|k| x.modifiables.contains(k));
            page(
                StatusCode::OK,
                &PageDossier {
                    cadre: Cadre::new(&state, format!("Dossier de {personne}"), Some(c.agent.clone())),
                    sections: sections(&x),
                    reference,
                    personne,
                    diagnostic_modifiable,
                },
            )
        }
        Err(e) => erreur(&state, &c, e),
    }
}
