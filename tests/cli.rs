//! Black-box tests of the `dude` binary: demo sample, monthly lists, and the README's run
//! command (`dude serve --demo`) answering a real search.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use serde_json::Value;

fn dude() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dude"))
}

#[test]
fn demo_sample_prints_findable_people_as_json_lines() {
    let out = dude().args(["demo", "--sample", "5", "--date", "2026-11-22"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    for l in &lines {
        assert!(dude_core::dossier::Nir::parse(l["nir"].as_str().unwrap()).is_ok());
        assert!(l["dateNaissance"].as_str().unwrap().len() == 10);
        assert!(l["departement"].is_string());
        assert!(l["rsa"].is_boolean());
    }
    // deterministic
    let again = dude().args(["demo", "--sample", "5", "--date", "2026-11-22"]).output().unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), text);
}

#[tokio::test]
async fn listes_mensuelles_command_matches_the_api() {
    let s = TestServer::start(None).await;
    let key = base64::engine::general_purpose::STANDARD.encode(MASTER_KEY);
    let run = |liste: &str, format: &str| {
        dude()
            .args([
                "listes-mensuelles",
                "--departement",
                "77",
                "--mois",
                "2026-10",
                "--liste",
                liste,
                "--format",
                format,
            ])
            .env("DATABASE_URL", &s.database_url)
            .env("DUDE_MASTER_KEY", &key)
            .output()
            .unwrap()
    };
    let out = run("cesses", "csv");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    let api = s
        .client
        .get(s.url("/admin/v1/departements/77/listes-mensuelles/2026-10?liste=cesses"))
        .bearer_auth(TOKEN_ADMIN)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv, api);
    assert_eq!(csv.lines().count(), 2);
    assert!(csv.lines().nth(1).unwrap().starts_with("BRAVO;"));
    let out = run("inscrits", "json");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["nombre"], 2);
    // a bad list name is a clear error
    let out = run("tous", "csv");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("liste mensuelle"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn serve_demo_answers_a_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = dude()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--demo-count", "300"])
        .current_dir(dir.path())
        .env_remove("DUDE_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &String| l.contains("--sample")) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => lines.push(l),
            Err(_) => {
                let _ = child.kill();
                panic!("serve --demo printed: {lines:?}");
            }
        }
    }
    let url = lines[0].split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    // "  cd77-sigma  secret <secret>  agent AG077 DUPONT Anne"
    let app: Vec<&str> =
        lines.iter().find(|l| l.trim_start().starts_with("cd77-sigma")).unwrap().split_whitespace().collect();
    let (secret, agent) = (app[2], (app[4], app[5], app[6]));
    assert!(dir.path().join("data/dude.db").exists(), "SQLite database created");
    assert!(dir.path().join("data/demo-master.key").exists(), "demo key generated");
    let http = reqwest::Client::new();
    let tok: Value = http
        .post(format!("http://{url}/oauth2/token"))
        .basic_auth("cd77-sigma", Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tok["access_token"].as_str().unwrap().to_string();
    let sample = dude().args(["demo", "--sample", "200"]).output().unwrap();
    let people: Vec<Value> =
        String::from_utf8(sample.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let p = people.iter().find(|p| p["departement"] == "77" && p["rsa"] == true).expect("an RSA beneficiary in 77");
    let r: Value = http
        .post(format!("http://{url}/partenaire/v1/rechercher-usager"))
        .bearer_auth(&token)
        .header("pa-identifiant-agent", agent.0)
        .header("pa-nom-agent", agent.1)
        .header("pa-prenom-agent", agent.2)
        .json(&serde_json::json!({"nir": p["nir"], "dateNaissance": p["dateNaissance"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r["codeRetour"], "S001", "{r}");
}
