//! The agents' portal over HTTP, against the real binary in demo mode (its demo identity
//! provider speaks OpenID Connect as ProConnect does): sign-in, the convention chosen,
//! CSRF on every form, sign-out, the pages' headers and the DSFR's assets served by DUDE.

mod common;

use reqwest::StatusCode;

/// A browser without JavaScript: cookies kept, redirections followed.
fn navigateur() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

/// The value of the form field `name` in a page.
fn champ(page: &str, name: &str) -> String {
    let i = page.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("{name} in {page}"));
    let reste = &page[i + name.len() + 15..];
    reste[..reste.find('"').unwrap()].to_string()
}

/// Signs in through the demo provider as `courriel` (with MFA when asked): the final
/// status, path and page.
async fn se_connecter(b: &reqwest::Client, base: &str, courriel: &str, mfa: bool) -> (StatusCode, String, String) {
    let page = b.get(format!("{base}/connexion")).send().await.unwrap().text().await.unwrap();
    let demande = champ(&page, "demande");
    let mut f = vec![("demande", demande.as_str()), ("courriel", courriel)];
    if mfa {
        f.push(("mfa", "oui"));
    }
    let r = b.post(format!("{base}/demo-oidc/authorize")).form(&f).send().await.unwrap();
    (r.status(), r.url().path().to_string(), r.text().await.unwrap())
}

const ANNE: &str = "anne.dupont@cd77.demo.dude.invalid";

