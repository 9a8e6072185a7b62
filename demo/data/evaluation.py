"""The demo call's illustrative evaluation criteria."""

ILLUSTRATIVE_EN = "Illustrative criterion for the demo; the real call's criteria are set by Efus."


ILLUSTRATIVE_FR = "Critère donné à titre d'illustration ; les critères de l'appel réel sont fixés par l'Efus."


# (weight, English name, French name, English guidance, French guidance)
PACTESUR_CRITERIA = [
    (
        25,
        "Relevance of the city's challenges to the project",
        "Pertinence des enjeux de la ville pour le projet",
        "How closely the city's public-space security challenges match the project's themes.",
        "Dans quelle mesure les enjeux de sécurité des espaces publics de la ville "
        "correspondent aux thèmes du projet.",
    ),
    (
        20,
        "Experience and practices in protecting public spaces",
        "Expérience et pratiques de protection des espaces publics",
        "Measures, plans and lessons the city already has and can share.",
        "Mesures, plans et enseignements dont la ville dispose déjà et qu'elle peut partager.",
    ),
    (
        20,
        "Public–private cooperation experience and potential",
        "Expérience et potentiel de coopération public–privé",
        "Work with operators of venues, transport, retail and private security, now or planned.",
        "Travail avec les exploitants de lieux, de transports, de commerces et la sécurité privée, "
        "existant ou prévu.",
    ),
    (
        20,
        "Commitment and capacity to take part in the activities",
        "Engagement et capacité à participer aux activités",
        "Staff named for the police academies and workshops, signed commitment, availability.",
        "Personnel désigné pour les académies de police et les ateliers, engagement signé, disponibilité.",
    ),
    (
        15,
        "Added value for exchange and dissemination",
        "Valeur ajoutée pour l'échange et la diffusion",
        "What other cities would learn from this city, and how it would spread the results.",
        "Ce que d'autres villes apprendraient de cette ville, et comment elle diffuserait les résultats.",
    ),
]


CRITERION_ASPECTS = [
    "the city's challenges",
    "its practices in protecting public spaces",
    "its public–private cooperation",
    "its commitment and capacity",
    "its value for exchange with peers",
]
