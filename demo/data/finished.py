"""The closed demo call: its cities, experts, consensus scores and timeline (in days ago)."""

from dataclasses import dataclass

from intake.models import (
    OrganisationKind,
)

FINISHED_SLUG = "pactesur-2-closed"


FINISHED_PREFIX = "PS2C"


FINISHED_SEED = 20260918  # the automatic assignment's seed, shown in the audit log


FINISHED_TEXTS = {
    "title_en": "PACTESUR 2 – call for associated cities (closed demo call)",
    "title_fr": "PACTESUR 2 – appel à villes associées (appel de démonstration clos)",
    "summary_en": (
        "Fictitious demo data: a closed copy of the PACTESUR 2 call, with every review done and "
        "the selection of the 11 associated cities and the reserve list final, to show the "
        "evaluation and the selection from start to end."
    ),
    "summary_fr": (
        "Données de démonstration fictives : une copie close de l'appel PACTESUR 2, dont toutes "
        "les évaluations sont faites et la sélection des 11 villes associées et la liste de "
        "réserve arrêtées, pour présenter l'évaluation et la sélection de bout en bout."
    ),
}


# Partners of the project cannot apply (illustrative list, fictitious demo data).
FINISHED_CONSORTIUM = ["Liège"]


# The three demo evaluators' own countries on this call, then the external experts.
FINISHED_EVALUATOR_COUNTRIES = ("FR", "BE", "IT")


FINISHED_EXPERTS = [
    ("expert.es@demo.example", "Elena Demo (external expert)", "ES"),
    ("expert.pl@demo.example", "Piotr Demo (external expert)", "PL"),
    ("expert.de@demo.example", "Jonas Demo (external expert)", "DE"),
]
# Fictitious authenticator secrets of the experts, like DEMO_TOTP_SECRETS.
EXPERT_TOTP_SECRETS = {
    "expert.es@demo.example": "DEMOTOTPEXPERTSPAINFICTITIOUSAAA",
    "expert.pl@demo.example": "DEMOTOTPEXPERTPOLANDFICTITIOUSAA",
    "expert.de@demo.example": "DEMOTOTPEXPERTGERMANYFICTITIOUSA",
}


@dataclass(frozen=True)
class DemoCity:
    name: str
    country: str
    kind: str
    population: int
    efus_member: bool
    quality: float  # the level the reviews score around, on the 0-5 scale
    plan: str = "in_review"  # or "withdrawn", "ineligible"
    ineligible_reason: str = ""
    disagreement: float = 0.0  # one evaluator scores this much higher (or lower) on every criterion


def finished_cities():
    muni, metro, police = (
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.METROPOLITAN_REGIONAL,
        OrganisationKind.LOCAL_POLICE,
    )
    return [
        DemoCity("Bologna", "IT", muni, 390000, True, 4.4),
        DemoCity("Florence", "IT", muni, 360000, True, 4.1),
        DemoCity("Genoa", "IT", muni, 560000, True, 3.8),
        DemoCity("Naples", "IT", police, 910000, False, 3.6, disagreement=-1.25),
        DemoCity("Valencia", "ES", muni, 800000, True, 4.3),
        DemoCity("Bilbao", "ES", police, 346000, False, 4.0),
        DemoCity("Xàbia", "ES", muni, 29000, True, 3.4),
        DemoCity("Seville", "ES", muni, 680000, False, 3.1),
        DemoCity("Gdańsk", "PL", muni, 486000, True, 4.2),
        DemoCity("Wrocław", "PL", muni, 674000, False, 3.8),
        DemoCity("Poznań", "PL", muni, 540000, False, 3.0),
        DemoCity("Kraków", "PL", muni, 800000, False, 3.9, plan="withdrawn"),
        DemoCity("Strasbourg", "FR", metro, 290000, True, 3.9),
        DemoCity("Bordeaux", "FR", muni, 260000, True, 3.1),
        DemoCity("Leipzig", "DE", muni, 620000, True, 4.0),
        DemoCity("Düsseldorf", "DE", muni, 630000, False, 3.5),
        DemoCity("Ghent", "BE", police, 265000, False, 3.7, disagreement=-1.25),
        DemoCity("Brussels", "BE", muni, 196000, True, 3.3),
        DemoCity(
            "Liège",
            "BE",
            muni,
            197000,
            True,
            3.8,
            plan="ineligible",
            ineligible_reason="Liège is a partner of the project consortium and cannot be an associated "
            "city. (Fictitious demo data.)",
        ),
        DemoCity("Lisbon", "PT", muni, 545000, True, 4.0),
        DemoCity("Kordelió-Évosmos", "GR", muni, 101000, True, 3.6),
        DemoCity("Thessaloniki", "GR", muni, 319000, False, 2.6),
        DemoCity("Budapest", "HU", muni, 1700000, False, 3.2),
        DemoCity("Riga", "LV", muni, 605000, True, 3.8),
        DemoCity("Tallinn", "EE", muni, 454000, False, 2.8),
        DemoCity("Vilnius", "LT", muni, 590000, True, 3.7),
        DemoCity("Vienna", "AT", metro, 2000000, False, 3.4, disagreement=1.25),
        DemoCity("Rotterdam", "NL", muni, 670000, True, 4.1),
        DemoCity("Cluj-Napoca", "RO", muni, 290000, False, 3.0),
        DemoCity("Ljubljana", "SI", muni, 295000, False, 3.75),
        DemoCity("Zagreb", "HR", muni, 767000, False, 2.7),
        DemoCity("Malmö", "SE", muni, 360000, False, 3.9),
        DemoCity("Helsinki", "FI", muni, 675000, False, 3.3),
        DemoCity("Brno", "CZ", muni, 400000, False, 2.9),
        DemoCity("Cork", "IE", muni, 225000, False, 3.1, disagreement=1.25),
        DemoCity("Esch-sur-Alzette", "LU", muni, 37000, True, 3.6),
        DemoCity("Bratislava", "SK", muni, 475000, False, 2.5),
        DemoCity(
            "Aarhus",
            "DK",
            muni,
            360000,
            False,
            3.7,
            plan="ineligible",
            ineligible_reason="Denmark does not take part in the Internal Security Fund – Police, so "
            "Danish cities cannot be funded by the project. (Fictitious demo data.)",
        ),
    ]


# Consensus scores the coordinator sets after discussing a disagreement: (city, criterion
# position, justification).
FINISHED_CONSENSUS = [
    (
        "Ghent",
        2,
        "Discussed with the three evaluators: the city's practices are well documented in the annex "
        "the harsher review had not opened; agreed on the middle score. (Fictitious demo data.)",
    ),
    (
        "Ghent",
        4,
        "The signed commitment names two officers for every academy; the low score read an earlier "
        "draft. Agreed after a call with the evaluators. (Fictitious demo data.)",
    ),
    (
        "Vienna",
        3,
        "The public–private cooperation described concerns the regional government, not the city; "
        "the evaluators agreed the generous score overstated it. (Fictitious demo data.)",
    ),
]


# Days before today when each phase happened (fictional times, Europe/Brussels).
DAYS_OPENED = 120


DAYS_SUBMISSIONS = (100, 71)  # first and last day of the submissions


DAYS_CLOSED = 70


DAYS_SCREENED = 67


DAYS_ASSIGNED = 65


DAYS_REVIEWS = (62, 50)


DAYS_REOPENED = 48


DAYS_REVIEW_DEADLINE = 42


DAYS_CONSENSUS = 38


DAYS_FINALISED = 30


DAYS_DECLINED = 16
