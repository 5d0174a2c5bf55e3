//! One engine per process: pooling allocator when the machine allows it (start-up probe),
//! on-demand otherwise; epoch interruption driven by a ticker thread.

use std::time::Duration;

use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// Length of one epoch tick.
pub const TICK: Duration = Duration::from_millis(10);

/// The engine and how it allocates instances.
#[derive(Clone)]
pub struct Moteur {
    pub engine: Engine,
    pub pooling: bool,
}

fn base() -> Config {
    let mut c = Config::new();
    c.epoch_interruption(true);
    // `DUDE_WASM_PROFIL=perfmap` names the adapters' compiled functions for `perf`
    // (/tmp/perf-<pid>.map): how a département profiles its adapter under real load.
    if std::env::var("DUDE_WASM_PROFIL").is_ok_and(|v| v == "perfmap") {
        c.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    c
}

impl Moteur {
    /// Builds the engine: pooling first, falling back to on-demand allocation when the
    /// pool cannot be reserved (virtual memory limits).
    pub fn new(instances: u32, memoire_max: usize) -> Result<Self, super::AdaptateurError> {
        let mut c = base();
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(instances)
            // a component built with componentize-py holds 14 core instances and two
            // tables of thousands of entries
            .total_core_instances(instances * 16)
            .total_memories(instances * 2)
            .total_tables(instances * 16)
            .max_memory_size(memoire_max)
            .max_memories_per_component(4)
            .max_core_instances_per_component(32)
            .max_tables_per_component(32);
        c.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let (engine, pooling) = match Engine::new(&c) {
            Ok(e) => (e, true),
            Err(err) => {
                tracing::warn!(erreur = %err, "allocateur par pool indisponible : allocation à la demande");
                let mut c = base();
                c.allocation_strategy(InstanceAllocationStrategy::OnDemand);
                (Engine::new(&c).map_err(|e| super::AdaptateurError::Hote(e.to_string()))?, false)
            }
        };
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("dude-epoch".into())
            .spawn(move || {
                while let Some(e) = weak.upgrade() {
                    e.increment_epoch();
                    drop(e);
                    std::thread::sleep(TICK);
                }
            })
            .map_err(|e| super::AdaptateurError::Hote(e.to_string()))?;
        Ok(Self { engine, pooling })
    }

    /// The name of an adapter's compiled code in the cache: its source's sha256 and the
    /// engine's settings.
    pub fn fichier_compile(&self, sha256: &str) -> String {
        format!("{sha256}-{:016x}.cwasm", self.empreinte())
    }

    /// A key of the engine's settings, part of the compiled-code cache key.
    pub fn empreinte(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        h.finish()
    }
}
