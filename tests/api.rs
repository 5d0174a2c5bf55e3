//! Black-box tests of the HTTP API: a real router on a random port, over SQLite and over
//! PostgreSQL, called with reqwest.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn problem(r: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["codeRetour"], code, "{v}");
    assert_eq!(v["status"], status);
    v
}

async fn health_and_openapi(s: &TestServer) {
    assert_eq!(s.client.get(s.url("/healthz")).send().await.unwrap().status(), 200);
    assert_eq!(s.client.get(s.url("/readyz")).send().await.unwrap().status(), 200);
    let doc: Value = s.client.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    for p in [
        "/partenaire/v1/rechercher-usager",
        "/partenaire/v1/usagers/{id_national}/statut",
        "/partenaire/v1/usagers/{id_national}/diagnostic/besoins",
        "/partenaire/v1/usagers/{id_national}/diagnostic/diagnostics",
        "/partenaire/v1/usagers/{id_national}/diagnostic/contraintes",
        "/partenaire/v1/usagers/{id_national}/diagnostic/dossier",
        "/partenaire/v1/usagers/{id_national}/diagnostic/pouvoir-agir",
        "/partenaire/v1/usagers/{id_national}/metiers-recherches",
        "/partenaire/v1/usagers/{id_national}/projets-creation-entreprise",
        "/admin/v1/departements/{code}/listes-mensuelles/{mois}",
    ] {
        assert!(doc["paths"][p].is_object(), "OpenAPI lacks {p}");
    }
    assert!(doc["paths"]["/partenaire/v1/usagers/{id_national}/diagnostic/diagnostics"]["put"].is_object());
    assert!(doc["components"]["schemas"]["StatutUsager"].is_object());
}

/// France Travail's live routes (core/src/api/openapi.rs, the `francetravail` and `oauth`
/// handlers): each documented under its path and method; those reading the jeton say so.
async fn the_live_routes_are_in_openapi(s: &TestServer) {
    let doc: Value = s.client.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    let jeton = Some("ft-jeton-usager");
    let live: [(&str, &str, Option<&str>); 15] = [
        ("post", "/connexion/oauth2/access_token", None),
        ("post", "/partenaire/rechercher-usager/v1/usagers/recherche", None),
        ("post", "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", None),
        ("post", "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail", None),
        ("get", "/partenaire/contrat-usager/v2/contrat", jeton),
        ("get", "/partenaire/diagnosticargumente/v1/individus/{identifiant}", None),
        ("get", "/partenaire/diagnosticargumente/v1/individus/{identifiant}/contraintes", None),
        ("get", "/partenaire/diagnosticargumente/v4/dossiers", jeton),
        ("get", "/partenaire/informations-administratives/v1/usager", jeton),
        ("get", "/partenaire/donnees-rqth/v1/rqth", jeton),
        ("get", "/partenaire/orientationusager/v1/lectureOrientation", jeton),
        ("post", "/partenaire/orientationusager/v1/orientation", jeton),
        ("post", "/partenaire/rendez-vous-partenaire/v1/rendez-vous", jeton),
        ("put", "/partenaire/rendez-vous-partenaire/v1/rendez-vous", jeton),
        ("delete", "/partenaire/rendez-vous-partenaire/v1/rendez-vous/{id}", jeton),
    ];
    for (methode, chemin, entete) in live {
        let op = &doc["paths"][chemin][methode];
        assert!(op.is_object(), "OpenAPI lacks {methode} {chemin}");
        assert_eq!(op["tags"][0], "France Travail", "{methode} {chemin}");
        let succes = ["200", "201", "204"].iter().any(|c| op["responses"][*c].is_object());
        assert!(succes, "{methode} {chemin}: a success documented in {op}");
        if let Some(nom) = entete {
            let params = op["parameters"].as_array().unwrap_or_else(|| panic!("{methode} {chemin}: parameters"));
            assert!(
                params.iter().any(|p| p["name"] == nom && p["in"] == "header"),
                "{methode} {chemin}: the {nom} header in {params:?}"
            );
        }
    }
    // and no live route documented that the list above does not know
    let methodes = ["get", "put", "post", "delete", "patch"];
    for (chemin, item) in paths {
        let vivant = chemin.starts_with("/partenaire/") && !chemin.starts_with("/partenaire/v1/");
        if !vivant {
            continue;
        }
        for m in methodes.iter().filter(|m| item.get(**m).is_some()) {
            assert!(live.iter().any(|(lm, lc, _)| *lm == *m && *lc == chemin.as_str()), "{m} {chemin} not in the list");
        }
    }
}

