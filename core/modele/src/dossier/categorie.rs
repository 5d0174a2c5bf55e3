//! Data categories of the dossier: the unit of habilitation, of storage and of provenance.

use super::codes::coded_enum;

coded_enum!(
    /// A data category (seed 000 §3, seed 002 annex 3, seed 004 annex 1).
    Categorie, "catégorie de données" {
        Identite => ("identite", "Identité"),
        Nir => ("nir", "NIR"),
        Contact => ("contact", "Coordonnées et résidence"),
        Inscription => ("inscription", "Inscription et statut"),
        Indemnisation => ("indemnisation", "Indemnisation"),
        Rsa => ("rsa", "Revenu de solidarité active"),
        Orientation => ("orientation", "Orientation"),
        Diagnostic => ("diagnostic", "Diagnostic"),
        Contraintes => ("contraintes", "Contraintes personnelles"),
        PouvoirAgir => ("pouvoir_agir", "Pouvoir d'agir"),
        MetiersRecherches => ("metiers_recherches", "Métiers recherchés"),
        ProjetsCreation => ("projets_creation", "Projets de création, reprise ou franchise"),
        AccompagnementGlobal => ("accompagnement", "Accompagnement (dont global)"),
        ContactsEchanges => ("echanges", "Contacts et échanges"),
        RendezVous => ("rendez_vous", "Rendez-vous du parcours"),
    }
);
