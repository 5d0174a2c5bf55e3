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

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shipped adapters: crate, and the component's file name.
const ADAPTATEURS: [(&str, &str); 3] =
    [("cd-files", "cd_files.wasm"), ("sigma", "sigma.wasm"), ("gip-inclusion", "gip_inclusion.wasm")];
const CIBLE: &str = "wasm32-wasip2";

fn main() {
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
