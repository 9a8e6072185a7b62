"""Demo evaluation settings: plausible criteria for PACTESUR 2, labelled illustrative."""

from decimal import Decimal

from .models import Criterion, ReviewSettings

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


def seed_review_demo(call):
    """Give ``call`` the illustrative PACTESUR 2 criteria and settings; safe to repeat.

    Weights 25/20/20/20/15, a threshold of 3 out of 5 on each criterion, 60/100 overall,
    tie-breaks in the order of the criteria.
    """
    settings, _created = ReviewSettings.objects.get_or_create(call=call)
    settings.overall_threshold = Decimal(60)
    settings.scale_max = Decimal(5)
    settings.scale_step = Decimal("0.5")
    settings.save()
    criteria = []
    for position, (weight, name_en, name_fr, guidance_en, guidance_fr) in enumerate(PACTESUR_CRITERIA, 1):
        criterion, _created = Criterion.objects.update_or_create(
            call=call,
            name_en=name_en,
            defaults={
                "order": position,
                "name_fr": name_fr,
                "guidance_en": f"{guidance_en}\n\n{ILLUSTRATIVE_EN}",
                "guidance_fr": f"{guidance_fr}\n\n{ILLUSTRATIVE_FR}",
                "weight": Decimal(weight),
                "threshold": Decimal(3),
                "tie_break_priority": position,
            },
        )
        criteria.append(criterion)
    return criteria


def add_demo_evaluators(call, users, *, countries=()):
    """Make ``users`` evaluators of ``call`` (grants the role); safe to repeat.

    ``countries`` gives each evaluator their own country, in order, for the own-country
    conflict rule; languages are left open (any).
    """
    from portal import roles

    from .models import CallEvaluator

    records = []
    for index, user in enumerate(users):
        country = countries[index] if index < len(countries) else ""
        record, _created = CallEvaluator.objects.get_or_create(
            call=call, user=user, defaults={"country": country}
        )
        roles.grant(user, roles.EVALUATOR)
        records.append(record)
    return records
