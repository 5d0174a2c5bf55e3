//! The `dude` command line.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::api::{self, AppState};
use crate::clock::{SharedClock, SystemClock};
use crate::config::{self, KeySource};
use crate::crypto::id_national::IdNationalCodec;
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
    /// Prints a monthly list of RSA beneficiaries for a département (seed 003 §3).
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

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("DUDE_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
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
                        writeln!(out, "{line}")?;
                    }
                }
                _ => bail!("préciser --count N ou --sample K"),
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
            let mut tokens = config::tokens_from_env()?;
            let demo = Demo::new(DEFAULT_SEED, clock.today());
            if cli.demo {
                config::demo_tokens(&key, &mut tokens);
                if store.count_dossiers().await? == 0 {
                    tracing::info!(nombre = demo_count, "chargement des dossiers de démonstration");
                    seed_demo(&store, &demo, demo_count).await?;
                }
            }
            let state = AppState::new(store, IdNationalCodec::new(&key), clock.clone(), tokens.clone());
            let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("écoute sur {bind}"))?;
            let addr = listener.local_addr()?;
            println!("DUDE à l'écoute sur http://{addr}  (OpenAPI : http://{addr}/openapi.json)");
            if cli.demo {
                print_demo_help(addr, &tokens, &demo);
            }
            axum::serve(listener, api::router(state))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
    }
    Ok(())
}

fn print_demo_help(addr: SocketAddr, tokens: &crate::habilitation::StaticTokens, demo: &Demo) {
    let mut partners: Vec<_> = tokens.partners().collect();
    partners.sort_by(|a, b| a.1.partenaire.cmp(&b.1.partenaire));
    println!("\nJetons de démonstration :");
    for (t, c) in &partners {
        println!("  partenaire {:<5} {}  ({})", c.partenaire, t, c.organisation);
    }
    for t in tokens.admins() {
        println!("  administrateur  {t}");
    }
    if let (Some((tok, _)), Some(p)) = (partners.first(), sample_lines(demo, 1).first()) {
        println!(
            "\nEssai :\n  curl -s http://{addr}/partenaire/v1/rechercher-usager \\\n    -H 'Authorization: Bearer {tok}' -H 'Content-Type: application/json' \\\n    -H 'pa-identifiant-agent: AG001' -H 'pa-nom-agent: Dupont' -H 'pa-prenom-agent: Anne' \\\n    -d '{{\"nir\":\"{}\",\"dateNaissance\":\"{}\"}}'",
            p["nir"].as_str().unwrap_or_default(),
            p["dateNaissance"].as_str().unwrap_or_default()
        );
        println!(
            "  puis : curl -s http://{addr}/partenaire/v1/usagers/<idNational>/statut -H 'Authorization: Bearer {tok}' -H 'pa-identifiant-agent: AG001' -H 'pa-nom-agent: Dupont' -H 'pa-prenom-agent: Anne'"
        );
        let m = Mois::of(demo.today).previous();
        if let Some(admin) = tokens.admins().first() {
            println!(
                "  liste : curl -s -H 'Authorization: Bearer {admin}' -H 'Accept: text/csv' 'http://{addr}/admin/v1/departements/77/listes-mensuelles/{m}?liste={}'",
                Liste::Inscrits.code()
            );
        }
        println!("  d'autres personnes : dude demo --sample 10");
    }
}
