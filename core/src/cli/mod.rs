//! The `dude` command line.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::api::{self, AppState, Services};
use crate::clock::{SharedClock, SystemClock};
use crate::config::{self, KeySource};
use crate::demo::{DEFAULT_SEED, Demo};
use crate::dossier::codes::Coded;
use crate::dossier::contact::Departement;
use crate::dossier::listes::{Liste, Mois};
use crate::service::listes;
use crate::store::{Provenance, Store};

#[derive(Debug, Parser)]
#[command(name = "dude", version, about = "DUDE — dossier unique du demandeur d'emploi")]
pub struct Cli {
    /// Use the demonstration key (generated once in data/demo-master.key) when no
    /// DUDE_MASTER_KEY is configured.
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the HTTP server (with --demo: creates the database, seeds demo data, prints
    /// the URL, tokens and a curl example).
    Serve {
        #[arg(long, env = "DUDE_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Number of demo dossiers seeded into an empty database with --demo.
        #[arg(long, default_value_t = 2000)]
        demo_count: u64,
    },
    /// Applies the database migrations.
    Migrate,
    /// Seeds demo dossiers, or prints some of them.
    Demo {
        /// Seeds this many dossiers (idempotent: those already there are kept).
        #[arg(long, conflicts_with = "sample")]
        count: Option<u64>,
        /// Prints this many people of the demo data as JSON lines
        /// {"nir","dateNaissance","departement","rsa"}.
        #[arg(long)]
        sample: Option<u64>,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Reference day of the generated histories (default: today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Department adapters (WebAssembly components).
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Imports a partner file through the adapter of a convention.
    Import {
        #[arg(long)]
        convention: String,
        fichier: std::path::PathBuf,
        /// Format (default: the adapter's first).
        #[arg(long)]
        format: Option<String>,
        /// Adapter options, `clé=valeur` (repeatable).
        #[arg(long = "option", value_parser = cle_valeur)]
        options: Vec<(String, String)>,
        /// Directory of the adapters (`*.wasm`).
        #[arg(long, env = "DUDE_PLUGINS_DIR", default_value = "plugins/target/wasm32-wasip2/release")]
        plugins: std::path::PathBuf,
        /// File holding the password of an encrypted 7z/zip archive (first line).
        #[arg(long)]
        password_file: Option<std::path::PathBuf>,
    },
    /// The access journal.
    Journal {
        #[command(subcommand)]
        command: JournalCommand,
    },
    /// Prints a monthly list of RSA beneficiaries for a département (seed 003 §3).
    /// Service levels.
    Sla {
        #[command(subcommand)]
        command: SlaCommand,
    },
    ListesMensuelles {
        #[arg(long)]
        departement: String,
        /// AAAA-MM.
        #[arg(long)]
        mois: String,
        /// inscrits, radies or cesses.
        #[arg(long)]
        liste: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// The month's indicators per API against their targets (same figures as
    /// `GET /admin/v1/sla/rapport`).
    Rapport {
        /// AAAA-MM.
        #[arg(long)]
        mois: String,
        /// One convention (its targets, its calls, its partner-side windows).
        #[arg(long)]
        convention: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Loads an adapter in the sandbox, prints `describe`, checks the WIT version, and
    /// runs it on a sample file (counts and row errors; no personal data printed).
    Check {
        fichier: std::path::PathBuf,
        #[arg(long)]
        sample: Option<std::path::PathBuf>,
        /// Format of the sample (default: the adapter's first format).
        #[arg(long)]
        format: Option<String>,
        /// Adapter options, `clé=valeur` (repeatable).
        #[arg(long = "option", value_parser = cle_valeur)]
        options: Vec<(String, String)>,
    },
}

fn cle_valeur(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("« {s} » : clé=valeur attendu"))
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Re-checks the hash chain and names the first broken entry (exit code 1).
    Verify,
}

/// Targets (prefixes) whose `debug` and `trace` lines are about compiling WebAssembly,
/// by the million: kept at `info` unless `DUDE_LOG` names them.
const COMPILATEURS: [&str; 5] =
    ["cranelift", "regalloc2", "wasmtime_internal_cranelift", "wasmtime_environ", "wasmparser"];

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("DUDE_LOG") {
        Ok(v) => {
            let mut directives = v.clone();
            for c in COMPILATEURS.iter().filter(|c| !v.contains(*c)) {
                directives.push_str(&format!(",{c}=info"));
            }
            EnvFilter::try_new(directives).unwrap_or_else(|_| EnvFilter::new("info"))
        }
        Err(_) => EnvFilter::new("info,sqlx=warn,sea_orm=warn"),
    };
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

async fn open(demo: bool) -> Result<(Store, crate::crypto::keys::MasterKey)> {
    let (key, source) = config::master_key(demo)?;
    match &source {
        KeySource::DemoGenerated(p) => {
            tracing::warn!(fichier = %p.display(), "mode démonstration : clé maîtresse générée (ne pas utiliser en production)")
        }
        KeySource::DemoExisting(p) => {
            tracing::warn!(fichier = %p.display(), "mode démonstration : clé maîtresse de démonstration réutilisée")
        }
        _ => {}
    }
    let url = config::database_url();
    let store = Store::open(&url, &key).await.with_context(|| format!("ouverture de la base {}", redact_url(&url)))?;
    Ok((store, key))
}

/// The URL without its password.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// Seeds demo dossiers `0..count` in transactional batches; returns how many were added.
pub async fn seed_demo(store: &Store, demo: &Demo, count: u64) -> Result<u64> {
    const BATCH: u64 = 1000;
    let prov = Provenance::new("demo:dude", None);
    let mut added = 0;
    let mut start = 0;
    // Drawn on stderr only when it is a terminal.
    let bar = indicatif::ProgressBar::new(count).with_message("dossiers de démonstration");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    while start < count {
        let end = (start + BATCH).min(count);
        let last = demo.dossier(end - 1);
        if !store.exists(last.id).await? {
            let batch: Vec<_> = (start..end).map(|i| demo.dossier(i)).collect();
            store.insert_dossiers(&batch, &prov).await?;
            added += end - start;
        }
        start = end;
        bar.set_position(end);
    }
    bar.finish_and_clear();
    Ok(added)
}

/// JSON lines of findable demo people.
pub fn sample_lines(demo: &Demo, k: u64) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut i = 0;
    while (out.len() as u64) < k && i < k * 20 + 100 {
        let d = demo.dossier(i);
        if d.inscription.historique.recherchable_au(demo.today) {
            out.push(serde_json::json!({
                "nir": d.nir.expose(),
                "dateNaissance": d.identite.date_naissance,
                "departement": d.departement().map(|x| x.to_string()),
                "rsa": d.beneficiaire_rsa(),
            }));
        }
        i += 1;
    }
    out
}

pub async fn run(cli: Cli) -> Result<()> {
    init_tracing();
    let clock: SharedClock = Arc::new(SystemClock);
    match cli.command {
        Command::Migrate => {
            let (store, _) = open(cli.demo).await?;
            println!("migrations appliquées ({} dossiers)", store.count_dossiers().await?);
        }
        Command::Demo { count, sample, seed, date } => {
            let demo = Demo::new(seed, date.unwrap_or_else(|| clock.today()));
            match (count, sample) {
                (Some(n), None) => {
                    let (store, _) = open(true).await?;
                    let added = seed_demo(&store, &demo, n).await?;
                    println!("{added} dossiers de démonstration ajoutés ({} au total)", store.count_dossiers().await?);
                }
                (None, Some(k)) => {
                    let mut out = std::io::stdout().lock();
                    for line in sample_lines(&demo, k) {
                        // `dude demo --sample 10 | head -1`: a closed pipe ends the listing
                        match writeln!(out, "{line}") {
                            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
                            r => r?,
                        }
                    }
                }
                _ => bail!("préciser --count N ou --sample K"),
            }
        }
        Command::Import { convention, fichier, format, options, plugins, password_file } => {
            let (store, key) = open(cli.demo).await?;
            let registre = store.charger_registre().await?;
            let conv = registre
                .conventions
                .get(&convention)
                .cloned()
                .with_context(|| format!("convention {convention} inconnue"))?;
            let moteur = crate::plugin::Moteur::new(16, crate::plugin::Limites::default().memoire_octets)?;
            let catalogue = crate::plugin::catalogue::Catalogue::new(moteur, plugins, Some("data/cwasm".into()));
            let cat = std::sync::Arc::new(catalogue);
            let c2 = cat.clone();
            tokio::task::spawn_blocking(move || c2.charger_tout()).await?;
            let adaptateur = cat.pour(&conv, crate::plugin::Sens::Import).map_err(|e| anyhow::anyhow!(e))?;
            let taille =
                std::fs::metadata(&fichier).with_context(|| format!("lecture de {}", fichier.display()))?.len();
            let mot_de_passe = match &password_file {
                Some(p) => {
                    let s = zeroize::Zeroizing::new(
                        std::fs::read_to_string(p).with_context(|| format!("lecture de {}", p.display()))?,
                    );
                    Some(zeroize::Zeroizing::new(s.lines().next().unwrap_or_default().to_string()))
                }
                None => None,
            };
            let fichier_lu =
                std::fs::File::open(&fichier).with_context(|| format!("lecture de {}", fichier.display()))?;
            let (input, interne) = crate::import::ouvrir_entree(fichier_lu, mot_de_passe)?;
            let nom_fichier = match interne {
                Some(n) => format!("{} ({n})", fichier.display()),
                None => fichier.display().to_string(),
            };
            let bar = indicatif::ProgressBar::new(taille);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes} ({bytes_per_sec})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("import");
            let b2 = bar.clone();
            let (journal, _w) = crate::journal::Journal::demarrer(store.clone()).await?;
            let limites = crate::plugin::Limites::pour(conv.adaptateur.as_ref());
            let rapport = crate::import::importer(
                &store,
                &journal,
                crate::import::Demande {
                    format: format.unwrap_or_else(|| adaptateur.formats.first().cloned().unwrap_or_default()),
                    ids: crate::crypto::id_national::IdNationalCodec::new(&key),
                    convention: conv,
                    adaptateur,
                    options,
                    nom_fichier,
                    auteur: "cli".into(),
                    organisation: None,
                    request_id: uuid::Uuid::new_v4().to_string(),
                    limites,
                },
                Box::new(input),
                Some(Box::new(move |n| b2.set_position(n))),
            )
            .await?;
            bar.finish_and_clear();
            println!(
                "{} : {} créés, {} mis à jour, {} inchangés, {} refusés — {}",
                rapport.fichier, rapport.crees, rapport.modifies, rapport.inchanges, rapport.refuses, rapport.message
            );
            for r in &rapport.lignes_refusees {
                println!("  ligne {} {} : {}", r.numero, r.champ.as_deref().unwrap_or("-"), r.raison);
            }
            if let Some(t) = &rapport.sortie_adaptateur {
                println!("sortie de l'adaptateur :");
                for l in t.lines() {
                    println!("  | {l}");
                }
            }
        }
        Command::Plugin { command: PluginCommand::Check { fichier, sample, format, options } } => {
            tokio::task::spawn_blocking(move || plugin_check(&fichier, sample.as_deref(), format, &options)).await??;
        }
        Command::Journal { command: JournalCommand::Verify } => {
            let (store, key) = open(cli.demo).await?;
            let (cp_file, _) = config::checkpoints()?;
            let checkpoints = crate::journal::checkpoint::Checkpoints::new(&key, cp_file);
            match crate::journal::verify::verifier(&store).await? {
                crate::journal::verify::Verification::Intact { entrees } => {
                    // A chain rewritten with recomputed hashes is intact in itself: the
                    // signed checkpoints outside the database tell.
                    match checkpoints.controler(&store).await? {
                        c @ crate::journal::checkpoint::Constat::Concordant { .. } => println!(
                            "journal intègre : {entrees} entrées vérifiées, {c} ({})",
                            checkpoints.fichier().display()
                        ),
                        c => {
                            println!("{c} ({})", checkpoints.fichier().display());
                            std::process::exit(1);
                        }
                    }
                }
                crate::journal::verify::Verification::Rompu { seq, raison } => {
                    println!("journal rompu à l'entrée {seq} : {raison}");
                    std::process::exit(1);
                }
            }
        }
        Command::Sla { command: SlaCommand::Rapport { mois, convention, format } } => {
            let (store, _) = open(cli.demo).await?;
            let conv = match &convention {
                Some(id) => Some(
                    store
                        .charger_registre()
                        .await?
                        .conventions
                        .get(id)
                        .cloned()
                        .with_context(|| format!("convention {id} inconnue"))?,
                ),
                None => None,
            };
            let r = crate::sla::rapport::calculer(&store, &mois, conv.as_deref(), clock.now()).await?;
            let mut out = std::io::stdout().lock();
            match format {
                Format::Csv => out.write_all(&crate::sla::rapport::en_csv(&r)?)?,
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?,
            }
        }
        Command::ListesMensuelles { departement, mois, liste, format } => {
            let dep = Departement::parse(&departement)?;
            let mois = Mois::parse(&mois)?;
            let liste = Liste::from_code(&liste)?;
            let (store, _) = open(cli.demo).await?;
            let l = listes::calculer(&store, &dep, mois, liste).await?;
            let mut out = std::io::stdout().lock();
            match format {
                Format::Csv => out.write_all(&listes::to_csv(&l)?)?,
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&l)?)?,
            }
        }
        Command::Serve { bind, demo_count } => {
            let (store, key) = open(cli.demo).await?;
            let mut admins = config::admin_tokens_from_env()?;
            let demo = Demo::new(DEFAULT_SEED, clock.today());
            let mut clients = Vec::new();
            if cli.demo {
                admins.add(config::demo_admin_token(&key));
                clients = crate::demo::habilitations::seed(&store, &key, clock.today()).await?;
                if store.count_dossiers().await? == 0 {
                    tracing::info!(nombre = demo_count, "chargement des dossiers de démonstration");
                    seed_demo(&store, &demo, demo_count).await?;
                }
            }
            // the supervision probes' identity and dossier (seed 002 annex 2 §4)
            crate::sla::sonde::preparer(&store).await?;
            let services = Services::demarrer(
                store,
                &key,
                clock.clone(),
                admins.clone(),
                config::authz_dir(),
                config::token_ttl()?,
                config::oidc()?,
            )
            .await?;
            // Department adapters: loaded from DUDE_PLUGINS_DIR and hot-reloaded.
            let dir = std::path::PathBuf::from(
                std::env::var("DUDE_PLUGINS_DIR").unwrap_or_else(|_| "plugins/target/wasm32-wasip2/release".into()),
            );
            let mut _surveillance = None;
            let services = if dir.is_dir() {
                let moteur = crate::plugin::Moteur::new(64, crate::plugin::Limites::default().memoire_octets)?;
                let cat = std::sync::Arc::new(crate::plugin::catalogue::Catalogue::new(
                    moteur,
                    dir,
                    Some("data/cwasm".into()),
                ));
                let c2 = cat.clone();
                let n = tokio::task::spawn_blocking(move || c2.charger_tout()).await?;
                tracing::info!(adaptateurs = n, repertoire = %cat.repertoire.display(), "adaptateurs chargés");
                _surveillance = Some(crate::plugin::surveillance::surveiller(cat.clone())?);
                services.avec_catalogue(cat)
            } else {
                tracing::warn!(repertoire = %dir.display(), "pas de répertoire d'adaptateurs : imports indisponibles");
                services
            };
            let gardien = services.gardien.clone();
            let reload_store = services.store.clone();
            // Conventions, agents and clients changed in the database are picked up
            // without restart; a failed reload keeps the previous version.
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let _ = gardien.recharger(&reload_store).await;
                }
            });
            let (cp_file, cp_every) = config::checkpoints()?;
            crate::journal::checkpoint::Checkpoints::new(&key, cp_file).demarrer(
                services.store.clone(),
                clock.clone(),
                std::time::Duration::from_secs(cp_every),
            );
            let services = if config::sla_mesure()? { services } else { services.sans_mesure() };
            let state = AppState::new(services);
            // SLA: the minutes that are over are written in the background; probes
            crate::sla::collecte::demarrer_ecriture(state.partage());
            crate::sla::collecte::demarrer_battements(state.partage());
            crate::sla::collecte::demarrer_echeances(state.partage());
            if let Some(every) = config::sla_sondes()? {
                crate::sla::collecte::demarrer_sondes(state.partage(), api::router(state.clone()), every);
            }
            let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("écoute sur {bind}"))?;
            let addr = listener.local_addr()?;
            println!("DUDE à l'écoute sur http://{addr}  (OpenAPI : http://{addr}/openapi.json)");
            if cli.demo {
                print_demo_help(addr, &clients, &admins, &demo, &state);
            }
            let delai_entetes = state.services().delais_http.entetes;
            api::serveur::servir(listener, api::router(state.clone()), delai_entetes, arret()).await;
            // the minutes still in memory are kept, the current one included
            if let Some(m) = &state.services().mesureur {
                state.store().sla_ecrire_minutes(&m.tout_prendre()).await?;
            }
        }
    }
    Ok(())
}

