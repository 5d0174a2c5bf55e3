//! The portal in a real browser: Debian's Chromium driven through ChromeDriver (installed
//! by the test command, `tests/run.sh`), against the server in-process with the demo
//! identity provider. Each page is checked by axe-core (zero serious or critical
//! violation) and its screenshot written to `target/captures/`.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value;

/// ChromeDriver on a free port, ended with the test.
struct Pilote {
    processus: Child,
    url: String,
}

impl Drop for Pilote {
    fn drop(&mut self) {
        let _ = self.processus.kill();
        let _ = self.processus.wait();
    }
}

async fn pilote() -> Pilote {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let processus = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (Debian: chromium-driver), installed by tests/run.sh");
    // held first, so that the process is ended whatever happens next
    let p = Pilote { processus, url: format!("http://127.0.0.1:{port}") };
    for _ in 0..100 {
        if reqwest::get(format!("{}/status", p.url)).await.is_ok_and(|r| r.status().is_success()) {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver ne répond pas");
}

async fn navigateur(p: &Pilote) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1024", "--lang=fr-FR"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&p.url)
        .await
        .expect("a Chromium session")
}

fn captures() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/captures");
    std::fs::create_dir_all(&d).unwrap();
    d
}

const AXE: &str = include_str!("../core/portail/node_modules/axe-core/axe.min.js");

/// axe-core on the page: its serious and critical violations (WCAG 2.1 A and AA, the
/// RGAA's basis), and the page's screenshot under `nom`.
async fn verifier_page(c: &Client, nom: &str) {
    c.execute(AXE, vec![]).await.expect("axe-core injected");
    let v = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ['violations'],
                                   runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                                   .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.map(n => n.target.join(' ')) }))))
                  .catch(e => done({ error: String(e) }));"#,
            vec![],
        )
        .await
        .expect("axe-core ran");
    assert_eq!(v, Value::Array(vec![]), "{nom}: axe-core violations");
    // the whole page: the window as tall as the document, then back
    let hauteur = c.execute("return document.documentElement.scrollHeight;", vec![]).await.unwrap();
    let hauteur = hauteur.as_u64().unwrap_or(1024).clamp(1024, 12_000) as u32;
    c.set_window_size(1280, hauteur).await.expect("window size");
    let png = c.screenshot().await.expect("screenshot");
    c.set_window_size(1280, 1024).await.expect("window size");
    std::fs::write(captures().join(format!("{nom}.png")), png).unwrap();
}

