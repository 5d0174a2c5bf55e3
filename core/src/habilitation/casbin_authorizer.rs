//! The casbin-rs implementation of [`Authorizer`], and its safe reload.

use std::collections::HashMap;
use std::path::Path;

use casbin::{CoreApi, DefaultModel, Enforcer, MemoryAdapter, MgmtApi};

use super::agent::Role;
use super::authorizer::{Attributs, Authorizer, AuthzError, Decision, Demande, Motif, motif_refus};
use super::convention::Action;
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;

/// The model and rules shipped with the binary (`core/authz/`).
pub const MODELE: &str = include_str!("../../authz/model.conf");
pub const REGLES: &str = include_str!("../../authz/policy.csv");

/// Parses `role, categorie, action` lines; names the line at fault.
pub fn parse_regles(fichier: &str, text: &str) -> Result<Vec<Vec<String>>, AuthzError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| AuthzError::Regle { fichier: fichier.into(), ligne: i + 1, message };
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let [role, cat, act] = f.as_slice() else {
            return Err(err(format!("3 champs attendus (rôle, catégorie, action), {} trouvés", f.len())));
        };
        // Typed check: a misspelt name would silently never match in the engine.
        Role::from_code(role).map_err(|e| err(e.to_string()))?;
        Categorie::from_code(cat).map_err(|e| err(e.to_string()))?;
        Action::from_code(act).map_err(|e| err(e.to_string()))?;
        out.push(vec![role.to_string(), cat.to_string(), act.to_string()]);
    }
    Ok(out)
}

/// Casbin enforcers with the DUDE model, one per role: casbin-rs evaluates every rule of
/// an enforcer on each call, so each role's request only scans that role's rules (the
/// matcher still compares the role, so a rule in the wrong partition could never match).
pub struct CasbinAuthorizer {
    par_role: HashMap<Role, Enforcer>,
    regles: usize,
}

impl CasbinAuthorizer {
    pub async fn new(modele: &str, regles: Vec<Vec<String>>) -> Result<Self, AuthzError> {
        let n = regles.len();
        let mut par_role = HashMap::new();
        for role in Role::ALL {
            let m = DefaultModel::from_str(modele).await.map_err(|e| AuthzError::Moteur(e.to_string()))?;
            let mut enforcer =
                Enforcer::new(m, MemoryAdapter::default()).await.map_err(|e| AuthzError::Moteur(e.to_string()))?;
            let mine: Vec<Vec<String>> = regles.iter().filter(|r| r[0] == role.code()).cloned().collect();
            if !mine.is_empty() {
                enforcer.add_policies(mine).await.map_err(|e| AuthzError::Moteur(e.to_string()))?;
            }
            par_role.insert(*role, enforcer);
        }
        Ok(Self { par_role, regles: n })
    }

    /// The shipped model and rules, or those of `dir` (`model.conf`, `policy.csv`).
    pub async fn load(dir: Option<&Path>) -> Result<Self, AuthzError> {
        Self::charger(&Source::lire(dir)?).await
    }

    /// Parses and builds `source`'s rules, then runs the known-answer suite: an
    /// authorizer that serves has passed it.
    pub async fn charger(source: &Source) -> Result<Self, AuthzError> {
        let a = Self::new(&source.modele, parse_regles(&source.nom, &source.regles)?).await?;
        known_answers(&a)?;
        Ok(a)
    }
}

/// What an authorizer is built from: a model, rules, and the name the rules' errors
/// give (a file, or the rules set through the admin API).
#[derive(Debug, Clone)]
pub struct Source {
    pub modele: String,
    pub regles: String,
    pub nom: String,
}

impl Source {
    /// The shipped model and rules, or those of `dir` (`model.conf`, `policy.csv`).
    pub fn lire(dir: Option<&Path>) -> Result<Self, AuthzError> {
        Ok(match dir {
            None => Self { modele: MODELE.into(), regles: REGLES.into(), nom: "authz/policy.csv".into() },
            Some(d) => {
                let read = |f: &str| {
                    std::fs::read_to_string(d.join(f)).map_err(|e| AuthzError::Regle {
                        fichier: d.join(f).display().to_string(),
                        ligne: 0,
                        message: e.to_string(),
                    })
                };
                Self {
                    modele: read("model.conf")?,
                    regles: read("policy.csv")?,
                    nom: d.join("policy.csv").display().to_string(),
                }
            }
        })
    }
}

impl Authorizer for CasbinAuthorizer {
    fn decide(&self, d: &Demande) -> Result<Decision, AuthzError> {
        let enforcer = self.par_role.get(&d.role).ok_or_else(|| AuthzError::Moteur("rôle sans moteur".into()))?;
        let ok = enforcer
            .enforce((d.role.code(), d.categorie.code(), d.action.code(), d.attributs))
            .map_err(|e| AuthzError::Moteur(e.to_string()))?;
        Ok(if ok {
            Decision { autorise: true, motif: Motif::Autorise }
        } else {
            Decision { autorise: false, motif: motif_refus(&d.attributs) }
        })
    }