async fn rechercher_usager(s: &TestServer) {
    use who::*;
    // S001, stable per partner, different between partners
    let a = s.rechercher(TOKEN_77, INSCRITE, BIRTH).await;
    assert_eq!(a["codeRetour"], "S001");
    assert_eq!(a["topIdentiteCertifiee"], "Oui");
    assert!(a["message"].is_null());
    let a2 = s.rechercher(TOKEN_77, INSCRITE, BIRTH).await;
    assert_eq!(a["idNational"], a2["idNational"]);
    let b = s.rechercher(TOKEN_FT, INSCRITE, BIRTH).await;
    assert_ne!(a["idNational"], b["idNational"]);
    // radiated less than 3 years ago: found; more: not found
    assert_eq!(s.rechercher(TOKEN_77, RADIEE_RECENTE, BIRTH).await["codeRetour"], "S001");
    assert_eq!(s.rechercher(TOKEN_77, CESSEE, BIRTH).await["codeRetour"], "S001");
    assert_eq!(s.rechercher(TOKEN_77, RADIEE_ANCIENNE, BIRTH).await["codeRetour"], "S002");
    // identified, never registered: not found
    assert_eq!(s.rechercher(TOKEN_77, IDENTIFIEE, BIRTH).await["codeRetour"], "S002");
    // unknown NIR, wrong date of birth
    assert_eq!(s.rechercher(TOKEN_77, "1990175123456", BIRTH).await["codeRetour"], "S002");
    let wrong = s.rechercher(TOKEN_77, INSCRITE, "1985-01-16").await;
    assert_eq!(wrong["codeRetour"], "S002");
    assert!(wrong["idNational"].is_null());
    // several
    assert_eq!(s.rechercher(TOKEN_77, DOUBLON, BIRTH).await["codeRetour"], "S003");
    // a 13-character NIR works as well as 15
    let r = s
        .partner(Method::POST, TOKEN_77, "/partenaire/v1/rechercher-usager")
        .json(&json!({"nir": INSCRITE, "dateNaissance": BIRTH}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["idNational"], a["idNational"]);

    // R997: bad key, bad date, unknown field, wrong type — each names the field
    let post = |body: Value| s.partner(Method::POST, TOKEN_77, "/partenaire/v1/rechercher-usager").json(&body).send();
    let mut bad_key = nir(INSCRITE);
    let k: u32 = bad_key[13..].parse().unwrap();
    bad_key.replace_range(13.., &format!("{:02}", (k % 97) + 1));
    let v = problem(post(json!({"nir": bad_key, "dateNaissance": BIRTH})).await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "nir");
    assert!(v["detail"].as_str().unwrap().contains("clé"), "{v}");
    assert!(!v.to_string().contains(&nir(INSCRITE)[..10]), "the NIR is not echoed: {v}");
    let v =
        problem(post(json!({"nir": nir(INSCRITE), "dateNaissance": "15/01/1985"})).await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "dateNaissance");
    let v =
        problem(post(json!({"nir": nir(INSCRITE), "dateNaissance": BIRTH, "nom": "x"})).await.unwrap(), 400, "R997")
            .await;
    assert!(v["detail"].as_str().unwrap().contains("nom"), "{v}");
    let v = problem(post(json!({"nir": 285017700000199u64, "dateNaissance": BIRTH})).await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "nir");
    assert!(!v.to_string().contains("2850177"), "{v}");
    let v = problem(post(json!({"nir": "12"})).await.unwrap(), 400, "R997").await;
    assert!(v["detail"].as_str().unwrap().contains("dateNaissance"), "{v}");

    // R001: no token, unknown token, missing agent
    let r = s.client.post(s.url("/partenaire/v1/rechercher-usager")).json(&json!({})).send().await.unwrap();
    problem(r, 401, "R001").await;
    let r = s
        .partner(Method::POST, "nope-nope-nope-nope", "/partenaire/v1/rechercher-usager")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    problem(r, 401, "R001").await;
    let r = s
        .client
        .post(s.url("/partenaire/v1/rechercher-usager"))
        .bearer_auth(s.jwt(TOKEN_77))
        .header("pa-identifiant-agent", "AG001")
        .header("pa-prenom-agent", "Anne")
        .json(&json!({"nir": nir(INSCRITE), "dateNaissance": BIRTH}))
        .send()
        .await
        .unwrap();
    let v = problem(r, 401, "R001").await;
    assert!(v["detail"].as_str().unwrap().contains("pa-nom-agent"), "{v}");
}

async fn statut_usager(s: &TestServer) {
    use who::*;
    let id = s.id_national(TOKEN_77, CESSEE).await;
    let r = s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v,
        json!({
            "idNat": id,
            "statutDE": "Cessé",
            "dateEffetStatut": "2026-09-30",
            "dateInscription12": "2025-01-10",
            "dateInscription24": "2025-01-10",
            "dateInscription36": "2025-01-10",
            "motifInscriptionCode": "14",
            "motifInscriptionLib": "FIN DE CDD OU DE CONTRAT AIDE",
            "categInscriptionCode": "1",
            "categInscriptionLib": "Sans emploi, immédiatement disponible, recherche un CDI à temps plein",
            "situationRegEmpCode": "SE",
            "situationRegEmpLib": "Sans emploi",
            "motifClotureCode": "DAC",
            "motifClotureLib": "Défaut d'actualisation",
            "messageErreur": null
        })
    );
    let id = s.id_national(TOKEN_77, CESSEE_REINSCRITE).await;
    let v = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).await;
    assert_eq!(v["statutDE"], "Inscrit");
    assert_eq!(v["dateEffetStatut"], "2026-10-31");
    assert_eq!(v["dateInscription12"], "2026-10-31");
    assert_eq!(v["categInscriptionCode"], "3");
    assert!(v["motifClotureCode"].is_null());

    // an id from another partner, a tampered id, garbage
    let other = s.id_national(TOKEN_FT, CESSEE).await;
    let r = s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{other}/statut")).send().await.unwrap();
    let v = problem(r, 400, "R997").await;
    assert!(v["detail"].as_str().unwrap().contains("autre partenaire"), "{v}");
    let mut t: Vec<char> = id.chars().collect();
    t[3] = if t[3] == 'x' { 'y' } else { 'x' };
    let t: String = t.into_iter().collect();
    let r = s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{t}/statut")).send().await.unwrap();
    problem(r, 400, "R997").await;
    let r = s.partner(Method::GET, TOKEN_77, "/partenaire/v1/usagers/%20%3C%3E/statut").send().await.unwrap();
    problem(r, 400, "R997").await;
}

