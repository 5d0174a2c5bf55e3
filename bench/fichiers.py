#!/usr/bin/env python3
"""Partner files of any size for the import benchmark (bench/run-imports.sh).

    fichiers.py stock N out.csv      the 77's stock CSV (cd-files `stock-csv`): people 0..N-1
    fichiers.py flux N out.xml       a CAF/MSA flux (cd-files `flux-rsa-xml`, windows-1252):
                                     people N/2..3N/2-1, one foyer each — the first half
                                     already in the stock (their right, address and
                                     orientation change), the second half new

Every person lives in the 77 and receives the RSA. Their NIRs are born abroad (99 + a
country code), which the demo's people never are, so the files' people are theirs alone.
"""
import sys


def personne(i):
    """NIR (15 characters), date of birth (d, m, yyyy), sex (1/2)."""
    yy, mm = 60 + i % 40, 1 + (i // 40) % 12
    pays, ordre = 101 + (i // 480) % 899, 1 + (i // 431520) % 999
    sexe = 1 + i % 2
    corps = f"{sexe}{yy:02d}{mm:02d}99{pays:03d}{ordre:03d}"
    cle = 97 - int(corps) % 97
    return f"{corps}{cle:02d}", (1 + i % 28, mm, 1900 + yy), sexe


def stock(n, out):
    out.write(
        "Civilité;Nom;Prénom;Date de naissance;NIR;Demandeur ou conjoint;Téléphone;Adresse;Code postal;"
        "Ville;Date d'entrée RSA;Code organisme;Numéro allocataire CAF/MSA;Type de parcours;Structure;"
        "Date d'orientation\n"
    )
    for i in range(n):
        nir, (j, m, a), sexe = personne(i)
        civ = "M" if sexe == 1 else "MME"
        out.write(
            f"{civ};NOM{i};Prénom{i % 997};{j:02d}/{m:02d}/{a};{nir};demandeur;06{i % 10**8:08d};"
            f"{1 + i % 90} rue de la Gare;77000;Melun;01/02/2024;CAF;{i % 10**7:07d};socioprofessionnel;"
            f"Pôle insertion;15/02/2024\n"
        )


ENTETE = """<?xml version="1.0" encoding="windows-1252"?>
<Racine xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="vrsb0801.xsd">
<IdentificationFlux><APPLIEME>CRI</APPLIEME><NUMVERSIONAPPLIEME>6200</NUMVERSIONAPPLIEME><TYPEFLUX>M</TYPEFLUX><NATFLUX>D</NATFLUX><DTCREAFLUX>2026-11-05</DTCREAFLUX><HEUCREAFLUX>01:12:08.0000</HEUCREAFLUX><DTREF>2026-10-31</DTREF></IdentificationFlux>
"""

FOYER = """<InfosFoyerRSA>
\t<IdentificationRSA>
\t\t<Organisme><FONORG>{org}</FONORG><NUMORG>771</NUMORG><MATRICULE>77{i:013d}</MATRICULE></Organisme>
\t\t<Partenaire><TYPEPARTE>CG </TYPEPARTE><IDEPARTE>077</IDEPARTE></Partenaire>
\t\t<DemandeRSA><DTDEMRSA>2024-01-15</DTDEMRSA><NUMDEMRSA>077{i:08d}</NUMDEMRSA></DemandeRSA>
\t</IdentificationRSA>
\t<Personne>
\t\t<Identification><QUAL>{qual}</QUAL><NOM>NOM{i}</NOM><NOMNAI>NOM{i}</NOMNAI><PRENOM>PRENOM{p}</PRENOM><DTNAI>{a}-{m:02d}-{j:02d}</DTNAI><TYPEDTNAI>N</TYPEDTNAI><NIR>{nir13}</NIR><TOPVALIEC>1</TOPVALIEC><SEXE>{sexe}</SEXE></Identification>
\t\t<DossierCAF><TOPRESPDOS>1</TOPRESPDOS><DDRATDOS>2024-01-01</DDRATDOS></DossierCAF>
\t\t<Prestations><NATPREST>RSA</NATPREST><ROLEPERS>DEM</ROLEPERS><TOPCHAPERS>1</TOPCHAPERS></Prestations>
\t\t<MontantCalculDroitRSAPersonne><TOPPERSDRODEVORSA>1</TOPPERSDRODEVORSA></MontantCalculDroitRSAPersonne>
\t</Personne>
\t<DonneesAdministratives>
\t\t<SituationFamille><SITFAM>CEL</SITFAM><DDSITFAM>2010-01-01</DDSITFAM></SituationFamille>
\t\t<Adresse>
\t\t\t<TroncCommunAdresse><RGADR>01</RGADR><DTEMM>2024-01-01</DTEMM><PAYS>FRA</PAYS><TYPEADR>D</TYPEADR><ETATADR>CO</ETATADR></TroncCommunAdresse>
\t\t\t<AdresseDetailleeFrance><NUMVOIE>{voie}</NUMVOIE><LIBTYPEVOIE>AV</LIBTYPEVOIE><NOMVOIE>DE LA RESISTANCE</NOMVOIE><NUMCOM>77288</NUMCOM><CODEPOS>77100</CODEPOS><NOMCOM>MEAUX</NOMCOM></AdresseDetailleeFrance>
\t\t</Adresse>
\t</DonneesAdministratives>
\t<PrestationRSA>
\t\t<SituationDossierRSA><EtatDossierRSA><ETATDOSRSA>2</ETATDOSRSA></EtatDossierRSA></SituationDossierRSA>
\t\t<DetailDroitRSA><TroncCommunDroitRSA><TOPSANSDOMFIXE>0</TOPSANSDOMFIXE><ORIDEMRSA>DEM</ORIDEMRSA><DTORIDEMRSA>2024-01-15</DTORIDEMRSA></TroncCommunDroitRSA></DetailDroitRSA>
\t</PrestationRSA>
</InfosFoyerRSA>
"""


def flux(n, out):
    out.write(ENTETE)
    for i in range(n // 2, n // 2 + n):
        nir, (j, m, a), sexe = personne(i)
        out.write(
            FOYER.format(
                org="CAF" if i % 10 else "MSA",
                i=i,
                qual="MR" if sexe == 1 else "MME",
                p=i % 997,
                a=a,
                m=m,
                j=j,
                nir13=nir[:13],
                sexe=sexe,
                voie=1 + i % 120,
            )
        )
    out.write("</Racine>\n")


if __name__ == "__main__":
    quoi, n, chemin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    encodage = "utf-8" if quoi == "stock" else "cp1252"
    with open(chemin, "w", encoding=encodage, newline="\n", buffering=1 << 20) as f:
        {"stock": stock, "flux": flux}[quoi](n, f)