    fn regles(&self) -> usize {
        self.regles
    }
}

/// Attributes of a fully valid request on 2026-06-15.
pub fn attributs_valides() -> Attributs {
    Attributs {
        aujourdhui: 20260615,
        habilitation_debut: 20260101,
        habilitation_fin: 20261231,
        revoque: 0,
        certifie: 1,
        convention_debut: 20250101,
        convention_fin: 20271231,
        categorie_accordee: 1,
        dans_territoire: 1,
        dans_public: 1,
        mfa_requise: 0,
        mfa: 0,
        partie: 1,
    }
}

/// The known-answer suite every enforcer must pass before it serves: a new set of rules
/// or a new model that changes one of these answers is refused.
pub fn known_answers(a: &dyn Authorizer) -> Result<(), AuthzError> {
    let ok = attributs_valides();
    let with = |f: fn(&mut Attributs)| {
        let mut x = ok;
        f(&mut x);
        x
    };
    let cases: Vec<(Role, Categorie, Action, Attributs, bool)> = vec![
        (Role::Conseiller, Categorie::Rsa, Action::Lire, ok, true),
        (Role::Conseiller, Categorie::Diagnostic, Action::Ecrire, ok, true),
        (Role::TravailleurSocial, Categorie::Contraintes, Action::Ecrire, ok, true),
        (Role::CorrespondantInsertion, Categorie::Diagnostic, Action::Ecrire, ok, false),
        (Role::Administrateur, Categorie::Identite, Action::Lire, ok, false),
        (Role::AuditeurDpo, Categorie::Nir, Action::Lire, ok, false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.revoque = 1), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.habilitation_fin = 20260614), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.habilitation_debut = 20260616), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.certifie = 0), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.convention_fin = 20260614), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.categorie_accordee = 0), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.dans_territoire = 0), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.dans_public = 0), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.mfa_requise = 1), false),
        (Role::Conseiller, Categorie::Rsa, Action::Lire, with(|a| a.partie = 0), false),
        (
            Role::Conseiller,
            Categorie::Rsa,
            Action::Lire,
            with(|a| {
                a.mfa_requise = 1;
                a.mfa = 1
            }),
            true,
        ),
    ];
    for (i, (role, categorie, action, attributs, attendu)) in cases.into_iter().enumerate() {
        let d = a.decide(&Demande { role, categorie, action, attributs })?;
        if d.autorise != attendu {
            return Err(AuthzError::ReponsesConnues(format!(
                "cas {} ({} {} {}) : {} au lieu de {}",
                i + 1,
                role.code(),
                categorie.code(),
                action.code(),
                if d.autorise { "autorisé" } else { "refusé" },
                if attendu { "autorisé" } else { "refusé" }
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shipped_rules_pass_known_answers() {
        let a = CasbinAuthorizer::load(None).await.unwrap();
        assert!(a.regles() >= 40);
        let mut x = attributs_valides();
        x.dans_territoire = 0;
        let d = a
            .decide(&Demande { role: Role::Conseiller, categorie: Categorie::Rsa, action: Action::Lire, attributs: x })
            .unwrap();
        assert_eq!(d, Decision { autorise: false, motif: Motif::HorsTerritoire });
    }

    #[tokio::test]
    async fn a_misspelt_rule_names_its_line() {
        let err = parse_regles("p.csv", "CONSEILLER, rsa, lire\nCONSEILER, rsa, lire\n").unwrap_err();
        assert!(matches!(err, AuthzError::Regle { ligne: 2, .. }), "{err}");
        let err = parse_regles("p.csv", "CONSEILLER, rsa\n").unwrap_err();
        assert!(err.to_string().contains("ligne 1"), "{err}");
    }

    #[tokio::test]
    async fn rules_that_change_a_known_answer_are_refused() {
        // granting writes on diagnostic to the correspondant insertion breaks case 4
        let mut regles = parse_regles("p", REGLES).unwrap();
        regles.push(vec!["CORRESPONDANT_INSERTION".into(), "diagnostic".into(), "ecrire".into()]);
        let a = CasbinAuthorizer::new(MODELE, regles).await.unwrap();
        let err = known_answers(&a).unwrap_err();
        assert!(err.to_string().contains("cas 4"), "{err}");
        // a model whose matcher forgets the territory is refused too
        let lax = MODELE.replace("&& r.env.dans_territoire == 1 ", "");
        let a = CasbinAuthorizer::new(&lax, parse_regles("p", REGLES).unwrap()).await.unwrap();
        assert!(known_answers(&a).is_err());
    }
}
