//! Deterministic, realistic synthetic dossiers for demonstrations, tests and benchmarks.
//!
//! Person `i` depends only on the seed, `i` and the reference day, so `dude demo --sample K`
//! can print people of a database seeded with `dude demo --count N` without reading it.

pub mod habilitations;
mod noms;

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::store::{Provenance, Store, StoreError};
use dude_modele::dossier::accompagnement::*;
use dude_modele::dossier::codes::Coded;
use dude_modele::dossier::contact::{Adresse, Contact, Departement};
use dude_modele::dossier::contraintes::*;
use dude_modele::dossier::diagnostic::*;
use dude_modele::dossier::echanges::*;
use dude_modele::dossier::identite::*;
use dude_modele::dossier::inscription::*;
use dude_modele::dossier::metiers::*;
use dude_modele::dossier::orientation::*;
use dude_modele::dossier::rsa::*;
use dude_modele::dossier::{Dossier, Inscription, Nir};

pub const DEFAULT_SEED: u64 = 0x0D0D_E2026;

/// The demo generator.
#[derive(Debug, Clone, Copy)]
pub struct Demo {
    pub seed: u64,
    /// Histories end on this day.
    pub today: NaiveDate,
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("non-empty list")
}

fn pick_enum<T: dude_modele::dossier::codes::Coded>(rng: &mut ChaCha8Rng) -> T {
    *pick(rng, T::ALL)
}

fn day_between(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Duration::days(rng.gen_range(0..=span))
}

impl Demo {
    pub fn new(seed: u64, today: NaiveDate) -> Self {
        Self { seed, today }
    }

