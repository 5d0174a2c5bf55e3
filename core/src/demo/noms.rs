//! Word lists of the demo generator (common French names, places, ROME métiers).

pub const NOMS: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEVRE",
    "FAURE",
    "ANDRE",
    "MERCIER",
    "BLANC",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANCOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLEMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "DIALLO",
    "TRAORE",
    "BENALI",
    "NGUYEN",
    "DA SILVA",
    "HAMIDI",
    "KONATE",
    "OLIVEIRA",
    "CAMARA",
    "MEYER",
];

pub const PRENOMS_H: &[&str] = &[
    "Jean",
    "Pierre",
    "Michel",
    "Nicolas",
    "Thomas",
    "Julien",
    "Mohamed",
    "Karim",
    "Kevin",
    "Lucas",
    "Hugo",
    "Mathis",
    "Yanis",
    "Antoine",
    "Sébastien",
    "Mamadou",
    "Christophe",
    "Olivier",
    "David",
    "Rayan",
];

pub const PRENOMS_F: &[&str] = &[
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Sophie", "Julie", "Camille", "Léa", "Manon",
    "Chloé", "Inès", "Fatima", "Aïcha", "Sarah", "Emma", "Laura", "Céline", "Aurélie", "Mélanie",
    "Awa",
];

pub const VOIES: &[&str] = &[
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "place de la Mairie",
    "rue des Écoles",
    "boulevard Gambetta",
    "rue du Moulin",
    "allée des Tilleuls",
    "chemin des Vignes",
    "rue Pasteur",
];

/// Départements of the demo and some of their communes with postcodes.
pub const DEPARTEMENTS: &[(&str, &[(&str, &str)])] = &[
    (
        "77",
        &[
            ("Melun", "77000"),
            ("Meaux", "77100"),
            ("Chelles", "77500"),
            ("Provins", "77160"),
            ("Fontainebleau", "77300"),
        ],
    ),
    (
        "77",
        &[
            ("Torcy", "77200"),
            ("Pontault-Combault", "77340"),
            ("Nemours", "77140"),
        ],
    ),
    (
        "93",
        &[
            ("Saint-Denis", "93200"),
            ("Montreuil", "93100"),
            ("Aubervilliers", "93300"),
            ("Bobigny", "93000"),
        ],
    ),
    (
        "93",
        &[("Aulnay-sous-Bois", "93600"), ("Noisy-le-Grand", "93160")],
    ),
    (
        "75",
        &[("Paris", "75011"), ("Paris", "75018"), ("Paris", "75020")],
    ),
    (
        "13",
        &[
            ("Marseille", "13003"),
            ("Aix-en-Provence", "13100"),
            ("Arles", "13200"),
        ],
    ),
    (
        "59",
        &[
            ("Lille", "59000"),
            ("Roubaix", "59100"),
            ("Dunkerque", "59140"),
        ],
    ),
    (
        "08",
        &[
            ("Charleville-Mézières", "08000"),
            ("Sedan", "08200"),
            ("Rethel", "08300"),
        ],
    ),
    (
        "26",
        &[
            ("Valence", "26000"),
            ("Montélimar", "26200"),
            ("Loriol-sur-Drôme", "26270"),
        ],
    ),
    (
        "61",
        &[
            ("Alençon", "61000"),
            ("Camembert", "61120"),
            ("Argentan", "61200"),
        ],
    ),
    ("2A", &[("Ajaccio", "20000"), ("Porto-Vecchio", "20137")]),
    (
        "974",
        &[("Saint-Denis", "97400"), ("Saint-Pierre", "97410")],
    ),
];

/// ROME code, appellation label, appellation code.
pub const METIERS: &[(&str, &str, &str)] = &[
    (
        "A1101",
        "Conducteur / Conductrice d'engins d'exploitation agricole",
        "11450",
    ),
    (
        "K2204",
        "Agent / Agente de nettoyage en collectivité",
        "12740",
    ),
    ("N1104", "Pontier élingueur / Pontière élingueuse", "38767"),
    ("G1603", "Commis / Commise de cuisine", "12190"),
    ("J1501", "Aide-soignant / Aide-soignante", "10783"),
    (
        "D1106",
        "Vendeur / Vendeuse en alimentation générale",
        "38902",
    ),
    ("N4101", "Conducteur / Conductrice de poids lourd", "12917"),
    ("M1607", "Secrétaire", "38585"),
    (
        "K1303",
        "Assistant maternel / Assistante maternelle",
        "11113",
    ),
    ("F1703", "Maçon / Maçonne", "14521"),
    (
        "I1203",
        "Agent / Agente d'entretien des collectivités",
        "10398",
    ),
    ("N1103", "Préparateur / Préparatrice de commandes", "38769"),
];