/// Completes at SIGINT (Ctrl-C) or SIGTERM (what a service manager or an orchestrator
/// sends): the server then drains the requests in flight.
async fn arret() {
    let terme = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terme => {}
    }
    tracing::info!("arrêt demandé : les requêtes en cours se terminent");
}

fn print_demo_help(
    addr: SocketAddr,
    clients: &[crate::demo::habilitations::DemoClient],
    admins: &crate::habilitation::AdminTokens,
    demo: &Demo,
    state: &AppState,
) {
    let s = state.services();
    let h = s.gardien.courant();
    println!("\nApplications de démonstration (OAuth2 client credentials sur http://{addr}/oauth2/token) :");
    for c in clients {
        println!("  {:<11} secret {}  agent {} {} {}", c.client_id, c.secret, c.agent.0, c.agent.1, c.agent.2);
    }
    for t in admins.tokens() {
        println!("  administrateur : jeton {t}");
    }
    let Some(c) = clients.first() else { return };
    let Some(client) = h.registre.clients.get(&c.client_id) else { return };
    let token = s.emetteur.emettre(client, s.clock.now());
    let people = sample_lines(demo, 200);
    let p = people.iter().find(|p| p["departement"] == "77" && p["rsa"] == true).or(people.first());
    let agent = format!(
        "-H 'pa-identifiant-agent: {}' -H 'pa-nom-agent: {}' -H 'pa-prenom-agent: {}'",
        c.agent.0, c.agent.1, c.agent.2
    );
    println!("\nJeton prêt pour {} (valable {} s) :\n  {token}", c.client_id, s.emetteur.duree_s);
    println!(
        "  un nouveau : curl -s -u '{}:{}' -d grant_type=client_credentials http://{addr}/oauth2/token",
        c.client_id, c.secret
    );
    if let Some(p) = p {
        println!(
            "\nEssai :\n  curl -s http://{addr}/partenaire/v1/rechercher-usager -H 'Authorization: Bearer {token}' \\\n    -H 'Content-Type: application/json' {agent} \\\n    -d '{{\"nir\":\"{}\",\"dateNaissance\":\"{}\"}}'",
            p["nir"].as_str().unwrap_or_default(),
            p["dateNaissance"].as_str().unwrap_or_default()
        );
        println!(
            "  puis : curl -s http://{addr}/partenaire/v1/usagers/<idNational>/statut -H 'Authorization: Bearer {token}' {agent}"
        );
    }
    let m = Mois::of(demo.today).previous();
    if let Some(admin) = admins.tokens().first() {
        println!(
            "  liste : curl -s -H 'Authorization: Bearer {admin}' -H 'Accept: text/csv' 'http://{addr}/admin/v1/departements/77/listes-mensuelles/{m}?liste={}'",
            Liste::Inscrits.code()
        );
    }
    println!(
        "  d'autres personnes : dude demo --sample 10 (cd77-sigma voit les bénéficiaires du RSA résidant en Seine-et-Marne)"
    );
}

