//! The layers of ARCHITECTURE.md, held by a test in the manner of rust-analyzer's tidy
//! checks: each module of `core/src` names (`crate::…`) only the modules below it, and the
//! frameworks only where they belong. The model crate (`dude_modele`) is held by the
//! compiler: it has none of these crates among its dependencies.

use std::path::{Path, PathBuf};

/// Each top-level module and the modules of this crate it may import. The model
/// (`dude_modele`, and its re-exports `crate::dossier`) may be imported everywhere.
const COUCHES: &[(&str, &[&str])] = &[
    ("clock", &[]),
    ("crypto", &[]),
    ("adaptateur", &[]),
    ("store", &["crypto"]),
    ("journal", &["clock", "crypto", "store"]),
    ("habilitation", &["crypto", "store"]),
    ("demo", &["crypto", "store"]),
    ("import", &["adaptateur", "clock", "crypto", "journal", "store"]),
    ("export", &["adaptateur", "journal", "store"]),
    ("sla", &["adaptateur", "clock", "store"]),
    ("app", &["adaptateur", "clock", "crypto", "demo", "export", "habilitation", "import", "journal", "sla", "store"]),
    (
        "portail",
        &[
            "adaptateur",
            "app",
            "clock",
            "crypto",
            "demo",
            "export",
            "habilitation",
            "import",
            "journal",
            "sla",
            "store",
        ],
    ),
    (
        "api",
        &[
            "adaptateur",
            "app",
            "clock",
            "crypto",
            "demo",
            "export",
            "habilitation",
            "import",
            "journal",
            "portail",
            "sla",
            "store",
        ],
    ),
    (
        "cli",
        &[
            "adaptateur",
            "api",
            "app",
            "clock",
            "crypto",
            "demo",
            "export",
            "habilitation",
            "import",
            "journal",
            "sla",
            "store",
        ],
    ),
];

/// Crates of the outside world and the only modules that may name them.
const CADRES: &[(&str, &[&str])] = &[
    ("axum", &["api", "portail"]),
    ("askama", &["portail"]),
    ("openidconnect", &["portail"]),
    ("hyper", &["api"]),
    ("hyper_util", &["api"]),
    ("tower", &["api"]),
    ("tower_http", &["api"]),
    ("utoipa_axum", &["api"]),
    ("sea_orm", &["store"]),
    ("sea_orm_migration", &["store"]),
    ("wasmtime", &["adaptateur"]),
    ("wasmtime_wasi", &["adaptateur"]),
    ("clap", &["cli"]),
];

fn fichiers(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("core/src readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            fichiers(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The identifiers that follow `prefixe::` in the code of `texte` (comments left out),
/// where `prefixe` starts a path (not preceded by an identifier character or `::`).
fn chemins<'a>(texte: &'a str, prefixe: &str) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (n, ligne) in texte.lines().enumerate() {
        let code = ligne.split("//").next().unwrap_or("");
        let mut debut = 0;
        while let Some(i) = code[debut..].find(prefixe) {
            let at = debut + i;
            debut = at + prefixe.len();
            let avant = code[..at].chars().next_back();
            if avant.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let Some(reste) = code[debut..].strip_prefix("::") else { continue };
            let fin = reste.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(reste.len());
            out.push((n + 1, &reste[..fin]));
        }
    }
    out
}

#[test]
fn no_module_imports_one_above_it() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut tous = Vec::new();
    fichiers(&racine, &mut tous);
    let couche = |p: &Path| -> Option<&'static str> {
        let rel = p.strip_prefix(&racine).ok()?;
        let premier = rel.components().next()?.as_os_str().to_str()?;
        let nom = premier.strip_suffix(".rs").unwrap_or(premier);
        COUCHES.iter().map(|(m, _)| *m).find(|m| *m == nom)
    };
    let mut fautes = Vec::new();
    let mut vus = 0;
    for f in &tous {
        let Some(m) = couche(f) else { continue };
        vus += 1;
        let texte = std::fs::read_to_string(f).expect("readable");
        let permis = COUCHES.iter().find(|(n, _)| *n == m).map(|(_, p)| *p).unwrap_or(&[]);
        for (ligne, cible) in chemins(&texte, "crate") {
            let modele = cible == "dossier";
            if cible != m && !modele && !permis.contains(&cible) {
                fautes.push(format!("{}:{ligne}: {m} imports crate::{cible}", f.display()));
            }
        }
        for (cadre, ou) in CADRES {
            if ou.contains(&m) {
                continue;
            }
            let noms = chemins(&texte, cadre);
            let usage = texte.lines().any(|l| l.trim_start().starts_with(&format!("use {cadre}")));
            if let Some((ligne, _)) = noms.first() {
                fautes.push(format!("{}:{ligne}: {m} names {cadre}", f.display()));
            } else if usage {
                fautes.push(format!("{}: {m} uses {cadre}", f.display()));
            }
        }
    }
    assert!(vus > 50, "the modules were found ({vus} files)");
    assert!(fautes.is_empty(), "layers broken (see ARCHITECTURE.md):\n{}", fautes.join("\n"));
}

#[test]
fn the_scanner_sees_paths_and_ignores_comments() {
    let t = "use crate::api::X; // crate::cli\nlet a = dude_modele::sla::api::Api;\nfoo(crate::store::Store)";
    assert_eq!(chemins(t, "crate"), vec![(1, "api"), (3, "store")]);
    assert_eq!(chemins(t, "api"), Vec::<(usize, &str)>::new(), "api:: inside a path is not the module");
}

#[test]
fn the_model_crate_depends_on_no_framework() {
    let manifeste = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("modele/Cargo.toml"))
        .expect("modele/Cargo.toml");
    let deps = manifeste.split("[dependencies]").nth(1).expect("a [dependencies] table");
    for interdit in ["axum", "hyper", "tower", "sea-orm", "sqlx", "wasmtime", "tokio", "casbin", "reqwest"] {
        assert!(
            !deps.lines().any(|l| l.split('=').next().is_some_and(|k| k.trim() == interdit)),
            "the model depends on {interdit}"
        );
    }
}
