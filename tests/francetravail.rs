//! France Travail's live partner API, driven the way its public clients call it
//! (`../shared/reference-formats/france-travail-api/README.md`): token with realm and
//! scope, search, then the jeton in its header — with the habilitations, journal and
//! measurement of the seed-named surface behind every call.

mod common;

use common::*;
use dude_core::dossier::codes::Coded;
use dude_core::habilitation::convention::ModeAppelants;
use dude_core::habilitation::organisation::TypeOrganisation;
use dude_core::journal::Verdict;
use reqwest::Method;
use serde_json::{Value, json};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference-formats/france-travail-api");

/// A token from France Travail's endpoint, as carnet-de-bord, les-emplois and
/// rdv-insertion ask for it; the whole answer.
async fn access_token(s: &TestServer, client_id: &str, secret: &str, realm: &str, scope: Option<&str>) -> (u16, Value) {
    let mut form = vec![("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)];
    if let Some(sc) = scope {
        form.push(("scope", sc));
    }
    let r = s
        .client
        .post(s.url(&format!("/connexion/oauth2/access_token?realm={}", urlencoding(realm))))
        .form(&form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn urlencoding(s: &str) -> String {
    s.replace('/', "%2F")
}

/// A live call: `Authorization: <token_type> <access_token>`, the agent headers of the
/// application's agent, and the jeton when given.
fn appel(
    s: &TestServer,
    m: Method,
    chemin: &str,
    jeton_acces: &str,
    jeton_usager: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut r = s
        .client
        .request(m, s.url(chemin))
        .header("authorization", format!("Bearer {jeton_acces}"))
        .header("pa-identifiant-agent", "AG001")
        .header("pa-nom-agent", "Dupont")
        .header("pa-prenom-agent", "Anne");
    if let Some(j) = jeton_usager {
        r = r.header("ft-jeton-usager", j);
    }
    r
}

async fn jeton_cd77(s: &TestServer, scope: &str) -> String {
    let (status, v) = access_token(s, "cd77-app", SECRET, "/partenaire", Some(scope)).await;
    assert_eq!(status, 200, "{v}");
    v["access_token"].as_str().unwrap().to_string()
}

async fn chercher_v2(s: &TestServer, acces: &str, nir_body: &str) -> Value {
    let r = appel(s, Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", acces, None)
        .json(&json!({"nir": nir(nir_body), "dateNaissance": who::BIRTH}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Field by field: every key of the reference is in the answer with a value of the same
/// JSON type (a null in the reference admits anything; a null in the answer only where
/// the reference has one too or `nullables` names it). An element of an array conforms
/// when it conforms to one of the reference's elements.
fn conforme(reponse: &Value, reference: &Value, chemin: &str, nullables: &[&str]) {
    if let Err(e) = verifier(reponse, reference, chemin, nullables) {
        panic!("{e}");
    }
}

fn verifier(reponse: &Value, reference: &Value, chemin: &str, nullables: &[&str]) -> Result<(), String> {
    match (reponse, reference) {
        (_, Value::Null) => Ok(()),
        (Value::Null, _) if nullables.contains(&chemin) => Ok(()),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let sous = format!("{chemin}.{k}");
                let x = a.get(k).ok_or_else(|| format!("{sous}: missing (answer: {reponse})"))?;
                verifier(x, v, &sous, nullables)?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            for x in a {
                if !b.is_empty()
                    && !b.iter().any(|modele| verifier(x, modele, &format!("{chemin}[]"), nullables).is_ok())
                {
                    return verifier(x, &b[0], &format!("{chemin}[]"), nullables);
                }
            }
            Ok(())
        }
        (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_)) => Ok(()),
        _ => Err(format!("{chemin}: {reponse} where the reference has {reference}")),
    }
}

fn reference(nom: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{REFERENCE}/{nom}")).unwrap()).unwrap()
}

async fn a_live_client_obtains_a_token_finds_a_person_and_reads_the_status(s: &mut TestServer) {
    // the token, realm and scopes as rdv-insertion asks
    let (status, v) = access_token(
        s,
        "cd77-app",
        SECRET,
        "/agent",
        Some("api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-usagerv2 statutcontratusager"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["token_type"], "Bearer");
    assert!(v["expires_in"].as_i64().unwrap() > 0);
    assert_eq!(
        v["scope"], "api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-usagerv2 statutcontratusager",
        "the granted subset of what was asked"
    );
    let acces = v["access_token"].as_str().unwrap();

    let r = chercher_v2(s, acces, who::INSCRITE).await;
    assert_eq!((r["codeRetour"].as_str(), r["topIdentiteCertifiee"].as_str()), (Some("S001"), Some("O")), "{r}");
    assert_eq!(r["message"], "Usager trouvé");
    let jeton = r["jetonUsager"].as_str().unwrap().to_string();
    // unlinkable: another search gives another jeton
    assert_ne!(chercher_v2(s, acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap(), jeton);
    let aucun = chercher_v2(s, acces, "1850177999999").await;
    assert_eq!((aucun["codeRetour"].as_str(), &aucun["jetonUsager"]), (Some("S002"), &Value::Null), "{aucun}");
    assert_eq!(aucun["message"], "Aucun usager trouvé");
    let plusieurs = chercher_v2(s, acces, who::DOUBLON).await;
    assert_eq!(
        (plusieurs["codeRetour"].as_str(), plusieurs["message"].as_str()),
        (Some("S003"), Some("Plusieurs usagers trouvés")),
        "{plusieurs}"
    );
    assert_eq!((&plusieurs["jetonUsager"], &plusieurs["topIdentiteCertifiee"]), (&Value::Null, &Value::Null));

    // the status, jeton in its header, on the fixed path
    let r = appel(s, Method::GET, "/partenaire/contrat-usager/v2/contrat", acces, Some(&jeton)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let c: Value = r.json().await.unwrap();
    let m = &c["m_contrat"];
    for champ in [
        "m_statut",
        "m_date_effet_statut",
        "m_duree_inscription_12",
        "m_duree_inscription_24",
        "m_duree_inscription_36",
        "m_motif_inscription_code",
        "m_motif_inscription_lib",
        "m_categ_inscription_code",
        "m_categ_inscription_lib",
        "m_situation_reg_emp_code",
        "m_situation_reg_emp_lib",
        "m_motif_cloture_code",
        "m_motif_cloture_lib",
    ] {
        assert!(m.as_object().unwrap().contains_key(champ), "{champ} missing: {c}");
    }
    // registered since 2025-03-03: the whole last year, 20 whole months of the last 24
    assert_eq!((m["m_statut"].as_str(), m["m_date_effet_statut"].as_str()), (Some("Inscrit"), Some("2025-03-03")));
    assert_eq!(
        (&m["m_duree_inscription_12"], &m["m_duree_inscription_24"], &m["m_duree_inscription_36"]),
        (&json!(12), &json!(20), &json!(20))
    );
    assert_eq!(m["m_motif_inscription_code"], "14");
    assert_eq!(m["m_motif_cloture_code"], Value::Null);

    // the same person, the same status, on the seed-named surface
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let seed = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).await;
    assert_eq!((seed["statutDE"].as_str(), seed["dateEffetStatut"].as_str()), (Some("Inscrit"), Some("2025-03-03")));
}

async fn generation_1_answers_the_seed_identifiant_with_the_live_messages(s: &mut TestServer) {
    let acces = jeton_cd77(s, "api_rechercher-usagerv1 api_diagnosticargumentev1").await;
    let chercher = |nir_body: &'static str| {
        appel(s, Method::POST, "/partenaire/rechercher-usager/v1/usagers/recherche", &acces, None)
            .json(&json!({"nir": nir(nir_body), "dateNaissance": who::BIRTH}))
            .send()
    };
    let r = chercher(who::INSCRITE).await.unwrap();
    assert_eq!(r.status(), 200);
    let ok: Value = r.json().await.unwrap();
    conforme(&ok, &reference("rechercher-usager-v1.pe_api_recherche_usagers_result_ok_mock.json"), "", &[]);
    assert_eq!((ok["codeRetour"].as_str(), ok["message"].as_str()), (Some("S001"), Some("Approchant trouvé")));
    assert_eq!(ok["identifiant"].as_str().unwrap(), s.id_national(TOKEN_77, who::INSCRITE).await, "the idNational");
    let r = chercher("1850177999999").await.unwrap();
    assert_eq!(r.status(), 200);
    let ko: Value = r.json().await.unwrap();
    let ko_ref = reference("rechercher-usager-v1.pe_api_recherche_usagers_result_ko_mock.json");
    assert_eq!(ko, ko_ref, "exactly the reference's answer");
    let r = chercher(who::DOUBLON).await.unwrap();
    assert_eq!(r.status(), 200, "S003 is an answer, not an error");
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["codeRetour"].as_str(), v["message"].as_str()), (Some("S003"), Some("Plusieurs usagers trouvés")));
    assert_eq!((&v["identifiant"], &v["topIdentiteCertifiee"]), (&Value::Null, &Value::Null), "{v}");
    // a malformed body: 400 R997 naming the field, never echoing it
    let r = appel(s, Method::POST, "/partenaire/rechercher-usager/v1/usagers/recherche", &acces, None)
        .json(&json!({"nir": "12345", "dateNaissance": who::BIRTH}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let p: Value = r.json().await.unwrap();
    assert_eq!((p["codeRetour"].as_str(), p["champ"].as_str()), (Some("R997"), Some("nir")), "{p}");
    assert!(!p.to_string().contains("12345"));
}

async fn the_numero_france_travail_finds_the_person(s: &mut TestServer) {
    let acces = jeton_cd77(s, "api_rechercher-usagerv2 api_contrat-usagerv2").await;
    let chercher = |n: &'static str| {
        appel(s, Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail", &acces, None)
            .json(&json!({"numeroFranceTravail": n}))
            .send()
    };
    let r = chercher(NUMERO_INSCRITE).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["codeRetour"], "S001", "{v}");
    let jeton = v["jetonUsager"].as_str().unwrap();
    let c: Value = appel(s, Method::GET, "/partenaire/contrat-usager/v2/contrat", &acces, Some(jeton))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(c["m_contrat"]["m_date_effet_statut"], "2025-03-03");
    let r = chercher("99999999999").await.unwrap();
    assert_eq!(r.status(), 200, "S002 is an answer, not an error");
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["codeRetour"].as_str(), v["message"].as_str()), (Some("S002"), Some("Aucun usager trouvé")), "{v}");
    assert_eq!(v["jetonUsager"], Value::Null);
    let r = chercher("12-34").await.unwrap();
    assert_eq!(r.status(), 400);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["champ"], "numeroFranceTravail");
}

/// The NIR body of a person found but whose identity is not certified (no fixture has it).
const NON_CERTIFIEE: &str = "2850177000077";

async fn a_person_whose_identity_is_not_certified_is_found_as_such(s: &mut TestServer) {
    let mut p = person(NON_CERTIFIEE, "LIMA", who::BIRTH, "77", true, vec![ins("2025-01-10")]);
    p.identite.identite_certifiee = false;
    s.store.inserer_dossiers(&[p], &dude_core::store::Provenance::new("test", None)).await.unwrap();
    let acces = jeton_cd77(s, "api_rechercher-usagerv1 api_rechercher-usagerv2").await;
    // generation 2: found, with a jeton, the identity said not certified
    let v = chercher_v2(s, &acces, NON_CERTIFIEE).await;
    assert_eq!(
        (v["codeRetour"].as_str(), v["topIdentiteCertifiee"].as_str(), v["message"].as_str()),
        (Some("S001"), Some("N"), Some("Usager trouvé non certifié")),
        "{v}"
    );
    assert!(v["jetonUsager"].as_str().is_some_and(|j| !j.is_empty()), "{v}");
    // generation 1: found, its identifiant the idNational, the same certification
    let r = appel(s, Method::POST, "/partenaire/rechercher-usager/v1/usagers/recherche", &acces, None)
        .json(&json!({"nir": nir(NON_CERTIFIEE), "dateNaissance": who::BIRTH}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["codeRetour"].as_str(), v["topIdentiteCertifiee"].as_str(), v["message"].as_str()),
        (Some("S001"), Some("N"), Some("Approchant trouvé")),
        "{v}"
    );
    assert_eq!(v["identifiant"].as_str().unwrap(), s.id_national(TOKEN_77, NON_CERTIFIEE).await);
    // the seed-named surface says the same
    assert_eq!(s.rechercher(TOKEN_77, NON_CERTIFIEE, who::BIRTH).await["topIdentiteCertifiee"], "Non");
    // a certified person is still "O"
    let v = chercher_v2(s, &acces, who::INSCRITE).await;
    assert_eq!((v["topIdentiteCertifiee"].as_str(), v["message"].as_str()), (Some("O"), Some("Usager trouvé")));
}

async fn scopes_mean_something(s: &mut TestServer) {
    // asked for the v1 search only: the v2 search and the status are refused, journaled
    let acces = jeton_cd77(s, "api_rechercher-usagerv1").await;
    let r = appel(s, Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", &acces, None)
        .json(&json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let p: Value = r.json().await.unwrap();
    assert_eq!((p["codeRetour"].as_str(), p["motif"].as_str()), (Some("R001"), Some("SCOPE_NON_ACCORDE")), "{p}");
    let last = s.store.journal_page(0, 10_000).await.unwrap().pop().unwrap().entree;
    assert_eq!((last.action.as_str(), last.raison.as_str()), ("rechercher-usager", "SCOPE_NON_ACCORDE"));
    // nothing accordable asked: invalid_scope; the realm is required and must be known
    let (status, v) = access_token(s, "cd77-app", SECRET, "/partenaire", Some("api_inconnuev9")).await;
    assert_eq!((status, v["error"].as_str()), (400, Some("invalid_scope")), "{v}");
    let r = s
        .client
        .post(s.url("/connexion/oauth2/access_token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", "cd77-app"), ("client_secret", SECRET)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_request");
    let (status, _) = access_token(s, "cd77-app", SECRET, "/autre", None).await;
    assert_eq!(status, 400);
    // a convention without the status API: its applications are not granted it
    let mut c = s.state.services().gardien.courant().registre.conventions["conv-cd77"].as_ref().clone();
    c.scopes.retain(|x| x != "api_contrat-usagerv2");
    s.store.enregistrer_convention(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let (status, v) =
        access_token(s, "cd77-app", SECRET, "/partenaire", Some("api_rechercher-usagerv2 api_contrat-usagerv2")).await;
    assert_eq!(status, 200);
    assert_eq!(v["scope"], "api_rechercher-usagerv2", "{v}");
    let (status, v) = access_token(s, "cd77-app", SECRET, "/partenaire", Some("api_contrat-usagerv2")).await;
    assert_eq!((status, v["error"].as_str()), (400, Some("invalid_scope")));
}

/// The scopes of every live route that reads the `ft-jeton-usager`, and the search.
const SCOPES_DU_JETON: &str = "api_rechercher-usagerv2 api_contrat-usagerv2 api_diagnosticargumentev4 \
                               api_informations-administrativesv1 api_donnees-rqthv1 api_orientationusagerv1 \
                               api_rendez-vous-partenairev1";

/// Every live route that reads the `ft-jeton-usager` (core/src/api/francetravail/mod.rs),
/// with a body it accepts: only the jeton can make the call fail.
fn routes_du_jeton() -> Vec<(Method, &'static str, Option<Value>)> {
    const RDV: &str = "/partenaire/rendez-vous-partenaire/v1/rendez-vous";
    vec![
        (Method::GET, "/partenaire/contrat-usager/v2/contrat", None),
        (Method::GET, "/partenaire/diagnosticargumente/v4/dossiers", None),
        (Method::GET, "/partenaire/informations-administratives/v1/usager", None),
        (Method::GET, "/partenaire/donnees-rqth/v1/rqth", None),
        (Method::GET, "/partenaire/orientationusager/v1/lectureOrientation", None),
        (
            Method::POST,
            "/partenaire/orientationusager/v1/orientation",
            Some(json!({"parcours": "PSP", "organisme": "CD", "origine": "INSCRIPTION_AUTO_CAF"})),
        ),
        (Method::POST, RDV, Some(common::rendez_vous(None, 30, "PRIS"))),
        (Method::PUT, RDV, Some(common::rendez_vous(Some("rdv-inconnu"), 45, "MODIFIE"))),
        (Method::DELETE, "/partenaire/rendez-vous-partenaire/v1/rendez-vous/rdv-inconnu", None),
    ]
}

/// Sends, with the body when there is one; the status and the JSON answer (null if none).
async fn envoyer(r: reqwest::RequestBuilder, corps: &Option<Value>) -> (u16, Value) {
    let r = match corps {
        Some(c) => r.json(c),
        None => r,
    };
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A live call of the 93's application, as its agent.
fn appel_cd93(s: &TestServer, m: Method, chemin: &str, acces: &str, jeton_usager: &str) -> reqwest::RequestBuilder {
    s.client
        .request(m, s.url(chemin))
        .bearer_auth(acces)
        .header("pa-identifiant-agent", "AG093")
        .header("pa-nom-agent", "Martin")
        .header("pa-prenom-agent", "Karim")
        .header("ft-jeton-usager", jeton_usager)
}

async fn a_missing_tampered_foreign_or_expired_jeton_is_refused(s: &mut TestServer) {
    let acces = jeton_cd77(s, SCOPES_DU_JETON).await;
    let jeton = chercher_v2(s, &acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap().to_string();
    // one character changed in the sealed part
    let mut e: Value = serde_json::from_slice(&base64_decode(&jeton)).unwrap();
    let data = e["data"].as_str().unwrap().to_string();
    let (u, o) = data.split_once('#').unwrap();
    let mut o: Vec<char> = o.chars().collect();
    o[3] = if o[3] == 'x' { 'y' } else { 'x' };
    e["data"] = json!(format!("{u}#{}", o.into_iter().collect::<String>()));
    let altere = base64_encode(&serde_json::to_vec(&e).unwrap());
    assert_ne!(altere, jeton);
    // another partner's application, granted the same scopes
    let (st, v) = access_token(s, "cd93-app", SECRET, "/partenaire", Some(SCOPES_DU_JETON)).await;
    assert_eq!(st, 200, "{v}");
    let autre = v["access_token"].as_str().unwrap().to_string();
    let routes = routes_du_jeton();
    for (m, chemin, corps) in &routes {
        let quoi = format!("{m} {chemin}");
        // missing: 400 R997 naming the header
        let (status, p) = envoyer(appel(s, m.clone(), chemin, &acces, None), corps).await;
        assert_eq!(
            (status, p["codeRetour"].as_str(), p["champ"].as_str()),
            (400, Some("R997"), Some("ft-jeton-usager")),
            "{quoi}: {p}"
        );
        // tampered: 403 R001
        let (status, p) = envoyer(appel(s, m.clone(), chemin, &acces, Some(&altere)), corps).await;
        assert_eq!((status, p["codeRetour"].as_str()), (403, Some("R001")), "{quoi}: {p}");
        // another partner's: 403 R001 too, the same answer
        let (status, p) = envoyer(appel_cd93(s, m.clone(), chemin, &autre, &jeton), corps).await;
        assert_eq!((status, p["codeRetour"].as_str()), (403, Some("R001")), "{quoi}: {p}");
    }
    // nothing was written by the refused calls
    let d = dossier_de(s, who::INSCRITE).await;
    assert_eq!(
        d.orientation.as_ref().map(|o| o.type_parcours),
        Some(dude_core::dossier::orientation::TypeParcours::Social)
    );
    assert!(d.rendez_vous.0.is_empty());
    // the jeton itself is good until it expires
    let r = appel(s, Method::GET, "/partenaire/contrat-usager/v2/contrat", &acces, Some(&jeton));
    let (status, c) = envoyer(r, &None).await;
    assert_eq!((status, c["m_contrat"]["m_statut"].as_str()), (200, Some("Inscrit")), "{c}");
    // expired: an hour later (the default lifetime), with a fresh access token
    s.clock.set(dude_core::clock::Clock::now(&s.clock) + chrono::Duration::seconds(3601));
    let acces = jeton_cd77(s, SCOPES_DU_JETON).await;
    for (m, chemin, corps) in &routes {
        let (status, p) = envoyer(appel(s, m.clone(), chemin, &acces, Some(&jeton)), corps).await;
        assert_eq!((status, p["codeRetour"].as_str()), (401, Some("R001")), "{m} {chemin}: {p}");
        assert!(p["message"].as_str().unwrap().contains("expiré"), "{m} {chemin}: {p}");
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

async fn contrat_answers_204_when_there_is_nothing_to_say(s: &mut TestServer) {
    let acces = jeton_cd77(s, "api_contrat-usagerv2").await;
    let nir = dude_core::dossier::Nir::parse(who::IDENTIFIEE).unwrap();
    let id = s.store.dossiers_par_nir(&nir, d(who::BIRTH)).await.unwrap()[0];
    // never registered: a search does not find them; a jeton made for the test does
    let jeton = s.state.services().jetons.emettre("cd77", id, s.state.clock().now());
    let r = appel(s, Method::GET, "/partenaire/contrat-usager/v2/contrat", &acces, Some(&jeton)).send().await.unwrap();
    assert_eq!(r.status(), 204);
}

/// A machine's organisation, convention and application (the GIP's services).
async fn application_machine(s: &mut TestServer) -> String {
    use dude_core::habilitation::convention::{Public, Territoire};
    s.store
        .enregistrer_organisation(&organisation("gip", "GIP inclusion", TypeOrganisation::Gip, &["77"]))
        .await
        .unwrap();
    let mut c = convention(
        "conv-gip",
        &["ft", "gip"],
        Territoire::Departements(vec![dude_core::dossier::contact::Departement::parse("77").unwrap()]),
        vec![Public::BeneficiairesRsa],
    );
    c.appelants = ModeAppelants::DeclaresParApplication;
    s.store.enregistrer_convention(&c).await.unwrap();
    let hasher =
        dude_core::crypto::secrets::SecretHasher::new(&dude_core::crypto::keys::MasterKey::from_bytes(MASTER_KEY));
    s.store.enregistrer_client(&client("gip-app", "gip", "conv-gip", &hasher)).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let (status, v) =
        access_token(s, "gip-app", SECRET, "/partenaire", Some("api_rechercher-usagerv1 api_rechercher-usagerv2"))
            .await;
    assert_eq!(status, 200, "{v}");
    v["access_token"].as_str().unwrap().to_string()
}

/// A search on `chemin` with token `jeton`, naming `agent` (identifier, and the name for
/// both name headers) or no agent at all.
async fn rechercher_comme(
    s: &TestServer,
    chemin: &str,
    jeton: &str,
    agent: Option<(&str, &str)>,
    corps: &Value,
) -> reqwest::Response {
    let mut r = s.client.post(s.url(chemin)).bearer_auth(jeton).json(corps);
    if let Some((ident, nom)) = agent {
        r = r.header("pa-identifiant-agent", ident).header("pa-nom-agent", nom).header("pa-prenom-agent", nom);
    }
    r.send().await.unwrap()
}

async fn callers_are_identified_as_the_convention_says(s: &mut TestServer) {
    let machine = application_machine(s).await;
    let corps = json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH});
    // generation 1 without agent headers (carnet-de-bord)
    let r = rechercher_comme(s, "/partenaire/rechercher-usager/v1/usagers/recherche", &machine, None, &corps).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["codeRetour"], "S001", "{v}");
    let e = s.store.journal_page(0, 10_000).await.unwrap().pop().unwrap().entree;
    assert_eq!((e.agent.as_deref(), e.client.as_deref()), (Some("APPLICATION"), Some("gip-app")));
    // BATCH-<name> (webrsa), a placeholder (les-emplois): journaled as declared
    for (ident, nom) in [("BATCH-ATOL", "atol-recherche-usager"), ("<string>", "<string>"), ("BATCH", "Webhooks")] {
        let r = rechercher_comme(
            s,
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
            &machine,
            Some((ident, nom)),
            &corps,
        )
        .await;
        assert_eq!(r.status(), 200, "{ident}");
        let e = s.store.journal_page(0, 10_000).await.unwrap().pop().unwrap().entree;
        assert_eq!((e.agent.as_deref(), e.action.as_str()), (Some(ident), "rechercher-usager"));
    }
    // generation 2 requires the headers even there, and names the missing one
    let r = rechercher_comme(
        s,
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        &machine,
        None,
        &corps,
    )
    .await;
    assert_eq!(r.status(), 401);
    let p: Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("pa-identifiant-agent"), "{p}");
    // a convention of habilitated agents only: no headers, BATCH-<name> or an unknown
    // agent are refused, the answer naming the headers
    let acces = jeton_cd77(s, "api_rechercher-usagerv1").await;
    let r = rechercher_comme(s, "/partenaire/rechercher-usager/v1/usagers/recherche", &acces, None, &corps).await;
    assert_eq!(r.status(), 401);
    let p: Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("pa-identifiant-agent"), "{p}");
    for (ident, nom) in [("BATCH-ATOL", "atol"), ("INCONNU", "Personne")] {
        let r = rechercher_comme(
            s,
            "/partenaire/rechercher-usager/v1/usagers/recherche",
            &acces,
            Some((ident, nom)),
            &corps,
        )
        .await;
        assert_eq!(r.status(), 401, "{ident}");
        let p: Value = r.json().await.unwrap();
        assert!(p["detail"].as_str().unwrap().contains("pa-identifiant-agent"), "{ident}: {p}");
    }
}

async fn live_calls_are_measured_and_journaled_like_their_seed_twins(s: &mut TestServer) {
    let acces = jeton_cd77(s, "api_rechercher-usagerv2 api_contrat-usagerv2 api_diagnosticargumentev1").await;
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();
    let jeton = chercher_v2(s, &acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap().to_string();
    let r = appel(s, Method::GET, "/partenaire/contrat-usager/v2/contrat", &acces, Some(&jeton)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let live: Vec<_> =
        s.store.journal_page(0, 10_000).await.unwrap().into_iter().skip(avant).map(|e| e.entree).collect();
    // the same calls on the seed-named surface
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/statut")).await;
    let seed: Vec<_> =
        s.store.journal_page(0, 10_000).await.unwrap().into_iter().skip(avant).map(|e| e.entree).collect();
    let resume = |v: &[dude_core::journal::Entree]| {
        v.iter()
            .map(|e| {
                (e.action.clone(), e.categories.clone(), e.decision, e.raison.clone(), e.finalite.clone(), e.dossier)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(resume(&live), resume(&seed), "same decision, purpose and person");
    // the diagnostic read of generation 1, by the identifiant, and its seed-named twin
    let identifiant = s.id_national(TOKEN_77, who::INSCRITE).await;
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();
    let r = appel(s, Method::GET, &format!("/partenaire/diagnosticargumente/v1/individus/{identifiant}"), &acces, None)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let live: Vec<_> =
        s.store.journal_page(0, 10_000).await.unwrap().into_iter().skip(avant).map(|e| e.entree).collect();
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();
    s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{identifiant}/diagnostic/dossier")).await;
    let seed: Vec<_> =
        s.store.journal_page(0, 10_000).await.unwrap().into_iter().skip(avant).map(|e| e.entree).collect();
    assert_eq!(live.len(), 1, "one read, one entry: {live:?}");
    assert_eq!((live[0].action.as_str(), live[0].decision), ("diagnostic.dossier", Verdict::Accepte));
    assert_eq!(resume(&live), resume(&seed), "same decision, purpose and person");
    // measured under the API they belong to, the same as their seed-named twin's
    let m = s.state.services().mesureur.as_ref().expect("measurement on").tout_prendre();
    let ressources: Vec<(String, &str)> = m.iter().map(|(k, _)| (k.api.code().to_string(), k.ressource)).collect();
    assert!(ressources.contains(&("recherche-usager".into(), "rechercher-usager/v2/nir")), "{ressources:?}");
    assert!(ressources.contains(&("statut-usager".into(), "contrat-usager/v2")), "{ressources:?}");
    assert!(ressources.contains(&("diagnostic-individu".into(), "diagnosticargumente/v1")), "{ressources:?}");
    let api_de = |ressource: &str| {
        let apis: Vec<&str> = ressources.iter().filter(|(_, r)| *r == ressource).map(|(a, _)| a.as_str()).collect();
        assert!(!apis.is_empty(), "{ressource} measured: {ressources:?}");
        assert!(apis.iter().all(|a| *a == apis[0]), "{ressource} under one API: {apis:?}");
        apis[0].to_string()
    };
    for (vivante, jumelle) in [
        ("rechercher-usager/v2/nir", "rechercher-usager"),
        ("contrat-usager/v2", "statut"),
        ("diagnosticargumente/v1", "dossier"),
    ] {
        assert_eq!(api_de(vivante), api_de(jumelle), "{vivante} measured under the API of {jumelle}");
    }
}

async fn the_change_calendar_lists_every_version(s: &mut TestServer) {
    let r = s.client.get(s.url("/admin/v1/sla/versions")).bearer_auth(TOKEN_ADMIN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|x| x["version"].as_str().unwrap()).collect();
    // every API DUDE serves: the seed-named surface and each live API version
    let servies = [
        "v1",
        "rechercher-usager.v1",
        "rechercher-usager.v2",
        "contrat-usager.v2",
        "diagnosticargumente.v1",
        "diagnosticargumente.v4",
        "informations-administratives.v1",
        "donnees-rqth.v1",
        "orientationusager.v1",
        "rendez-vous-partenaire.v1",
    ];
    for id in servies {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    // and every version the service declares, with its label, once each
    let declarees = dude_core::app::sla::gestion::VERSIONS_SERVIES;
    assert_eq!(declarees.len(), servies.len(), "{declarees:?}");
    assert_eq!(ids.len(), declarees.len(), "nothing recorded yet: the versions served, once each: {ids:?}");
    for (id, libelle) in declarees {
        let x = v.as_array().unwrap().iter().find(|x| x["version"] == *id).unwrap_or_else(|| panic!("{id} in {v}"));
        assert_eq!(x["libelle"], *libelle, "{x}");
        assert!(x["miseEnProduction"].is_string(), "{x}");
    }
    // the version of every partner path the service documents is listed
    let doc: Value = s.client.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let chemins: Vec<&String> =
        doc["paths"].as_object().unwrap().keys().filter(|p| p.starts_with("/partenaire/")).collect();
    assert!(chemins.len() > 15, "{chemins:?}");
    for chemin in chemins {
        let version = dude_core::api::version_de(chemin).unwrap_or_else(|| panic!("{chemin}: a version"));
        assert!(ids.contains(&version.as_str()), "{chemin}: {version} in {ids:?}");
    }
    assert!(v.as_array().unwrap().iter().all(|x| x["statut"] == "EN_SERVICE"), "{v}");
    // deprecating rechercher-usager v1: listed so, and its answers carry Deprecation/Sunset
    let r = s
        .client
        .put(s.url("/admin/v1/sla/versions/rechercher-usager.v1"))
        .bearer_auth(TOKEN_ADMIN)
        .json(&json!({
            "version": "rechercher-usager.v1",
            "miseEnProduction": "2026-01-01T00:00:00Z",
            "deprecieeLe": "2026-11-01T00:00:00Z",
            "finDeVie": "2027-06-01T00:00:00Z"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = s
        .client
        .get(s.url("/admin/v1/sla/versions"))
        .bearer_auth(TOKEN_ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statut = |id: &str| v.as_array().unwrap().iter().find(|x| x["version"] == id).unwrap()["statut"].clone();
    assert_eq!(
        (statut("rechercher-usager.v1"), statut("rechercher-usager.v2")),
        (json!("DEPRECIEE"), json!("EN_SERVICE"))
    );
    let acces = jeton_cd77(s, "api_rechercher-usagerv1 api_rechercher-usagerv2").await;
    let r = appel(s, Method::POST, "/partenaire/rechercher-usager/v1/usagers/recherche", &acces, None)
        .json(&json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH}))
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("sunset") && r.headers().contains_key("deprecation"));
    let r = chercher_v2_brut(s, &acces).await;
    assert!(!r.headers().contains_key("sunset"), "v2 is not deprecated");
}

async fn chercher_v2_brut(s: &TestServer, acces: &str) -> reqwest::Response {
    appel(s, Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", acces, None)
        .json(&json!({"nir": nir(who::INSCRITE), "dateNaissance": who::BIRTH}))
        .send()
        .await
        .unwrap()
}

async fn the_diagnostic_reads_field_for_field_as_the_reference(s: &mut TestServer) {
    let acces = jeton_cd77(
        s,
        "api_rechercher-usagerv1 api_diagnosticargumentev1 api_rechercher-usagerv2 api_diagnosticargumentev4",
    )
    .await;
    let identifiant = s.id_national(TOKEN_77, who::INSCRITE).await;
    // v1, the identifiant URL-quoted as carnet-de-bord sends it
    let r = appel(s, Method::GET, &format!("/partenaire/diagnosticargumente/v1/individus/{identifiant}"), &acces, None)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let reference = reference("diagnosticargumente-v1-individus.dossier_individu.json");
    conforme(&v, &reference, "", &[]);
    // the reference's code lists, in its order
    let codes = |x: &Value, champ: &str| -> Vec<String> {
        x[champ].as_array().unwrap().iter().map(|y| y["code"].as_str().unwrap().to_string()).collect()
    };
    let b = &v["besoinsParDiagnosticIndividuDtos"][0];
    assert_eq!(codes(b, "besoins"), codes(&reference["besoinsParDiagnosticIndividuDtos"][0], "besoins"));
    assert_eq!(
        (b["typologie"].as_str(), b["statut"].as_str(), &b["estPrioritaire"]),
        (Some("métier recherché"), Some("EN_COURS"), &json!(true))
    );
    assert!(b["dateMiseAJour"].as_str().unwrap().starts_with("2026-06-01T00:00:00.000+00:00"), "{b}");
    let valeur =
        |code: &str| b["besoins"].as_array().unwrap().iter().find(|x| x["code"] == code).unwrap()["valeur"].clone();
    assert_eq!((valeur("3"), valeur("5"), valeur("1")), (json!("BESOIN"), json!("POINT_FORT"), json!("NON_EXPLORE")));
    let c = &v["contraintesIndividusDto"];
    let rc = &reference["contraintesIndividusDto"];
    assert_eq!((c["code"].as_str(), c["libelle"].as_str()), (rc["code"].as_str(), rc["libelle"].as_str()));
    assert_eq!(codes(c, "contraintes"), codes(rc, "contraintes"));
    for (x, rx) in c["contraintes"].as_array().unwrap().iter().zip(rc["contraintes"].as_array().unwrap()) {
        assert_eq!(x["libelle"], rx["libelle"]);
        assert_eq!(codes(x, "situations"), codes(rx, "situations"), "{}", x["code"]);
        assert_eq!(codes(x, "objectifs"), codes(rx, "objectifs"), "{}", x["code"]);
    }
    let mobilite = &c["contraintes"][0];
    assert_eq!((mobilite["code"].as_str(), mobilite["valeur"].as_str()), (Some("23"), Some("OUI")));
    let sit = |code: &str| {
        mobilite["situations"].as_array().unwrap().iter().find(|x| x["code"] == code).unwrap()["valeur"].clone()
    };
    assert_eq!((sit("8"), sit("6")), (json!("OUI"), json!("NON_ABORDEE")));
    // the older resource: the thématique alone, contraintes[].id / nom
    let r = appel(
        s,
        Method::GET,
        &format!("/partenaire/diagnosticargumente/v1/individus/{identifiant}/contraintes"),
        &acces,
        None,
    )
    .send()
    .await
    .unwrap();
    let t: Value = r.json().await.unwrap();
    assert_eq!(
        (t["code"].as_str(), t["contraintes"][0]["id"].as_str(), t["contraintes"][0]["nom"].as_str()),
        (Some("7"), Some("23"), Some("Développer sa mobilité"))
    );
    // v4, by jeton
    let jeton = chercher_v2(s, &acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap().to_string();
    let r = appel(s, Method::GET, "/partenaire/diagnosticargumente/v4/dossiers", &acces, Some(&jeton))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v4: Value = r.json().await.unwrap();
    let d = &v4["besoinsParDiagnostic"][0]["diagnostic"];
    for champ in [
        "idDiagnostic",
        "idMetierChiffre",
        "nomMetier",
        "typologie",
        "codeTypologie",
        "codeRome",
        "codeAppellation",
        "statut",
        "estPrioritaire",
        "agent",
        "dateMiseAJour",
    ] {
        assert!(d.as_object().unwrap().contains_key(champ), "{champ}: {d}");
    }
    assert_eq!(
        (d["codeTypologie"].as_str(), d["codeRome"].as_str(), d["codeAppellation"].as_str()),
        (Some("MR"), Some("G1603"), Some("12190"))
    );
    let th = &v4["besoinsParDiagnostic"][0]["thematiquesBesoins"];
    assert_eq!((th[0]["code"].as_str(), th[0]["libelle"].as_str()), (Some("1"), Some("Choisir un métier")));
    assert_eq!(codes(&th[0], "besoins"), ["1", "2", "3", "4"]);
    let tc = &v4["thematiqueContrainte"];
    assert_eq!((tc["code"].as_str(), tc["declareSansContrainte"]["flag"].as_bool()), (Some("7"), Some(false)));
    assert!(tc["contraintes"][0].as_object().unwrap().contains_key("estPrioritaire"));
    assert_eq!(
        (v4["pouvoirAgir"]["confiance"].as_str(), v4["pouvoirAgir"]["accompagnement"].as_str()),
        (Some("NE_SAIT_PAS"), Some("OUI"))
    );
    assert_eq!(
        (v4["autonomieNumerique"]["contrainte"]["code"].as_str(), v4["autonomieNumerique"]["besoin"]["code"].as_str()),
        (Some("22"), Some("7"))
    );
    // the seed-named surface reads the same data, with the same codes
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let seed = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/besoins")).await;
    assert_eq!(seed["besoinsParDiagnostic"][0]["besoins"][0]["code"], "3", "{seed}");
    // no dossier: 204 on both generations
    let cessee = s.id_national(TOKEN_77, who::CESSEE).await;
    let r = appel(s, Method::GET, &format!("/partenaire/diagnosticargumente/v1/individus/{cessee}"), &acces, None)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let jeton = chercher_v2(s, &acces, who::CESSEE).await["jetonUsager"].as_str().unwrap().to_string();
    let r = appel(s, Method::GET, "/partenaire/diagnosticargumente/v4/dossiers", &acces, Some(&jeton))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

/// les-emplois' fixture of informations-administratives (itou/utils/mocks/pole_emploi.py),
/// the field names and types France Travail answers.
async fn dossier_de(s: &TestServer, nir_body: &str) -> dude_core::dossier::Dossier {
    let ids =
        s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse(nir_body).unwrap(), d(who::BIRTH)).await.unwrap();
    s.store.charger_dossier(ids[0]).await.unwrap().unwrap()
}

fn reference_informations_administratives() -> Value {
    json!({
        "numeroFranceTravail": "12345678900",
        "adresses": [{"codeInseeCommune": "69389", "codePostal": "69009", "complementAdresse": "Résidence Les Tilleuls",
            "complementDestinataire": "Escalier C", "complementDistribution": "BP 14", "libelleCommune": "LYON",
            "libellePays": "FRANCE", "numeroTypeLibelleVoie": "93 Rue Marietton", "indicateurResidentQPV": "NQ"}],
        "emails": [{"adresseEmail": "john.doe@exemple.fr"}],
        "etatCivil": {"civilite": "M.", "dateNaissance": "1998-07-11", "nir": "1041174010081", "nom": "DOE",
            "nomCorrespondance": "DOE", "prenom": "JOHN", "prenomCorrespondance": "JOHN"},
        "telephones": [{"numeroTelephone": "0972723949"}]
    })
}

async fn administrative_data_and_rqth_as_the_live_api_gives_them(s: &mut TestServer) {
    let acces = jeton_cd77(s, "api_rechercher-usagerv2 api_informations-administrativesv1 api_donnees-rqthv1").await;
    let jeton = chercher_v2(s, &acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap().to_string();
    let r = appel(s, Method::GET, "/partenaire/informations-administratives/v1/usager", &acces, Some(&jeton))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    conforme(
        &v,
        &reference_informations_administratives(),
        "",
        &[
            ".adresses[].codeInseeCommune",
            ".adresses[].complementAdresse",
            ".adresses[].complementDestinataire",
            ".adresses[].complementDistribution",
        ],
    );
    assert_eq!(v["numeroFranceTravail"], NUMERO_INSCRITE);
    assert_eq!(v["etatCivil"]["nir"], who::INSCRITE, "13 characters, no key");
    assert_eq!((v["etatCivil"]["civilite"].as_str(), v["etatCivil"]["nom"].as_str()), (Some("Mme"), Some("ALPHA")));
    assert_eq!(v["etatCivil"]["dateNaissance"], who::BIRTH);
    let a = &v["adresses"][0];
    assert_eq!((a["codePostal"].as_str(), a["libelleCommune"].as_str()), (Some("77000"), Some("VILLE")));
    assert_eq!(a["indicateurResidentQPV"], "NQ");
    assert_eq!(v["telephones"], json!([{"numeroTelephone": "0600000000"}]));
    assert_eq!(v["emails"], json!([]), "no e-mail known: an empty list");

    // the RQTH: recognised since 2024-01-20 with no end, as France Travail writes "for ever"
    let r = appel(s, Method::GET, "/partenaire/donnees-rqth/v1/rqth", &acces, Some(&jeton)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let certifiee = json!({"dateDebutRqth": "2024-01-20", "dateFinRqth": "2030-01-20", "source": "FRANCE TRAVAIL", "topValiditeRQTH": true});
    conforme(&v, &certifiee, "", &[]);
    assert_eq!((v["dateDebutRqth"].as_str(), v["dateFinRqth"].as_str()), (Some("2024-01-20"), Some("9999-12-31")));
    assert_eq!(v["topValiditeRQTH"], true);
    assert!(!v["source"].as_str().unwrap().is_empty(), "{v}");
    // none: empty strings, not null, and false (les-emplois' "not certified" fixture)
    let autre = chercher_v2(s, &acces, who::CESSEE).await["jetonUsager"].as_str().unwrap().to_string();
    let v: Value = appel(s, Method::GET, "/partenaire/donnees-rqth/v1/rqth", &acces, Some(&autre))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v, json!({"dateDebutRqth": "", "dateFinRqth": "", "source": "", "topValiditeRQTH": false}));

    // each resource under its own scope: a token without it is refused, and journaled so
    let sans = jeton_cd77(s, "api_rechercher-usagerv2 api_donnees-rqthv1").await;
    let avant = s.store.journal_page(0, 10_000).await.unwrap().len();
    let r = appel(s, Method::GET, "/partenaire/informations-administratives/v1/usager", &sans, Some(&jeton))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["codeRetour"], "R001");
    let j: Vec<_> = s.store.journal_page(0, 10_000).await.unwrap().into_iter().skip(avant).map(|e| e.entree).collect();
    assert_eq!(j.len(), 1);
    assert_eq!(j[0].action, "informations-administratives");
    assert_eq!(j[0].raison, dude_core::habilitation::authorizer::Motif::ScopeNonAccorde.code());
    // measured under its API
    let m = s.state.services().mesureur.as_ref().expect("measurement on").tout_prendre();
    let ressources: Vec<(String, &str)> = m.iter().map(|(k, _)| (k.api.code().to_string(), k.ressource)).collect();
    assert!(
        ressources.contains(&("informations-administratives".into(), "informations-administratives/v1")),
        "{ressources:?}"
    );
    assert!(ressources.contains(&("donnees-rqth".into(), "donnees-rqth/v1")), "{ressources:?}");
}

async fn the_orientation_is_read_and_decided_by_the_departement(s: &mut TestServer) {
    let s: &TestServer = s;
    let acces = jeton_cd77(s, "api_rechercher-usagerv2 api_orientationusagerv1").await;
    let jeton = chercher_v2(s, &acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap().to_string();
    let lire = |q: &'static str| {
        let acces = acces.clone();
        let jeton = jeton.clone();
        async move {
            let r = appel(
                s,
                Method::GET,
                &format!("/partenaire/orientationusager/v1/lectureOrientation{q}"),
                &acces,
                Some(&jeton),
            )
            .send()
            .await
            .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // a JSON array, as webrsa and les-emplois read it (les-emplois asks for OUVERT)
    let (status, v) = lire("?etatOrientation=OUVERT").await;
    assert_eq!(status, 200);
    let o = &v.as_array().expect("an array")[0];
    assert_eq!((o["parcours"].as_str(), o["organisme"].as_str()), (Some("PSO"), Some("CD")), "{o}");
    assert_eq!((o["statut"].as_str(), o["etat"].as_str()), (Some("DECIDE"), Some("OUVERT")));
    assert_eq!(o["date_entree_parcours"], "2025-04-01");
    assert_eq!(o["structure"]["libelle_structure"], "Pôle insertion de Melun");
    assert_eq!(o["decision"]["etat_decision"], "ACCEPTEE");
    let (status, v) = lire("?etatOrientation=CLOTURE").await;
    assert_eq!((status, v), (200, json!([])));
    let (status, v) = lire("?etatOrientation=PEUT-ETRE").await;
    assert_eq!((status, v["champ"].as_str()), (400, Some("etatOrientation")));

    // the département's system decides another parcours, as webrsa sends it
    let r = appel(s, Method::POST, "/partenaire/orientationusager/v1/orientation", &acces, Some(&jeton))
        .json(&json!({"origine": "INSCRIPTION_AUTO_CAF", "parcours": "PSP", "organisme": "CD",
            "structure_decision": {"code_aurore": "IDF0077", "code_safir": "77001", "libelle_structure": "Conseil départemental 77"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["parcours"].as_str(), v["origine"].as_str()), (Some("PSP"), Some("INSCRIPTION_AUTO_CAF")));
    let (_, v) = lire("").await;
    assert_eq!(v[0]["parcours"], "PSP");
    assert_eq!(v[0]["agent_creation"], "AG001");
    assert_eq!(v[0]["date_entree_parcours"], TODAY);
    // the same section as the seed's dossier
    let d = dossier_de(s, who::INSCRITE).await;
    let o = d.orientation.unwrap();
    assert_eq!(o.type_parcours, dude_core::dossier::orientation::TypeParcours::SocioProfessionnel);
    assert_eq!(o.structure.as_deref(), Some("Conseil départemental 77"));
    // refused: a parcours that is not one, naming the field; nothing changed
    for (corps, champ) in [
        (json!({"parcours": "EO", "organisme": "CD"}), "parcours"),
        (json!({"parcours": "PED", "organisme": "IND"}), "organisme"),
        (json!({"parcours": "PED", "organisme": "CD", "origine": "AU_HASARD"}), "origine"),
        (json!({"parcours": "PED", "organisme": "CD", "commentaire": "texte"}), "corps"),
    ] {
        let r = appel(s, Method::POST, "/partenaire/orientationusager/v1/orientation", &acces, Some(&jeton))
            .json(&corps)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{corps}");
        let p: Value = r.json().await.unwrap();
        assert!(p["champ"].as_str().unwrap().starts_with(champ) || champ == "corps", "{corps}: {p}");
    }
    let (_, v) = lire("").await;
    assert_eq!(v[0]["parcours"], "PSP");
    // journaled as a write of the orientation
    let j = s.store.journal_page(0, 10_000).await.unwrap();
    assert!(
        j.iter().any(|e| e.entree.action == "orientation.ecrire" && e.entree.decision == Verdict::Accepte),
        "journaled"
    );
    // nothing decided: 204
    let autre = chercher_v2(s, &acces, who::CESSEE).await["jetonUsager"].as_str().unwrap().to_string();
    let r = appel(s, Method::GET, "/partenaire/orientationusager/v1/lectureOrientation", &acces, Some(&autre))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

/// rdv-insertion's payload (`Participation#to_ft_payload`).
async fn appointments_are_made_changed_and_cancelled(s: &mut TestServer) {
    // realm /agent, as rdv-insertion asks, with its declared system as the agent
    let (status, v) = access_token(
        s,
        "cd77-app",
        SECRET,
        "/agent",
        Some("api_rechercher-usagerv2 api_rendez-vous-partenairev1 gererRDV"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let acces = v["access_token"].as_str().unwrap().to_string();
    let jeton = chercher_v2(s, &acces, who::INSCRITE).await["jetonUsager"].as_str().unwrap().to_string();
    const CHEMIN: &str = "/partenaire/rendez-vous-partenaire/v1/rendez-vous";
    let r = appel(s, Method::POST, CHEMIN, &acces, Some(&jeton))
        .json(&common::rendez_vous(None, 30, "PRIS"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let id = v["id"].as_str().expect("an id, which rdv-insertion stores").to_string();
    assert!(!id.is_empty());
    assert_eq!((v["motif"].as_str(), v["duree"].as_u64()), (Some("ORI"), Some(30)));
    // changed: same path, the id in the body
    let r = appel(s, Method::PUT, CHEMIN, &acces, Some(&jeton))
        .json(&common::rendez_vous(Some(&id), 45, "MODIFIE"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["id"].as_str(), v["duree"].as_u64(), v["statut"].as_str()),
        (Some(id.as_str()), Some(45), Some("MODIFIE"))
    );
    // an id France Travail would not recognise: its error, which rdv-insertion reads to make it again
    let r = appel(s, Method::PUT, CHEMIN, &acces, Some(&jeton))
        .json(&common::rendez_vous(Some("ft-123"), 45, "MODIFIE"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        (p["codeHttp"].as_u64(), p["codeErreur"].as_str(), p["message"].as_str()),
        (Some(400), Some("ID_NON_RECONNU"), Some("Il n'existe pas de rdv pour l'id et l'utilisateur indiqué"))
    );
    // the same id for another person is not recognised either
    let autre = chercher_v2(s, &acces, who::CESSEE).await["jetonUsager"].as_str().unwrap().to_string();
    let r = appel(s, Method::DELETE, &format!("{CHEMIN}/{id}"), &acces, Some(&autre)).send().await.unwrap();
    assert_eq!(r.status(), 400);
    // bounds named
    let mut trop = common::rendez_vous(None, 30, "PRIS");
    trop["information"] = json!("x".repeat(2001));
    let r = appel(s, Method::POST, CHEMIN, &acces, Some(&jeton)).json(&trop).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["champ"], "information");
    let mut faux = common::rendez_vous(None, 30, "PRIS");
    faux["modaliteContact"] = json!("PIGEON");
    let r = appel(s, Method::POST, CHEMIN, &acces, Some(&jeton)).json(&faux).send().await.unwrap();
    assert_eq!(r.status(), 400);
    // cancelled: kept, ANNULE
    let r = appel(s, Method::DELETE, &format!("{CHEMIN}/{id}"), &acces, Some(&jeton)).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let d = dossier_de(s, who::INSCRITE).await;
    assert_eq!(d.rendez_vous.0.len(), 1);
    assert_eq!(d.rendez_vous.0[0].detail.statut, dude_core::dossier::rendez_vous::StatutRendezVous::Annule);
    assert_eq!(d.rendez_vous.0[0].partenaire, "cd77");
    // journaled, each under its action and the category of appointments
    let j = s.store.journal_page(0, 10_000).await.unwrap();
    for action in ["rendez-vous.prendre", "rendez-vous.modifier", "rendez-vous.annuler"] {
        assert!(
            j.iter().any(|e| e.entree.action == action
                && e.entree.decision == Verdict::Accepte
                && e.entree.categories == "rendez_vous"),
            "{action} journaled"
        );
    }
    let m = s.state.services().mesureur.as_ref().expect("measurement on").tout_prendre();
    assert!(m.iter().any(|(k, _)| k.ressource == "rendez-vous-partenaire/v1:ecriture"));
}

// one name per scenario, run on SQLite and PostgreSQL
scenarios!(
    a_live_client_obtains_a_token_finds_a_person_and_reads_the_status,
    generation_1_answers_the_seed_identifiant_with_the_live_messages,
    the_numero_france_travail_finds_the_person,
    scopes_mean_something,
    a_person_whose_identity_is_not_certified_is_found_as_such,
    a_missing_tampered_foreign_or_expired_jeton_is_refused,
    contrat_answers_204_when_there_is_nothing_to_say,
    callers_are_identified_as_the_convention_says,
    live_calls_are_measured_and_journaled_like_their_seed_twins,
    the_change_calendar_lists_every_version,
    the_diagnostic_reads_field_for_field_as_the_reference,
    administrative_data_and_rqth_as_the_live_api_gives_them,
    the_orientation_is_read_and_decided_by_the_departement,
    appointments_are_made_changed_and_cancelled,
);