async fn diagnostic_reads(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let get = |p: &str| {
        let url = format!("/partenaire/v1/usagers/{id}/{p}");
        async move {
            let r = s.partner(Method::GET, TOKEN_77, &url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{url}");
            r.json::<Value>().await.unwrap()
        }
    };
    let besoins = get("diagnostic/besoins").await;
    let b = &besoins["besoinsParDiagnostic"][0];
    assert_eq!(
        b["besoins"][0],
        json!({"code": "3", "libelle": "Découvrir un métier ou un secteur d’activité", "valeur": "BESOIN"})
    );
    assert_eq!(b["besoins"][1]["valeur"], "POINT_FORT");
    let id_metier = b["idMetier"].as_str().unwrap().to_string();
    assert!(!id_metier.contains("ALPHA"), "métier id is encrypted");

    let diags = get("diagnostic/diagnostics").await;
    let x = &diags["listeDiagnostics"][0];
    assert_eq!(x["idMetierChiffre"], id_metier.as_str());
    assert_eq!(x["nomMetier"], "Commis / Commise de cuisine");
    assert_eq!(x["statut"], "EN_COURS");
    assert_eq!(x["typologie"], "MR");
    assert_eq!(x["estPrioritaire"], true);
    assert_eq!(x["conseiller"], json!({"nom": "CONSEIL", "prenom": "Paul", "structure": "France Travail"}));
    assert_eq!(x["dateMiseAJour"], "2026-06-01");

    let c = get("diagnostic/contraintes").await;
    let t = &c["contraintesIndividus"][0];
    assert_eq!(t["code"], "7");
    assert_eq!(t["libelle"], "Résoudre ses contraintes personnelles");
    assert_eq!(t["conseiller"], "AG777");
    assert_eq!(t["contraintes"][0]["id"], "23");
    assert_eq!(t["contraintes"][0]["valeur"], "OUI");
    assert_eq!(t["contraintes"][0]["situations"][0]["code"], "8");
    assert_eq!(t["contraintes"][0]["objectifs"][0]["valeur"], "EN_COURS");

    let dossier = get("diagnostic/dossier").await;
    let di = &dossier["dossierIndividu"];
    assert_eq!(di["besoinsParDiagnosticIndividuDtos"][0]["idMetier"], id_metier.as_str());
    assert_eq!(di["besoinsParDiagnosticIndividuDtos"][0]["nomMetier"], "Commis / Commise de cuisine");
    assert_eq!(di["contraintesIndividusDto"][0]["code"], "7");

    assert_eq!(
        get("diagnostic/pouvoir-agir").await,
        json!({"pouvoirAgir": {"confiance": "NE_SAIT_PAS", "accompagnement": "OUI", "resultatAnalyse": "A_ACCOMPAGNER"}})
    );
    let m = get("metiers-recherches").await;
    let m = &m["metierRecherche"][0];
    assert_eq!(m["rome"], "G1603");
    assert_eq!(m["appellation"]["code"], "12190");
    assert_eq!(m["contrats"][0], json!({"critereore": true, "priorite": 0, "type": "CDI"}));
    assert_eq!(m["dureeshebdomadaires"], json!({"critereore": true, "tempstravail": "TEMPS_PLEIN"}));
    assert_eq!(m["mobilites"][0]["lieu"]["libelle"], "Melun");
    assert_eq!(m["salaire"], json!({"montant": 1900, "unite": "MENSUEL"}));
    assert_eq!(m["typologieemploi"], "METIER_RECHERCHE");
    let p = get("projets-creation-entreprise").await;
    assert_eq!(p["projetCref"][0]["typecrefcreation"], true);
    assert_eq!(p["projetCref"][0]["typecrefreprise"], false);

    // a person with nothing: empty lists, null pouvoir d'agir
    let id2 = s.id_national(TOKEN_77, who::CESSEE).await;
    let v = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id2}/diagnostic/dossier")).await;
    assert_eq!(v, json!({"dossierIndividu": {"besoinsParDiagnosticIndividuDtos": [], "contraintesIndividusDto": []}}));
}

