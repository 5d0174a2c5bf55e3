//! Service levels through the real router with an injected clock: every partner call
//! measured per minute (off the request path), the probes end to end, availability with a
//! maintenance window, the month's report (JSON, CSV, binary) checked against figures
//! computed by hand, `/metrics`.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use dude_core::api::sondes::sonder;
use dude_core::app::sla::sonde;
use dude_core::store::sla::ResultatSonde;

async fn rapport(s: &TestServer, requete: &str, jeton: &str) -> reqwest::Response {
    s.client.get(s.url(&format!("/admin/v1/sla/rapport?{requete}"))).bearer_auth(jeton).send().await.unwrap()
}

fn api<'a>(v: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    v["apis"].as_array().unwrap().iter().find(|a| a["api"] == code).unwrap()
}

async fn calls_are_measured_per_minute_and_reported(s: &TestServer) {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 10).unwrap();
    s.clock.set(t0);
    // the service has run since before November
    battements(&s.store, Utc.with_ymd_and_hms(2026, 10, 31, 0, 0, 0).unwrap(), t0 + Duration::minutes(10)).await;
    // 5 searches and 2 status reads by cd77, 3 searches by cd93, in the same minute
    for _ in 0..5 {
        s.rechercher(TOKEN_77, who::INSCRITE, who::BIRTH).await;
    }
    let id = s.id_national(TOKEN_77, who::INSCRITE).await; // a 6th search
    s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).await;
    let r = s.partner(reqwest::Method::GET, TOKEN_77, "/partenaire/v1/usagers/pas-un-id/statut").send().await.unwrap();
    assert_eq!(r.status(), 400);
    for _ in 0..3 {
        s.rechercher(TOKEN_93, who::INSCRITE_OCT_93, who::BIRTH).await;
    }
    // an unauthenticated call is measured too, without convention
    let r = s.client.post(s.url("/partenaire/v1/rechercher-usager")).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(r.status(), 401);
    // nothing is written while the minute runs
    let avant = s.store.sla_minutes(t0 - Duration::hours(1), t0 + Duration::hours(1), None).await.unwrap();
    assert!(avant.is_empty(), "no database write per request");

    // the minute is over: the report includes it
    s.clock.set(t0 + Duration::minutes(2));
    let v: serde_json::Value = rapport(s, "mois=2026-11", TOKEN_ADMIN).await.json().await.unwrap();
    let rech = api(&v, "recherche-usager");
    assert_eq!(rech["appels"], 10, "{v}");
    assert_eq!(rech["erreurs4xx"], 1);
    assert_eq!(rech["partSous1sPct"], 100.0);
    assert_eq!(rech["sous1sAtteint"], true);
    assert!(rech["p50Ms"].as_f64().unwrap() > 0.0);
    let statut = api(&v, "statut-usager");
    assert_eq!((statut["appels"].as_u64(), statut["erreurs4xx"].as_u64()), (Some(2), Some(1)));
    assert_eq!(v["ensemble"]["appels"], 12);
    // November up to 10:02 on the 22nd: 21 days 10 h 2 min = 30,842 minutes
    assert_eq!(rech["minutesPeriode"], 30_842);
    // per convention: only its calls, its targets
    let v: serde_json::Value = rapport(s, "mois=2026-11&convention=conv-cd77", TOKEN_ADMIN).await.json().await.unwrap();
    assert_eq!(api(&v, "recherche-usager")["appels"], 6);
    assert_eq!(v["convention"], "conv-cd77");
    // CSV
    let r = s
        .client
        .get(s.url("/admin/v1/sla/rapport?mois=2026-11"))
        .bearer_auth(TOKEN_ADMIN)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("mois;convention;api;appels;"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("2026-11;;recherche-usager;10;1;0;100.00;90.00;")), "{csv}");
    // who may read: a département's administrator for its convention only
    let adm77 = s.idp.jeton("ADM77");
    assert_eq!(rapport(s, "mois=2026-11", &adm77).await.status(), 403);
    assert_eq!(rapport(s, "mois=2026-11&convention=conv-cd77", &adm77).await.status(), 200);
    assert_eq!(rapport(s, "mois=2026-11&convention=conv-cd93", &adm77).await.status(), 403);
    let r = rapport(s, "mois=2026-13", TOKEN_ADMIN).await;
    assert_eq!(r.status(), 400);
    // metrics, in the Prometheus text format
    let m = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.lines().any(|l| l.starts_with("dude_appels_total{") && l.contains("api=\"recherche-usager\"")), "{m}");
    assert!(m.contains("dude_appels_duree_secondes_bucket"), "{m}");
}

