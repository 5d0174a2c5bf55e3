//! The component's allocator: size classes over the system allocator.
//!
//! An adapter makes a few small strings per field of every record and frees them all
//! when the host has copied the batch out. Inside a component the default allocator is
//! wasi-libc's dlmalloc, reached through three calls (`__rust_alloc`, `malloc`,
//! `dlmalloc`), each a function entry the engine checks against the job's deadline; it
//! took a fifth of the Wasm parse's time (BENCHMARKS.md). Here a block of at most
//! [`PLUS_GRANDE`] bytes comes from the free list of its size class (a multiple of 16
//! bytes), or is cut from a 64 KiB slab; freed, it goes back on its list. Larger blocks,
//! and blocks aligned on more than 16 bytes, go to the system allocator. Slabs are never
//! given back: a component instance lives for one job.
//!
//! Single-threaded only (a component without shared memory): the state has no lock.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;

/// Largest block served from a size class.
pub const PLUS_GRANDE: usize = 512;
const ALIGNEMENT: usize = 16;
const CLASSES: usize = PLUS_GRANDE / ALIGNEMENT;
const PLAQUE: usize = 64 * 1024;

struct Etat {
    /// Head of each class's free list (the next block's address is in the block).
    libres: [*mut u8; CLASSES],
    /// The current slab: next free byte and end.
    suivant: *mut u8,
    fin: *mut u8,
}

/// See the module's documentation.
pub struct Allocateur(UnsafeCell<Etat>);

// SAFETY: only installed in single-threaded components (no `atomics` target feature),
// where no two calls can overlap.
unsafe impl Sync for Allocateur {}

impl Allocateur {
    pub const fn new() -> Self {
        Self(UnsafeCell::new(Etat {
            libres: [ptr::null_mut(); CLASSES],
            suivant: ptr::null_mut(),
            fin: ptr::null_mut(),
        }))
    }
}

impl Default for Allocateur {
    fn default() -> Self {
        Self::new()
    }
}

/// The size class of `layout`, if it has one.
#[inline]
fn classe(layout: Layout) -> Option<usize> {
    (layout.size() <= PLUS_GRANDE && layout.align() <= ALIGNEMENT)
        .then(|| layout.size().max(1).div_ceil(ALIGNEMENT) - 1)
}

unsafe impl GlobalAlloc for Allocateur {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = classe(layout) else {
            // SAFETY: the caller's layout, passed on
            return unsafe { System.alloc(layout) };
        };
        // SAFETY: single-threaded (see `Sync`), no reference to the state outlives this call
        let e = unsafe { &mut *self.0.get() };
        let tete = e.libres[c];
        if !tete.is_null() {
            // SAFETY: a block on the list holds the address of the next one
            e.libres[c] = unsafe { tete.cast::<*mut u8>().read() };
            return tete;
        }
        let taille = (c + 1) * ALIGNEMENT;
        if (e.fin as usize) - (e.suivant as usize) < taille {
            // SAFETY: a valid, non-zero layout
            let plaque = unsafe { System.alloc(Layout::from_size_align_unchecked(PLAQUE, ALIGNEMENT)) };
            if plaque.is_null() {
                return plaque;
            }
            e.suivant = plaque;
            // SAFETY: within the slab just allocated
            e.fin = unsafe { plaque.add(PLAQUE) };
        }
        let bloc = e.suivant;
        // SAFETY: `taille` bytes remain in the slab
        e.suivant = unsafe { bloc.add(taille) };
        bloc
    }

    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        match classe(layout) {
            Some(c) => {
                // SAFETY: single-threaded; `p` is a block of class `c` no longer used
                let e = unsafe { &mut *self.0.get() };
                unsafe { p.cast::<*mut u8>().write(e.libres[c]) };
                e.libres[c] = p;
            }
            // SAFETY: allocated by `System` with this layout
            None => unsafe { System.dealloc(p, layout) },
        }
    }

    #[inline]
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, taille: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `taille` with `layout.align()` is a valid layout
        let nouvelle = unsafe { Layout::from_size_align_unchecked(taille, layout.align()) };
        match (classe(layout), classe(nouvelle)) {
            // the block already has room
            (Some(a), Some(b)) if a == b => p,
            // SAFETY: both from `System`
            (None, None) => unsafe { System.realloc(p, layout, taille) },
            _ => {
                // SAFETY: the new block is valid for `taille` bytes, the old for its size
                unsafe {
                    let q = self.alloc(nouvelle);
                    if !q.is_null() {
                        ptr::copy_nonoverlapping(p, q, layout.size().min(taille));
                        self.dealloc(p, layout);
                    }
                    q
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_16_bytes_up_to_512() {
        let l = |s, a| Layout::from_size_align(s, a).unwrap();
        assert_eq!(classe(l(1, 1)), Some(0));
        assert_eq!(classe(l(16, 8)), Some(0));
        assert_eq!(classe(l(17, 1)), Some(1));
        assert_eq!(classe(l(512, 16)), Some(31));
        assert_eq!(classe(l(513, 1)), None);
        assert_eq!(classe(l(8, 32)), None, "over-aligned blocks go to the system");
    }

    #[test]
    fn blocks_are_reused_distinct_aligned_and_keep_their_bytes() {
        let a = Allocateur::new();
        let l = Layout::from_size_align(24, 8).unwrap();
        unsafe {
            let blocs: Vec<*mut u8> = (0..10_000).map(|_| a.alloc(l)).collect();
            let mut tries = blocs.clone();
            tries.sort();
            tries.dedup();
            assert_eq!(tries.len(), blocs.len(), "distinct blocks");
            assert!(blocs.iter().all(|p| (*p as usize).is_multiple_of(16)));
            for (i, p) in blocs.iter().enumerate() {
                ptr::write_bytes(*p, i as u8, 24);
            }
            for (i, p) in blocs.iter().enumerate() {
                assert!(std::slice::from_raw_parts(*p, 24).iter().all(|b| *b == i as u8));
            }
            let dernier = blocs[9_999];
            a.dealloc(dernier, l);
            assert_eq!(a.alloc(l), dernier, "a freed block is served again");
            // growing across classes keeps the content; within a class, the same block
            let p = a.alloc(Layout::from_size_align(10, 1).unwrap());
            ptr::copy_nonoverlapping(b"0123456789".as_ptr(), p, 10);
            assert_eq!(a.realloc(p, Layout::from_size_align(10, 1).unwrap(), 16), p);
            let q = a.realloc(p, Layout::from_size_align(16, 1).unwrap(), 1000);
            assert_eq!(std::slice::from_raw_parts(q, 10), b"0123456789");
            let r = a.realloc(q, Layout::from_size_align(1000, 1).unwrap(), 40);
            assert_eq!(std::slice::from_raw_parts(r, 10), b"0123456789");
            a.dealloc(r, Layout::from_size_align(40, 1).unwrap());
            for p in blocs.into_iter().take(9_999) {
                a.dealloc(p, l);
            }
        }
    }
}