async fn diagnostic_writes(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let path = format!("/partenaire/v1/usagers/{id}/diagnostic/diagnostics");
    let diags = s.get_json(TOKEN_77, &path).await;
    let id_metier = diags["listeDiagnostics"][0]["idMetierChiffre"].as_str().unwrap().to_string();
    let put = |body: Value| s.partner(Method::PUT, TOKEN_77, &path).json(&body).send();

    // valid update: enumerated values only
    let r = put(json!({"diagnostic": [{"idMetierChiffre": id_metier, "typologie": "PROJET_EVOLUTION", "statut": "VALIDE", "estPrioritaire": false,
        "conseiller": {"nom": "Dupont", "prenom": "Anne", "structure": "Conseil départemental 77"}}]}))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let v = s.get_json(TOKEN_77, &path).await;
    let x = &v["listeDiagnostics"][0];
    assert_eq!(x["typologie"], "PROJET_EVOLUTION");
    assert_eq!(x["statut"], "VALIDE");
    assert_eq!(x["estPrioritaire"], false);
    assert_eq!(x["dateMiseAJour"], TODAY);
    assert_eq!(x["conseiller"], json!({"nom": "Dupont", "prenom": "Anne", "structure": "Conseil départemental 77"}));

    // refused writes, each otherwise changing the typology, status and priority stored
    // (so that the check below can fail): free text refused, naming the field
    let v = problem(
        put(json!({"diagnostic": [{"idMetierChiffre": id_metier, "typologie": "METIER_RECHERCHE", "statut": "EN_COURS", "estPrioritaire": true, "nomMetier": "Chef étoilé"}]})).await.unwrap(),
        400,
        "R997",
    )
    .await;
    assert_eq!(v["champ"], "diagnostic[0].nomMetier");
    let v = problem(
        put(json!({"diagnostic": [{"idMetierChiffre": id_metier, "typologie": "METIER_RECHERCHE", "statut": "EN_COURS", "estPrioritaire": true, "commentaire": "texte libre"}]})).await.unwrap(),
        400,
        "R997",
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("commentaire"), "{v}");
    let v = problem(
        put(json!({"diagnostic": [{"idMetierChiffre": id_metier, "typologie": "JE_SAIS_PAS"}]})).await.unwrap(),
        400,
        "R997",
    )
    .await;
    assert_eq!(v["champ"], "diagnostic[0].typologie");
    assert!(v["detail"].as_str().unwrap().contains("MR"), "allowed values listed: {v}");
    let v = problem(
        put(json!({"diagnostic": [{"idMetierChiffre": id_metier, "typologie": "METIER_RECHERCHE", "statut": "EN_COURS", "estPrioritaire": true,
            "conseiller": {"nom": "Autre", "prenom": "Anne", "structure": "Conseil départemental 77"}}]}))
        .await
        .unwrap(),
        400,
        "R997",
    )
    .await;
    assert_eq!(v["champ"], "diagnostic[0].conseiller");
    let one = json!({"idMetierChiffre": id_metier, "typologie": "METIER_RECHERCHE", "statut": "EN_COURS", "estPrioritaire": true});
    let v = problem(put(json!({"diagnostic": [one.clone(), one]})).await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "diagnostic");
    // a métier id of another partner
    let other: Value = s
        .partner(
            Method::GET,
            TOKEN_FT,
            &format!("/partenaire/v1/usagers/{}/diagnostic/diagnostics", s.id_national(TOKEN_FT, who::INSCRITE).await),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let foreign = other["listeDiagnostics"][0]["idMetierChiffre"].as_str().unwrap();
    let v = problem(
        put(json!({"diagnostic": [{"idMetierChiffre": foreign, "typologie": "METIER_RECHERCHE", "statut": "EN_COURS", "estPrioritaire": true}]})).await.unwrap(),
        400,
        "R997",
    )
    .await;
    assert_eq!(v["champ"], "diagnostic[0].idMetierChiffre");
    // nothing changed by the refused writes
    let v2 = s.get_json(TOKEN_77, &path).await;
    assert_eq!(v2["listeDiagnostics"][0]["typologie"], "PROJET_EVOLUTION");
    assert_eq!(v2["listeDiagnostics"][0]["statut"], "VALIDE");
    assert_eq!(v2["listeDiagnostics"][0]["estPrioritaire"], false);
    assert_eq!(v2["listeDiagnostics"][0]["conseiller"]["nom"], "Dupont");

    // constraints
    let cpath = format!("/partenaire/v1/usagers/{id}/diagnostic/contraintes");
    let cput = |body: Value| s.partner(Method::PUT, TOKEN_77, &cpath).json(&body).send();
    let r = cput(json!({"dateExploration": "2026-11-20", "idConseiller": "AG001", "contraintes": [
        {"code": "SANS_LOGEMENT", "valeur": "OUI", "situations": [{"code": "HEBERGE_TIERS", "valeur": "OUI"}],
         "objectifs": [{"code": "TROUVER_LOGEMENT", "valeur": "EN_COURS"}]},
        {"code": "PERMIS", "valeur": "NON"}]}))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let c = s.get_json(TOKEN_77, &cpath).await;
    let themes: Vec<&str> =
        c["contraintesIndividus"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
    // the former DUDE codes are still read; France Travail's come out: one thématique "7"
    // whose contraintes are 23 (mobilité) and 27 (logement), in the list's order
    assert_eq!(themes, ["7"]);
    let t = &c["contraintesIndividus"][0];
    let ids: Vec<&str> = t["contraintes"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["23", "27"]);
    assert_eq!(t["contraintes"][1]["situations"][0]["valeur"], "OUI");
    assert_eq!(t["contraintes"][0]["valeur"], "NON_ABORDEE", "the former NON is read as not discussed");
    assert_eq!(t["conseiller"], "AG001");
    assert_eq!(t["dateDeModification"], TODAY);
    let v = problem(cput(json!({"dateExploration": "2026-11-20", "idConseiller": "AG001", "contraintes": [{"code": "ENVIE_DE_RIEN", "valeur": "OUI"}]})).await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "contraintes[0].code");
    let v = problem(
        cput(json!({"dateExploration": "2026-11-20", "idConseiller": "AG999", "contraintes": []})).await.unwrap(),
        400,
        "R997",
    )
    .await;
    assert_eq!(v["champ"], "idConseiller");
    let v = problem(
        cput(json!({"dateExploration": "2026-11-20", "idConseiller": "AG001", "contraintes": [{"code": "PERMIS", "valeur": "OUI", "situations": [{"code": "SANS_PERMIS", "valeur": "peut-être"}]}]}))
            .await
            .unwrap(),
        400,
        "R997",
    )
    .await;
    assert_eq!(v["champ"], "contraintes[0].situations[0].valeur");
}

async fn monthly_lists(s: &TestServer) {
    let get = |dep: &str, mois: &str, liste: &str, accept: &str| {
        s.client
            .get(s.url(&format!("/admin/v1/departements/{dep}/listes-mensuelles/{mois}?liste={liste}")))
            .bearer_auth(TOKEN_ADMIN)
            .header("accept", accept)
            .send()
    };
    let list = |dep: &'static str, mois: &'static str, liste: &'static str| async move {
        let r = get(dep, mois, liste, "application/json").await.unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()
    };
    let names = |v: &Value| -> Vec<String> {
        v["lignes"].as_array().unwrap().iter().map(|l| l["nom"].as_str().unwrap().to_string()).collect()
    };
    // inscrits in October 2026, RSA, 77: INDIA (31/10) and JULIET (re-registered 31/10); not GOLF (no RSA), not HOTEL (93)
    let v = list("77", "2026-10", "inscrits").await;
    assert_eq!(names(&v), ["INDIA", "JULIET"]);
    assert_eq!(v["nombre"], 2);
    assert_eq!(v["lignes"][1]["evenement"], "REINSCRIPTION");
    assert_eq!(v["lignes"][0]["numeroAllocataire"], "NA-INDIA");
    let v = list("93", "2026-10", "inscrits").await;
    assert_eq!(names(&v), ["HOTEL"]);
    // radiés in October: DELTA
    let v = list("77", "2026-10", "radies").await;
    assert_eq!(names(&v), ["DELTA"]);
    assert_eq!(v["lignes"][0]["motifClotureCode"], "ABS");
    // cessés in September not back by the end of October: BRAVO only
    // (JULIET came back on 31/10, KILO the same day)
    let v = list("77", "2026-10", "cesses").await;
    assert_eq!(names(&v), ["BRAVO"]);
    // in November, September's cessations are no longer M-1
    let v = list("77", "2026-11", "cesses").await;
    assert_eq!(names(&v), Vec::<String>::new());
    // CSV
    let r = get("77", "2026-10", "inscrits", "text/csv").await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = r.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[0].starts_with("nom;prenom;date_naissance;numero_allocataire"));
    assert!(
        lines[1].starts_with("INDIA;Test;1985-01-15;NA-INDIA;CAF;77000;Ville;INSCRIPTION;2026-10-31;1;;"),
        "{}",
        lines[1]
    );
    // errors
    problem(get("77", "2026-13", "inscrits", "application/json").await.unwrap(), 400, "R997").await;
    let v = problem(get("20", "2026-10", "inscrits", "application/json").await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "code");
    let v = problem(get("77", "2026-10", "tous", "application/json").await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "liste");
    problem(get("77", "2026-10", "inscrits", "application/xml").await.unwrap(), 406, "R997").await;
    // partner tokens are not admin tokens
    let r = s
        .client
        .get(s.url("/admin/v1/departements/77/listes-mensuelles/2026-10?liste=inscrits"))
        .bearer_auth(s.jwt(TOKEN_77))
        .send()
        .await
        .unwrap();
    problem(r, 401, "R001").await;
}