#[tokio::test]
async fn a_demo_agent_signs_in_chooses_a_convention_and_signs_out() {
    let dir = tempfile::tempdir().unwrap();
    let s = common::demo::DemoServer::start(dir.path(), 50, &[]);
    let b = navigateur();

    // the home page, anonymous: French, the DSFR served by DUDE, a strict CSP
    let r = b.get(s.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"fr\""), "{page}");
    assert!(page.contains("/static/dsfr/dsfr.min.css"));
    assert!(page.contains("Se connecter avec ProConnect"));
    assert!(!page.contains("<script>") && !page.contains(" onclick="), "no inline script");
    let css = b.get(s.url("/static/dsfr/dsfr.min.css")).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(css.bytes().await.unwrap().len() > 100_000, "the DSFR's stylesheet");
    let police = b.get(s.url("/static/dsfr/fonts/Marianne-Regular.woff2")).send().await.unwrap();
    assert_eq!(police.status(), StatusCode::OK);

    // sign-in: to the provider, which lists the demo agents
    let r = b.get(s.url("/connexion")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.url().path(), "/demo-oidc/authorize");
    let q: std::collections::HashMap<String, String> = r.url().query_pairs().into_owned().collect();
    assert!(q["state"].len() >= 32 && q["nonce"].len() >= 32, "{q:?}");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["scope"], "openid given_name usual_name email uid siret idp_id");
    let page = r.text().await.unwrap();
    assert!(page.contains(ANNE), "{page}");
    let demande = champ(&page, "demande");

    // Anne DUPONT of the 77: two conventions, so the choice comes first
    let r = b
        .post(s.url("/demo-oidc/authorize"))
        .form(&[("demande", demande.as_str()), ("courriel", ANNE)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.url().path(), "/convention");
    let page = r.text().await.unwrap();
    assert!(page.contains("Choisir la convention") && page.contains("conv-cd77-rsa"), "{page}");
    let csrf = champ(&page, "csrf");

    // a form without its CSRF token, or with another, is refused
    for jeton in [None, Some("faux")] {
        let mut f = vec![("convention", "conv-cd77-rsa")];
        if let Some(j) = jeton {
            f.push(("csrf", j));
        }
        let r = b.post(s.url("/convention")).form(&f).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("Formulaire expiré ou falsifié"));
    }
    // another organisation's convention is not offered, nor accepted
    let r = b
        .post(s.url("/convention"))
        .form(&[("csrf", csrf.as_str()), ("convention", "conv-cd93-rsa")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().path(), "/convention");
    let r = b
        .post(s.url("/convention"))
        .form(&[("csrf", csrf.as_str()), ("convention", "conv-cd77-rsa")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().path(), "/");
    let page = r.text().await.unwrap();
    assert!(page.contains("Bonjour Anne DUPONT"), "{page}");
    assert!(page.contains("Vous agissez au titre de la convention"), "shown on every page");

    // sign-out: the session ends here and at the provider
    let r = b.post(s.url("/deconnexion")).form(&[("csrf", "faux")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = b.post(s.url("/deconnexion")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.url().path(), "/");
    assert!(r.url().query().is_some_and(|q| q.contains("state=")), "back from the provider's end of session");
    let page = r.text().await.unwrap();
    assert!(page.contains("Se connecter avec ProConnect"), "signed out");
    // the old session opens nothing
    let r = b.get(s.url("/convention")).send().await.unwrap();
    assert_eq!(r.url().path(), "/demo-oidc/authorize", "back to sign-in");
}

#[tokio::test]
async fn a_convention_requiring_mfa_refuses_a_single_factor_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let s = common::demo::DemoServer::start(dir.path(), 20, &[]);
    // France Travail's national convention now requires MFA (through the admin API)
    let http = reqwest::Client::new();
    let mut c: serde_json::Value = http
        .get(s.url("/admin/v1/conventions/conv-ft-national"))
        .bearer_auth(&s.admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    c["mfaRequise"] = serde_json::json!(true);
    let r =
        http.put(s.url("/admin/v1/conventions/conv-ft-national")).bearer_auth(&s.admin).json(&c).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let sophie = "sophie.leroy@ft-national.demo.dude.invalid";
    let (status, _, page) = se_connecter(&navigateur(), &s.base, sophie, false).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Connexion refusée") && page.contains("plusieurs facteurs"), "{page}");
    // with two factors (acr eidas1-mfa): in, to choose among France Travail's conventions
    let (status, chemin, page) = se_connecter(&navigateur(), &s.base, sophie, true).await;
    assert_eq!((status, chemin.as_str()), (StatusCode::OK, "/convention"), "{page}");
    assert!(page.contains("Sophie LEROY"), "{page}");
}

/// In-process, with the test clock: a session idle for longer than the setting (30 min)
/// goes back to sign-in; one used within it stays; a revoked agent is out at the next page.
#[tokio::test]
async fn sessions_end_when_idle_and_when_the_agent_is_revoked() {
    let s = common::TestServer::start_demo().await;
    let b = navigateur();
    let (status, chemin, _) = se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(chemin == "/" || chemin == "/convention", "{chemin}");
    let signe = |b: &reqwest::Client| {
        let b = b.clone();
        let s = &s;
        async move { b.get(s.url("/")).send().await.unwrap().text().await.unwrap().contains("Se déconnecter") }
    };
    assert!(signe(&b).await);
    // 29 minutes later: still in, and the use counts
    s.clock.set(dude_core::clock::Clock::now(&s.clock) + chrono::Duration::minutes(29));
    assert!(signe(&b).await);
    s.clock.set(dude_core::clock::Clock::now(&s.clock) + chrono::Duration::minutes(29));
    assert!(signe(&b).await, "29 minutes after the last page");
    // 31 minutes idle: out, and a page that needs the session goes back to sign-in
    s.clock.set(dude_core::clock::Clock::now(&s.clock) + chrono::Duration::minutes(31));
    assert!(!signe(&b).await, "idle too long");
    let r = b.get(s.url("/convention")).send().await.unwrap();
    assert_eq!(r.url().path(), "/demo-oidc/authorize");
    // revoked while signed in: out at the next page
    se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    assert!(signe(&b).await);
    let mut a = s.state.services().gardien.courant().registre.agents["AG001"].clone();
    a.revoque_le = Some(dude_core::clock::Clock::now(&s.clock) - chrono::Duration::minutes(1));
    s.store.enregistrer_agent(&a).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    assert!(!signe(&b).await, "revoked");
    // and cannot sign in again: the refusal says why
    let (status, _, page) = se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("révoquée"));
}

/// An operator that is not a State service: the same pages with DUDE's own stylesheet and
/// no State brand (`DUDE_PORTAIL_THEME=neutre`).
#[tokio::test]
async fn the_neutral_theme_serves_the_same_pages_without_the_state_brand() {
    let dir = tempfile::tempdir().unwrap();
    let s = common::demo::DemoServer::start(dir.path(), 10, &[("DUDE_PORTAIL_THEME", "neutre")]);
    let b = navigateur();
    let page = b.get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("/static/neutre.css") && page.contains("Se connecter avec ProConnect"), "{page}");
    assert!(!page.contains("dsfr") && !page.contains("République"), "no DSFR, no Marianne: {page}");
    let css = b.get(s.url("/static/neutre.css")).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
}

/// Integrators: `/api` renders every operation of `/openapi.json` with DUDE's own assets.
#[tokio::test]
async fn the_api_reference_page_lists_every_operation_of_the_openapi_document() {
    let s = common::TestServer::start_demo().await;
    let b = navigateur();
    let doc: serde_json::Value = b.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let r = b.get(s.url("/api")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let page = r.text().await.unwrap();
    let mut n = 0;
    for (chemin, item) in doc["paths"].as_object().unwrap() {
        for m in ["get", "post", "put", "patch", "delete"] {
            if item.get(m).is_some() {
                n += 1;
                let echappe = chemin.replace('\'', "&#x27;");
                assert!(page.contains(&format!("<code>{echappe}</code>")), "{m} {chemin}");
            }
        }
    }
    assert!(n > 40, "{n} operations");
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"), "no third-party resource or link out");
}

/// An unknown address: a page for a browser, the problem document for an API client.
#[tokio::test]
async fn an_unknown_address_answers_a_page_to_a_browser_and_a_problem_to_a_client() {
    let s = common::TestServer::start_demo().await;
    let b = navigateur();
    let r = b.get(s.url("/nulle-part")).header("accept", "text/html,application/xhtml+xml").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("Page introuvable"));
    let r = b.get(s.url("/nulle-part")).header("accept", "application/json").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

/// Posts the search form with the session's CSRF token; the status and page.
async fn chercher(b: &reqwest::Client, base: &str, champs: &[(&str, &str)]) -> (StatusCode, String) {
    let page = b.get(format!("{base}/recherche")).send().await.unwrap().text().await.unwrap();
    let csrf = champ(&page, "csrf");
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(champs);
    let r = b.post(format!("{base}/recherche")).form(&f).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The search page (seed 002 annex 3 §2): by name (folded), by NIR, by identifiant; only
/// people of the agent's perimeter; the columns of the annex; each person shown journaled.
#[tokio::test]
async fn the_search_lists_only_the_people_of_the_agents_perimeter() {
    recherche(&common::TestServer::start_demo().await).await;
}

#[tokio::test]
async fn the_search_lists_only_the_people_of_the_agents_perimeter_on_postgresql() {
    let pg = common::pg::PgServer::start();
    recherche(&common::TestServer::start_demo_sur(Some(pg.database("recherche"))).await).await;
}

async fn recherche(s: &common::TestServer) {
    let b = navigateur();
    let (status, chemin, _) = se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    assert_eq!((status, chemin.as_str()), (StatusCode::OK, "/"));
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();

    // by name: case, accents and hyphens folded; the columns of the annex
    let (status, page) = chercher(&b, &s.base, &[("critere", "nom"), ("nom", "Älpha"), ("prenom", "tést")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("1 personne — page 1 sur 1"), "{page}");
    for attendu in ["ALPHA", "Test", "15/01/1985", "Inscrit", common::NUMERO_INSCRITE, "77000 Ville", ">2850177<"] {
        assert!(page.contains(attendu), "{attendu} in {page}");
    }
    assert!(!page.contains("2850177000001"), "the NIR shown as its first 7 characters only");
    assert!(page.contains("href=\"/dossiers/"), "a link to the dossier");
    // two people of the same name and birth date: both listed
    let (_, page) = chercher(
        &b,
        &s.base,
        &[("critere", "nom"), ("nom", "foxtrot"), ("prenom", "TEST"), ("date_naissance", "1985-01-15")],
    )
    .await;
    assert!(page.contains("2 personnes"), "{page}");
    // another birth date: nobody
    let (_, page) = chercher(
        &b,
        &s.base,
        &[("critere", "nom"), ("nom", "foxtrot"), ("prenom", "TEST"), ("date_naissance", "1985-01-16")],
    )
    .await;
    assert!(page.contains("Aucune personne de votre périmètre"), "{page}");
    // outside the perimeter: HOTEL lives in the 93, GOLF does not receive the RSA
    for nom in ["HOTEL", "GOLF"] {
        let (_, page) = chercher(&b, &s.base, &[("critere", "nom"), ("nom", nom), ("prenom", "Test")]).await;
        assert!(page.contains("Aucune personne de votre périmètre") && !page.contains("<td>"), "{nom}: {page}");
    }
    // by NIR (13 or 15 characters) and by identifiant
    let (_, page) = chercher(&b, &s.base, &[("critere", "nir"), ("nir", common::who::INSCRITE)]).await;
    assert!(page.contains("ALPHA") && page.contains("1 personne"), "{page}");
    let (_, page) =
        chercher(&b, &s.base, &[("critere", "identifiant"), ("identifiant", common::NUMERO_INSCRITE)]).await;
    assert!(page.contains("ALPHA") && page.contains("1 personne"), "{page}");
    let (_, page) = chercher(&b, &s.base, &[("critere", "nir"), ("nir", common::who::INSCRITE_OCT_93)]).await;
    assert!(page.contains("Aucune personne de votre périmètre"), "{page}");

    // bad input: the field is named, the value typed never echoed in the message
    let (status, page) = chercher(&b, &s.base, &[("critere", "nir"), ("nir", "28501770000ZZ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("NIR : caractère non admis") && page.contains("fr-input-group--error"), "{page}");
    let (status, page) = chercher(&b, &s.base, &[("critere", "nom"), ("nom", "ALPHA"), ("prenom", " - ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("le nom et le prénom sont tous deux nécessaires"), "{page}");
    // no CSRF token: refused
    let r = b
        .post(s.url("/recherche"))
        .form(&[("critere", "nom"), ("nom", "ALPHA"), ("prenom", "Test")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // journaled: one entry per person shown, under the agent's convention; one for each
    // search that showed nobody
    let entrees = s.store.journal_page(0, 10_000).await.unwrap();
    let recherches: Vec<_> = entrees[avant..].iter().filter(|e| e.entree.action == "portail.recherche").collect();
    assert_eq!(recherches.iter().filter(|e| e.entree.dossier.is_some()).count(), 1 + 2 + 1 + 1, "{recherches:#?}");
    assert_eq!(recherches.iter().filter(|e| e.entree.dossier.is_none()).count(), 4);
    assert!(
        recherches
            .iter()
            .all(|e| e.entree.convention.as_deref() == Some("conv-cd77") && e.entree.agent.as_deref() == Some("AG001"))
    );

    // the 93's agent finds HOTEL, not ALPHA
    let b93 = navigateur();
    se_connecter(&b93, &s.base, "ag093@cd93.test", false).await;
    let (_, page) = chercher(&b93, &s.base, &[("critere", "nom"), ("nom", "hotel"), ("prenom", "test")]).await;
    assert!(page.contains("HOTEL") && page.contains("93000 Ville"), "{page}");
    let (_, page) = chercher(&b93, &s.base, &[("critere", "nom"), ("nom", "alpha"), ("prenom", "test")]).await;
    assert!(page.contains("Aucune personne de votre périmètre"), "{page}");

    // dossiers stored before the name indexes existed get theirs at start-up
    use sea_orm::ConnectionTrait;
    s.store.connection().execute_unprepared("UPDATE dossier SET nom_index = NULL, prenom_index = NULL").await.unwrap();
    let (_, page) = chercher(&b93, &s.base, &[("critere", "nom"), ("nom", "hotel"), ("prenom", "test")]).await;
    assert!(page.contains("Aucune personne de votre périmètre"), "not indexed: {page}");
    assert_eq!(s.store.indexer_identites(5).await.unwrap(), 5);
    while s.store.indexer_identites(5).await.unwrap() > 0 {}
    let (_, page) = chercher(&b93, &s.base, &[("critere", "nom"), ("nom", "hotel"), ("prenom", "test")]).await;
    assert!(page.contains("HOTEL"), "indexed again: {page}");

    // paginated (20 a page), bounded (past 200 dossiers, the agent narrows the search)
    let homonymes = |n: usize, from: usize| -> Vec<dude_core::dossier::Dossier> {
        (from..from + n)
            .map(|i| {
                let nir = format!("18501770{:05}", 100 + i);
                let mut p =
                    common::person(&nir, "ZULU", common::who::BIRTH, "77", true, vec![common::ins("2025-01-10")]);
                p.identite.prenom = "Léa".into();
                p
            })
            .collect()
    };
    let prov = dude_core::store::Provenance::new("test:homonymes", None);
    s.store.inserer_dossiers(&homonymes(45, 0), &prov).await.unwrap();
    let nom = [("critere", "nom"), ("nom", "Zulu"), ("prenom", "LEA")];
    let (_, page) = chercher(&b, &s.base, &nom).await;
    assert!(page.contains("45 personnes — page 1 sur 3") && page.matches("<td><a href").count() == 20, "{page}");
    assert!(page.contains("Page suivante") && !page.contains("Page précédente"), "{page}");
    let (_, page) = chercher(&b, &s.base, &[&nom[..], &[("page", "3")]].concat()).await;
    assert!(page.contains("page 3 sur 3") && page.matches("<td><a href").count() == 5, "{page}");
    s.store.inserer_dossiers(&homonymes(156, 45), &prov).await.unwrap();
    let (_, page) = chercher(&b, &s.base, &nom).await;
    assert!(page.contains("Trop de personnes correspondent") && !page.contains("<td>"), "{page}");
}

/// The link to ALPHA's dossier from a search by name (of the agent signed in on `b`).
async fn lien_du_dossier(b: &reqwest::Client, base: &str, nom: &str) -> String {
    let (_, page) = chercher(b, base, &[("critere", "nom"), ("nom", nom), ("prenom", "Test")]).await;
    let i = page.find("href=\"/dossiers/").unwrap_or_else(|| panic!("a dossier link in {page}"));
    let reste = &page[i + 6..];
    reste[..reste.find('"').unwrap()].to_string()
}

/// The dossier page (seed 002 annex 3 §2): the annex's sections in order, only what the
/// habilitation allows, each part's provenance; journaled as the API's reads; a tampered
/// or another organisation's address is an unknown person.
#[tokio::test]
async fn the_dossier_page_shows_what_the_habilitation_allows() {
    let s = common::TestServer::start_demo().await;
    let b = navigateur();
    se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    let lien = lien_du_dossier(&b, &s.base, "ALPHA").await;
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();
    let r = b.get(s.url(&lien)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let page = r.text().await.unwrap();
    // the annex's order
    let ordre = [
        ("essentiel", "L&#39;essentiel"),
        ("personnel", "Informations personnelles et situation"),
        ("profil", "Profil de compétences"),
        ("diagnostic", "Diagnostic et actions"),
    ];
    let positions: Vec<usize> = ordre
        .iter()
        .map(|(id, t)| page.find(&format!("id=\"{id}-titre\">{t}</h2>")).unwrap_or_else(|| panic!("{t}: {page}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    for attendu in [
        "Dossier de Test ALPHA",
        ">2850177<",
        "1 rue de la Paix, 77000 Ville",
        "Commis / Commise de cuisine",
        "Source : test:fixtures",
        "Compléter le diagnostic",
    ] {
        assert!(page.contains(attendu), "{attendu} in {page}");
    }
    assert!(!page.contains("2850177000001"), "never the whole NIR");
    // the 77's convention grants the appointments, not the exchanges nor the
    // accompaniment: only what it grants is shown
    assert!(page.contains("Rendez-vous du parcours"), "{page}");
    assert!(!page.contains("Contacts et relations avec France Travail"), "{page}");
    assert!(!page.contains("id=\"accompagnement\""), "{page}");
    // journaled like the API's reads: one entry, the categories granted
    let entrees = s.store.journal_page(0, 10_000).await.unwrap();
    let lus: Vec<_> = entrees[avant..].iter().filter(|e| e.entree.action == "portail.dossier").collect();
    assert_eq!(lus.len(), 1, "{lus:#?}");
    assert!(lus[0].entree.dossier.is_some() && lus[0].entree.categories.contains("diagnostic"));
    assert!(!lus[0].entree.categories.contains("echanges"), "{}", lus[0].entree.categories);

    // tampered: an unknown person
    let mut falsifie = lien.clone();
    let dernier = falsifie.pop().unwrap();
    falsifie.push(if dernier == 'A' { 'B' } else { 'A' });
    let r = b.get(s.url(&falsifie)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("Personne inconnue"));
    // the 93's agent with the 77's address: unknown too, and nothing of the person shown
    let b93 = navigateur();
    se_connecter(&b93, &s.base, "ag093@cd93.test", false).await;
    let r = b93.get(s.url(&lien)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = r.text().await.unwrap();
    assert!(page.contains("Personne inconnue") && !page.contains("ALPHA"), "{page}");
    // signed out: back to sign-in
    let r = navigateur().get(s.url(&lien)).send().await.unwrap();
    assert_eq!(r.url().path(), "/demo-oidc/authorize");
}

/// The value of the hidden field `name` of the form whose `partie` is `partie`.
fn champ_du_formulaire(page: &str, partie: &str, name: &str) -> String {
    let i = page.find(&format!("name=\"partie\" value=\"{partie}\"")).unwrap_or_else(|| panic!("{partie} in {page}"));
    champ(&page[i..], name)
}

/// The diagnostic by check boxes only (seed 002 annex 3 §1.2): needs, contraintes and
/// pouvoir d'agir saved through the use cases, visible at once through the partner API,
/// journaled with the agent; no free-text field; bad values named, nothing written.
#[tokio::test]
async fn the_diagnostic_is_filled_in_by_check_boxes_and_read_back_through_the_api() {
    let s = common::TestServer::start_demo().await;
    let b = navigateur();
    se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    let lien = lien_du_dossier(&b, &s.base, "ALPHA").await;
    let id_national = lien.trim_start_matches("/dossiers/").to_string();
    let r = b.get(s.url(&format!("{lien}/diagnostic"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("Diagnostic « Commis / Commise de cuisine »"), "{page}");
    assert!(page.contains("Développer sa mobilité") && page.contains("<h2>Pouvoir d'agir</h2>"), "{page}");
    // check boxes, radio buttons and lists only: no free text anywhere
    let principal = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    assert!(!principal.contains("<textarea") && !principal.contains("type=\"text\""), "{principal}");
    let csrf = champ(&page, "csrf");
    let metier = champ_du_formulaire(&page, "besoins", "metier");
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();

    // needs of the diagnostic
    let r = b
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("partie", "besoins"),
            ("metier", metier.as_str()),
            ("besoin:9", "BESOIN"),
            ("besoin:3", "POINT_FORT"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.url().query(), Some("enregistre=besoins"));
    let page = r.text().await.unwrap();
    assert!(page.contains("Les besoins du diagnostic sont enregistrés."), "{page}");
    assert!(page.contains("name=\"besoin:9\" value=\"BESOIN\" checked"), "shown ticked: {page}");
    let besoins =
        s.get_json(common::TOKEN_77, &format!("/partenaire/v1/usagers/{id_national}/diagnostic/besoins")).await;
    let liste = besoins["besoinsParDiagnostic"][0]["besoins"].as_array().unwrap().clone();
    let valeur = |code: &str| liste.iter().find(|x| x["code"] == code).map(|x| x["valeur"].clone());
    assert_eq!(valeur("9"), Some(serde_json::json!("BESOIN")), "{besoins}");
    assert_eq!(valeur("3"), Some(serde_json::json!("POINT_FORT")), "{besoins}");
    assert_eq!(valeur("5"), Some(serde_json::json!("POINT_FORT")), "the others stay: {besoins}");

    // contraintes: 23 lifted with another situation and objectif; 24 left "non abordée"
    let r = b
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("partie", "contraintes"),
            ("deja:23", "1"),
            ("contrainte:23", "CLOTUREE"),
            ("situation:6", "OUI"),
            ("objectif:26", "REALISE"),
            ("objectif:25", ""),
            ("contrainte:24", "NON_ABORDEE"),
        ])
        .send()
        .await
        .unwrap();
    let requete = r.url().query().map(str::to_string);
    assert_eq!(requete.as_deref(), Some("enregistre=contraintes"), "{}", r.text().await.unwrap());
    let c = s.get_json(common::TOKEN_77, &format!("/partenaire/v1/usagers/{id_national}/diagnostic/contraintes")).await;
    let t = &c["contraintesIndividus"][0];
    assert_eq!(t["conseiller"], "AG001", "{c}");
    let k = t["contraintes"].as_array().unwrap();
    assert_eq!(k.len(), 1, "24 not recorded: {c}");
    assert_eq!(k[0]["id"], "23");
    assert_eq!(k[0]["valeur"], "CLOTUREE");
    assert_eq!(k[0]["situations"][0]["code"], "6");
    assert_eq!(k[0]["objectifs"][0]["valeur"], "REALISE");

    // pouvoir d'agir
    let r = b
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("partie", "pouvoir_agir"),
            ("confiance", "OUI"),
            ("accompagnement", "NON"),
            ("resultat", "A_ACCOMPAGNER"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().query(), Some("enregistre=pouvoir_agir"));
    let p =
        s.get_json(common::TOKEN_77, &format!("/partenaire/v1/usagers/{id_national}/diagnostic/pouvoir-agir")).await;
    assert!(p.to_string().contains("A_ACCOMPAGNER"), "{p}");

    // journaled with the agent and the convention; the provenance names the portal
    let entrees = s.store.journal_page(0, 10_000).await.unwrap();
    let ecrits: Vec<&str> = entrees[avant..]
        .iter()
        .filter(|e| e.entree.agent.as_deref() == Some("AG001") && e.entree.convention.as_deref() == Some("conv-cd77"))
        .map(|e| e.entree.action.as_str())
        .collect();
    for a in ["diagnostic.besoins.ecrire", "diagnostic.contraintes.ecrire", "diagnostic.pouvoir-agir.ecrire"] {
        assert!(ecrits.contains(&a), "{a} in {ecrits:?}");
    }
    let page = b.get(s.url(&lien)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Source : partenaire:cd77/portail, par AG001"), "{page}");

    // a value outside the list: named, never echoed, nothing written
    let r = b
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[("csrf", csrf.as_str()), ("partie", "besoins"), ("metier", metier.as_str()), ("besoin:9", "<b>X</b>")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Rien n'a été enregistré") && page.contains("valeur du besoin"), "{page}");
    assert!(!page.contains("<b>X</b>") && !page.contains("&lt;b&gt;X"), "{page}");
    let besoins =
        s.get_json(common::TOKEN_77, &format!("/partenaire/v1/usagers/{id_national}/diagnostic/besoins")).await;
    assert!(
        besoins.to_string().contains(
            "\"code\":\"9\",\"libelle\":\"Réaliser un CV et/ou une lettre de motivation\",\"valeur\":\"BESOIN\""
        ),
        "{besoins}"
    );
    // without its CSRF token: refused
    let r = b
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[("partie", "pouvoir_agir"), ("confiance", "NON"), ("accompagnement", "NON"), ("resultat", "AUTONOME")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // the 93's agent cannot write to the 77's person
    let b93 = navigateur();
    se_connecter(&b93, &s.base, "ag093@cd93.test", false).await;
    let page = b93.get(s.url("/recherche")).send().await.unwrap().text().await.unwrap();
    let csrf93 = champ(&page, "csrf");
    let r = b93
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[
            ("csrf", csrf93.as_str()),
            ("partie", "pouvoir_agir"),
            ("confiance", "NON"),
            ("accompagnement", "NON"),
            ("resultat", "AUTONOME"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let p =
        s.get_json(common::TOKEN_77, &format!("/partenaire/v1/usagers/{id_national}/diagnostic/pouvoir-agir")).await;
    assert!(p.to_string().contains("A_ACCOMPAGNER"), "unchanged: {p}");
}

/// For a person in accompagnement global (seed 004): the seven freins and the motifs de
/// non-intégration by check box, and the bilan, through the use cases; the model's rules
/// refuse a bilan without its sortie, naming it.
#[tokio::test]
async fn the_accompagnement_global_is_filled_in_by_check_boxes() {
    use dude_core::dossier::accompagnement::{Accompagnement, AccompagnementGlobal, ModaliteAccompagnement};
    let s = common::TestServer::start_demo().await;
    let mut p =
        common::person("2850177000099", "OSCAR", common::who::BIRTH, "77", true, vec![common::ins("2025-01-10")]);
    p.accompagnement = Some(Accompagnement {
        modalite: Some(ModaliteAccompagnement::Global),
        date_debut: common::d("2026-05-01"),
        date_fin_prevue: None,
        structure: None,
        global: Some(AccompagnementGlobal::default()),
        parcours: None,
    });
    let id = p.id;
    s.store.inserer_dossiers(&[p], &dude_core::store::Provenance::new("test:global", None)).await.unwrap();
    // France Travail's agent, whose convention covers the accompagnement global
    let b = navigateur();
    let (_, chemin, page) = se_connecter(&b, &s.base, "ft001@ft.test", false).await;
    assert_eq!(chemin, "/convention");
    let csrf = champ(&page, "csrf");
    b.post(s.url("/convention")).form(&[("csrf", csrf.as_str()), ("convention", "conv-ft")]).send().await.unwrap();
    let lien = lien_du_dossier(&b, &s.base, "OSCAR").await;
    let page = b.get(s.url(&format!("{lien}/diagnostic"))).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("<h2>Accompagnement global</h2>") && page.contains("Freins périphériques identifiés"),
        "{page}"
    );
    assert_eq!(page.matches("name=\"frein:").count(), 7, "the seven freins");
    let csrf = champ(&page, "csrf");
    let poster = |f: Vec<(&'static str, &'static str)>| {
        let b = b.clone();
        let url = s.url(&format!("{lien}/diagnostic"));
        let csrf = csrf.clone();
        async move {
            let mut form = vec![("csrf", csrf.as_str())];
            form.extend(f);
            let r = b.post(url).form(&form).send().await.unwrap();
            (r.status(), r.url().query().map(str::to_string), r.text().await.unwrap())
        }
    };
    let (_, q, _) =
        poster(vec![("partie", "freins"), ("frein:25", "1"), ("frein:27", "1"), ("motif:PUBLIC_NON_CONCERNE", "1")])
            .await;
    assert_eq!(q.as_deref(), Some("enregistre=freins"));
    let (_, q, _) = poster(vec![
        ("partie", "bilan"),
        ("date", "2026-11-01"),
        ("resultat", "OBJECTIF_ATTEINT"),
        ("decision", "MAINTIEN_AXE2"),
        ("sortie", ""),
    ])
    .await;
    assert_eq!(q.as_deref(), Some("enregistre=bilan"));
    let (status, _, page) = poster(vec![
        ("partie", "bilan"),
        ("date", "2026-11-02"),
        ("resultat", "OBJECTIF_ATTEINT"),
        ("decision", "FIN_AXE2"),
        ("sortie", ""),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Bilan : sortie obligatoire quand la décision est FIN_AXE2."), "{page}");
    let a: Accompagnement =
        s.store.charger_section(id, dude_core::dossier::Categorie::AccompagnementGlobal).await.unwrap().unwrap();
    let g = a.global.unwrap();
    let codes: Vec<&str> = g.freins.iter().map(|f| dude_core::dossier::codes::Coded::code(*f)).collect();
    assert_eq!(codes, ["25", "27"]);
    assert_eq!(g.motifs_non_integration.len(), 1);
    assert_eq!(g.bilans.len(), 1, "the refused bilan was not recorded");
    let page = b.get(s.url(&lien)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Prendre en compte son état de santé ; Faire face à des difficultés de logement"), "{page}");
}

/// The other pages agents need (issue 16 item 6): the monthly lists for the département's
/// agents and administrators (table, CSV, journaled, another département refused); the
/// DPO's access history of a dossier (page and CSV); the SLA page for an administrator.
#[tokio::test]
async fn lists_access_history_and_sla_pages_for_those_whose_role_it_is() {
    let s = common::TestServer::start_demo().await;
    let b = navigateur();
    se_connecter(&b, &s.base, "ag001@cd77.test", false).await;
    let accueil = b.get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(accueil.contains("href=\"/listes\"") && !accueil.contains("href=\"/sla\""), "{accueil}");
    // a dossier read, for the history below
    let lien = lien_du_dossier(&b, &s.base, "ALPHA").await;
    b.get(s.url(&lien)).send().await.unwrap();

    let r = b.get(s.url("/listes?departement=77&mois=2026-10&liste=inscrits")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("INDIA") && !page.contains("HOTEL") && !page.contains("GOLF"), "{page}");
    assert!(page.contains("/listes/csv?departement=77&#38;mois=2026-10&#38;liste=inscrits"), "{page}");
    let r = b.get(s.url("/listes/csv?departement=77&mois=2026-10&liste=inscrits")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("liste-77-2026-10-inscrits.csv"));
    assert!(r.text().await.unwrap().contains("INDIA"));
    // another département: refused, and journaled as refused
    let r = b.get(s.url("/listes?departement=93&mois=2026-10&liste=inscrits")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let journal = s.store.journal_page(0, 10_000).await.unwrap();
    let listes: Vec<_> = journal.iter().filter(|e| e.entree.action.starts_with("listes-mensuelles:")).collect();
    assert!(listes.iter().any(|e| e.entree.action == "listes-mensuelles:77:2026-10:inscrits"
        && e.entree.agent.as_deref() == Some("AG001")
        && e.entree.decision.code() == "ACCEPTE"));
    assert!(
        listes.iter().any(
            |e| e.entree.action == "listes-mensuelles:93:2026-10:inscrits" && e.entree.decision.code() != "ACCEPTE"
        )
    );
    // the DPO's page is not an agent's
    assert_eq!(b.get(s.url("/dpo")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // the administrator: the lists, and the SLA page (its inline stylesheet allowed by hash)
    let adm = navigateur();
    se_connecter(&adm, &s.base, "adm77@cd77.test", false).await;
    let accueil = adm.get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(accueil.contains("href=\"/sla\""), "{accueil}");
    let r = adm.get(s.url("/listes?departement=77&mois=2026-10&liste=inscrits")).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("INDIA"));
    let r = adm.get(s.url("/sla?mois=2026-11")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("style-src 'self' 'sha256-") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(r.text().await.unwrap().contains("<html lang=\"fr\">"));
    assert_eq!(adm.get(s.url("/dpo")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // the DPO: the person's dossiers by NIR, the history of accesses, as a page and a CSV
    let dpo = navigateur();
    se_connecter(&dpo, &s.base, "dpo77@cd77.test", false).await;
    let page = dpo.get(s.url("/dpo")).send().await.unwrap().text().await.unwrap();
    let csrf = champ(&page, "csrf");
    let nir = common::nir(common::who::INSCRITE);
    let r = dpo
        .post(s.url("/dpo"))
        .form(&[("csrf", csrf.as_str()), ("nir", nir.as_str()), ("date_naissance", "1985-01-15")])
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    let i = page.find("href=\"/dpo/dossiers/").unwrap_or_else(|| panic!("{page}"));
    let rapport = page[i + 6..][..page[i + 6..].find('"').unwrap()].to_string();
    let page = dpo.get(s.url(&rapport)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Historique des accès") && page.contains("portail.dossier"), "{page}");
    assert!(page.contains("AG001") && page.contains("conv-cd77"), "{page}");
    let r = dpo.get(s.url(&format!("{rapport}/acces.csv"))).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("horodatage;organisation;agent") && csv.contains("portail.dossier"), "{csv}");
}

/// Issue 16's "done when", on the real binary of the README's first command: a demo agent
/// signs in through the demo provider, finds a demo person by name, opens the dossier and
/// fills in the diagnostic (a contrainte), read back through the partner API.
#[tokio::test]
async fn with_the_first_command_a_demo_agent_fills_in_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let s = common::demo::DemoServer::start(dir.path(), 200, &[]);
    let p = s.personne_rsa_77();
    let b = navigateur();
    let (_, chemin, page) = se_connecter(&b, &s.base, "anne.dupont@cd77.demo.dude.invalid", false).await;
    assert_eq!(chemin, "/convention", "{page}");
    let csrf = champ(&page, "csrf");
    b.post(s.url("/convention"))
        .form(&[("csrf", csrf.as_str()), ("convention", "conv-cd77-rsa")])
        .send()
        .await
        .unwrap();
    let (nom, prenom, naissance) =
        (p["nom"].as_str().unwrap(), p["prenom"].as_str().unwrap(), p["dateNaissance"].as_str().unwrap());
    let (status, page) =
        chercher(&b, &s.base, &[("critere", "nom"), ("nom", nom), ("prenom", prenom), ("date_naissance", naissance)])
            .await;
    assert_eq!(status, StatusCode::OK);
    let i = page.find("href=\"/dossiers/").unwrap_or_else(|| panic!("{nom} {prenom} found: {page}"));
    let lien = page[i + 6..][..page[i + 6..].find('"').unwrap()].to_string();
    let page = b.get(s.url(&lien)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Compléter le diagnostic"), "{page}");
    let page = b.get(s.url(&format!("{lien}/diagnostic"))).send().await.unwrap().text().await.unwrap();
    let csrf = champ(&page, "csrf");
    let r = b
        .post(s.url(&format!("{lien}/diagnostic")))
        .form(&[("csrf", csrf.as_str()), ("partie", "contraintes"), ("contrainte:25", "OUI"), ("situation:16", "OUI")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().query(), Some("enregistre=contraintes"));
    // the 77's application reads it back (the idNational is the organisation's)
    let id_national = lien.trim_start_matches("/dossiers/");
    let r = s
        .partenaire(
            "cd77-sigma",
            reqwest::Method::GET,
            &format!("/partenaire/v1/usagers/{id_national}/diagnostic/contraintes"),
        )
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let c: serde_json::Value = r.json().await.unwrap();
    let k = c["contraintesIndividus"][0]["contraintes"].as_array().unwrap();
    assert!(k.iter().any(|x| x["id"] == "25" && x["valeur"] == "OUI"), "{c}");
}
