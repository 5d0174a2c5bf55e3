//! The APIs measured: the five of seed 002 annex 2 §1, DUDE's accompagnement global, and
//! the resources of France Travail's live API that have no seed-named twin.

use crate::dossier::codes::coded_enum;

coded_enum!(
    /// An API of the partner interface.
    Api, "API" {
        RechercheUsager => ("recherche-usager", "API Recherche usager"),
        StatutUsager => ("statut-usager", "API Statut usager"),
        DiagnosticIndividu => ("diagnostic-individu", "API Diagnostic individu"),
        MetiersProjets => ("metiers-projets", "API Métiers recherchés et projets d'évolution"),
        CreationEntreprise => ("creation-entreprise", "API Création, reprise ou franchise entreprise"),
        AccompagnementGlobal => ("accompagnement-global", "API Accompagnement global"),
        InformationsAdministratives => ("informations-administratives", "API Informations administratives"),
        DonneesRqth => ("donnees-rqth", "API Données RQTH"),
        OrientationUsager => ("orientation-usager", "API Orientation usager"),
        RendezVousPartenaire => ("rendez-vous-partenaire", "API Rendez-vous partenaire"),
    }
);
