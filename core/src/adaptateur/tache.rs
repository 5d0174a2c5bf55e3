//! One job of an adapter: a fresh store and instance from the cached `InstancePre` (a
//! trapped instance is never reused), memory capped by a resource limiter, time capped
//! by an epoch deadline per call. Blocking: run it off the async runtime.

use std::io::Read;
use std::time::{Duration, Instant};

use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, Store, Trap};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::AdaptateurError;
use super::bindings::dude::adapter::log;
use super::bindings::dude::adapter::types::{Batch, Description, Evenement};
use super::moteur::TICK;

/// Caps of a job, set per convention.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    pub memoire_octets: usize,
    /// Deadline of each call into the adapter (epoch interruption).
    pub delai: Duration,
    /// Deadline of the whole job (a tokio timeout around it).
    pub delai_total: Duration,
    pub entree_max: u64,
    pub morceau: usize,
}

impl Default for Limites {
    fn default() -> Self {
        Self {
            memoire_octets: 64 << 20,
            delai: Duration::from_secs(5),
            delai_total: Duration::from_secs(600),
            entree_max: 512 << 20,
            morceau: 64 << 10,
        }
    }
}

impl Limites {
    /// The caps of a job under the convention binding `r` (defaults where it says
    /// nothing).
    pub fn pour(r: Option<&dude_modele::habilitation::convention::AdaptateurRef>) -> Self {
        let d = Self::default();
        let Some(r) = r else { return d };
        Self {
            memoire_octets: r.memoire_mio.map_or(d.memoire_octets, |m| (m as usize) << 20),
            delai: r.delai_appel_ms.map_or(d.delai, Duration::from_millis),
            delai_total: r.delai_total_s.map_or(d.delai_total, Duration::from_secs),
            entree_max: r.entree_max_mio.map_or(d.entree_max, |m| m << 20),
            morceau: d.morceau,
        }
    }
}

/// Memory limiter that remembers it refused.
struct Limiteur {
    max: usize,
    depasse: bool,
}

impl ResourceLimiter for Limiteur {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.max {
            self.depasse = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// Most bytes of an adapter's output kept per job (stdout and stderr together).
pub const SORTIE_MAX: usize = 16 * 1024;

/// What an adapter writes on its stdout and stderr during one job: the first
/// [`SORTIE_MAX`] bytes are kept, the rest counted. Writing never fails (an adapter is
/// not broken for printing a debug line), and nothing goes to the host's own output.
#[derive(Clone, Default)]
pub struct Sortie(std::sync::Arc<std::sync::Mutex<(Vec<u8>, u64)>>);

impl Sortie {
    fn ecrire(&self, octets: &[u8]) {
        if let Ok(mut g) = self.0.lock() {
            let place = SORTIE_MAX.saturating_sub(g.0.len()).min(octets.len());
            g.0.extend_from_slice(&octets[..place]);
            g.1 += (octets.len() - place) as u64;
        }
    }

