//! Streaming line splitter: bytes arrive in chunks of any size (a chunk may cut a line or a
//! UTF-8 character); complete lines come out with their number. `\n` ends a line, one
//! trailing `\r` is dropped, a UTF-8 BOM at the start of the file is dropped. A line longer
//! than the cap is never buffered whole: its bytes are dropped as they come and the line
//! comes out as [`Ligne::TropLongue`].

/// One line of the file.
#[derive(Debug, PartialEq, Eq)]
pub enum Ligne<'a> {
    /// The line's bytes, without `\n`, `\r\n` or the BOM.
    Texte(&'a [u8]),
    /// Longer than the cap: skipped.
    TropLongue,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub struct Lignes {
    /// Bytes of the current line not yet ended.
    tampon: Vec<u8>,
    /// Cap on one line's length, without its end (`\n` or `\r\n`).
    max: usize,
    /// Number of the last line that came out (1 for the first line).
    numero: u64,
    /// The current line already exceeds the cap: its bytes are dropped until `\n`.
    trop_longue: bool,
}

impl Lignes {
    pub fn new(max: usize) -> Self {
        Self { tampon: Vec::new(), max, numero: 0, trop_longue: false }
    }

    /// Feeds a chunk; `f(numero, ligne)` is called for each line it completes.
    pub fn pousser(&mut self, mut chunk: &[u8], f: &mut impl FnMut(u64, Ligne<'_>)) {
        while let Some(i) = chunk.iter().position(|&b| b == b'\n') {
            let (debut, reste) = (&chunk[..i], &chunk[i + 1..]);
            if self.tampon.is_empty() && !self.trop_longue {
                // The whole line is in this chunk: no copy.
                self.sortir(debut, f);
            } else {
                self.ajouter(debut);
                let tampon = std::mem::take(&mut self.tampon);
                self.sortir(&tampon, f);
                self.tampon = tampon;
                self.tampon.clear();
            }
            chunk = reste;
        }
        self.ajouter(chunk);
    }

    /// End of the file: the last line, when it has no final `\n`.
    pub fn terminer(&mut self, f: &mut impl FnMut(u64, Ligne<'_>)) {
        if !self.tampon.is_empty() || self.trop_longue {
            let tampon = std::mem::take(&mut self.tampon);
            self.sortir(&tampon, f);
        }
        self.trop_longue = false;
    }

    /// Room for the cap, one `\r`, and the BOM on the first line.
    fn limite(&self) -> usize {
        self.max.saturating_add(1).saturating_add(if self.numero == 0 { BOM.len() } else { 0 })
    }

    fn ajouter(&mut self, octets: &[u8]) {
        if self.trop_longue {
            return;
        }
        if self.tampon.len().saturating_add(octets.len()) > self.limite() {
            self.trop_longue = true;
            self.tampon = Vec::new();
        } else {
            self.tampon.extend_from_slice(octets);
        }
    }

    fn sortir(&mut self, ligne: &[u8], f: &mut impl FnMut(u64, Ligne<'_>)) {
        self.numero += 1;
        if std::mem::take(&mut self.trop_longue) {
            return f(self.numero, Ligne::TropLongue);
        }
        let mut ligne = ligne.strip_suffix(b"\r").unwrap_or(ligne);
        if self.numero == 1 {
            ligne = ligne.strip_prefix(BOM).unwrap_or(ligne);
        }
        if ligne.len() > self.max { f(self.numero, Ligne::TropLongue) } else { f(self.numero, Ligne::Texte(ligne)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line as (number, Some(text) or None when too long).
    fn decouper(octets: &[u8], max: usize, taille: usize) -> Vec<(u64, Option<Vec<u8>>)> {
        let mut l = Lignes::new(max);
        let mut out = Vec::new();
        let mut f = |n, ligne: Ligne<'_>| {
            out.push((
                n,
                match ligne {
                    Ligne::Texte(t) => Some(t.to_vec()),
                    Ligne::TropLongue => None,
                },
            ))
        };
        for c in octets.chunks(taille) {
            l.pousser(c, &mut f);
        }
        l.terminer(&mut f);
        out
    }

    fn t(s: &str) -> Option<Vec<u8>> {
        Some(s.as_bytes().to_vec())
    }

    #[test]
    fn lines_in_any_chunking() {
        let fichier = "\u{feff}un\r\ndeux\n\ntrois é\r\nquatre";
        let attendu = vec![(1, t("un")), (2, t("deux")), (3, t("")), (4, t("trois é")), (5, t("quatre"))];
        for taille in [1, 2, 3, 7, 1000] {
            assert_eq!(decouper(fichier.as_bytes(), 100, taille), attendu, "chunks of {taille}");
        }
    }

    #[test]
    fn bom_only_at_the_start_and_final_newline() {
        assert_eq!(decouper(b"a\n\xEF\xBB\xBFb\n", 100, 1), vec![(1, t("a")), (2, Some(b"\xEF\xBB\xBFb".to_vec()))]);
        assert_eq!(decouper(b"", 100, 1), vec![]);
        assert_eq!(decouper(b"\n", 100, 1), vec![(1, t(""))]);
    }

    #[test]
    fn cap_counts_the_line_without_its_end() {
        for taille in [1, 4, 7, 100] {
            // 5 bytes: at the cap, with \r\n, with a BOM on line 1.
            let r = decouper(b"\xEF\xBB\xBF12345\r\n123456\nabcde\r\n1234567890123\nfin", 5, taille);
            assert_eq!(
                r,
                vec![(1, t("12345")), (2, None), (3, t("abcde")), (4, None), (5, t("fin"))],
                "chunks of {taille}"
            );
        }
        // The last line, without a final \n, too long.
        assert_eq!(decouper(b"ok\n1234567", 5, 3), vec![(1, t("ok")), (2, None)]);
    }

    #[test]
    fn an_over_long_line_is_not_buffered() {
        let mut l = Lignes::new(10);
        let mut n = 0;
        let mut f = |_, ligne: Ligne<'_>| {
            assert_eq!(ligne, Ligne::TropLongue);
            n += 1;
        };
        for _ in 0..1000 {
            l.pousser(&[b'x'; 1000], &mut f);
            assert!(l.tampon.capacity() <= 64, "dropped, not kept");
        }
        l.pousser(b"\n", &mut f);
        assert_eq!(n, 1);
    }
}
