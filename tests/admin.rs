//! Black-box tests of the admin API: OpenID Connect administrators, habilitations CRUD
//! limited to one's organisation and journaled, the access report, checkpoints.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn call(s: &TestServer, method: Method, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut r = s.client.request(method, s.url(path)).bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

fn nouvel_agent(org: &str, id: &str) -> Value {
    json!({"organisationId": org, "identifiant": id, "nom": "Nouveau", "prenom": "Agent", "role": "TRAVAILLEUR_SOCIAL",
        "habilitationDebut": "2026-11-01", "habilitationFin": "2027-10-31", "certification": "2026-11-05"})
}

async fn oidc_administrators_are_checked(s: &TestServer) {
    let exp = Utc.from_utc_datetime(&d(TODAY).and_hms_opt(11, 0, 0).unwrap()).timestamp();
    let past = Utc.from_utc_datetime(&d(TODAY).and_hms_opt(9, 0, 0).unwrap()).timestamp();
    assert_eq!(call(s, Method::GET, &s.idp.jeton("ADM77"), "/admin/v1/agents", None).await.0, 200);
    // expired, other issuer, unknown person, not an administrator
    for (t, st) in [
        (s.idp.jeton_avec(IDP_ISSUER, "ADM77", &["pwd"], past), 401),
        (s.idp.jeton_avec("https://autre.idp", "ADM77", &["pwd"], exp), 401),
        (s.idp.jeton("INCONNU"), 401),
        (s.idp.jeton("CONS77"), 403),
        ("pas-un-jeton".to_string(), 401),
    ] {
        assert_eq!(call(s, Method::GET, &t, "/admin/v1/agents", None).await.0, st, "{t}");
    }
    // a convention of cd77 requiring MFA: the token's amr must show it
    let mut conv = convention(
        "conv-cd77-mfa",
        &["ft", "cd77"],
        dude_core::habilitation::convention::Territoire::Departements(vec![
            dude_core::dossier::contact::Departement::parse("77").unwrap(),
        ]),
        vec![dude_core::habilitation::convention::Public::BeneficiairesRsa],
    );
    conv.mfa_requise = true;
    let (st, _) =
        call(s, Method::POST, TOKEN_ADMIN, "/admin/v1/conventions", Some(serde_json::to_value(&conv).unwrap())).await;
    assert_eq!(st, 201);
    let (st, v) =
        call(s, Method::GET, &s.idp.jeton_avec(IDP_ISSUER, "ADM77", &["pwd"], exp), "/admin/v1/agents", None).await;
    assert_eq!((st, v["motif"].as_str()), (403, Some("MFA_REQUISE")));
    assert_eq!(
        call(s, Method::GET, &s.idp.jeton_avec(IDP_ISSUER, "ADM77", &["pwd", "otp"], exp), "/admin/v1/agents", None)
            .await
            .0,
        200
    );
}