async fn nir_never_stored_in_clear(s: &TestServer) {
    // Read every text column of the dossier table through the store's connection.
    use sea_orm::{ConnectionTrait, Statement};
    let db = s.store.connection();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT nir_index, nir_chiffre FROM dossier"))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    let clear = nir(who::INSCRITE);
    for r in rows {
        let a: String = r.try_get("", "nir_index").unwrap();
        let b: String = r.try_get("", "nir_chiffre").unwrap();
        assert!(!a.contains(&clear[..13]) && !b.contains(&clear[..13]));
    }
    let sections = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT donnees FROM dossier_section"))
        .await
        .unwrap();
    for r in sections {
        let j: String = r.try_get("", "donnees").unwrap();
        assert!(!j.contains(&clear[..13]), "no NIR in sections");
    }
}

/// Every rejection of a request is a problem document naming the field; the token
/// endpoint answers as RFC 6749 §5.2 says.
async fn rejections_are_problem_documents(s: &TestServer) {
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    // query
    let r =
        s.partner(Method::GET, TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut?provenance=peut-etre")).send();
    let v = problem(r.await.unwrap(), 400, "R997").await;
    assert_eq!(v["champ"], "provenance", "{v}");
    assert!(!v["detail"].as_str().unwrap().contains("peut-etre"), "{v}");
    // path
    let r = s.client.get(s.url("/admin/v1/departements/77/listes-mensuelles/2026-10?liste=x")).bearer_auth(TOKEN_ADMIN);
    problem(r.send().await.unwrap(), 400, "R997").await;
    // unknown resource, method not allowed
    let r = s.client.get(s.url("/partenaire/v2/nulle-part")).send().await.unwrap();
    problem(r, 404, "R997").await;
    let r = s.client.delete(s.url("/partenaire/v1/rechercher-usager")).send().await.unwrap();
    assert!(r.headers()["allow"].to_str().unwrap().contains("POST"), "{:?}", r.headers());
    problem(r, 405, "R997").await;
    // JSON sent as another type, or without a type
    let post = || s.partner(Method::POST, TOKEN_77, "/partenaire/v1/rechercher-usager");
    let body = serde_json::json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH}).to_string();
    let r = post().header("content-type", "text/plain").body(body.clone()).send().await.unwrap();
    let v = problem(r, 415, "R997").await;
    assert_eq!(v["champ"], "Content-Type");
    let r = post().body(body.clone()).send().await.unwrap();
    problem(r, 415, "R997").await;
    // over the route's limit: 413, the connection closed
    let gros = format!("{{\"nir\": \"{}\"}}", "1".repeat(300 * 1024));
    let r = post().header("content-type", "application/json").body(gros).send().await.unwrap();
    assert_eq!(r.headers()["connection"], "close");
    let v = problem(r, 413, "R997").await;
    assert_eq!(v["champ"], "corps");
    // announcing 50 MB: refused before anything is read
    let reponse = brut(s, &format!(
        "POST /partenaire/v1/rechercher-usager HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer {}\r\npa-identifiant-agent: AG001\r\npa-nom-agent: Dupont\r\npa-prenom-agent: Anne\r\ncontent-length: 52428800\r\n\r\n{{\"nir\":",
        s.jwt(TOKEN_77)
    ))
    .await;
    assert!(reponse.starts_with("HTTP/1.1 413"), "{reponse}");
    assert!(reponse.contains("application/problem+json"), "{reponse}");
    // too many headers: 431 from the server itself
    let mut req = String::from("GET /healthz HTTP/1.1\r\nhost: x\r\n");
    for i in 0..100 {
        req.push_str(&format!("x-h{i}: {i}\r\n"));
    }
    req.push_str("\r\n");
    assert!(brut(s, &req).await.starts_with("HTTP/1.1 431"));

    // OAuth2 (RFC 6749 §5.2)
    let token = |form: Vec<(&str, &str)>| s.client.post(s.url("/oauth2/token")).form(&form).send();
    let erreur = |r: reqwest::Response, status: u16, error: &'static str| async move {
        assert_eq!(r.status(), status);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let www = r.headers().get("www-authenticate").cloned();
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"], error, "{v}");
        assert!(v["error_description"].is_string());
        www
    };
    let app = [("client_id", "cd77-app"), ("client_secret", SECRET)];
    erreur(token(app.to_vec()).await.unwrap(), 400, "invalid_request").await;
    erreur(token([&app[..], &[("grant_type", "password")]].concat()).await.unwrap(), 400, "unsupported_grant_type")
        .await;
    let www = erreur(
        token(vec![("grant_type", "client_credentials"), ("client_id", "cd77-app"), ("client_secret", "faux")])
            .await
            .unwrap(),
        401,
        "invalid_client",
    )
    .await;
    assert!(www.is_some_and(|w| w.to_str().unwrap().starts_with("Basic")));
    erreur(token(vec![("grant_type", "client_credentials")]).await.unwrap(), 401, "invalid_client").await;
    erreur(
        token([&app[..], &[("grant_type", "client_credentials"), ("scope", "admin")]].concat()).await.unwrap(),
        400,
        "invalid_scope",
    )
    .await;
    let r = s
        .client
        .post(s.url("/oauth2/token"))
        .basic_auth("cd77-app", Some(SECRET))
        .form(&[("grant_type", "client_credentials"), ("client_id", "cd77-app"), ("client_secret", SECRET)])
        .send()
        .await
        .unwrap();
    erreur(r, 400, "invalid_request").await;
    let r = s
        .client
        .post(s.url("/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&grant_type=client_credentials&client_id=cd77-app&client_secret={SECRET}"
        ))
        .send()
        .await
        .unwrap();
    erreur(r, 400, "invalid_request").await;
    let r = s.client.post(s.url("/oauth2/token")).json(&serde_json::json!({"grant_type": "client_credentials"})).send();
    erreur(r.await.unwrap(), 400, "invalid_request").await;
    // a scope asked and granted
    let r = token([&app[..], &[("grant_type", "client_credentials"), ("scope", "partenaire inconnu")]].concat());
    let v: Value = r.await.unwrap().json().await.unwrap();
    assert_eq!(v["scope"], "partenaire", "{v}");
}