async fn probes_end_to_end_and_availability_with_a_maintenance_window(s: &TestServer) {
    sonde::preparer(&s.store).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    s.clock.set(t0);
    // the service has run since before October
    battements(&s.store, Utc.with_ymd_and_hms(2026, 9, 30, 0, 0, 0).unwrap(), t0 + Duration::minutes(10)).await;
    let resultats = sonder(s.state.services(), dude_core::api::router(s.state.clone()), t0).await;
    let cibles: Vec<(&str, bool)> = resultats.iter().map(|r| (r.cible.as_str(), r.ok)).collect();
    assert_eq!(
        cibles,
        [
            ("base", true),
            ("recherche-usager", true),
            ("statut-usager", true),
            ("diagnostic-individu", true),
            ("metiers-projets", true),
            ("creation-entreprise", true)
        ],
        "{resultats:#?}"
    );
    // the probe's calls are journaled but are not partners' calls
    s.clock.set(t0 + Duration::minutes(5));
    let v: serde_json::Value = rapport(s, "mois=2026-11", TOKEN_ADMIN).await.json().await.unwrap();
    assert_eq!(v["ensemble"]["appels"], 0, "{v}");
    let j = s.store.journal_page(0, 10_000).await.unwrap();
    assert!(j.iter().any(|e| e.entree.convention.as_deref() == Some(sonde::CONVENTION)));

    // October 2026 (31 days = 44,640 minutes): the search API fails its probes from the
    // 5th 02:00 for 3 hours (180 minutes); a maintenance announced from 03:00 to 04:00
    let debut_panne = Utc.with_ymd_and_hms(2026, 10, 5, 2, 0, 0).unwrap();
    for i in 0..180 {
        let minute = debut_panne + Duration::minutes(i);
        for (cible, ok) in [("base", true), ("recherche-usager", false), ("statut-usager", true)] {
            s.store
                .sla_ecrire_sonde(&ResultatSonde { minute, cible: cible.into(), ok, duree_ms: 3, detail: None })
                .await
                .unwrap();
        }
    }
    let r = s
        .client
        .post(s.url("/admin/v1/sla/fenetres"))
        .bearer_auth(TOKEN_ADMIN)
        .json(&serde_json::json!({"nature": "maintenance", "debut": "2026-10-05T03:00:00Z",
            "fin": "2026-10-05T04:00:00Z", "motif": "montée de version"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // a partner-side unavailability of cd77 from 04:00 to 04:30, for its convention only
    let r = s
        .client
        .post(s.url("/admin/v1/sla/fenetres"))
        .bearer_auth(s.idp.jeton("ADM77"))
        .json(&serde_json::json!({"nature": "partenaire", "convention": "conv-cd77",
            "debut": "2026-10-05T04:00:00Z", "fin": "2026-10-05T04:30:00Z", "motif": "panne du SI départemental"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // a département may not announce a maintenance
    let r = s
        .client
        .post(s.url("/admin/v1/sla/fenetres"))
        .bearer_auth(s.idp.jeton("ADM77"))
        .json(&serde_json::json!({"nature": "maintenance", "debut": "2026-10-05T03:00:00Z",
            "fin": "2026-10-05T04:00:00Z", "motif": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let v: serde_json::Value = rapport(s, "mois=2026-10", TOKEN_ADMIN).await.json().await.unwrap();
    let rech = api(&v, "recherche-usager");
    // 180 failed minutes, 60 of them in the maintenance: 120 unavailable out of 44,580
    assert_eq!((rech["minutesExclues"].as_u64(), rech["minutesIndisponibles"].as_u64()), (Some(60), Some(120)));
    let attendu = 100.0 * (44_580.0 - 120.0) / 44_580.0;
    assert!((rech["disponibilitePct"].as_f64().unwrap() - attendu).abs() < 1e-9, "{rech}");
    assert_eq!(rech["disponibiliteAtteinte"], true, "99.73 % ≥ 98 %");
    assert_eq!(api(&v, "statut-usager")["minutesIndisponibles"], 0);
    // for cd77 the partner-side half hour is excluded too: 90 unavailable out of 44,550
    let v: serde_json::Value = rapport(s, "mois=2026-10&convention=conv-cd77", TOKEN_ADMIN).await.json().await.unwrap();
    let rech = api(&v, "recherche-usager");
    assert_eq!((rech["minutesExclues"].as_u64(), rech["minutesIndisponibles"].as_u64()), (Some(90), Some(90)));
    // the daily series shows the 5th
    let j5 = v["jours"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jour"] == "2026-10-05" && j["api"] == "recherche-usager")
        .unwrap();
    let attendu = 100.0 * (1440.0 - 90.0 - 90.0) / (1440.0 - 90.0);
    assert!((j5["disponibilitePct"].as_f64().unwrap() - attendu).abs() < 1e-9, "{j5}");

    // the same figures from the binary
    use base64::Engine;
    let out = common::demo::dude()
        .args(["sla", "rapport", "--mois", "2026-10", "--format", "csv"])
        .env("DATABASE_URL", &s.database_url)
        .env("DUDE_MASTER_KEY", base64::engine::general_purpose::STANDARD.encode(MASTER_KEY))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let ligne = text.lines().find(|l| l.starts_with("2026-10;;recherche-usager;")).unwrap();
    let champs: Vec<&str> = ligne.split(';').collect();
    assert_eq!(champs[11], format!("{:.2}", 100.0 * (44_580.0 - 120.0) / 44_580.0), "{ligne}");
    assert_eq!((champs[13], champs[14]), ("120", "60"), "{ligne}");
}

async fn attendre(recus: &Recus, evenement: &str) {
    for _ in 0..200 {
        if recus.lock().unwrap().iter().any(|v| v["evenement"] == evenement) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("notification {evenement} not received: {:?}", recus.lock().unwrap());
}

async fn etape(s: &TestServer, id: &str, e: &str) -> reqwest::Response {
    s.client
        .post(s.url(&format!("/admin/v1/sla/incidents/{id}/etapes")))
        .bearer_auth(TOKEN_ADMIN)
        .json(&serde_json::json!({"etape": e}))
        .send()
        .await
        .unwrap()
}

async fn an_incident_lifecycle_with_deadlines_on_business_hours(s: &mut TestServer) {
    let (url, recus) = common::webhook().await;
    let mut c = (*s.state.services().gardien.courant().registre.conventions["conv-cd77"]).clone();
    c.webhook_incidents = Some(url);
    s.store.enregistrer_convention(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    // Friday 20 November 2026, 16:00 in Paris (15:00 UTC)
    let t0 = Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap();
    s.clock.set(t0);
    s.renouveler_jetons().await;
    let r = s
        .partner(reqwest::Method::POST, TOKEN_77, "/partenaire/v1/incidents")
        .json(&serde_json::json!({"typeIncident": "DISPONIBILITE", "api": "statut-usager",
            "resume": "réponses HTTP 503 sur le statut depuis 15 h 55"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["convention"], "conv-cd77");
    assert_eq!(v["echeances"]["priseEnCompte"], "2026-11-20T15:15:00Z", "{v}");
    assert_eq!(v["echeances"]["informationPartenaire"], "2026-11-20T16:00:00Z");
    // 8 business hours: Friday 16–18, Monday 9–12 and 13–16 (Paris) → Monday 15:00 UTC
    assert_eq!(v["echeances"]["retablissement"], "2026-11-23T15:00:00Z");
    attendre(&recus, "ouvert").await;

    // taken into account 20 minutes later: late
    s.clock.set(t0 + Duration::minutes(20));
    let v: serde_json::Value = etape(s, &id, "PRIS_EN_COMPTE").await.json().await.unwrap();
    assert_eq!(v["depassements"][0]["etape"], "PRIS_EN_COMPTE", "{v}");
    assert_eq!(v["depassements"][0]["retardMinutes"], 5);
    let n = dude_core::app::sla::gestion::surveiller_echeances(s.state.services(), t0 + Duration::minutes(20))
        .await
        .unwrap();
    assert_eq!(n, 1);
    attendre(&recus, "depasse:PRIS_EN_COMPTE").await;
    s.clock.set(t0 + Duration::minutes(50));
    assert_eq!(etape(s, &id, "PARTENAIRE_INFORME").await.status(), 200);
    // restored Monday 11:00 Paris, within the deadline
    s.clock.set(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap());
    assert_eq!(etape(s, &id, "SERVICE_RETABLI").await.status(), 200);
    // no closing before the partner validates
    let r = etape(s, &id, "CLOS").await;
    assert_eq!(r.status(), 400);
    let p: serde_json::Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("n'a pas validé"), "{p}");
    // another département cannot validate cd77's incident
    s.renouveler_jetons().await;
    let r = s
        .partner(reqwest::Method::POST, TOKEN_93, &format!("/partenaire/v1/incidents/{id}/validation"))
        .json(&serde_json::json!({"reference": "X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = s
        .partner(reqwest::Method::POST, TOKEN_77, &format!("/partenaire/v1/incidents/{id}/validation"))
        .json(&serde_json::json!({"reference": "TICKET-77-001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.clock.set(Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap());
    assert_eq!(etape(s, &id, "CLOS").await.status(), 200);
    let v: serde_json::Value = s
        .client
        .get(s.url("/admin/v1/sla/incidents?convention=conv-cd77"))
        .bearer_auth(TOKEN_ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let i = &v[0];
    assert_eq!(i["etape"], "CLOS");
    assert_eq!(i["depassements"].as_array().unwrap().len(), 1, "only the taking into account was late: {i}");
    // the partner sees it too
    s.renouveler_jetons().await;
    let v = s.get_json(TOKEN_77, "/partenaire/v1/incidents").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(s.get_json(TOKEN_93, "/partenaire/v1/incidents").await.as_array().unwrap().is_empty());
    // the page a person reads shows it, with its late step
    let r = s.client.get(s.url("/admin/sla?mois=2026-11")).bearer_auth(TOKEN_ADMIN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Niveaux de service — novembre 2026"), "title");
    assert!(html.contains(&id) && html.contains("dépassée"), "the incident and its late step");
}

async fn failing_probes_open_an_incident_that_their_success_restores(s: &TestServer) {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let mut echecs = std::collections::HashMap::new();
    let ronde = |minute: chrono::DateTime<Utc>, ok: bool| {
        vec![
            ResultatSonde { minute, cible: "base".into(), ok: true, duree_ms: 1, detail: None },
            ResultatSonde {
                minute,
                cible: "statut-usager".into(),
                ok,
                duree_ms: 10_000,
                detail: (!ok).then(|| "pas de réponse en 10 s".into()),
            },
        ]
    };
    // failing for 4 minutes: nothing yet; at 5 minutes, an availability incident
    for m in 0..5 {
        let t = t0 + Duration::minutes(m);
        dude_core::app::sla::gestion::suivre_sondes(s.state.services(), &ronde(t, false), &mut echecs, t)
            .await
            .unwrap();
    }
    assert!(dude_core::app::sla::gestion::incidents(s.state.services(), true, None).await.unwrap().is_empty());
    let t = t0 + Duration::minutes(5);
    dude_core::app::sla::gestion::suivre_sondes(s.state.services(), &ronde(t, false), &mut echecs, t).await.unwrap();
    let ouverts = dude_core::app::sla::gestion::incidents(s.state.services(), true, None).await.unwrap();
    assert_eq!(ouverts.len(), 1);
    let i = &ouverts[0];
    assert_eq!(i.api.as_deref(), Some("statut-usager"));
    assert_eq!(i.incident.detecte_le(), t0, "detected when the failures began");
    assert_eq!(i.incident.type_incident(), dude_core::sla::regles::incident::TypeIncident::Disponibilite);
    // a second failing round does not open another
    let t = t0 + Duration::minutes(6);
    dude_core::app::sla::gestion::suivre_sondes(s.state.services(), &ronde(t, false), &mut echecs, t).await.unwrap();
    assert_eq!(dude_core::app::sla::gestion::incidents(s.state.services(), true, None).await.unwrap().len(), 1);
    // the probes succeed again: the service is restored (closing waits for the partner)
    let t = t0 + Duration::minutes(12);
    dude_core::app::sla::gestion::suivre_sondes(s.state.services(), &ronde(t, true), &mut echecs, t).await.unwrap();
    let i = dude_core::app::sla::gestion::incident(s.state.services(), &i.id).await.unwrap();
    assert_eq!(i.incident.service_retabli_le(), Some(t));
    assert!(!i.incident.est_clos());
}

async fn breaches_changes_and_deprecated_versions(s: &mut TestServer) {
    let (url, recus) = common::webhook().await;
    let mut c = (*s.state.services().gardien.courant().registre.conventions["conv-cd93"]).clone();
    c.webhook_incidents = Some(url);
    c.delai_notification_violation_h = 36;
    s.store.enregistrer_convention(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
    s.clock.set(t0);
    let r = s
        .client
        .post(s.url("/admin/v1/sla/violations"))
        .bearer_auth(TOKEN_ADMIN)
        .json(&serde_json::json!({"convention": "conv-cd93", "sens": "PARTENAIRE_VERS_PLATEFORME",
            "faitGenerateur": "DECOUVERTE", "decouverteLe": "2026-11-22T07:00:00Z",
            "natures": ["CONFIDENTIALITE"], "categoriesDonnees": ["contact"],
            "resume": "export de coordonnées envoyé à un mauvais destinataire"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let v: serde_json::Value = r.json().await.unwrap();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["violation"]["delaiNotificationH"], 36, "the convention's delay");
    // 50 % of 36 h after 07:00 → 01:00 the next day: one reminder
    let gestion = |t| dude_core::app::sla::gestion::surveiller_echeances(s.state.services(), t);
    assert_eq!(gestion(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()).await.unwrap(), 1);
    attendre(&recus, "rappel:50").await;
    // past the deadline (23 Nov 19:00): 75 %, 90 %, 100 % and the missed deadline
    assert_eq!(gestion(Utc.with_ymd_and_hms(2026, 11, 23, 19, 1, 0).unwrap()).await.unwrap(), 4);
    attendre(&recus, "depassee").await;
    assert_eq!(gestion(Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap()).await.unwrap(), 0, "sent once");
    s.clock.set(Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap());
    let r = s
        .client
        .post(s.url(&format!("/admin/v1/sla/violations/{id}/notification")))
        .bearer_auth(TOKEN_ADMIN)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = s
        .client
        .get(s.url("/admin/v1/sla/violations?convention=conv-cd93"))
        .bearer_auth(TOKEN_ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v[0]["violation"]["notifieeLe"], "2026-11-23T20:00:00Z");
    assert_eq!(v[0]["retardSignale"], true);

    // changes: a minor change needs 5 days' notice, an interface contract change a joint decision
    let annoncer = |corps: serde_json::Value| {
        s.client.post(s.url("/admin/v1/sla/changements")).bearer_auth(TOKEN_ADMIN).json(&corps).send()
    };
    let r = annoncer(serde_json::json!({"typeChangement": "MINEUR", "objet": "correctif du statut",
        "annonceLe": "2026-11-23T20:00:00Z", "miseEnProduction": "2026-11-26T20:00:00Z"}))
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let p: serde_json::Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("préavis de 5 jours"), "{p}");
    let r = annoncer(serde_json::json!({"typeChangement": "MINEUR", "objet": "correctif du statut",
        "annonceLe": "2026-11-23T20:00:00Z", "miseEnProduction": "2026-11-30T20:00:00Z"}))
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let r = annoncer(serde_json::json!({"typeChangement": "CONTRAT_INTERFACE", "objet": "nouveau champ",
        "annonceLe": "2026-11-23T20:00:00Z", "miseEnProduction": "2026-12-30T20:00:00Z"}))
    .await
    .unwrap();
    assert_eq!(r.status(), 400);

    // v1 deprecated: partner answers carry Deprecation and Sunset
    s.renouveler_jetons().await;
    let id = s.id_national(TOKEN_93, who::INSCRITE_OCT_93).await;
    let r =
        s.partner(reqwest::Method::GET, TOKEN_93, &format!("/partenaire/v1/usagers/{id}/statut")).send().await.unwrap();
    assert!(r.headers().get("deprecation").is_none());
    let r = s
        .client
        .put(s.url("/admin/v1/sla/versions/v1"))
        .bearer_auth(TOKEN_ADMIN)
        .json(&serde_json::json!({"version": "v1", "miseEnProduction": "2025-01-01T00:00:00Z",
            "deprecieeLe": "2026-11-01T00:00:00Z", "finDeVie": "2027-05-31T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r =
        s.partner(reqwest::Method::GET, TOKEN_93, &format!("/partenaire/v1/usagers/{id}/statut")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["deprecation"], "@1793491200");
    assert_eq!(r.headers()["sunset"], "Mon, 31 May 2027 00:00:00 GMT");
}

async fn an_error_rate_spike_opens_an_availability_incident(s: &TestServer) {
    use dude_core::sla::api::Api;
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 11, 0, 0).unwrap();
    s.clock.set(t0);
    let m = s.state.services().mesureur.clone().unwrap();
    let appelant = ("conv-cd77".to_string(), "cd77-app".to_string());
    // 19 calls, all 503: below the minimum, no incident
    for _ in 0..19 {
        m.enregistrer(Api::StatutUsager, "statut", Some(&appelant), 503, std::time::Duration::from_millis(3));
    }
    // 30 calls on the search API, 6 of them 503 (20 %): a spike
    for i in 0..30 {
        let statut = if i < 6 { 503 } else { 200 };
        m.enregistrer(
            Api::RechercheUsager,
            "rechercher-usager",
            Some(&appelant),
            statut,
            std::time::Duration::from_millis(3),
        );
    }
    s.clock.set(t0 + Duration::minutes(1));
    let lot = dude_core::app::sla::collecte::ecrire_minutes_passees(&m, &s.store).await;
    assert_eq!(lot.len(), 2);
    let ouverts = dude_core::app::sla::collecte::detecter_pics(s.state.services(), &lot).await;
    assert_eq!(ouverts, vec!["recherche-usager".to_string()]);
    let i = &dude_core::app::sla::gestion::incidents(s.state.services(), true, None).await.unwrap()[0];
    assert!(i.resume.contains("6 réponses 5xx sur 30 appels"), "{}", i.resume);
    assert_eq!(i.incident.detecte_le(), t0);
    // the same spike again: no second incident
    assert!(dude_core::app::sla::collecte::detecter_pics(s.state.services(), &lot).await.is_empty());
}

/// A minute in which no instance ran is unavailable, unless an announced maintenance
/// covers it; the report tells stopped minutes apart from minutes without a probe, and
/// measures from the service's start.
async fn downtime_counts(s: &TestServer) {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
    s.clock.set(t0);
    // started on the 3rd at 08:00; stopped on the 10th from 14:00 to 16:00, the last
    // half hour of it announced as a maintenance
    let debut = Utc.with_ymd_and_hms(2026, 11, 3, 8, 0, 0).unwrap();
    let arret = Utc.with_ymd_and_hms(2026, 11, 10, 14, 0, 0).unwrap();
    battements(&s.store, debut, arret).await;
    battements(&s.store, arret + Duration::minutes(120), t0).await;
    let r = s
        .client
        .post(s.url("/admin/v1/sla/fenetres"))
        .bearer_auth(TOKEN_ADMIN)
        .json(&serde_json::json!({"nature": "maintenance", "debut": "2026-11-10T15:30:00Z",
            "fin": "2026-11-10T16:00:00Z", "motif": "montée de version"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = rapport(s, "mois=2026-11", TOKEN_ADMIN).await.json().await.unwrap();
    assert_eq!(v["mesureDepuis"], "2026-11-03T08:00:00Z", "{v}");
    let statut = api(&v, "statut-usager");
    let periode = (t0 - debut).num_minutes();
    assert_eq!(statut["minutesPeriode"].as_i64(), Some(periode));
    assert_eq!(statut["minutesServiceArrete"], 90, "{statut}");
    assert_eq!(statut["minutesIndisponibles"], 90);
    assert_eq!(statut["minutesSansSonde"].as_i64(), Some(periode - 120), "ran without any probe");
    let attendu = 100.0 * (periode as f64 - 30.0 - 90.0) / (periode as f64 - 30.0);
    assert!((statut["disponibilitePct"].as_f64().unwrap() - attendu).abs() < 1e-9, "{statut}");
    // the page says it too
    let page = s.client.get(s.url("/admin/sla?mois=2026-11")).bearer_auth(TOKEN_ADMIN).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("service arrêté") && html.contains("mise en service"), "{html}");
}

scenarios!(
    calls_are_measured_per_minute_and_reported,
    probes_end_to_end_and_availability_with_a_maintenance_window,
    an_incident_lifecycle_with_deadlines_on_business_hours,
    failing_probes_open_an_incident_that_their_success_restores,
    breaches_changes_and_deprecated_versions,
    an_error_rate_spike_opens_an_availability_incident,
    downtime_counts,
);