async fn habilitations_are_managed_by_their_organisation_and_journaled(s: &TestServer) {
    let adm77 = s.idp.jeton("ADM77");
    // habilitate an agent of cd77; not of cd93; one account per person
    let (st, a) = call(s, Method::POST, &adm77, "/admin/v1/agents", Some(nouvel_agent("cd77", "AG777"))).await;
    assert_eq!(st, 201, "{a}");
    let (st, v) = call(s, Method::POST, &adm77, "/admin/v1/agents", Some(nouvel_agent("cd93", "AG778"))).await;
    assert_eq!((st, v["codeRetour"].as_str()), (403, Some("R001")));
    let (st, _) = call(s, Method::POST, &adm77, "/admin/v1/agents", Some(nouvel_agent("cd77", "AG777"))).await;
    assert_eq!(st, 409);
    let (st, v) = call(s, Method::POST, &adm77, "/admin/v1/agents", Some(json!({"organisationId": "cd77"}))).await;
    assert_eq!(st, 400, "{v}");
    // the new agent works at once through the partner API
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let statut = |ident: &'static str| {
        s.client
            .get(s.url(&format!("/partenaire/v1/usagers/{id}/statut")))
            .bearer_auth(s.jwt(TOKEN_77))
            .header("pa-identifiant-agent", ident)
            .header("pa-nom-agent", "Nouveau")
            .header("pa-prenom-agent", "Agent")
            .send()
    };
    assert_eq!(statut("AG777").await.unwrap().status(), 200);
    // renew, revoke
    let (st, v) = call(
        s,
        Method::POST,
        &adm77,
        "/admin/v1/agents/AG777/renouveler",
        Some(json!({"habilitationFin": "2028-10-31"})),
    )
    .await;
    assert_eq!((st, v["habilitationFin"].as_str()), (200, Some("2028-10-31")));
    let (st, _) = call(s, Method::POST, &adm77, "/admin/v1/agents/AG777/revoquer", None).await;
    assert_eq!(st, 200);
    let r = statut("AG777").await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["motif"], "REVOQUE");
    // cd77's administrator does not see cd93's agents
    let (_, list) = call(s, Method::GET, &adm77, "/admin/v1/agents", None).await;
    let list = list.as_array().unwrap();
    assert!(!list.is_empty() && list.iter().all(|a| a["organisationId"] == "cd77"), "{list:?}");
    assert_eq!(call(s, Method::GET, &adm77, "/admin/v1/agents/AG093", None).await.0, 404);

    // API clients: the secret is shown once and works; revoking stops it
    let (st, c) = call(s, Method::POST, &adm77, "/admin/v1/clients",
        Some(json!({"clientId": "cd77-nouvelle", "nom": "Nouvelle", "organisationId": "cd77", "conventionId": "conv-cd77"}))).await;
    assert_eq!(st, 201, "{c}");
    let secret = c["clientSecret"].as_str().unwrap().to_string();
    assert!(c.get("secretHash").is_none());
    let (_, again) = call(s, Method::GET, &adm77, "/admin/v1/clients/cd77-nouvelle", None).await;
    assert!(again.get("clientSecret").is_none() && again.get("secretHash").is_none(), "{again}");
    let _ = s.token("cd77-nouvelle", &secret).await;
    let (st, _) = call(
        s,
        Method::POST,
        &adm77,
        "/admin/v1/clients",
        Some(json!({"clientId": "x-93", "nom": "X", "organisationId": "cd77", "conventionId": "conv-cd93"})),
    )
    .await;
    assert_eq!(st, 400, "cd77 is not party to cd93's convention");
    assert_eq!(call(s, Method::POST, &adm77, "/admin/v1/clients/cd77-nouvelle/revoquer", None).await.0, 200);
    let r = s
        .client
        .post(s.url("/oauth2/token"))
        .basic_auth("cd77-nouvelle", Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // conventions: a party's administrator; organisations: France Travail national
    let dep = |x: &str| dude_core::dossier::contact::Departement::parse(x).unwrap();
    let c93 = convention(
        "conv-x93",
        &["cd93"],
        dude_core::habilitation::convention::Territoire::Departements(vec![dep("93")]),
        vec![dude_core::habilitation::convention::Public::BeneficiairesRsa],
    );
    assert_eq!(
        call(s, Method::POST, &adm77, "/admin/v1/conventions", Some(serde_json::to_value(&c93).unwrap())).await.0,
        403
    );
    let mut bad = c93.clone();
    bad.parties = vec!["cd77".into()];
    bad.fin = d("2020-01-01");
    let (st, v) =
        call(s, Method::POST, &adm77, "/admin/v1/conventions", Some(serde_json::to_value(&bad).unwrap())).await;
    assert_eq!((st, v["champ"].as_str()), (400, Some("fin")));
    let org = json!({"id": "gip", "nom": "GIP Plateforme de l'inclusion", "type": "GIP", "departements": []});
    assert_eq!(call(s, Method::POST, &adm77, "/admin/v1/organisations", Some(org.clone())).await.0, 403);
    assert_eq!(call(s, Method::POST, &s.idp.jeton("ADMFT"), "/admin/v1/organisations", Some(org)).await.0, 201);

    // every change, and every refusal, is in the journal with the administrator
    let actions: Vec<(String, String, Option<String>)> = s
        .store
        .journal_page(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.entree.action, c.entree.decision.code().to_string(), c.entree.agent))
        .collect();
    for (a, dec, who) in [
        ("admin.agent.habiliter", "ACCEPTE", "ADM77"),
        ("admin.agent.habiliter", "REFUSE", "ADM77"),
        ("admin.agent.renouveler", "ACCEPTE", "ADM77"),
        ("admin.agent.revoquer", "ACCEPTE", "ADM77"),
        ("admin.client.creer", "ACCEPTE", "ADM77"),
        ("admin.client.revoquer", "ACCEPTE", "ADM77"),
        ("admin.organisation.creer", "ACCEPTE", "ADMFT"),
    ] {
        assert!(
            actions.iter().any(|x| x.0 == a && x.1 == dec && x.2.as_deref() == Some(who)),
            "{a} {dec} {who} in {actions:?}"
        );
    }
}

