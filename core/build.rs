//! Builds the shipped adapters (`plugins/`: cd-files, sigma, gip-inclusion) to
//! WebAssembly components and hands them to the binary, which carries them as built-in
//! adapters (the way Substrate's wasm-builder carries its runtime): `cargo run -- serve`
//! serves them with no other step. `DUDE_PLUGINS_DIR` still adds or replaces adapters at
//! run time.
//!
//! The components are built from `plugins/` (its `.cargo/config.toml` turns WebAssembly
//! SIMD on) into `plugins/target`, the directory a developer's own
//! `cargo build --target wasm32-wasip2 --release` uses: built once, shared.
//! `DUDE_SANS_ADAPTATEURS_INTEGRES=1` builds the binary without them (a faster build for
//! work that does not touch adapters).
//!
//! It also carries the portal's front-end assets: the State's design system (DSFR) from
//! the official npm package `@gouvfr/dsfr`, pinned by `core/portail/package-lock.json`
//! and installed with `npm ci` when missing — the files the pages use (stylesheet, fonts,
//! favicons, scripts), served by DUDE itself.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shipped adapters: crate, and the component's file name.
const ADAPTATEURS: [(&str, &str); 3] =
    [("cd-files", "cd_files.wasm"), ("sigma", "sigma.wasm"), ("gip-inclusion", "gip_inclusion.wasm")];
const CIBLE: &str = "wasm32-wasip2";

fn main() {
    dsfr();
    let racine = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("..");
    let plugins = racine.join("plugins");
    let sortie = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-env-changed=DUDE_SANS_ADAPTATEURS_INTEGRES");
    for chemin in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo",
        "sdk",
        "cd-files/src",
        "cd-files/Cargo.toml",
        "sigma/src",
        "sigma/Cargo.toml",
        "gip-inclusion/src",
        "gip-inclusion/Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={}", plugins.join(chemin).display());
    }
    println!("cargo:rerun-if-changed={}", racine.join("wit").display());
    let liste = sortie.join("adaptateurs_integres.rs");
    if std::env::var("DUDE_SANS_ADAPTATEURS_INTEGRES").is_ok_and(|v| v == "1") {
        std::fs::write(&liste, "pub const INTEGRES: &[(&str, &[u8])] = &[];\n").expect("OUT_DIR writable");
        return;
    }
    cible_installee();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut c = Command::new(cargo);
    c.current_dir(&plugins).args(["build", "--release", "--target", CIBLE]);
    for (krate, _) in ADAPTATEURS {
        c.args(["-p", krate]);
    }
    // the outer build's settings are not the components'
    for var in
        ["CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS", "CARGO_TARGET_DIR", "CARGO_BUILD_TARGET", "RUSTC_WORKSPACE_WRAPPER"]
    {
        c.env_remove(var);
    }
    let statut =
        c.status().unwrap_or_else(|e| panic!("construction des adaptateurs intégrés : cargo introuvable ({e})"));
    assert!(
        statut.success(),
        "construction des adaptateurs intégrés (plugins/, --target {CIBLE}) en échec : voir ci-dessus \
         (DUDE_SANS_ADAPTATEURS_INTEGRES=1 construit le binaire sans eux)"
    );
    let mut code =
        String::from("/// The built-in adapters: file name, component.\npub const INTEGRES: &[(&str, &[u8])] = &[\n");
    for (_, fichier) in ADAPTATEURS {
        let construit = plugins.join("target").join(CIBLE).join("release").join(fichier);
        let copie = sortie.join(fichier);
        std::fs::copy(&construit, &copie).unwrap_or_else(|e| panic!("{} : {e}", construit.display()));
        code.push_str(&format!("    ({fichier:?}, include_bytes!({:?})),\n", copie.display().to_string()));
    }
    code.push_str("];\n");
    std::fs::write(&liste, code).expect("OUT_DIR writable");
}

/// The `wasm32-wasip2` target, added through rustup when the toolchain lacks it
/// (rust-toolchain.toml lists it, but rustup adds it only to a toolchain it installs).
fn cible_installee() {
    let sysroot = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let presente = |s: &Path| s.join("lib/rustlib").join(CIBLE).is_dir();
    if sysroot.as_deref().is_some_and(presente) {
        return;
    }
    let ajout = Command::new("rustup").args(["target", "add", CIBLE]).status();
    assert!(
        ajout.is_ok_and(|s| s.success()),
        "la cible {CIBLE} manque à la chaîne Rust et rustup n'a pas pu l'ajouter : `rustup target add {CIBLE}` \
         (ou DUDE_SANS_ADAPTATEURS_INTEGRES=1 pour construire sans les adaptateurs intégrés)"
    );
}

/// The DSFR files the portal serves, relative to the package's `dist/`.
const DSFR: [&str; 6] =
    ["dsfr.min.css", "dsfr.module.min.js", "dsfr.nomodule.min.js", "utility/icons/icons.min.css", "favicon/", "fonts/"];

/// Installs the portal's npm packages (`npm ci`, the lockfile's versions) when missing,
/// and lists the DSFR files the binary carries.
fn dsfr() {
    let portail = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("portail");
    let sortie = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed={}", portail.join("package-lock.json").display());
    let dist = portail.join("node_modules/@gouvfr/dsfr/dist");
    if !dist.join("dsfr.min.css").is_file() {
        let statut = Command::new("npm")
            .current_dir(&portail)
            .args(["ci", "--no-audit", "--no-fund"])
            // the DSFR's terms, accepted in core/portail/.dsfr.yml, read by its install script
            .env("DSFR_ACCEPT_LICENSE", "1")
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "npm introuvable ({e}) : Node.js et npm installent le système de design de l'État (core/portail)"
                )
            });
        assert!(statut.success(), "npm ci dans core/portail en échec : voir ci-dessus");
    }
    let mut fichiers = Vec::new();
    for f in DSFR {
        let chemin = dist.join(f);
        if f.ends_with('/') {
            let mut noms: Vec<PathBuf> = std::fs::read_dir(&chemin)
                .unwrap_or_else(|e| panic!("{} : {e}", chemin.display()))
                .map(|e| e.expect("listing").path())
                // the fonts in WOFF2, which every supported browser reads
                .filter(|p| f != "fonts/" || p.extension().is_some_and(|x| x == "woff2"))
                .collect();
            noms.sort();
            for n in noms {
                fichiers.push((format!("{f}{}", n.file_name().expect("a file").to_string_lossy()), n));
            }
        } else {
            fichiers.push((f.to_string(), chemin));
        }
    }
    let mut code =
        String::from("/// The DSFR's files: path under `dist/`, content.\npub const DSFR: &[(&str, &[u8])] = &[\n");
    for (nom, chemin) in fichiers {
        assert!(chemin.is_file(), "{} absent du paquet @gouvfr/dsfr", chemin.display());
        code.push_str(&format!("    ({nom:?}, include_bytes!({:?})),\n", chemin.display().to_string()));
    }
    code.push_str("];\n");
    std::fs::write(sortie.join("dsfr.rs"), code).expect("OUT_DIR writable");
}
