//! The HTTP/1.1 connection loop: hyper with bounded request heads (count, size, time),
//! and a graceful shutdown that lets requests in flight finish.
//!
//! `axum::serve` configures none of these: a client could hold a connection forever by
//! sending half a request line. Here a head not whole within the delay is answered 408
//! and the connection closed; too many or too large headers get hyper's 431; bodies are
//! bounded by the extractors ([`super::extract`]).

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// Most headers in a request (more: 431).
pub const ENTETES_MAX: usize = 64;
/// Largest request head, bytes (more: 431).
pub const TAILLE_ENTETES_MAX: usize = 64 * 1024;
/// How long requests in flight may take to finish at shutdown.
pub const DRAINAGE: Duration = Duration::from_secs(30);

/// The HTTP edge of a running application: its router on a bound listener, and the
/// probes that exercise it.
pub struct Http {
    listener: TcpListener,
    router: Router,
    delai_entetes: Duration,
    _sondes: Option<tokio::task::JoinHandle<()>>,
}

impl Http {
    /// Binds `settings.bind` (port 0: any free port), builds the router over `state`, and
    /// starts the supervision probes when the settings ask for them.
    pub async fn lier(state: crate::app::AppState, settings: &crate::app::settings::Settings) -> std::io::Result<Self> {
        let listener = TcpListener::bind(settings.bind).await?;
        let router = super::router(state.clone());
        let sondes =
            settings.sla_sondes.map(|every| super::sondes::demarrer_sondes(state.partage(), router.clone(), every));
        Ok(Self { listener, router, delai_entetes: settings.delais_http.entetes, _sondes: sondes })
    }

    pub fn adresse(&self) -> std::net::SocketAddr {
        self.listener.local_addr().expect("a bound listener")
    }

    /// Serves until `arret` completes, then drains.
    pub async fn servir(self, arret: impl Future<Output = ()>) {
        servir(self.listener, self.router, self.delai_entetes, arret).await
    }
}

/// Serves `app` on `listener` until `arret` completes, then lets the requests in flight
/// finish (at most [`DRAINAGE`]).
pub async fn servir(listener: TcpListener, app: Router, delai_entetes: Duration, arret: impl Future<Output = ()>) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(delai_entetes)
        .max_headers(ENTETES_MAX)
        .max_buf_size(TAILLE_ENTETES_MAX);
    let graceful = GracefulShutdown::new();
    let mut arret = std::pin::pin!(arret);
    loop {
        let tcp = tokio::select! {
            r = listener.accept() => match r {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    // out of descriptors, aborted handshakes: wait a little, go on
                    tracing::warn!(erreur = %e, "connexion refusée");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut arret => break,
        };
        let _ = tcp.set_nodelay(true);
        // a second handle on the socket, to answer 408 once hyper gives up on the head
        let Ok((tcp, secours)) = dupliquer(tcp) else { continue };
        let service = TowerToHyperService::new(app.clone());
        let conn = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
        tokio::spawn(async move {
            match conn.await {
                Err(e) if e.is_timeout() => repondre_408(secours).await,
                Err(e) => tracing::debug!(erreur = %e, "connexion HTTP interrompue"),
                Ok(()) => {}
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAINAGE, graceful.shutdown()).await.is_err() {
        tracing::warn!("arrêt : des requêtes en cours n'ont pas fini dans le délai");
    }
}

fn dupliquer(tcp: TcpStream) -> std::io::Result<(TcpStream, std::net::TcpStream)> {
    let s = tcp.into_std()?;
    let secours = s.try_clone()?;
    Ok((TcpStream::from_std(s)?, secours))
}

/// The head did not arrive in time: hyper has stopped reading and wrote nothing, so a
/// whole response can be written before the connection closes.
async fn repondre_408(secours: std::net::TcpStream) {
    let corps = serde_json::json!({
        "type": "urn:dude:probleme:r997",
        "title": "Délai de requête dépassé",
        "status": 408,
        "detail": "en-têtes de requête incomplets dans le délai imparti : connexion fermée",
        "codeRetour": "R997",
        "message": "en-têtes de requête incomplets dans le délai imparti : connexion fermée",
        "champ": "en-têtes",
    })
    .to_string();
    let reponse = format!(
        "HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\r\n{corps}",
        corps.len()
    );
    let Ok(mut s) = TcpStream::from_std(secours) else { return };
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        s.write_all(reponse.as_bytes()).await?;
        s.shutdown().await
    })
    .await;
}