/// Sends raw bytes on a new connection; returns what the server answered until it
/// closed (at most 5 s).
async fn brut(s: &TestServer, requete: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut c = tokio::net::TcpStream::connect(s.base.trim_start_matches("http://")).await.unwrap();
    c.write_all(requete.as_bytes()).await.unwrap();
    let mut lu = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), c.read_to_end(&mut lu)).await;
    String::from_utf8_lossy(&lu).to_string()
}

/// A client that does not finish its request in time gets 408 and the connection closes.
#[tokio::test]
async fn slow_clients_get_408() {
    let delais = dude_core::api::extract::DelaisHttp {
        entetes: std::time::Duration::from_millis(500),
        inactivite: std::time::Duration::from_millis(500),
        total: std::time::Duration::from_secs(2),
    };
    let s = TestServer::start_delais(None, None, delais).await;
    // half a head
    let r = brut(&s, "GET /healthz HTTP/1.1\r\nhost: x\r\nx-lent: ").await;
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
    assert!(r.contains("connection: close") && r.contains("application/problem+json"), "{r}");
    // a body announced 100 bytes long, 10 sent
    let r = brut(
        &s,
        &format!(
            "POST /partenaire/v1/rechercher-usager HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer {}\r\npa-identifiant-agent: AG001\r\npa-nom-agent: Dupont\r\npa-prenom-agent: Anne\r\ncontent-length: 100\r\n\r\n{{\"nir\": \"1",
            s.jwt(TOKEN_77)
        ),
    )
    .await;
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
    assert!(r.contains("connection: close") && r.contains("R997"), "{r}");
}

scenarios!(
    rejections_are_problem_documents,
    health_and_openapi,
    the_live_routes_are_in_openapi,
    rechercher_usager,
    statut_usager,
    diagnostic_reads,
    diagnostic_writes,
    monthly_lists,
    nir_never_stored_in_clear,
);