    fn rng(&self, i: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(self.seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Person number `i`.
    pub fn dossier(&self, i: u64) -> Dossier {
        let mut rng = self.rng(i);
        let r = &mut rng;
        let (code_dep, communes) = pick(r, noms::DEPARTEMENTS);
        let departement = Departement::parse(code_dep).expect("valid demo département");
        let sexe = if r.gen_bool(0.5) { Sexe::Homme } else { Sexe::Femme };
        let prenom = pick(r, if sexe == Sexe::Homme { noms::PRENOMS_H } else { noms::PRENOMS_F }).to_string();
        let nom = pick(r, noms::NOMS).to_string();
        let naissance = day_between(
            r,
            NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2005, 12, 31).unwrap(),
        );
        let nia = r.gen_bool(0.02);
        let first = match (nia, sexe) {
            (false, Sexe::Homme) => 1,
            (false, Sexe::Femme) => 2,
            (true, Sexe::Homme) => 7,
            (true, Sexe::Femme) => 8,
        };
        // département (2 chars) + commune (3 digits), or DROM (3 digits) + commune (2 digits);
        // commune and order number come from `i`, so every demo NIR is unique.
        let lieu = if code_dep.len() == 3 {
            format!("{code_dep}{:02}", (i / 1000) % 100)
        } else {
            format!("{code_dep}{:03}", (i / 1000) % 1000)
        };
        let body = format!("{first}{:02}{:02}{lieu}{:03}", naissance.year() % 100, naissance.month(), i % 1000);
        let nir = Nir::parse(&body).expect("demo NIR is valid");
        let identite = Identite {
            civilite: if sexe == Sexe::Homme { Civilite::Monsieur } else { Civilite::Madame },
            nom: nom.clone(),
            nom_naissance: (sexe == Sexe::Femme && r.gen_bool(0.3)).then(|| pick(r, noms::NOMS).to_string()),
            prenom: prenom.clone(),
            date_naissance: naissance,
            sexe,
            nationalite: Some(if r.gen_bool(0.85) {
                Nationalite::Francaise
            } else if r.gen_bool(0.4) {
                Nationalite::UnionEuropeenne
            } else {
                Nationalite::HorsUnion
            }),
            identite_certifiee: r.gen_bool(0.9),
            // unique per person and seed: 11 digits, as France Travail's clients expect
            numero_france_travail: Some(format!("{:011}", (self.seed % 900 + 100) * 100_000_000 + i % 100_000_000)),
        };
        let mut d = Dossier::new(nir, identite);
        d.id = Uuid::from_u64_pair(self.seed, i);
        d.situation = SituationPersonnelle {
            situation_familiale: Some(if r.gen_bool(0.55) {
                SituationFamiliale::Seul
            } else {
                SituationFamiliale::EnCouple
            }),
            enfants_a_charge: *pick(r, &[0, 0, 0, 1, 1, 2, 2, 3, 4]),
            rqth: r.gen_bool(0.08),
            rqth_debut: None,
            rqth_fin: None,
        };
        let (commune, cp) = pick(r, communes);
        d.contact = Some(Contact {
            telephone: Some(format!("06{:08}", r.gen_range(0..100_000_000u32))),
            courriel: r
                .gen_bool(0.8)
                .then(|| format!("{}.{}{}@exemple.fr", ascii(&prenom), ascii(&nom), r.gen_range(1..99)).to_lowercase()),
            adresse: Adresse {
                ligne1: format!("{} {}", r.gen_range(1..120), pick(r, noms::VOIES)),
                ligne2: None,
                code_postal: cp.to_string(),
                commune: commune.to_string(),
            },
            departement,
            zrr: r.gen_bool(0.1),
            qpv: r.gen_bool(0.15),
        });
        self.histoire(r, &mut d);
        self.rsa(r, &mut d);
        self.profil(r, &mut d, i);
        // drawn last, so that the draws above stay those of earlier demo data
        if d.situation.rqth {
            let debut = day_between(r, d.identite.date_naissance + Duration::days(18 * 365), self.today);
            d.situation.rqth_debut = Some(debut);
            d.situation.rqth_fin = r.gen_bool(0.6).then(|| debut + Duration::days(5 * 365));
        }
        d
    }

    fn histoire(&self, r: &mut ChaCha8Rng, d: &mut Dossier) {
        if r.gen_bool(0.12) {
            return; // identified, never registered
        }
        let start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        let mut date = day_between(r, start, self.today - Duration::days(30));
        let mut h = HistoriqueInscription::default();
        let cat = |r: &mut ChaCha8Rng| {
            *pick(
                r,
                &[
                    CategorieInscription::Cat1,
                    CategorieInscription::Cat1,
                    CategorieInscription::Cat2,
                    CategorieInscription::Cat3,
                    CategorieInscription::Cat4,
                    CategorieInscription::Cat5,
                ],
            )
        };
        h.push(EvenementInscription::inscription(date, cat(r), pick_enum(r), pick_enum(r))).expect("valid");
        loop {
            // registered for 1 to 30 months, then cessation or radiation
            date += Duration::days(r.gen_range(20..900));
            if date > self.today {
                break;
            }
            let closure = if r.gen_bool(0.7) {
                EvenementInscription::cessation(
                    date,
                    *pick(
                        r,
                        &[
                            MotifCloture::DefautActualisation,
                            MotifCloture::RepriseEmploi,
                            MotifCloture::EntreeFormation,
                            MotifCloture::ArretMaladie,
                            MotifCloture::Demande,
                        ],
                    ),
                )
            } else {
                EvenementInscription::radiation(
                    date,
                    *pick(
                        r,
                        &[
                            MotifCloture::AbsenceConvocation,
                            MotifCloture::InsuffisanceRecherche,
                            MotifCloture::RefusFormation,
                        ],
                    ),
                )
            };
            h.push(closure).expect("valid");
            if r.gen_bool(0.3) {
                break; // gone for good
            }
            // back after 0 days (same-day re-registration) to 14 months
            date += Duration::days(if r.gen_bool(0.05) { 0 } else { r.gen_range(1..420) });
            if date > self.today {
                break;
            }
            h.push(EvenementInscription::reinscription(date, cat(r), pick_enum(r), pick_enum(r))).expect("valid");
        }
        let last_registered = matches!(h.statut_au(self.today).statut, StatutDe::Inscrit);
        d.inscription = Inscription {
            historique: h,
            derniere_actualisation: last_registered.then(|| {
                let m = self.today.with_day(1).unwrap() - Duration::days(1);
                m.with_day(28).unwrap()
            }),
        };
    }

    fn rsa(&self, r: &mut ChaCha8Rng, d: &mut Dossier) {
        if !r.gen_bool(0.45) {
            return;
        }
        let entree = day_between(r, NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(), self.today - Duration::days(10));
        let caf = r.gen_bool(0.9);
        d.rsa = Some(Rsa {
            beneficiaire: true,
            role: Some(if r.gen_bool(0.75) { RoleRsa::Demandeur } else { RoleRsa::Conjoint }),
            date_entree: Some(entree),
            organisme: Some(if caf { OrganismePayeur::Caf } else { OrganismePayeur::Msa }),
            numero_allocataire: Some(format!("{:07}", r.gen_range(0..10_000_000u32))),
            droits_devoirs: r.gen_bool(0.92),
            etat_dossier: Some(if r.gen_bool(0.9) {
                EtatDossierRsa::OuvertVersable
            } else {
                EtatDossierRsa::OuvertSuspendu
            }),
            cloture: None,
            suspension: None,
        });
        d.orientation = Some(Orientation {
            type_parcours: pick_enum(r),
            date: day_between(r, entree, self.today),
            referent: r.gen_bool(0.7).then(|| Referent {
                nom: pick(r, noms::NOMS).to_string(),
                prenom: pick(r, noms::PRENOMS_F).to_string(),
                courriel: None,
            }),
            structure: Some(format!(
                "Pôle insertion {}",
                d.contact.as_ref().map(|c| c.adresse.commune.clone()).unwrap_or_default()
            )),
            organisme: Some(OrganismeOrientation::ConseilDepartemental),
            origine: None,
        });
    }

    fn profil(&self, r: &mut ChaCha8Rng, d: &mut Dossier, i: u64) {
        let n_metiers = *pick(r, &[0usize, 1, 1, 1, 2, 2]);
        for k in 0..n_metiers {
            let (rome, libelle, appellation) = *pick(r, noms::METIERS);
            let id_metier = format!("M{i}-{k}");
            d.metiers_recherches.push(MetierRecherche {
                identifiant: id_metier.clone(),
                appellation: Appellation { code: appellation.to_string(), libelle: libelle.to_string() },
                rome: rome.to_string(),
                contrats: vec![Contrat { type_contrat: pick_enum(r), critere_ore: r.gen_bool(0.5), priorite: 0 }],
                date_validation_passeport_emploi: None,
                duree_experience: r
                    .gen_bool(0.6)
                    .then(|| DureeExperience { valeur: r.gen_range(1..15), unite: UniteDuree::Annees }),
                durees_hebdomadaires: Some(DureesHebdomadaires {
                    critere_ore: r.gen_bool(0.5),
                    temps_travail: pick_enum(r),
                }),
                mobilite_habitation: Some(r.gen_bool(0.2)),
                mobilites: vec![Mobilite {
                    lieu: Lieu {
                        type_lieu: TypeLieu::Departement,
                        code: d.departement().map(|x| x.to_string()).unwrap_or_default(),
                        libelle: "Département de résidence".into(),
                    },
                    mobilite_prioritaire: true,
                    rayon: Some(*pick(r, &[10, 20, 30, 50])),
                    unite: Some(UniteMobilite::Kilometres),
                }],
                mrs: r.gen_bool(0.1),
                passeport_emploi: None,
                salaire: r
                    .gen_bool(0.5)
                    .then(|| Salaire { montant: r.gen_range(1800..3200), unite: UniteSalaire::Mensuel }),
                typologie_emploi: if k == 0 {
                    TypologieEmploi::MetierRecherche
                } else {
                    TypologieEmploi::ProjetEvolution
                },
            });
            if r.gen_bool(0.7) {
                let mut codes: Vec<CodeBesoin> = CodeBesoin::du_diagnostic().collect();
                codes.shuffle(r);
                d.diagnostic.besoins_par_diagnostic.push(BesoinsParDiagnostic {
                    id_metier: id_metier.clone(),
                    besoins: codes
                        .into_iter()
                        .take(r.gen_range(2..6))
                        .map(|code| Besoin { code, valeur: pick_enum(r) })
                        .collect(),
                });
                d.diagnostic.diagnostics.push(DiagnosticMetier {
                    id_metier,
                    nom_metier: libelle.to_string(),
                    statut: pick_enum(r),
                    typologie: if k == 0 {
                        TypologieDiagnostic::MetierRecherche
                    } else {
                        TypologieDiagnostic::ProjetEvolution
                    },
                    est_prioritaire: k == 0,
                    conseiller: Conseiller {
                        nom: pick(r, noms::NOMS).to_string(),
                        prenom: pick(r, noms::PRENOMS_H).to_string(),
                        structure: "France Travail".into(),
                    },
                    date_mise_a_jour: day_between(r, self.today - Duration::days(400), self.today),
                });
            }
        }
        if r.gen_bool(0.5) {
            let mut codes: Vec<CodeContrainte> = CodeContrainte::ALL.to_vec();
            codes.shuffle(r);
            let date = day_between(r, self.today - Duration::days(500), self.today);
            d.contraintes = Contraintes {
                date_exploration: Some(date),
                conseiller: Some(format!("AG{:05}", r.gen_range(0..100_000))),
                date_de_modification: Some(date),
                contraintes: codes
                    .into_iter()
                    .take(r.gen_range(1..5))
                    .map(|code| Contrainte {
                        code,
                        valeur: pick_enum(r),
                        date,
                        situations: vec![SituationContrainte {
                            code: *pick(r, &code.situations().collect::<Vec<_>>()),
                            valeur: pick_enum(r),
                        }],
                        objectifs: vec![ObjectifContrainte {
                            code: *pick(r, &code.objectifs().collect::<Vec<_>>()),
                            valeur: pick_enum(r),
                        }],
                    })
                    .collect(),
            };
        }
        if r.gen_bool(0.4) {
            d.pouvoir_agir = Some(PouvoirAgir {
                confiance: pick_enum(r),
                accompagnement: pick_enum(r),
                resultat_analyse: pick_enum(r),
            });
        }
        if r.gen_bool(0.05) {
            let (rome, libelle, appellation) = *pick(r, noms::METIERS);
            d.projets_creation.push(ProjetCref {
                identifiant: format!("C{i}"),
                appellation: Appellation { code: appellation.to_string(), libelle: libelle.to_string() },
                rome: rome.to_string(),
                mobilites: Vec::new(),
                type_cref_creation: true,
                type_cref_reprise: false,
                type_cref_franchise: r.gen_bool(0.2),
            });
        }
        if d.inscription.historique.evenements().is_empty() {
            return;
        }
        let modalite: ModaliteAccompagnement =
            if d.beneficiaire_rsa() && r.gen_bool(0.2) { ModaliteAccompagnement::Global } else { pick_enum(r) };
        let debut = day_between(r, self.today - Duration::days(700), self.today - Duration::days(1));
        d.accompagnement = Some(Accompagnement {
            modalite: Some(modalite),
            date_debut: debut,
            date_fin_prevue: Some(debut + Duration::days(365)),
            structure: Some("France Travail".into()),
            global: (modalite == ModaliteAccompagnement::Global).then(|| {
                let mut freins: Vec<CodeContrainte> = CodeContrainte::de_la_thematique().collect();
                freins.shuffle(r);
                freins.truncate(r.gen_range(1..4));
                AccompagnementGlobal {
                    freins,
                    motifs_non_integration: Vec::new(),
                    bilans: if debut + Duration::days(183) <= self.today {
                        vec![BilanGlobal {
                            date: debut + Duration::days(183),
                            resultat: pick_enum(r),
                            decision: DecisionBilan::Maintien,
                            sortie: None,
                        }]
                    } else {
                        Vec::new()
                    },
                    prolongations: Vec::new(),
                }
            }),
            parcours: None,
        });
        for _ in 0..r.gen_range(0..5) {
            d.echanges.push(Echange {
                date: day_between(r, debut, self.today),
                canal: pick_enum(r),
                motif: pick_enum(r),
                piece_jointe: r.gen_bool(0.1),
            });
        }
        d.echanges.sort_by_key(|e| e.date);
    }
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect()
}

/// Seeds demo dossiers `0..count` in transactional batches; returns how many were added.
pub async fn semer(store: &Store, demo: &Demo, count: u64) -> Result<u64, StoreError> {
    const BATCH: u64 = 1000;
    let prov = Provenance::new("demo:dude", None);
    let mut added = 0;
    let mut start = 0;
    // Drawn on stderr only when it is a terminal.
    let bar = indicatif::ProgressBar::new(count).with_message("dossiers de démonstration");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    while start < count {
        let end = (start + BATCH).min(count);
        let last = demo.dossier(end - 1);
        if !store.dossier_existe(last.id).await? {
            let batch: Vec<_> = (start..end).map(|i| demo.dossier(i)).collect();
            store.inserer_dossiers(&batch, &prov).await?;
            added += end - start;
            // the SQLite write-ahead log bounded: 10,000 dossiers' worth at most (about
            // 500 MB; every 50,000 it reached 2.5 GB at a million, BENCHMARKS.md)
            if (end / BATCH).is_multiple_of(10) {
                store.tronquer_wal().await?;
            }
        }
        start = end;
        bar.set_position(end);
    }
    bar.finish_and_clear();
    store.tronquer_wal().await?;
    if added > 0 {
        store.apres_chargement().await?;
    }
    Ok(added)
}

/// JSON lines of findable demo people.
pub fn echantillon(demo: &Demo, k: u64) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut i = 0;
    while (out.len() as u64) < k && i < k * 20 + 100 {
        let d = demo.dossier(i);
        if d.inscription.historique.recherchable_au(demo.today) {
            out.push(serde_json::json!({
                "nir": d.nir.expose(),
                "dateNaissance": d.identite.date_naissance,
                "numeroFranceTravail": d.identite.numero_france_travail,
                "departement": d.departement().map(|x| x.to_string()),
                "nom": d.identite.nom,
                "prenom": d.identite.prenom,
                "rsa": d.beneficiaire_rsa(),
            }));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let demo = Demo::new(DEFAULT_SEED, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let a = demo.dossier(42);
        let b = demo.dossier(42);
        assert_eq!(a, b);
        let mut nirs = std::collections::HashSet::new();
        for i in 0..3000 {
            let d = demo.dossier(i);
            assert!(nirs.insert(d.nir.expose()), "NIR unique");
            // histories are valid by construction (push checks every transition)
            assert!(d.inscription.historique.evenements().iter().all(|e| e.date <= demo.today));
        }
    }
}
