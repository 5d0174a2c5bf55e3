//! The adapters of a directory, by name; the one a convention binds (name, semver
//! requirement, optional sha256 pin).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use super::{Adaptateur, AdaptateurError, Moteur, Sens};
use dude_modele::habilitation::convention::Convention;

/// Loaded adapters.
pub struct Catalogue {
    pub moteur: Moteur,
    pub repertoire: PathBuf,
    cache: Option<PathBuf>,
    adaptateurs: RwLock<HashMap<String, Arc<Adaptateur>>>,
    /// Last load failure per file.
    pub erreurs: RwLock<HashMap<String, String>>,
}

impl Catalogue {
    pub fn new(moteur: Moteur, repertoire: PathBuf, cache: Option<PathBuf>) -> Self {
        Self { moteur, repertoire, cache, adaptateurs: Default::default(), erreurs: Default::default() }
    }

    /// Loads the adapters built into the binary (blocking: compiles, or reads the cached
    /// code); returns how many.
    pub fn charger_integres(&self) -> usize {
        let mut n = 0;
        for (fichier, octets) in super::integres::INTEGRES {
            let res = Adaptateur::charger(&self.moteur, fichier, octets, self.cache.as_deref());
            if self.retenir(fichier, res).is_ok() {
                n += 1;
            }
        }
        n
    }

    /// Loads every `*.wasm` of the directory (blocking: compiles). A file that fails is
    /// reported and leaves what was loaded from it before in place.
    pub fn charger_tout(&self) -> usize {
        let Ok(rd) = std::fs::read_dir(&self.repertoire) else {
            return 0;
        };
        let mut n = 0;
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wasm") && self.charger_fichier(&p).is_ok() {
                n += 1;
            }
        }
        self.nettoyer_cache();
        n
    }

    /// Removes from the compiled-code cache what no loaded adapter uses (earlier versions,
    /// other builds, other engine settings); returns how many files.
    pub fn nettoyer_cache(&self) -> usize {
        let Some(dir) = &self.cache else { return 0 };
        let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
        let garder: std::collections::HashSet<String> =
            self.tous().iter().map(|a| self.moteur.fichier_compile(&a.sha256)).collect();
        let mut n = 0;
        for e in rd.flatten() {
            let nom = e.file_name().to_string_lossy().to_string();
            if nom.ends_with(".cwasm") && !garder.contains(&nom) && std::fs::remove_file(e.path()).is_ok() {
                n += 1;
            }
        }
        if n > 0 {
            tracing::info!(fichiers = n, repertoire = %dir.display(), "code compilé inutilisé retiré du cache");
        }
        n
    }

    pub fn charger_fichier(&self, p: &Path) -> Result<Arc<Adaptateur>, AdaptateurError> {
        let fichier = p.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        let res = std::fs::read(p)
            .map_err(|e| AdaptateurError::Invalide { fichier: fichier.clone(), raison: e.to_string() })
            .and_then(|octets| Adaptateur::charger(&self.moteur, &fichier, &octets, self.cache.as_deref()));
        self.retenir(&fichier, res)
    }

    /// Puts a loaded adapter in service (replacing the one of the same name), or records
    /// why the file was refused (the previous version stays).
    fn retenir(
        &self,
        fichier: &str,
        res: Result<Adaptateur, AdaptateurError>,
    ) -> Result<Arc<Adaptateur>, AdaptateurError> {
        let fichier = fichier.to_string();
        match res {
            Ok(a) => {
                let a = Arc::new(a);
                let ancien = self.adaptateurs.write().expect("lock").insert(a.nom.clone(), a.clone());
                self.erreurs.write().expect("lock").remove(&fichier);
                tracing::info!(adaptateur = %a.nom, version = %a.version, sha256 = %a.sha256, "adaptateur chargé");
                if ancien.is_some_and(|x| x.sha256 != a.sha256) {
                    self.nettoyer_cache();
                }
                Ok(a)
            }
            Err(e) => {
                tracing::error!(fichier = %fichier, erreur = %e, "adaptateur refusé : la version précédente reste en service");
                self.erreurs.write().expect("lock").insert(fichier, e.to_string());
                Err(e)
            }
        }
    }

    pub fn tous(&self) -> Vec<Arc<Adaptateur>> {
        let mut v: Vec<_> = self.adaptateurs.read().expect("lock").values().cloned().collect();
        v.sort_by(|a, b| a.nom.cmp(&b.nom));
        v
    }

    /// The adapter a convention binds for an exchange in direction `sens`, if loaded,
    /// matching its requirement and pin, and if both the convention and the adapter
    /// allow that direction.
    pub fn pour(&self, c: &Convention, sens: Sens) -> Result<Arc<Adaptateur>, String> {
        let r = c.adaptateur.as_ref().ok_or_else(|| format!("la convention {} ne désigne pas d'adaptateur", c.id))?;
        if !r.directions.contains(&sens) {
            return Err(format!("la convention {} n'autorise pas l'{sens} par son adaptateur", c.id));
        }
        let a = self
            .adaptateurs
            .read()
            .expect("lock")
            .get(&r.nom)
            .cloned()
            .ok_or_else(|| format!("adaptateur {} non chargé (répertoire {})", r.nom, self.repertoire.display()))?;
        let req = semver::VersionReq::parse(&r.version)
            .map_err(|e| format!("exigence de version « {} » : {e}", r.version))?;
        let v = semver::Version::parse(&a.version)
            .map_err(|e| format!("version « {} » de l'adaptateur : {e}", a.version))?;
        if !req.matches(&v) {
            return Err(format!("adaptateur {} {} : la convention exige {}", a.nom, a.version, r.version));
        }
        if let Some(pin) = &r.sha256
            && !pin.eq_ignore_ascii_case(&a.sha256)
        {
            return Err(format!(
                "adaptateur {} : sha256 {} différent de celui épinglé par la convention",
                a.nom, a.sha256
            ));
        }
        if !a.directions.contains(&sens) {
            return Err(format!("adaptateur {} {} : ne déclare pas la direction {sens}", a.nom, a.version));
        }
        Ok(a)
    }
}
