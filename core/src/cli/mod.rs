//! The `dude` command line: each command is a short function over the application
//! (`app::demarrage` assembles it from the settings; `app` runs the use cases).

use std::io::Write;
use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::api;
use crate::app::demarrage::{self, Application, Options};
use crate::app::listes::{self, Demandeur};
use crate::app::settings::Settings;
use crate::clock::{Clock, SystemClock};
use crate::demo::{DEFAULT_SEED, Demo};
use crate::dossier::codes::Coded;
use crate::dossier::contact::Departement;
use crate::dossier::listes::{Liste, Mois};

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
    #[command(after_long_help = crate::app::settings::aide())]
    Serve {
        /// Listen address (default: DUDE_BIND, else 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<SocketAddr>,
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
        /// {"nir","dateNaissance","numeroFranceTravail","departement","rsa"}.
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
        command: AdaptateurCommand,
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
        /// A directory of adapters (`*.wasm`) besides the built-in ones (default:
        /// DUDE_PLUGINS_DIR).
        #[arg(long)]
        plugins: Option<std::path::PathBuf>,
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
pub enum AdaptateurCommand {
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
    // colours only on a terminal: a log file, a pipe or journald gets plain text
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(cli: Cli) -> Result<()> {
    init_tracing();
    let settings = Settings::depuis_environnement(cli.demo)?;
    match cli.command {
        Command::Serve { bind, demo_count } => serve(settings, bind, demo_count).await,
        Command::Migrate => migrate(&settings).await,
        Command::Demo { count, sample, seed, date } => demo(settings, count, sample, seed, date).await,
        Command::Plugin { command: AdaptateurCommand::Check { fichier, sample, format, options } } => {
            tokio::task::spawn_blocking(move || plugin_check(&fichier, sample.as_deref(), format, &options)).await?
        }
        Command::Import { convention, fichier, format, options, plugins, password_file } => {
            import(settings, convention, fichier, format, options, plugins, password_file).await
        }
        Command::Journal { command: JournalCommand::Verify } => journal_verify(&settings).await,
        Command::Sla { command: SlaCommand::Rapport { mois, convention, format } } => {
            sla_rapport(&settings, &mois, convention.as_deref(), format).await
        }
        Command::ListesMensuelles { departement, mois, liste, format } => {
            listes_mensuelles(settings, &departement, &mois, &liste, format).await
        }
    }
}

/// `dude serve`: the application and its HTTP edge, until SIGINT or SIGTERM.
async fn serve(mut settings: Settings, bind: Option<SocketAddr>, demo_count: u64) -> Result<()> {
    if let Some(b) = bind {
        settings.bind = b;
    }
    let dossiers_demo = if settings.demo { demo_count } else { 0 };
    let app = Application::demarrer(&settings, Options { dossiers_demo, ..Default::default() }).await?;
    let http = api::serveur::Http::lier(app.state.clone(), &settings).await?;
    let addr = http.adresse();
    println!("DUDE à l'écoute sur http://{addr}  (OpenAPI : http://{addr}/openapi.json)");
    if settings.demo {
        print_demo_help(addr, &app);
    }
    http.servir(arret()).await;
    app.arreter().await?;
    Ok(())
}

/// An application for a command that runs once: no background work.
async fn application(settings: &Settings) -> Result<Application> {
    Ok(Application::demarrer(settings, Options { sans_taches: true, ..Default::default() }).await?)
}

async fn migrate(settings: &Settings) -> Result<()> {
    let (store, _) = demarrage::ouvrir_base(settings).await?;
    println!("migrations appliquées ({} dossiers)", store.compter_dossiers().await?);
    Ok(())
}

async fn demo(
    mut settings: Settings,
    count: Option<u64>,
    sample: Option<u64>,
    seed: u64,
    date: Option<NaiveDate>,
) -> Result<()> {
    let demo = Demo::new(seed, date.unwrap_or_else(|| SystemClock.today()));
    match (count, sample) {
        (Some(n), None) => {
            // the key the settings name (DUDE_MASTER_KEY…), as `serve` will use; the demo
            // key only when none is named, as `serve --demo`
            if settings.cle == crate::app::settings::SourceCle::Absente {
                settings.cle = crate::app::settings::SourceCle::Demo;
            }
            let (store, _) = demarrage::ouvrir_base(&settings).await?;
            let added = crate::demo::semer(&store, &demo, n).await?;
            println!("{added} dossiers de démonstration ajoutés ({} au total)", store.compter_dossiers().await?);
        }
        (None, Some(k)) => {
            let mut out = std::io::stdout().lock();
            for line in crate::demo::echantillon(&demo, k) {
                // `dude demo --sample 10 | head -1`: a closed pipe ends the listing
                match writeln!(out, "{line}") {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
                    r => r?,
                }
            }
        }
        _ => bail!("préciser --count N ou --sample K"),
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn import(
    mut settings: Settings,
    convention: String,
    fichier: std::path::PathBuf,
    format: Option<String>,
    options: Vec<(String, String)>,
    plugins: Option<std::path::PathBuf>,
    password_file: Option<std::path::PathBuf>,
) -> Result<()> {
    if plugins.is_some() {
        settings.plugins_dir = plugins;
    }
    let app = application(&settings).await?;
    let taille = std::fs::metadata(&fichier).with_context(|| format!("lecture de {}", fichier.display()))?.len();
    let mot_de_passe = match &password_file {
        Some(p) => {
            let s = zeroize::Zeroizing::new(
                std::fs::read_to_string(p).with_context(|| format!("lecture de {}", p.display()))?,
            );
            Some(zeroize::Zeroizing::new(s.lines().next().unwrap_or_default().to_string()))
        }
        None => None,
    };
    let source = std::fs::File::open(&fichier).with_context(|| format!("lecture de {}", fichier.display()))?;
    let bar = indicatif::ProgressBar::new(taille);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes} ({bytes_per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("import");
    let b2 = bar.clone();
    let f =
        crate::app::imports::Fichier { convention, format, options, nom: fichier.display().to_string(), mot_de_passe };
    let rapport = crate::app::imports::importer(
        app.state.services(),
        crate::app::imports::Auteur::Commande,
        f,
        source,
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
    Ok(())
}

/// `dude journal verify`: the chain, then the signed checkpoints (exit code 1 when
/// either does not hold).
async fn journal_verify(settings: &Settings) -> Result<()> {
    use crate::journal::checkpoint::{Checkpoints, Constat};
    use crate::journal::verify::{Verification, verifier};
    let (store, key) = demarrage::ouvrir_base(settings).await?;
    let checkpoints = Checkpoints::new(&key, settings.checkpoint_file.clone());
    match verifier(&store).await? {
        // A chain rewritten with recomputed hashes is intact in itself: the signed
        // checkpoints outside the database tell.
        Verification::Intact { entrees } => match checkpoints.controler(&store).await? {
            c @ Constat::Concordant { .. } => {
                println!("journal intègre : {entrees} entrées vérifiées, {c} ({})", checkpoints.fichier().display())
            }
            c => {
                println!("{c} ({})", checkpoints.fichier().display());
                std::process::exit(1);
            }
        },
        Verification::Rompu { seq, raison } => {
            println!("journal rompu à l'entrée {seq} : {raison}");
            std::process::exit(1);
        }
    }
    Ok(())
}

async fn sla_rapport(settings: &Settings, mois: &str, convention: Option<&str>, format: Format) -> Result<()> {
    let (store, _) = demarrage::ouvrir_base(settings).await?;
    let conv = match convention {
        Some(id) => Some(
            store
                .charger_registre()
                .await?
                .conventions
                .get(id)
                .cloned()
                .with_context(|| "convention inconnue".to_string())?,
        ),
        None => None,
    };
    let r = crate::sla::rapport::calculer(&store, mois, conv.as_deref(), SystemClock.now()).await?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Csv => out.write_all(&crate::sla::rapport::en_csv(&r)?)?,
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?,
    }
    Ok(())
}

async fn listes_mensuelles(
    settings: Settings,
    departement: &str,
    mois: &str,
    liste: &str,
    format: Format,
) -> Result<()> {
    let dep = Departement::parse(departement)?;
    let mois = Mois::parse(mois)?;
    let liste = Liste::from_code(liste)?;
    let app = application(&settings).await?;
    let l = listes::liste_mensuelle(app.state.services(), Demandeur::Commande, &dep, mois, liste).await?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Csv => out.write_all(&listes::to_csv(&l)?)?,
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&l)?)?,
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

fn print_demo_help(addr: SocketAddr, app: &Application) {
    let clients = &app.demo;
    let state = &app.state;
    let demo = &Demo::new(DEFAULT_SEED, state.clock().today());
    let s = state.services();
    let h = s.gardien.courant();
    println!("\nPortail des agents : http://{addr}/  (connexion de démonstration : choisir l'agent)");
    let mut agents: Vec<_> = h.registre.agents.values().filter_map(|a| a.courriel.as_ref().map(|c| (c, a))).collect();
    agents.sort_by(|x, y| x.0.cmp(y.0));
    for (courriel, a) in agents {
        println!("  {} {} ({}) : {courriel}", a.prenom, a.nom, a.organisation_id);
    }
    println!("\nApplications de démonstration (OAuth2 client credentials sur http://{addr}/oauth2/token) :");
    for c in clients {
        println!("  {:<11} secret {}  agent {} {} {}", c.client_id, c.secret, c.agent.0, c.agent.1, c.agent.2);
    }
    let admins = &state.services().admins;
    for t in admins.tokens() {
        println!("  administrateur : jeton {t}");
    }
    let Some(c) = clients.first() else { return };
    let Some(client) = h.registre.clients.get(&c.client_id) else { return };
    let token = s.emetteur.emettre(client, s.clock.now());
    let people = crate::demo::echantillon(demo, 200);
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
    use crate::adaptateur::{Adaptateur, Limites, Moteur, tache};
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