async fn access_report_for_the_person_concerned(s: &TestServer) {
    // cd77 reads the status of a person
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    assert_eq!(
        s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).send().await.unwrap().status(),
        200
    );
    let dpo = s.idp.jeton("DPO77");
    let (st, v) = call(
        s,
        Method::POST,
        &dpo,
        "/admin/v1/dossiers/rechercher",
        Some(json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH})),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let dossier = v["dossiers"][0].as_str().unwrap().to_string();
    let (st, r) = call(s, Method::GET, &dpo, &format!("/admin/v1/dossiers/{dossier}/rapport-acces"), None).await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["nirPartiel"], format!("{}********", &who::INSCRITE[..7]));
    let identite = r["donnees"].as_array().unwrap().iter().find(|x| x["categorie"] == "identite").unwrap();
    assert_eq!(identite["source"], "test:fixtures");
    assert_eq!(identite["donnees"]["nom"], "ALPHA");
    let acces = r["acces"].as_array().unwrap();
    let lecture = acces.iter().find(|a| a["action"] == "statut").expect("the partner's read");
    assert_eq!(lecture["organisation"], "cd77");
    assert_eq!(lecture["agent"], "AG001");
    assert_eq!(lecture["finalite"], "Accompagnement des bénéficiaires du RSA");
    assert_eq!(lecture["decision"], "ACCEPTE");
    assert!(acces.iter().any(|a| a["action"] == "rechercher-usager"));
    // CSV
    let csv = s
        .client
        .get(s.url(&format!("/admin/v1/dossiers/{dossier}/rapport-acces")))
        .bearer_auth(&dpo)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("horodatage;organisation;agent;convention;finalite;action;categories;decision;raison"),
        "{csv}"
    );
    assert!(csv.lines().any(|l| l.contains(";cd77;AG001;conv-cd77;") && l.contains(";statut;")), "{csv}");
    // only the DPO (or the operator)
    assert_eq!(
        call(s, Method::GET, &s.idp.jeton("ADM77"), &format!("/admin/v1/dossiers/{dossier}/rapport-acces"), None)
            .await
            .0,
        403
    );
    assert_eq!(
        call(s, Method::GET, TOKEN_ADMIN, &format!("/admin/v1/dossiers/{dossier}/rapport-acces"), None).await.0,
        200
    );
}

async fn signed_checkpoints_catch_a_rewritten_chain(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    for _ in 0..3 {
        s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).send().await.unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let key = dude_core::crypto::keys::MasterKey::from_bytes(MASTER_KEY);
    let cps = dude_core::journal::checkpoint::Checkpoints::new(&key, dir.path().join("cp.jsonl"));
    use dude_core::clock::Clock;
    let cp = cps.ecrire(&s.store, s.clock.now()).await.unwrap().expect("a checkpoint");
    assert_eq!(cp.seq, 4);
    assert!(cps.signature_valide(&cp));
    use dude_core::journal::checkpoint::Constat;
    assert_eq!(cps.controler(&s.store).await.unwrap(), Constat::Concordant { points: 1, autres: 0 });
    assert_eq!(cp.journal, s.store.journal_identite().await.unwrap(), "the checkpoint names its journal");
    // rewrite entry 2 and recompute every later hash: the chain is intact again...
    use dude_core::journal::verify::{Verification, verifier};
    let rows = reecrire_journal(&s.store, 2).await;
    assert_eq!(verifier(&s.store).await.unwrap(), Verification::Intact { entrees: 4 });
    // ...but no longer matches the signed checkpoint outside the database
    let Constat::Rompu { seq, raison: why } = cps.controler(&s.store).await.unwrap() else { panic!("detected") };
    assert_eq!(seq, 4);
    assert!(why.contains("point de contrôle"), "{why}");
    // and a forged checkpoint line is refused
    let mut forged = cp.clone();
    forged.hash = rows[3].hash.clone();
    std::fs::write(dir.path().join("cp.jsonl"), serde_json::to_string(&forged).unwrap() + "\n").unwrap();
    let Constat::Rompu { raison, .. } = cps.controler(&s.store).await.unwrap() else { panic!("forged") };
    assert!(raison.contains("signature"), "{raison}");
    // the checkpoints of another database's journal are said to be so, not a break
    let autre = TestServer::start(None).await;
    autre.id_national(TOKEN_77, who::INSCRITE).await;
    std::fs::write(dir.path().join("cp.jsonl"), serde_json::to_string(&cp).unwrap() + "\n").unwrap();
    let c = cps.controler(&autre.store).await.unwrap();
    assert!(matches!(c, Constat::AutreJournal { .. }), "{c:?}");
    assert!(c.to_string().contains("autre journal"), "{c}");
}

