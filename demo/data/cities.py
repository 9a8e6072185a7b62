"""The candidate cities of the open demo call, with what each one's application becomes."""

from intake.models import (
    OrganisationKind,
)

MUNICIPALITY = OrganisationKind.MUNICIPALITY


METROPOLITAN = OrganisationKind.METROPOLITAN_REGIONAL


LOCAL_POLICE = OrganisationKind.LOCAL_POLICE


# (city, country, kind, population, Efus member, what the demo makes of its application)
# Application plans: "draft", "submitted", "withdrawn"; "in_review" and "ineligible" are
# created submitted here and screened by the reviews app's demo.
CITIES = [
    ("Bologna", "IT", MUNICIPALITY, 390000, True, "submitted"),
    ("Genoa", "IT", MUNICIPALITY, 560000, True, "draft"),
    ("Naples", "IT", LOCAL_POLICE, 910000, False, "submitted"),
    ("Bratislava", "SK", MUNICIPALITY, 475000, False, "submitted"),
    ("Košice", "SK", MUNICIPALITY, 229000, False, "draft"),
    ("Budapest", "HU", MUNICIPALITY, 1700000, False, "in_review"),
    ("Szeged", "HU", MUNICIPALITY, 160000, False, "draft"),
    ("Gdańsk", "PL", MUNICIPALITY, 486000, True, "submitted"),
    ("Kraków", "PL", MUNICIPALITY, 800000, False, "withdrawn"),
    ("Wrocław", "PL", MUNICIPALITY, 674000, False, "draft"),
    ("Kordelió-Évosmos", "GR", MUNICIPALITY, 101000, True, "submitted"),
    ("Thessaloniki", "GR", MUNICIPALITY, 319000, False, "ineligible"),
    ("Lisbon", "PT", MUNICIPALITY, 545000, True, "submitted"),
    ("Porto", "PT", MUNICIPALITY, 232000, False, "draft"),
    ("Riga", "LV", MUNICIPALITY, 605000, True, "in_review"),
    ("Brussels", "BE", MUNICIPALITY, 196000, True, "submitted"),
    ("Ghent", "BE", LOCAL_POLICE, 265000, False, "draft"),
    ("Tallinn", "EE", MUNICIPALITY, 454000, False, "submitted"),
    ("Vilnius", "LT", MUNICIPALITY, 590000, True, "submitted"),
    ("Xàbia", "ES", MUNICIPALITY, 29000, True, "submitted"),
    ("Valencia", "ES", MUNICIPALITY, 800000, True, "draft"),
    ("Bilbao", "ES", LOCAL_POLICE, 346000, False, "in_review"),
    ("Vienna", "AT", METROPOLITAN, 2000000, False, "submitted"),
    ("Graz", "AT", MUNICIPALITY, 300000, False, "draft"),
    ("Sofia", "BG", MUNICIPALITY, 1280000, False, "submitted"),
    ("Zagreb", "HR", MUNICIPALITY, 767000, False, "submitted"),
    ("Split", "HR", MUNICIPALITY, 161000, False, "withdrawn"),
    ("Nicosia", "CY", MUNICIPALITY, 55000, False, "submitted"),
    ("Brno", "CZ", MUNICIPALITY, 400000, False, "submitted"),
    ("Prague", "CZ", METROPOLITAN, 1360000, False, "draft"),
    ("Helsinki", "FI", MUNICIPALITY, 675000, False, "submitted"),
    ("Strasbourg", "FR", METROPOLITAN, 290000, True, "submitted"),
    ("Bordeaux", "FR", MUNICIPALITY, 260000, True, "draft"),
    ("Leipzig", "DE", MUNICIPALITY, 620000, True, "submitted"),
    ("Düsseldorf", "DE", MUNICIPALITY, 630000, False, "in_review"),
    ("Cork", "IE", MUNICIPALITY, 225000, False, "submitted"),
    ("Esch-sur-Alzette", "LU", MUNICIPALITY, 37000, True, "submitted"),
    ("Valletta", "MT", MUNICIPALITY, 6000, False, "ineligible"),
    ("Rotterdam", "NL", MUNICIPALITY, 670000, True, "submitted"),
    ("Utrecht", "NL", MUNICIPALITY, 370000, False, "withdrawn"),
    ("Cluj-Napoca", "RO", MUNICIPALITY, 290000, False, "submitted"),
    ("Ljubljana", "SI", MUNICIPALITY, 295000, False, "submitted"),
    ("Malmö", "SE", MUNICIPALITY, 360000, False, "draft"),
]


FRENCH_SPEAKING = {"FR", "BE", "LU"}


def planned_cities(plan):
    """Names of the demo cities whose application the demo takes to ``plan``."""
    return [city for city, *_, city_plan in CITIES if city_plan == plan]