/// Loads an adapter in the sandbox and runs it on a sample. Blocking (it compiles and
/// runs the component): called off the async runtime, where the adapter's writes to its
/// stdout or stderr are captured like any job's.
fn plugin_check(
    fichier: &std::path::Path,
    sample: Option<&std::path::Path>,
    format: Option<String>,
    options: &[(String, String)],
) -> Result<()> {
    use crate::plugin::{Adaptateur, Limites, Moteur, tache};
    let octets = std::fs::read(fichier).with_context(|| format!("lecture de {}", fichier.display()))?;
    let moteur = Moteur::new(16, Limites::default().memoire_octets)?;
    let a = Adaptateur::charger(&moteur, &fichier.display().to_string(), &octets, None)?;
    println!("adaptateur : {} {}", a.nom, a.version);
    println!("contrat WIT : dude:adapter@{} (accepté : 0.1.x)", a.version_wit);
    println!("sha256 : {}", a.sha256);
    println!("formats : {}", a.formats.join(", "));
    println!("allocation : {}", if moteur.pooling { "pool" } else { "à la demande" });
    let Some(sample) = sample else { return Ok(()) };
    let format = format.or_else(|| a.formats.first().cloned()).unwrap_or_default();
    let mut f = std::fs::File::open(sample).with_context(|| format!("lecture de {}", sample.display()))?;
    let (mut personnes, mut erreurs) = (0usize, Vec::new());
    let mut categories = std::collections::BTreeSet::new();
    let sortie = tache::Sortie::default();
    let t = std::time::Instant::now();
    let r = tache::analyser(&a, &format, options, &mut f, &Limites::default(), &sortie, &mut |b| {
        personnes += b.personnes.len();
        for p in &b.personnes {
            categories.insert("identite");
            if p.identite.nir.is_some() {
                categories.insert("nir");
            }
            if p.contact.is_some() {
                categories.insert("contact");
            }
            if p.rsa.is_some() {
                categories.insert("rsa");
            }
            if p.orientation.is_some() {
                categories.insert("orientation");
            }
            if p.accompagnement.is_some() {
                categories.insert("accompagnement");
            }
        }
        erreurs.extend(b.errors);
    });
    if let Some(texte) = sortie.texte() {
        println!("sortie de l'adaptateur :");
        for l in texte.lines() {
            println!("  | {l}");
        }
    }
    r?;
    let lignes: std::collections::BTreeSet<u64> = erreurs.iter().map(|e| e.record_number).collect();
    println!(
        "échantillon {} ({format}) : {personnes} enregistrements, {} lignes en erreur, catégories {}, {} ms",
        sample.display(),
        lignes.len(),
        categories.into_iter().collect::<Vec<_>>().join(", "),
        t.elapsed().as_millis()
    );
    for e in &erreurs {
        println!("  ligne {} {} : {}", e.record_number, e.field.as_deref().unwrap_or("-"), e.message);
    }
    Ok(())
}
