//! Encrypted archives (seed 002 annex 1, option 1): a partner file sent as a 7z or zip
//! archive encrypted with AES-256, its password through another channel. The archive
//! holds one file; it is decrypted as a stream (never written to disk) by a thread that
//! owns the archive and hands chunks to the import through a bounded channel.

use std::io::{Read, Seek};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use zeroize::Zeroizing;

/// A password received out of band. Never logged, wiped on drop.
pub type MotDePasse = Zeroizing<String>;

/// What a file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conteneur {
    Brut,
    Zip,
    SeptZip,
}

impl Conteneur {
    pub fn detecter(debut: &[u8]) -> Self {
        if debut.starts_with(b"PK\x03\x04") {
            Conteneur::Zip
        } else if debut.starts_with(b"7z\xBC\xAF\x27\x1C") {
            Conteneur::SeptZip
        } else {
            Conteneur::Brut
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    #[error(
        "archive {0} chiffrée : mot de passe requis (fichier --password-file ou en-tête Dude-Mot-De-Passe-Archive)"
    )]
    MotDePasseRequis(&'static str),
    #[error("archive {0} : mot de passe incorrect")]
    MotDePasseIncorrect(&'static str),
    #[error("archive {0} : {1} fichiers, un seul attendu")]
    NombreDeFichiers(&'static str, usize),
    #[error("archive zip : chiffrement {0} refusé, AES-256 attendu")]
    ChiffrementFaible(&'static str),
    #[error("archive {0} illisible : {1}")]
    Illisible(&'static str, String),
}

const MORCEAU: usize = 64 << 10;

/// The decrypted content, as a reader. Errors met while decrypting come out of `read`.
pub struct Contenu {
    /// Name of the file inside the archive.
    pub nom: String,
    rx: Receiver<Result<Vec<u8>, String>>,
    tampon: Vec<u8>,
    pos: usize,
}

impl Read for Contenu {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.tampon.len() {
            match self.rx.recv() {
                Ok(Ok(b)) => {
                    self.tampon = b;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(std::io::Error::other(e)),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.tampon.len() - self.pos);
        buf[..n].copy_from_slice(&self.tampon[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Sends what `r` yields in chunks; false when the receiver is gone.
fn pomper(r: &mut dyn Read, tx: &SyncSender<Result<Vec<u8>, String>>, format: &str) -> bool {
    loop {
        let mut b = vec![0u8; MORCEAU];
        match r.read(&mut b) {
            Ok(0) => return true,
            Ok(n) => {
                b.truncate(n);
                if tx.send(Ok(b)).is_err() {
                    return false;
                }
            }
            Err(e) => {
                let _ = tx.send(Err(format!("archive {format} : déchiffrement interrompu ({e})")));
                return false;
            }
        }
    }
}

/// Opens the one file of an archive. Checks (entry count, encryption, password) happen
/// before this returns; the content then streams.
pub fn ouvrir<R: Read + Seek + Send + 'static>(
    conteneur: Conteneur,
    source: R,
    mot_de_passe: Option<MotDePasse>,
) -> Result<Contenu, ArchiveError> {
    let (tx, rx) = sync_channel::<Result<Vec<u8>, String>>(4);
    let (pret_tx, pret_rx) = sync_channel::<Result<String, ArchiveError>>(1);
    match conteneur {
        Conteneur::Brut => return Err(ArchiveError::Illisible("?", "ni zip ni 7z".into())),
        Conteneur::Zip => {
            std::thread::Builder::new()
                .name("archive-zip".into())
                .spawn(move || zip(source, mot_de_passe, tx, pret_tx))
                .map_err(|e| ArchiveError::Illisible("zip", e.to_string()))?;
        }
        Conteneur::SeptZip => {
            std::thread::Builder::new()
                .name("archive-7z".into())
                .spawn(move || sept_zip(source, mot_de_passe, tx, pret_tx))
                .map_err(|e| ArchiveError::Illisible("7z", e.to_string()))?;
        }
    }
    let nom = pret_rx.recv().map_err(|_| ArchiveError::Illisible("?", "lecture interrompue".into()))??;
    Ok(Contenu { nom, rx, tampon: Vec::new(), pos: 0 })
}

fn zip<R: Read + Seek>(
    source: R,
    mot_de_passe: Option<MotDePasse>,
    tx: SyncSender<Result<Vec<u8>, String>>,
    pret: SyncSender<Result<String, ArchiveError>>,
) {
    let ill = |e: zip::result::ZipError| ArchiveError::Illisible("zip", e.to_string());
    let mut a = match zip::ZipArchive::new(source) {
        Ok(a) => a,
        Err(e) => {
            let _ = pret.send(Err(ill(e)));
            return;
        }
    };
    let fichiers: Vec<usize> =
        (0..a.len()).filter(|i| a.name_for_index(*i).is_some_and(|n| n.is_ok_and(|n| !n.ends_with('/')))).collect();
    if fichiers.len() != 1 {
        let _ = pret.send(Err(ArchiveError::NombreDeFichiers("zip", fichiers.len())));
        return;
    }
    let i = fichiers[0];
    let aes = match a.get_aes_verification_key_and_salt(i) {
        Ok(x) => x,
        Err(e) => {
            let _ = pret.send(Err(ill(e)));
            return;
        }
    };
    let r = match (&mot_de_passe, aes) {
        (Some(m), Some(info)) => {
            if !matches!(info.aes_mode, zip::AesMode::Aes256) {
                let _ = pret.send(Err(ArchiveError::ChiffrementFaible("AES-128/192")));
                return;
            }
            a.by_index_decrypt(i, m.as_bytes())
        }
        (None, Some(_)) => {
            let _ = pret.send(Err(ArchiveError::MotDePasseRequis("zip")));
            return;
        }
        (_, None) => match a.by_index(i) {
            // an entry encrypted with the legacy ZipCrypto
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m == zip::result::ZipError::PASSWORD_REQUIRED => {
                let _ = pret.send(Err(ArchiveError::ChiffrementFaible("ZipCrypto")));
                return;
            }
            r => r,
        },
    };
    let mut f = match r {
        Ok(f) => f,
        Err(zip::result::ZipError::InvalidPassword) => {
            let _ = pret.send(Err(ArchiveError::MotDePasseIncorrect("zip")));
            return;
        }
        Err(e) => {
            let _ = pret.send(Err(ill(e)));
            return;
        }
    };
    let nom = f.name().map(|n| n.to_string()).unwrap_or_default();
    if pret.send(Ok(nom)).is_err() {
        return;
    }
    pomper(&mut f, &tx, "zip");
}

fn sept_zip<R: Read + Seek>(
    source: R,
    mot_de_passe: Option<MotDePasse>,
    tx: SyncSender<Result<Vec<u8>, String>>,
    pret: SyncSender<Result<String, ArchiveError>>,
) {
    use sevenz_rust2::{ArchiveReader, Error, Password};
    let pw = match &mot_de_passe {
        Some(m) => Password::new(m),
        None => Password::empty(),
    };
    let erreur = |e: Error| match e {
        Error::PasswordRequired => ArchiveError::MotDePasseRequis("7z"),
        Error::MaybeBadPassword(_) => ArchiveError::MotDePasseIncorrect("7z"),
        e => ArchiveError::Illisible("7z", e.to_string()),
    };
    let mut a = match ArchiveReader::new(source, pw) {
        Ok(a) => a,
        Err(e) => {
            let _ = pret.send(Err(erreur(e)));
            return;
        }
    };
    let n = a.archive().files.iter().filter(|f| !f.is_directory() && f.has_stream()).count();
    if n != 1 {
        let _ = pret.send(Err(ArchiveError::NombreDeFichiers("7z", n)));
        return;
    }
    let mut pret = Some(pret);
    let r = a.for_each_entries(|entree, r| {
        if entree.is_directory() || !entree.has_stream() {
            return Ok(true);
        }
        // A wrong password shows on the first bytes (the decoder fails or yields garbage
        // that the CRC check refuses at the end).
        let mut premier = vec![0u8; MORCEAU];
        let n = match r.read(&mut premier) {
            Ok(n) => n,
            Err(e) => return Err(Error::MaybeBadPassword(e)),
        };
        premier.truncate(n);
        if let Some(p) = pret.take()
            && p.send(Ok(entree.name().to_string())).is_err()
        {
            return Ok(false);
        }
        if n > 0 && tx.send(Ok(premier)).is_err() {
            return Ok(false);
        }
        Ok(pomper(r, &tx, "7z"))
    });
    if let Err(e) = r {
        match pret.take() {
            Some(p) => {
                let _ = p.send(Err(erreur(e)));
            }
            None => {
                let _ = tx.send(Err(erreur(e).to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn pw(s: &str) -> Option<MotDePasse> {
        Some(Zeroizing::new(s.to_string()))
    }

    fn zip_aes(contenu: &[u8], mode: Option<zip::AesMode>) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut o = zip::write::SimpleFileOptions::default();
        if let Some(m) = mode {
            o = o.with_aes_encryption(m, "s3cret-77");
        }
        w.start_file("stock.csv", o).unwrap();
        w.write_all(contenu).unwrap();
        w.finish().unwrap().into_inner()
    }

    fn sept_zip_aes(contenu: &[u8], mot: &str) -> Vec<u8> {
        use sevenz_rust2::encoder_options::AesEncoderOptions;
        use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderMethod};
        let mut w = ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
        w.set_content_methods(vec![AesEncoderOptions::new(mot.into()).into(), EncoderMethod::LZMA2.into()]);
        w.push_archive_entry(ArchiveEntry::new_file("stock.csv"), Some(contenu)).unwrap();
        w.finish().unwrap().into_inner()
    }

    fn lire(c: Conteneur, octets: Vec<u8>, mot: Option<MotDePasse>) -> Result<(String, Vec<u8>), String> {
        let mut r = ouvrir(c, Cursor::new(octets), mot).map_err(|e| e.to_string())?;
        let mut v = Vec::new();
        r.read_to_end(&mut v).map_err(|e| e.to_string())?;
        Ok((r.nom.clone(), v))
    }

    #[test]
    fn zip_aes256_round_trip_and_refusals() {
        let contenu: Vec<u8> = (0..300_000u32).flat_map(|i| format!("ligne {i}\n").into_bytes()).collect();
        let z = zip_aes(&contenu, Some(zip::AesMode::Aes256));
        assert_eq!(Conteneur::detecter(&z), Conteneur::Zip);
        assert_eq!(lire(Conteneur::Zip, z.clone(), pw("s3cret-77")).unwrap(), ("stock.csv".into(), contenu.clone()));
        let e = lire(Conteneur::Zip, z.clone(), pw("faux")).unwrap_err();
        assert!(e.contains("mot de passe incorrect"), "{e}");
        let e = lire(Conteneur::Zip, z, None).unwrap_err();
        assert!(e.contains("mot de passe requis"), "{e}");
        let e = lire(Conteneur::Zip, zip_aes(b"x", Some(zip::AesMode::Aes128)), pw("s3cret-77")).unwrap_err();
        assert!(e.contains("AES-256 attendu"), "{e}");
        // a plain archive is read as is
        assert_eq!(lire(Conteneur::Zip, zip_aes(b"abc", None), None).unwrap().1, b"abc");
        let e = lire(Conteneur::Zip, b"PK\x03\x04tronque".to_vec(), None).unwrap_err();
        assert!(e.contains("illisible"), "{e}");
    }

    #[test]
    fn sept_zip_aes256_round_trip_and_refusals() {
        let contenu: Vec<u8> = (0..200_000u32).flat_map(|i| format!("{i};x\n").into_bytes()).collect();
        let z = sept_zip_aes(&contenu, "s3cret-77");
        assert_eq!(Conteneur::detecter(&z), Conteneur::SeptZip);
        assert_eq!(lire(Conteneur::SeptZip, z.clone(), pw("s3cret-77")).unwrap(), ("stock.csv".into(), contenu));
        let e = lire(Conteneur::SeptZip, z.clone(), pw("faux")).unwrap_err();
        assert!(e.contains("mot de passe incorrect"), "{e}");
        let e = lire(Conteneur::SeptZip, z, None).unwrap_err();
        assert!(e.contains("mot de passe requis"), "{e}");
    }

    #[test]
    fn an_archive_holds_exactly_one_file() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for n in ["a.csv", "b.csv"] {
            w.start_file(n, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(b"x").unwrap();
        }
        let z = w.finish().unwrap().into_inner();
        let e = lire(Conteneur::Zip, z, None).unwrap_err();
        assert!(e.contains("2 fichiers, un seul attendu"), "{e}");
    }
}