    /// The output as text, NIR-like runs of digits masked, or `None` when the adapter
    /// wrote nothing.
    pub fn texte(&self) -> Option<String> {
        let g = self.0.lock().ok()?;
        if g.0.is_empty() {
            return None;
        }
        let mut t = masquer_nir(&String::from_utf8_lossy(&g.0));
        if g.1 > 0 {
            t.push_str(&format!("\n[… {} octets de plus non conservés]", g.1));
        }
        Some(t)
    }
}

/// Replaces every run of 12 or more digits (a NIR, with 2A/2B for Corsica) by a mark:
/// what an adapter prints is shown and logged, and must not carry one.
pub fn masquer_nir(texte: &str) -> String {
    let mut out = String::with_capacity(texte.len());
    let mut run = String::new();
    let vider = |run: &mut String, out: &mut String| {
        if run.chars().filter(char::is_ascii_digit).count() >= 12 {
            out.push_str("[NIR masqué]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in texte.chars() {
        if c.is_ascii_digit() || c == 'A' || c == 'B' {
            run.push(c);
        } else {
            vider(&mut run, &mut out);
            out.push(c);
        }
    }
    vider(&mut run, &mut out);
    out
}

/// One handle of an adapter's stdout or stderr, writing into its [`Sortie`].
struct Flux(Sortie);

#[wasmtime_wasi::async_trait]
impl wasmtime_wasi::p2::OutputStream for Flux {
    fn write(&mut self, bytes: bytes::Bytes) -> Result<(), wasmtime_wasi::p2::StreamError> {
        self.0.ecrire(&bytes);
        Ok(())
    }
    fn flush(&mut self) -> Result<(), wasmtime_wasi::p2::StreamError> {
        Ok(())
    }
    fn check_write(&mut self) -> Result<usize, wasmtime_wasi::p2::StreamError> {
        Ok(64 * 1024)
    }
}

#[wasmtime_wasi::async_trait]
impl wasmtime_wasi::p2::Pollable for Flux {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for Flux {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0.ecrire(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl wasmtime_wasi::cli::IsTerminal for Sortie {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl wasmtime_wasi::cli::StdoutStream for Sortie {
    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::OutputStream> {
        Box::new(Flux(self.clone()))
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(Flux(self.clone()))
    }
}

/// What a store holds: no WASI capability (no preopens, environment, arguments or
/// sockets; stdout and stderr captured in a [`Sortie`]), the limiter, the adapter's
/// name for its logs.
pub struct Hote {
    wasi: WasiCtx,
    table: ResourceTable,
    limiteur: Limiteur,
    nom: String,
}

impl WasiView for Hote {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl super::bindings::dude::adapter::types::Host for Hote {}

impl log::Host for Hote {
    fn log(&mut self, level: log::Level, message: String) {
        let message = masquer_nir(&message.chars().take(2000).collect::<String>());
        match level {
            log::Level::Debug => tracing::debug!(adaptateur = %self.nom, "{message}"),
            log::Level::Info => tracing::info!(adaptateur = %self.nom, "{message}"),
            log::Level::Warn => tracing::warn!(adaptateur = %self.nom, "{message}"),
            log::Level::Error => tracing::error!(adaptateur = %self.nom, "{message}"),
        }
    }
}

fn store(adaptateur: &super::Adaptateur, limites: &Limites, sortie: &Sortie) -> Store<Hote> {
    let hote = Hote {
        wasi: WasiCtxBuilder::new().stdout(sortie.clone()).stderr(sortie.clone()).build(),
        table: ResourceTable::new(),
        limiteur: Limiteur { max: limites.memoire_octets, depasse: false },
        nom: adaptateur.nom.clone(),
    };
    let mut s = Store::new(adaptateur.engine(), hote);
    s.limiter(|h| &mut h.limiteur);
    s
}

fn ticks(d: Duration) -> u64 {
    (d.as_millis() / TICK.as_millis()).max(1) as u64 + 1
}

/// Maps a wasmtime error to a typed one.
fn erreur(nom: &str, store: &Store<Hote>, limites: &Limites, e: wasmtime::Error) -> AdaptateurError {
    if store.data().limiteur.depasse {
        return AdaptateurError::Memoire(nom.into(), (limites.memoire_octets >> 20) as u64);
    }
    match e.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => AdaptateurError::Delai(nom.into(), limites.delai.as_millis() as u64),
        Some(t) => AdaptateurError::Trap(nom.into(), t.to_string()),
        None => AdaptateurError::Trap(nom.into(), format!("{e:#}").chars().take(300).collect()),
    }
}

/// An instantiation's failure: the host's when its pool of instances is full (the
/// adapter is not at fault), else the adapter's.
fn erreur_instanciation(nom: &str, store: &Store<Hote>, limites: &Limites, e: wasmtime::Error) -> AdaptateurError {
    let texte = format!("{e:#}");
    if e.downcast_ref::<Trap>().is_none() && texte.contains("concurrent") {
        return AdaptateurError::Hote(format!("capacité d'instances des adaptateurs atteinte, réessayer ({texte})"));
    }
    erreur(nom, store, limites, e)
}

/// An adapter call's outcome: a trap or limit becomes its typed error ([`erreur`]), the
/// adapter's own refusal a [`AdaptateurError::Refus`].
fn reponse<T>(
    nom: &str,
    store: &Store<Hote>,
    limites: &Limites,
    r: wasmtime::Result<Result<T, String>>,
) -> Result<T, AdaptateurError> {
    r.map_err(|e| erreur(nom, store, limites, e))?.map_err(|msg| AdaptateurError::Refus(nom.into(), msg))
}

/// A fresh store and instance of the adapter, the deadline set for the first call.
fn instancier(
    adaptateur: &super::Adaptateur,
    limites: &Limites,
    sortie: &Sortie,
) -> Result<(Store<Hote>, super::bindings::Adapter), AdaptateurError> {
    let mut s = store(adaptateur, limites, sortie);
    s.set_epoch_deadline(ticks(limites.delai));
    let inst =
        adaptateur.pre().instantiate(&mut s).map_err(|e| erreur_instanciation(&adaptateur.nom, &s, limites, e))?;
    s.set_epoch_deadline(ticks(limites.delai));
    Ok((s, inst))
}

/// `describe()` of the adapter; what it writes goes to `sortie`.
pub fn decrire(
    adaptateur: &super::Adaptateur,
    limites: &Limites,
    sortie: &Sortie,
) -> Result<Description, AdaptateurError> {
    let (mut s, inst) = instancier(adaptateur, limites, sortie)?;
    inst.call_describe(&mut s).map_err(|e| erreur(&adaptateur.nom, &s, limites, e))
}

/// Logs what an adapter wrote during a job the host ran for itself (describe, export).
fn journaliser_sortie(nom: &str, travail: &str, sortie: &Sortie) {
    if let Some(t) = sortie.texte() {
        tracing::info!(adaptateur = %nom, travail, sortie = %t, "sortie de l'adaptateur");
    }
}

/// Refused while the adapter is quarantined.
fn disponible(adaptateur: &super::Adaptateur) -> Result<(), AdaptateurError> {
    match adaptateur.en_quarantaine() {
        true => Err(AdaptateurError::Quarantaine(adaptateur.nom.clone(), super::chargement::ECHECS_AVANT_QUARANTAINE)),
        false => Ok(()),
    }
}

/// A counted job of an adapter: refused while the adapter is quarantined; its outcome
/// counts towards the quarantine.
fn travail<T>(
    adaptateur: &super::Adaptateur,
    job: impl FnOnce() -> Result<T, AdaptateurError>,
) -> Result<T, AdaptateurError> {
    disponible(adaptateur)?;
    let r = job();
    adaptateur.compter(&r);
    r
}

/// Turns a dossier event into bytes in the partner's `format` (the exporter).
pub fn exporter(
    adaptateur: &super::Adaptateur,
    format: &str,
    evenement: &Evenement,
    limites: &Limites,
) -> Result<Vec<u8>, AdaptateurError> {
    let sortie = Sortie::default();
    let r = travail(adaptateur, || {
        let (mut s, inst) = instancier(adaptateur, limites, &sortie)?;
        let r = inst.dude_adapter_exporter().call_export_event(&mut s, format, evenement);
        reponse(&adaptateur.nom, &s, limites, r)
    });
    journaliser_sortie(&adaptateur.nom, "export", &sortie);
    r
}

/// Parses `input` in `format`, streaming it in chunks; calls `recu` with each batch;
/// what the adapter writes goes to `sortie`. Returns the number of bytes read.
pub fn analyser(
    adaptateur: &super::Adaptateur,
    format: &str,
    options: &[(String, String)],
    input: &mut dyn Read,
    limites: &Limites,
    sortie: &Sortie,
    recu: &mut dyn FnMut(Batch),
) -> Result<u64, AdaptateurError> {
    travail(adaptateur, || {
        let mut analyse = Analyse::ouvrir(adaptateur, format, options, limites, sortie)?;
        let mut buf = vec![0u8; limites.morceau];
        loop {
            let n = input.read(&mut buf).map_err(|e| AdaptateurError::Hote(format!("lecture de l'entrée : {e}")))?;
            if n == 0 {
                break;
            }
            recu(analyse.pousser(&buf[..n])?);
        }
        let lu = analyse.lu;
        recu(analyse.terminer()?);
        Ok(lu)
    })
}

/// One parse in progress, fed chunk by chunk: a fresh store and instance, the adapter's
/// parser resource, the bytes pushed so far. [`analyser`] drives it from a reader and
/// counts the job towards the quarantine; a caller that drives the chunks itself (the
/// adapters' benchmark interleaves them with a native parse) gets the same sandbox and
/// limits, uncounted.
pub struct Analyse<'a> {
    adaptateur: &'a super::Adaptateur,
    limites: Limites,
    store: Store<Hote>,
    instance: super::bindings::Adapter,
    parser: wasmtime::component::ResourceAny,
    lu: u64,
    debut: Instant,
}

impl<'a> Analyse<'a> {
    /// Instantiates the adapter and constructs its parser for `format`; refused while the
    /// adapter is quarantined. What the adapter writes goes to `sortie`.
    pub fn ouvrir(
        adaptateur: &'a super::Adaptateur,
        format: &str,
        options: &[(String, String)],
        limites: &Limites,
        sortie: &Sortie,
    ) -> Result<Self, AdaptateurError> {
        disponible(adaptateur)?;
        let (mut s, instance) = instancier(adaptateur, limites, sortie)?;
        let nom = &adaptateur.nom;
        let parser = instance
            .dude_adapter_parser()
            .parser()
            .call_constructor(&mut s, format, options)
            .map_err(|e| erreur(nom, &s, limites, e))?;
        Ok(Self { adaptateur, limites: *limites, store: s, instance, parser, lu: 0, debut: Instant::now() })
    }

    /// Pushes the next chunk of the input; returns what the adapter read from it.
    pub fn pousser(&mut self, morceau: &[u8]) -> Result<Batch, AdaptateurError> {
        let nom = &self.adaptateur.nom;
        self.lu += morceau.len() as u64;
        if self.lu > self.limites.entree_max {
            return Err(AdaptateurError::EntreeTropGrande(nom.clone(), self.lu, self.limites.entree_max));
        }
        self.store.set_epoch_deadline(ticks(self.limites.delai));
        let r = self.instance.dude_adapter_parser().parser().call_push(&mut self.store, self.parser, morceau);
        reponse(nom, &self.store, &self.limites, r)
    }

    /// Ends the input; returns the last records.
    pub fn terminer(mut self) -> Result<Batch, AdaptateurError> {
        let nom = &self.adaptateur.nom;
        self.store.set_epoch_deadline(ticks(self.limites.delai));
        let r = self.instance.dude_adapter_parser().parser().call_finish(&mut self.store, self.parser);
        let b = reponse(nom, &self.store, &self.limites, r)?;
        let _ = self.parser.resource_drop(&mut self.store);
        tracing::debug!(
            adaptateur = %nom,
            octets = self.lu,
            duree_ms = self.debut.elapsed().as_millis() as u64,
            "analyse terminée"
        );
        Ok(b)
    }
}
