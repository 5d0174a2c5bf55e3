//! Journal entries committed per second (issue 3, item 11): the single batching writer
//! against, in the same run, one transaction per entry (the naive baseline).
//!
//! cargo bench -p dude-core --bench journal

use std::time::Instant;

use chrono::Utc;
use dude_core::crypto::keys::MasterKey;
use dude_core::journal::{Entree, EntreeChainee, GENESE, Journal, hash, horodatage};
use dude_core::store::Store;

fn entree(i: usize) -> Entree {
    Entree {
        horodatage: horodatage(Utc::now()),
        request_id: format!("bench-{i}"),
        agent: Some("AG001".into()),
        organisation: Some("cd77".into()),
        client: Some("cd77-app".into()),
        convention: Some("conv-cd77".into()),
        dossier: Some(uuid::Uuid::new_v4()),
        action: "statut".into(),
        categories: "inscription".into(),
        finalite: Some("Accompagnement".into()),
        decision: dude_core::journal::Verdict::Accepte,
        raison: "AUTORISE".into(),
    }
}

async fn store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    (Store::open(&url, &MasterKey::from_bytes([1; 32])).await.unwrap(), dir)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        const WRITERS: usize = 64;
        const PER_WRITER: usize = 500;
        let total = WRITERS * PER_WRITER;

        // batching writer
        let (s, _d) = store().await;
        let (journal, _task) = Journal::demarrer(s.clone());
        let t = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for w in 0..WRITERS {
            let j = journal.clone();
            set.spawn(async move {
                for i in 0..PER_WRITER {
                    j.ecrire(entree(w * PER_WRITER + i)).await.unwrap();
                }
            });
        }
        while set.join_next().await.is_some() {}
        let batched = total as f64 / t.elapsed().as_secs_f64();

        // baseline: one transaction per entry, serialised by a lock (the chain needs order)
        let (s2, _d2) = store().await;
        let head = std::sync::Arc::new(tokio::sync::Mutex::new((0i64, GENESE.to_string())));
        let n = total / 8;
        let t = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for w in 0..WRITERS {
            let (s2, head) = (s2.clone(), head.clone());
            set.spawn(async move {
                for i in 0..n / WRITERS {
                    let mut h = head.lock().await;
                    let e = entree(w * PER_WRITER + i);
                    let seq = h.0 + 1;
                    let hh = hash(&h.1, seq, &e);
                    s2.journal_inserer(&[EntreeChainee {
                        seq,
                        entree: e,
                        hash_precedent: h.1.clone(),
                        hash: hh.clone(),
                    }])
                    .await
                    .unwrap();
                    *h = (seq, hh);
                }
            });
        }
        while set.join_next().await.is_some() {}
        let single = (n / WRITERS * WRITERS) as f64 / t.elapsed().as_secs_f64();
        println!("journal, {WRITERS} rédacteurs concurrents, SQLite :");
        println!("  écrivain unique par lots : {batched:>9.0} entrées/s ({total} entrées)");
        println!("  une transaction par entrée : {single:>7.0} entrées/s (référence, même exécution)");
        println!("  rapport : {:.1}", batched / single);
        let v = dude_core::journal::verify::verifier(&s).await.unwrap();
        println!("  chaîne vérifiée : {v:?}");
    });
}