/// Clicks, then waits for the next page to be loaded (a mark left on the page before the
/// click is gone, the document complete).
async fn cliquer(c: &Client, l: Locator<'_>) {
    c.execute("window.__dudeAvant = true;", vec![]).await.unwrap();
    c.find(l).await.unwrap().click().await.unwrap();
    for _ in 0..200 {
        let charge = c
            .execute("return window.__dudeAvant === undefined && document.readyState === 'complete';", vec![])
            .await
            .unwrap_or(Value::Bool(false));
        if charge == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("la page suivante ne s'est pas chargée");
}

async fn chemin(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_string()
}

#[tokio::test]
async fn an_agent_signs_in_in_chromium_and_every_page_is_accessible() {
    let s = common::TestServer::start_demo().await;
    let p = pilote().await;
    let c = navigateur(&p).await;

    c.goto(&s.url("/")).await.unwrap();
    assert_eq!(
        c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(),
        "Le dossier unique du demandeur d'emploi"
    );
    verifier_page(&c, "portail-accueil").await;

    // the keyboard reaches the skip link first
    let premier: Value = c
        .execute(
            "document.body.focus(); return document.querySelector('.fr-skiplinks a').getAttribute('href');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(premier, "#contenu");

    // the API reference, from the footer: DUDE's own page of its OpenAPI document
    cliquer(&c, Locator::LinkText("Référence de l'API")).await;
    assert_eq!(chemin(&c).await, "/api");
    assert!(c.source().await.unwrap().contains("/partenaire/contrat-usager/v2/contrat"));
    verifier_page(&c, "portail-api").await;
    c.goto(&s.url("/")).await.unwrap();

    cliquer(&c, Locator::LinkText("Se connecter avec ProConnect")).await;
    assert_eq!(chemin(&c).await, "/demo-oidc/authorize");
    verifier_page(&c, "portail-fournisseur-demo").await;

    cliquer(&c, Locator::XPath("//input[@name='courriel'][@value='ag001@cd77.test']/ancestor::form//button")).await;
    if chemin(&c).await == "/convention" {
        verifier_page(&c, "portail-convention").await;
        c.find(Locator::Css("input[name='convention']")).await.unwrap().click().await.unwrap();
        cliquer(&c, Locator::Css("form[action='/convention'] button[type='submit']")).await;
    }
    assert_eq!(chemin(&c).await, "/");
    let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(h1.starts_with("Bonjour"), "{h1}");
    verifier_page(&c, "portail-connecte").await;

    // sign-out through the header's form, back to the anonymous home
    cliquer(&c, Locator::XPath("//form[@action='/deconnexion']//button")).await;
    assert_eq!(chemin(&c).await, "/");
    assert!(c.find(Locator::LinkText("Se connecter avec ProConnect")).await.is_ok(), "signed out");

    // a refused sign-in's page: an agent revoked meanwhile
    let mut a = s.state.services().gardien.courant().registre.agents["AG001"].clone();
    a.revoque_le = Some(dude_core::clock::Clock::now(&s.clock) - chrono::Duration::minutes(1));
    s.store.enregistrer_agent(&a).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    c.goto(&s.url("/connexion")).await.unwrap();
    cliquer(&c, Locator::XPath("//input[@name='courriel'][@value='ag001@cd77.test']/ancestor::form//button")).await;
    let titre = c.wait().for_element(Locator::XPath("//h1[. = 'Connexion refusée']")).await.expect("the refusal page");
    assert_eq!(titre.text().await.unwrap(), "Connexion refusée");
    assert!(c.source().await.unwrap().contains("révoquée"), "the reason given");
    verifier_page(&c, "portail-refus").await;
    c.close().await.unwrap();
}

/// Signs in through the demo provider's page as `courriel` (its convention chosen when
/// several apply).
async fn se_connecter(c: &Client, s: &common::TestServer, courriel: &str) {
    c.goto(&s.url("/connexion")).await.unwrap();
    cliquer(c, Locator::XPath(&format!("//input[@name='courriel'][@value='{courriel}']/ancestor::form//button"))).await;
    if chemin(c).await == "/convention" {
        c.find(Locator::Css("input[name='convention']")).await.unwrap().click().await.unwrap();
        cliquer(c, Locator::Css("form[action='/convention'] button[type='submit']")).await;
    }
    assert_eq!(chemin(c).await, "/");
}

/// Issue 16's scenario in Chromium: sign in, search, open the dossier, tick a need and
/// save; the change read back through the partner API and found in the journal; another
/// département's agent cannot open the dossier; a form without its CSRF token is refused;
/// an expired session goes back to sign-in. Every page checked by axe-core.
#[tokio::test]
async fn an_agent_searches_opens_a_dossier_and_fills_in_the_diagnostic_in_chromium() {
    let s = common::TestServer::start_demo().await;
    let p = pilote().await;
    let c = navigateur(&p).await;
    se_connecter(&c, &s, "ag001@cd77.test").await;

    cliquer(&c, Locator::LinkText("Rechercher une personne")).await;
    assert_eq!(chemin(&c).await, "/recherche");
    verifier_page(&c, "portail-recherche").await;
    c.find(Locator::Id("nom")).await.unwrap().send_keys("Alpha").await.unwrap();
    c.find(Locator::Id("prenom")).await.unwrap().send_keys("test").await.unwrap();
    cliquer(&c, Locator::XPath("//button[. = 'Rechercher par nom']")).await;
    assert!(c.source().await.unwrap().contains("1 personne — page 1 sur 1"));
    verifier_page(&c, "portail-resultats").await;

    cliquer(&c, Locator::LinkText("ALPHA")).await;
    let lien = chemin(&c).await;
    assert!(lien.starts_with("/dossiers/"), "{lien}");
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Dossier de Test ALPHA");
    verifier_page(&c, "portail-dossier").await;

    cliquer(&c, Locator::LinkText("Compléter le diagnostic")).await;
    assert_eq!(chemin(&c).await, format!("{lien}/diagnostic"));
    verifier_page(&c, "portail-diagnostic").await;
    // "Réaliser un CV et/ou une lettre de motivation": a need (the radio's label, as a
    // person clicks it), then the form's own button
    c.find(Locator::Css("label[for='b1-9-BESOIN']")).await.unwrap().click().await.unwrap();
    cliquer(&c, Locator::XPath("//button[. = 'Enregistrer les besoins de ce diagnostic']")).await;
    assert!(c.source().await.unwrap().contains("Les besoins du diagnostic sont enregistrés."));
    let coche: Value = c.execute("return document.getElementById('b1-9-BESOIN').checked;", vec![]).await.unwrap();
    assert_eq!(coche, Value::Bool(true));
    verifier_page(&c, "portail-diagnostic-enregistre").await;

    // read back through the partner API (the 77's application), and in the journal
    let id_national = lien.trim_start_matches("/dossiers/");
    let besoins =
        s.get_json(common::TOKEN_77, &format!("/partenaire/v1/usagers/{id_national}/diagnostic/besoins")).await;
    let liste = besoins["besoinsParDiagnostic"][0]["besoins"].as_array().unwrap();
    assert!(liste.iter().any(|b| b["code"] == "9" && b["valeur"] == "BESOIN"), "{besoins}");
    let journal = s.store.journal_page(0, 10_000).await.unwrap();
    assert!(journal.iter().any(|e| e.entree.action == "diagnostic.besoins.ecrire"
        && e.entree.agent.as_deref() == Some("AG001")
        && e.entree.convention.as_deref() == Some("conv-cd77")));

    // a form without its CSRF token (removed from the page) is refused
    c.execute(
        "document.querySelector('input[name=partie][value=besoins]').form.querySelector('input[name=csrf]').remove();",
        vec![],
    )
    .await
    .unwrap();
    cliquer(&c, Locator::XPath("//button[. = 'Enregistrer les besoins de ce diagnostic']")).await;
    assert!(c.source().await.unwrap().contains("Formulaire expiré ou falsifié"));

    // an expired session (31 minutes idle) goes back to sign-in
    s.clock.set(dude_core::clock::Clock::now(&s.clock) + chrono::Duration::minutes(31));
    c.goto(&s.url(&lien)).await.unwrap();
    assert_eq!(chemin(&c).await, "/demo-oidc/authorize");

    // the 93's agent, with the same address: an unknown person
    se_connecter(&c, &s, "ag093@cd93.test").await;
    c.goto(&s.url(&lien)).await.unwrap();
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Personne inconnue");
    assert!(!c.source().await.unwrap().contains("ALPHA"));
    verifier_page(&c, "portail-personne-inconnue").await;
    c.close().await.unwrap();
}

/// The monthly lists, the DPO's pages and the SLA page in Chromium, checked by axe-core.
#[tokio::test]
async fn the_lists_the_access_history_and_the_sla_pages_are_accessible() {
    let s = common::TestServer::start_demo().await;
    let p = pilote().await;
    let c = navigateur(&p).await;
    se_connecter(&c, &s, "ag001@cd77.test").await;
    cliquer(&c, Locator::LinkText("Listes mensuelles")).await;
    verifier_page(&c, "portail-listes").await;
    c.find(Locator::Id("mois")).await.unwrap().clear().await.unwrap();
    c.execute("document.getElementById('mois').value = '2026-10';", vec![]).await.unwrap();
    cliquer(&c, Locator::XPath("//button[. = 'Afficher la liste']")).await;
    assert!(c.source().await.unwrap().contains("INDIA"));
    verifier_page(&c, "portail-liste-affichee").await;

    c.delete_all_cookies().await.unwrap();
    se_connecter(&c, &s, "dpo77@cd77.test").await;
    cliquer(&c, Locator::LinkText("Droit d'accès d'une personne")).await;
    verifier_page(&c, "portail-dpo").await;
    c.find(Locator::Id("nir")).await.unwrap().send_keys(&common::nir(common::who::INSCRITE)).await.unwrap();
    c.execute("document.getElementById('date_naissance').value = '1985-01-15';", vec![]).await.unwrap();
    cliquer(&c, Locator::XPath("//button[. = 'Rechercher les dossiers']")).await;
    cliquer(&c, Locator::Css("a[href^='/dpo/dossiers/']")).await;
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Historique des accès");
    verifier_page(&c, "portail-historique-acces").await;

    c.delete_all_cookies().await.unwrap();
    se_connecter(&c, &s, "adm77@cd77.test").await;
    cliquer(&c, Locator::LinkText("Niveaux de service")).await;
    assert_eq!(chemin(&c).await, "/sla");
    verifier_page(&c, "portail-sla").await;
    c.close().await.unwrap();
}