async fn authorization_rules_are_set_through_the_api(s: &TestServer) {
    let (admft, adm77) = (s.idp.jeton("ADMFT"), s.idp.jeton("ADM77"));
    let (st, v) = call(s, Method::GET, &adm77, "/admin/v1/regles", None).await;
    assert_eq!((st, v["origine"].as_str(), v["version"].as_i64()), (200, Some("LIVREES"), None), "{v}");
    let livrees = v["texte"].as_str().unwrap().to_string();
    let nombre = v["nombre"].as_u64().unwrap();
    assert!(nombre >= 40, "{v}");
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let statut = || s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).send();
    assert_eq!(statut().await.unwrap().status(), 200);
    let deposer = |jeton: &str, texte: String| {
        s.client.put(s.url("/admin/v1/regles")).bearer_auth(jeton).header("content-type", "text/csv").body(texte).send()
    };
    let reponse = |r: reqwest::Response| async move { (r.status().as_u16(), r.json::<Value>().await.unwrap()) };

    // a département's administrator may not; a misspelt line is refused by its number; a
    // set that changes an answer of the known-answer suite is refused
    assert_eq!(deposer(&adm77, livrees.clone()).await.unwrap().status(), 403);
    let lignes = livrees.lines().count();
    let (st, v) = reponse(deposer(&admft, format!("{livrees}TRAVAILEUR_SOCIAL, rsa, lire\n")).await.unwrap()).await;
    assert_eq!((st, v["champ"].as_str()), (400, Some("regles")), "{v}");
    assert!(v["detail"].as_str().unwrap().contains(&format!("ligne {}", lignes + 1)), "{v}");
    let (st, v) = reponse(deposer(&admft, format!("{livrees}ADMINISTRATEUR, identite, lire\n")).await.unwrap()).await;
    assert_eq!(st, 400, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("réponses connues"), "{v}");
    let (st, v) = reponse(deposer(&admft, "\u{ff}".repeat(3)).await.unwrap()).await;
    assert_eq!((st, v["champ"].as_str()), (400, Some("regles")), "{v}");
    assert_eq!(call(s, Method::GET, &adm77, "/admin/v1/regles", None).await.1["origine"], "LIVREES");

    // narrowed: social workers no longer read registrations, from the next call on
    let etroites: String = livrees
        .lines()
        .filter(|l| l.trim() != "TRAVAILLEUR_SOCIAL, inscription, lire")
        .map(|l| format!("{l}\n"))
        .collect();
    let (st, v) = reponse(deposer(&admft, etroites).await.unwrap()).await;
    assert_eq!((st, v["origine"].as_str(), v["version"].as_i64()), (200, Some("DEPOSEES"), Some(1)), "{v}");
    assert_eq!((v["nombre"].as_u64(), v["deposeesPar"].as_str()), (Some(nombre - 1), Some("ADMFT")), "{v}");
    assert_eq!(statut().await.unwrap().status(), 403);
    // and back
    let (st, v) = reponse(deposer(&admft, livrees).await.unwrap()).await;
    assert_eq!((st, v["version"].as_i64(), v["nombre"].as_u64()), (200, Some(2), Some(nombre)), "{v}");
    assert_eq!(statut().await.unwrap().status(), 200);

    let actions: Vec<(String, String, String)> = s
        .store
        .journal_page(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.entree.action == "admin.regles.deposer")
        .map(|c| (c.entree.decision.code().to_string(), c.entree.agent.unwrap_or_default(), c.entree.raison))
        .collect();
    assert_eq!(actions.len(), 3, "one refusal, two sets: {actions:?}");
    assert_eq!((actions[0].0.as_str(), actions[0].1.as_str()), ("REFUSE", "ADM77"));
    assert!(actions[1].2.contains("version 1") && actions[2].2.contains("version 2"), "{actions:?}");
}

scenarios!(
    oidc_administrators_are_checked,
    habilitations_are_managed_by_their_organisation_and_journaled,
    access_report_for_the_person_concerned,
    signed_checkpoints_catch_a_rewritten_chain,
    authorization_rules_are_set_through_the_api,
);
