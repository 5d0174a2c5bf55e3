//! Hot reload: a `notify` watcher on the adapters' directory, debounced; each changed
//! `*.wasm` is read, hashed, compiled and checked off the async runtime, then swapped in
//! atomically. Jobs in flight finish on the version they started with; a truncated,
//! invalid or incompatible file keeps the previous version (the failure is recorded).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::catalogue::Catalogue;

/// Quiet time after the last event before reloading.
pub const ANTI_REBOND: Duration = Duration::from_millis(100);

/// Keeps the watcher alive; dropping it stops the reloads.
pub struct Surveillance {
    _watcher: notify::RecommendedWatcher,
}

pub fn surveiller(catalogue: Arc<Catalogue>) -> Result<Surveillance, super::AdaptateurError> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && (ev.kind.is_create() || ev.kind.is_modify())
        {
            for p in ev.paths {
                if p.extension().is_some_and(|x| x == "wasm") {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| super::AdaptateurError::Hote(format!("surveillance des adaptateurs : {e}")))?;
    watcher.watch(&catalogue.repertoire, RecursiveMode::NonRecursive).map_err(|e| {
        super::AdaptateurError::Hote(format!("surveillance de {} : {e}", catalogue.repertoire.display()))
    })?;
    std::thread::Builder::new()
        .name("dude-rechargement".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut paths: HashSet<PathBuf> = HashSet::from([first]);
                while let Ok(p) = rx.recv_timeout(ANTI_REBOND) {
                    paths.insert(p);
                }
                for p in paths {
                    if p.exists() {
                        let _ = catalogue.charger_fichier(&p);
                    }
                }
            }
        })
        .map_err(|e| super::AdaptateurError::Hote(e.to_string()))?;
    Ok(Surveillance { _watcher: watcher })
}
