//! Black-box tests of authentication, habilitations and the access journal.

mod common;

use std::sync::Arc;

use base64::Engine;
use chrono::{TimeZone, Utc};
use common::*;
use dude_core::crypto::id_national::IdNationalCodec;
use dude_core::crypto::keys::MasterKey;
use dude_core::habilitation::agent::Role;
use dude_core::habilitation::gardien::Gardien;
use dude_core::journal::verify::{Verification, verifier};
use reqwest::Method;
use serde_json::Value;

fn codec() -> IdNationalCodec {
    IdNationalCodec::new(&MasterKey::from_bytes(MASTER_KEY))
}

/// The `idNational` a partner would hold for a person (the tests know the key).
async fn id_for(s: &TestServer, partner: &str, nir_body: &str) -> String {
    let ids =
        s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse(nir_body).unwrap(), d(who::BIRTH)).await.unwrap();
    codec().encode(partner, ids[0])
}

async fn code(r: reqwest::Response) -> (u16, Value) {
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn oauth2_client_credentials_and_jwks(s: &TestServer) {
    let post = |form: Vec<(&'static str, &'static str)>| s.client.post(s.url("/oauth2/token")).form(&form).send();
    let (st, v) = code(
        post(vec![("grant_type", "client_credentials"), ("client_id", "cd77-app"), ("client_secret", "faux")])
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (401, Some("invalid_client")));
    let (st, v) = code(
        post(vec![("grant_type", "client_credentials"), ("client_id", "inconnu"), ("client_secret", SECRET)])
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (401, Some("invalid_client")));
    let (st, v) = code(
        post(vec![("grant_type", "password"), ("client_id", "cd77-app"), ("client_secret", SECRET)]).await.unwrap(),
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (400, Some("unsupported_grant_type")));
    // HTTP Basic works as well
    let r = s
        .client
        .post(s.url("/oauth2/token"))
        .basic_auth("cd77-app", Some(SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let (st, v) = code(r).await;
    assert_eq!(st, 200);
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 600);
    // the token's kid is in the JWKS
    let token = v["access_token"].as_str().unwrap();
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').next().unwrap()).unwrap(),
    )
    .unwrap();
    let jwks: Value = s.client.get(s.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
    assert_eq!(header["alg"], "EdDSA");

    // a token expires with the (injected) clock
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let path = format!("/partenaire/v1/usagers/{id}/statut");
    s.clock.set(Utc.from_utc_datetime(&d(TODAY).and_hms_opt(10, 10, 0).unwrap()));
    let (st, v) = code(s.partner(Method::GET, TOKEN_77, &path).send().await.unwrap()).await;
    assert_eq!((st, v["codeRetour"].as_str()), (401, Some("R001")));
    s.clock.set(Utc.from_utc_datetime(&d(TODAY).and_hms_opt(10, 0, 0).unwrap()));

    // a revoked client gets no token and its tokens stop working after the reload
    let hasher = dude_core::crypto::secrets::SecretHasher::new(&MasterKey::from_bytes(MASTER_KEY));
    let mut c = client("cd77-app", "cd77", "conv-cd77", &hasher);
    c.revoque_le = Some(Utc.from_utc_datetime(&d("2026-11-01").and_hms_opt(0, 0, 0).unwrap()));
    s.store.enregistrer_client(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let (st, _) = code(s.partner(Method::GET, TOKEN_77, &path).send().await.unwrap()).await;
    assert_eq!(st, 401);
    let (st, _) = code(
        post(vec![("grant_type", "client_credentials"), ("client_id", "cd77-app"), ("client_secret", SECRET)])
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, 401);
}

async fn agents_must_be_habilitated_in_the_application_organisation(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let path = format!("/partenaire/v1/usagers/{id}/statut");
    let call = |agent: (&str, &str, &str)| {
        s.client
            .get(s.url(&path))
            .bearer_auth(s.jwt(TOKEN_77))
            .header("pa-identifiant-agent", agent.0)
            .header("pa-nom-agent", agent.1)
            .header("pa-prenom-agent", agent.2)
            .send()
    };
    // unknown agent, wrong name, agent of another organisation
    for agent in [("AG404", "Dupont", "Anne"), ("AG001", "Durand", "Anne"), ("AG093", "Martin", "Karim")] {
        let (st, v) = code(call(agent).await.unwrap()).await;
        assert_eq!((st, v["codeRetour"].as_str()), (401, Some("R001")), "{agent:?}");
    }
    // names are compared without case
    assert_eq!(call(("AG001", "DUPONT", "anne")).await.unwrap().status(), 200);
    // and may carry accents (UTF-8 header values)
    let mut accent = agent("AG002", "cd77", "Lefèvre", "Léa", Role::TravailleurSocial);
    accent.id = "id-AG002".into();
    s.store.enregistrer_agent(&accent).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let r = s
        .client
        .get(s.url(&path))
        .bearer_auth(s.jwt(TOKEN_77))
        .header("pa-identifiant-agent", "AG002")
        .header("pa-nom-agent", reqwest::header::HeaderValue::from_bytes("LEFÈVRE".as_bytes()).unwrap())
        .header("pa-prenom-agent", reqwest::header::HeaderValue::from_bytes("léa".as_bytes()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // BATCH, allowed by the convention, reads the registration status
    assert_eq!(call(("BATCH", "Import", "Nocturne")).await.unwrap().status(), 200);
    // a revoked agent is refused with the reason, and the refusal is journaled
    let mut a = agent("AG001", "cd77", "Dupont", "Anne", Role::TravailleurSocial);
    a.revoque_le = Some(Utc.from_utc_datetime(&d("2026-11-20").and_hms_opt(0, 0, 0).unwrap()));
    s.store.enregistrer_agent(&a).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let (st, v) = code(call(("AG001", "Dupont", "Anne")).await.unwrap()).await;
    assert_eq!((st, v["codeRetour"].as_str(), v["motif"].as_str()), (403, Some("R001"), Some("REVOQUE")));
    let last = s.store.journal_page(0, 1000).await.unwrap().pop().unwrap();
    assert_eq!((last.entree.decision.as_str(), last.entree.raison.as_str()), ("REFUSE", "REVOQUE"));
    assert_eq!(last.entree.agent.as_deref(), Some("AG001"));
}

async fn no_leak_across_territories_and_partners(s: &TestServer) {
    // cd93 searching a person living in 77: unknown to it
    assert_eq!(s.rechercher(TOKEN_93, who::INSCRITE, who::BIRTH).await["codeRetour"], "S002");
    // cd93 presenting cd77's id: refused as not its own
    let id77 = s.id_national(TOKEN_77, who::INSCRITE).await;
    let (st, v) =
        code(s.partner(Method::GET, TOKEN_93, &format!("/partenaire/v1/usagers/{id77}/statut")).send().await.unwrap())
            .await;
    assert_eq!((st, v["codeRetour"].as_str()), (400, Some("R997")));
    // an id forged with cd93's own key for a 77 person: out of territory, answered as unknown
    let forged = id_for(s, "cd93", who::INSCRITE).await;
    let (st, v) = code(
        s.partner(Method::GET, TOKEN_93, &format!("/partenaire/v1/usagers/{forged}/statut")).send().await.unwrap(),
    )
    .await;
    assert_eq!((st, v["codeRetour"].as_str()), (404, Some("S002")));
    // cd77 and a 77 resident who is not an RSA beneficiary: outside its publics
    let golf = id_for(s, "cd77", who::INSCRITE_OCT_NON_RSA).await;
    let (st, _) =
        code(s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{golf}/statut")).send().await.unwrap())
            .await;
    assert_eq!(st, 404);
    assert_eq!(s.rechercher(TOKEN_77, who::INSCRITE_OCT_NON_RSA, who::BIRTH).await["codeRetour"], "S002");
    // France Travail, national and for every public, sees both
    assert_eq!(s.rechercher(TOKEN_FT, who::INSCRITE_OCT_93, who::BIRTH).await["codeRetour"], "S001");
    assert_eq!(s.rechercher(TOKEN_FT, who::INSCRITE_OCT_NON_RSA, who::BIRTH).await["codeRetour"], "S001");
    // refusals are journaled with their reason
    let entries = s.store.journal_page(0, 1000).await.unwrap();
    let reasons: Vec<&str> =
        entries.iter().filter(|e| e.entree.decision == "REFUSE").map(|e| e.entree.raison.as_str()).collect();
    assert!(reasons.contains(&"HORS_TERRITOIRE") && reasons.contains(&"HORS_PUBLIC"), "{reasons:?}");
}

async fn responses_are_filtered_per_category(s: &TestServer) {
    // cd77's convention grants diagnostic but not contraintes to a new application
    let mut conv = convention(
        "conv-cd77-diag",
        &["ft", "cd77"],
        dude_core::habilitation::convention::Territoire::Departements(vec![
            dude_core::dossier::contact::Departement::parse("77").unwrap(),
        ]),
        vec![dude_core::habilitation::convention::Public::BeneficiairesRsa],
    );
    conv.categories.remove(&dude_core::dossier::Categorie::Contraintes);
    s.store.enregistrer_convention(&conv).await.unwrap();
    let hasher = dude_core::crypto::secrets::SecretHasher::new(&MasterKey::from_bytes(MASTER_KEY));
    s.store.enregistrer_client(&client("cd77-diag", "cd77", "conv-cd77-diag", &hasher)).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let token = s.token("cd77-diag", SECRET).await;
    let id = id_for(s, "cd77", who::INSCRITE).await;
    let get = |p: &str| {
        s.client
            .get(s.url(&format!("/partenaire/v1/usagers/{id}/{p}")))
            .bearer_auth(&token)
            .header("pa-identifiant-agent", "AG001")
            .header("pa-nom-agent", "Dupont")
            .header("pa-prenom-agent", "Anne")
            .send()
    };
    let (st, v) = code(get("diagnostic/dossier").await.unwrap()).await;
    assert_eq!(st, 200);
    let di = v["dossierIndividu"].as_object().unwrap();
    assert!(di.contains_key("besoinsParDiagnosticIndividuDtos"));
    assert!(!di.contains_key("contraintesIndividusDto"), "absent, not null: {v}");
    let (st, v) = code(get("diagnostic/contraintes").await.unwrap()).await;
    assert_eq!((st, v["motif"].as_str()), (403, Some("CATEGORIE_NON_ACCORDEE")));
}

async fn journal_chain_verify_and_tamper(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    for p in ["statut", "diagnostic/besoins", "metiers-recherches"] {
        assert_eq!(
            s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/{p}"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let entries = s.store.journal_page(0, 100).await.unwrap();
    assert_eq!(entries.len(), 4, "search + three reads");
    let e = &entries[1].entree;
    assert_eq!(e.action, "statut");
    assert_eq!(e.agent.as_deref(), Some("AG001"));
    assert_eq!(e.organisation.as_deref(), Some("cd77"));
    assert_eq!(e.client.as_deref(), Some("cd77-app"));
    assert_eq!(e.convention.as_deref(), Some("conv-cd77"));
    assert_eq!(e.categories, "inscription");
    assert_eq!((e.decision.as_str(), e.raison.as_str()), ("ACCEPTE", "AUTORISE"));
    assert!(e.dossier.is_some());
    assert_eq!(e.request_id.len(), 36, "request id recorded");
    assert_eq!(e.finalite.as_deref(), Some("Accompagnement des bénéficiaires du RSA"));
    assert_eq!(verifier(&s.store).await.unwrap(), Verification::Intact { entrees: 4 });

    // change one row with SQL: verify names it, in the library and through the binary
    use sea_orm::{ConnectionTrait, Statement};
    let db = s.store.connection();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE journal SET agent = 'AG999' WHERE seq = 3",
    ))
    .await
    .unwrap();
    assert!(matches!(verifier(&s.store).await.unwrap(), Verification::Rompu { seq: 3, .. }));
    let out = common::demo::dude()
        .args(["journal", "verify"])
        .env("DATABASE_URL", &s.database_url)
        .env("DUDE_MASTER_KEY", base64::engine::general_purpose::STANDARD.encode(MASTER_KEY))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("entrée 3"), "{text}");
    // a deleted row is named too
    db.execute_raw(Statement::from_string(db.get_database_backend(), "DELETE FROM journal WHERE seq = 2"))
        .await
        .unwrap();
    assert!(matches!(verifier(&s.store).await.unwrap(), Verification::Rompu { seq: 2, .. }));
}

async fn journal_unavailable_fails_closed(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    use sea_orm::{ConnectionTrait, Statement};
    let db = s.store.connection();
    db.execute_raw(Statement::from_string(db.get_database_backend(), "DROP TABLE journal")).await.unwrap();
    let (st, v) =
        code(s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).send().await.unwrap())
            .await;
    assert_eq!((st, v["codeRetour"].as_str()), (503, Some("R999")));
    assert!(v.get("statutDE").is_none(), "no personal data without its journal entry");
}

async fn a_failed_reload_keeps_the_previous_rules(s: &TestServer) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("model.conf"), dude_core::habilitation::casbin_authorizer::MODELE).unwrap();
    std::fs::write(dir.path().join("policy.csv"), dude_core::habilitation::casbin_authorizer::REGLES).unwrap();
    let g = Arc::new(Gardien::charger(&s.store, Some(dir.path().to_path_buf())).await.unwrap());
    // a misspelt role: refused, naming the line
    std::fs::write(dir.path().join("policy.csv"), "CONSEILER, rsa, lire\n").unwrap();
    let err = g.recharger(&s.store).await.unwrap_err().to_string();
    assert!(err.contains("ligne 1"), "{err}");
    // rules that break a known answer: refused
    let lax = format!(
        "{}\nCORRESPONDANT_INSERTION, diagnostic, ecrire\n",
        dude_core::habilitation::casbin_authorizer::REGLES
    );
    std::fs::write(dir.path().join("policy.csv"), lax).unwrap();
    assert!(g.recharger(&s.store).await.is_err());
    // the previous enforcer still decides
    assert!(g.courant().authorizer.regles() > 40);
    dude_core::habilitation::casbin_authorizer::known_answers(g.courant().authorizer.as_ref()).unwrap();
}

async fn provenance_on_request_for_readable_categories(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let v = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/dossier?provenance=true")).await;
    assert_eq!(v["provenance"]["diagnostic"]["source"], "test:fixtures");
    assert_eq!(v["provenance"]["contraintes"]["source"], "test:fixtures");
    assert!(v["provenance"].get("identite").is_none(), "only the categories of the response");
    let plain = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/dossier")).await;
    assert!(plain.get("provenance").is_none());
    // after a write by cd77, the diagnostic's provenance names it and its agent
    let diags = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/diagnostics")).await;
    let m = diags["listeDiagnostics"][0]["idMetierChiffre"].as_str().unwrap();
    let r = s
        .partner(Method::PUT, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/diagnostics"))
        .json(&serde_json::json!({"diagnostic": [{"idMetierChiffre": m, "typologie": "PROJET_EVOLUTION"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/diagnostics?provenance=true")).await;
    assert_eq!(v["provenance"]["diagnostic"]["source"], "partenaire:cd77/cd77-app");
    assert_eq!(v["provenance"]["diagnostic"]["auteur"], "AG001");
    assert!(v["provenance"]["diagnostic"]["majLe"].is_string());
    assert!(v["listeDiagnostics"].is_array(), "the response itself is unchanged");
}

/// A convention narrowed through the admin API refuses at once, on the next call, what
/// it no longer allows: each narrowing field in turn, then restored.
async fn a_narrowed_convention_narrows_access_at_once(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let cessee = s.id_national(TOKEN_77, who::CESSEE).await;
    let admin = |m: Method, path: &str| s.client.request(m, s.url(path)).bearer_auth(TOKEN_ADMIN);
    let original: Value =
        admin(Method::GET, "/admin/v1/conventions/conv-cd77").send().await.unwrap().json().await.unwrap();
    let statut = |id: &str| {
        let path = format!("/partenaire/v1/usagers/{id}/statut");
        async move { code(s.partner(Method::GET, TOKEN_77, &path).send().await.unwrap()).await }
    };
    let besoins = || async {
        let path = format!("/partenaire/v1/usagers/{id}/diagnostic/besoins");
        code(s.partner(Method::GET, TOKEN_77, &path).send().await.unwrap()).await
    };
    let recherche = || async {
        let r = s
            .partner(Method::POST, TOKEN_77, "/partenaire/v1/rechercher-usager")
            .json(&serde_json::json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH}))
            .send()
            .await
            .unwrap();
        code(r).await
    };
    let modifier = |c: Value| async move {
        let r = admin(Method::PUT, "/admin/v1/conventions/conv-cd77").json(&c).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    };
    let refus = |(st, v): (u16, Value), motif: &str| {
        assert_eq!((st, v["codeRetour"].as_str(), v["motif"].as_str()), (403, Some("R001"), Some(motif)), "{v}");
    };
    let inconnu = |(st, v): (u16, Value)| assert_eq!((st, v["codeRetour"].as_str()), (404, Some("S002")), "{v}");
    let tout_va = || async {
        assert_eq!(statut(&id).await.0, 200);
        assert_eq!(statut(&cessee).await.0, 200);
        assert_eq!(besoins().await.0, 200);
        assert_eq!(recherche().await.1["codeRetour"], "S001");
    };
    tout_va().await;

    // parties: cd77 no longer party; its application and agents are refused at once
    let mut c = original.clone();
    c["parties"] = serde_json::json!(["ft"]);
    modifier(c).await;
    refus(statut(&id).await, "NON_PARTIE");
    refus(recherche().await, "NON_PARTIE");
    let clients: Value = admin(Method::GET, "/admin/v1/clients").send().await.unwrap().json().await.unwrap();
    let cd77 = clients.as_array().unwrap().iter().find(|c| c["clientId"] == "cd77-app").unwrap();
    assert_eq!(cd77["etat"], "HORS_CONVENTION", "{cd77}");
    let ft = clients.as_array().unwrap().iter().find(|c| c["clientId"] == "ft-app").unwrap();
    assert_eq!(ft["etat"], "ACTIF");
    let r = s
        .client
        .post(s.url("/oauth2/token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", "cd77-app"), ("client_secret", SECRET)])
        .send()
        .await
        .unwrap();
    let (st, v) = code(r).await;
    assert_eq!((st, v["error"].as_str()), (400, Some("unauthorized_client")), "{v}");
    let last = s.store.journal_page(0, 100_000).await.unwrap().pop().unwrap();
    assert_eq!((last.entree.decision.as_str(), last.entree.raison.as_str()), ("REFUSE", "NON_PARTIE"));
    modifier(original.clone()).await;
    tout_va().await;

    // territory: the 93 only; people of the 77 become unknown
    let mut c = original.clone();
    c["territoire"] = serde_json::json!({"portee": "departements", "departements": ["93"]});
    modifier(c).await;
    inconnu(statut(&id).await);
    assert_eq!(recherche().await.1["codeRetour"], "S002");
    modifier(original.clone()).await;
    tout_va().await;

    // publics: registered job seekers only; a ceased RSA beneficiary becomes unknown
    let mut c = original.clone();
    c["publics"] = serde_json::json!(["INSCRITS"]);
    modifier(c).await;
    inconnu(statut(&cessee).await);
    assert_eq!(statut(&id).await.0, 200, "still registered");
    modifier(original.clone()).await;
    tout_va().await;

    // categories: the diagnostic withdrawn
    let mut c = original.clone();
    c["categories"].as_object_mut().unwrap().remove("diagnostic");
    modifier(c).await;
    refus(besoins().await, "CATEGORIE_NON_ACCORDEE");
    assert_eq!(statut(&id).await.0, 200, "the other categories remain");
    modifier(original.clone()).await;
    tout_va().await;

    // dates: ended yesterday
    let mut c = original.clone();
    c["fin"] = "2026-11-21".into();
    c["debut"] = "2025-01-01".into();
    modifier(c).await;
    refus(statut(&id).await, "CONVENTION_HORS_VIGUEUR");
    refus(recherche().await, "CONVENTION_HORS_VIGUEUR");
    modifier(original.clone()).await;
    tout_va().await;

    // MFA now required: the application has not committed to it
    let mut c = original.clone();
    c["mfaRequise"] = true.into();
    modifier(c).await;
    refus(statut(&id).await, "MFA_REQUISE");
    refus(besoins().await, "MFA_REQUISE");
    modifier(original).await;
    tout_va().await;
}

scenarios!(
    oauth2_client_credentials_and_jwks,
    agents_must_be_habilitated_in_the_application_organisation,
    no_leak_across_territories_and_partners,
    responses_are_filtered_per_category,
    journal_chain_verify_and_tamper,
    journal_unavailable_fails_closed,
    a_failed_reload_keeps_the_previous_rules,
    provenance_on_request_for_readable_categories,
    a_narrowed_convention_narrows_access_at_once,
);
