"""DUDE adapter `exemple-py`: the smallest complete adapter, the same as ../exemple/src/lib.rs
in Rust (plugins/README.md shows both), written in Python for componentize-py 0.25.1.

Format `csv-simple`: UTF-8 (a BOM is dropped), lines ended by `\\n` or `\\r\\n`, a header
`nir;nom;prenom;date_naissance` then one person per line, the date as AAAA-MM-JJ.
Option `separateur`: one character (default `;`). Lines are numbered from 1, the header
included; a bad line is a row error (the file goes on), a bad header or an unusable format
or option an `Err` (the file stops). The host checks the NIR itself.

Build: ./build.sh [out.wasm]. componentize-py maps the world's exports to classes:
  - world function `describe`        -> class `WitWorld`, method `describe`
  - interface `exporter`             -> class `Exporter`
  - interface `parser`               -> class `Parser` (no functions of its own)
  - resource `parser` of `parser`    -> class `Parser` of a *module named `parser`*
    (registered in sys.modules at the end, so the adapter stays one file).
`result<T, string>` is returned as T, or raised as `Err(message)`.
"""

import sys
from types import ModuleType

from componentize_py_types import Err
from wit_world import WitWorld as _WitWorld
from wit_world.exports import Exporter as _Exporter, Parser as _InterfaceParser
from wit_world.exports import parser as _parser
from wit_world.imports import log
from wit_world.imports.types import (
    Batch,
    Categorie,
    Description,
    Direction,
    Evenement,
    Identite,
    Personne,
    RowError,
)

FORMAT = "csv-simple"
COLONNES = ["nir", "nom", "prenom", "date_naissance"]
BOM = b"\xef\xbb\xbf"


class WitWorld(_WitWorld):
    def describe(self) -> Description:
        return Description(
            name="exemple-py",
            version="0.1.0",
            formats=[FORMAT],
            categories=[Categorie.IDENTITE, Categorie.NIR],
            directions=[Direction.IMPORT],
        )


class Exporter(_Exporter):
    def export_event(self, format: str, event: Evenement) -> bytes:
        raise Err("export non pris en charge")


class Parser(_InterfaceParser):
    """The `parser` interface itself: only the resource below."""


def date_valide(d: str) -> bool:
    """AAAA-MM-JJ, a real calendar date."""
    if len(d) != 10 or d[4] != "-" or d[7] != "-":
        return False
    a, m, j = d[:4], d[5:7], d[8:]
    if not all(x.isascii() and x.isdigit() for x in (a, m, j)):
        return False
    a, m, j = int(a), int(m), int(j)
    if m in (1, 3, 5, 7, 8, 10, 12):
        jours = 31
    elif m in (4, 6, 9, 11):
        jours = 30
    elif m == 2:
        jours = 29 if a % 4 == 0 and (a % 100 != 0 or a % 400 == 0) else 28
    else:
        return False
    return 1 <= j <= jours


class CsvSimple(_parser.Parser):
    """The `parser` resource: the streaming parser of `csv-simple`."""

    def __init__(self, format: str, options) -> None:
        # The WIT constructor cannot fail, and an exception here would trap the instance (a
        # failed job, counted towards quarantine): keep the reason, and return it as Err from
        # the first push or finish.
        self.refus = None
        self.separateur = ";"
        self.tampon = b""  # the bytes of the line not ended yet
        self.numero = 0  # number of the last line read (1: the header)
        if format != FORMAT:
            self.refus = f"format non pris en charge (formats : {FORMAT})"
        for cle, valeur in options:
            if self.refus:
                break
            if cle != "separateur":
                self.refus = "option inconnue (options : separateur)"
            elif len(valeur) != 1 or valeur in "\r\n":
                self.refus = "option separateur : un seul caractère attendu"
            else:
                self.separateur = valeur
        if self.refus:
            log.log(log.Level.WARN, self.refus)
        else:
            # stdout is captured by the host (import report, `dude plugin check`)
            print(f"exemple-py : analyseur {FORMAT} prêt", flush=True)

    def _entete(self) -> str:
        return "en-tête attendu : " + self.separateur.join(COLONNES)

    def _ligne(self, ligne: bytes, lot: Batch) -> None:
        """One line, without its `\\n`."""
        self.numero += 1
        n = self.numero
        if ligne.endswith(b"\r"):
            ligne = ligne[:-1]
        if n == 1:
            entete = ligne[len(BOM):] if ligne.startswith(BOM) else ligne
            colonnes = [c.strip().lower() for c in entete.decode("utf-8", "replace").split(self.separateur)]
            if colonnes != COLONNES:
                raise Err(self._entete())
            return

        # one error per line, with the column's name and no value from the file
        def erreur(field, message: str) -> None:
            lot.errors.append(RowError(record_number=n, field=field, message=message))

        try:
            texte = ligne.decode("utf-8")
        except UnicodeDecodeError:
            return erreur(None, "ligne non UTF-8")
        if not texte.strip():
            return
        champs = [c.strip() for c in texte.split(self.separateur)]
        if len(champs) != len(COLONNES):
            return erreur(None, f"{len(champs)} champs au lieu de {len(COLONNES)}")
        nir, nom, prenom, date = champs
        if not nom:
            erreur("nom", "nom manquant")
        elif not prenom:
            erreur("prenom", "prénom manquant")
        elif not date_valide(date):
            erreur("date_naissance", "date AAAA-MM-JJ attendue")
        else:
            identite = Identite(civilite=None, nom=nom, nom_naissance=None, prenom=prenom, date_naissance=date,
                                sexe=None, nationalite=None, nir=nir or None)
            lot.personnes.append(Personne(numero=n, identite=identite, contact=None, rsa=None,
                                          orientation=None, accompagnement=None, parcours=None))

    def push(self, chunk: bytes) -> Batch:
        return self._appel(self._push, chunk)

    def finish(self) -> Batch:
        return self._appel(self._finish)

    def _appel(self, f, *args) -> Batch:
        """The constructor's refusal, else f; an unexpected exception becomes Err (uncaught,
        it would trap), named by its type only (its message could carry file data)."""
        if self.refus:
            raise Err(self.refus)
        try:
            return f(*args)
        except Err:
            raise
        except Exception as e:
            raise Err(f"erreur interne de l'adaptateur ({type(e).__name__})")

    def _push(self, chunk: bytes) -> Batch:
        lot = Batch(personnes=[], errors=[])
        fin = chunk.rfind(b"\n")
        if fin < 0:
            self.tampon += chunk
            return lot
        # the lines this chunk ends; its bytes after the last `\n` wait for the next one
        lignes, self.tampon = self.tampon + chunk[:fin], chunk[fin + 1:]
        for ligne in lignes.split(b"\n"):
            self._ligne(ligne, lot)
        return lot

    def _finish(self) -> Batch:
        lot = Batch(personnes=[], errors=[])
        if self.tampon:
            reste, self.tampon = self.tampon, b""
            self._ligne(reste, lot)
        if self.numero == 0:
            raise Err("fichier vide : " + self._entete())
        return lot


# The resource class must be `Parser` in a module named after the interface (`parser`).
_module = ModuleType("parser")
_module.Parser = CsvSimple
sys.modules["parser"] = _module
