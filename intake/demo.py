"""Fictitious demo data for the intake app: the PACTESUR 2 call and its candidate cities.

``seed_intake_demo()`` is idempotent: every row is found by its natural key (call slug,
section order, question key, email address, organisation name and country) and an
application is built — answers, documents, status changes — only when it does not
exist yet, so a second run changes nothing.

The questions are an ILLUSTRATIVE set, not the official PACTESUR 2 form.
"""

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portal import roles
from portal.models import User

from . import services
from .models import (
    Application,
    Call,
    FaqEntry,
    Organisation,
    OrganisationKind,
    Question,
    QuestionKind,
    Section,
    default_eligible_countries,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo logins
DEMO_DOMAIN = "demo.example"
CALL_SLUG = "pactesur-2"
FICTITIOUS = "Fictitious demo data"

COORDINATOR_EMAIL = f"coordinator@{DEMO_DOMAIN}"
EVALUATOR_EMAILS = [f"evaluator{n}@{DEMO_DOMAIN}" for n in (1, 2, 3)]

# Staff log in with two factors. The demo's staff accounts come with an authenticator set up
# from these published, fictitious secrets (base32), so ``manage.py demo_code EMAIL`` can say
# the current code. They exist only here: no real account ever has one of them.
DEMO_TOTP_SECRETS = {
    COORDINATOR_EMAIL: "DEMOTOTPCOORDINATORFICTITIOUSAAA",
    EVALUATOR_EMAILS[0]: "DEMOTOTPEVALUATORONEFICTITIOUSAA",
    EVALUATOR_EMAILS[1]: "DEMOTOTPEVALUATORTWOFICTITIOUSAA",
    EVALUATOR_EMAILS[2]: "DEMOTOTPEVALUATORTHREEFICTITIOUS",
}

# ---------------------------------------------------------------------------------------
# The call's texts
# ---------------------------------------------------------------------------------------

CALL_TEXTS = {
    "title_en": "PACTESUR 2 – call for associated cities",
    "title_fr": "PACTESUR 2 – appel à villes associées",
    "summary_en": (
        "Fictitious demo data: this call, its cities, people and applications are generated to "
        "show the portal. European cities are invited to express their interest in becoming one "
        "of the 11 associated cities of PACTESUR 2, a project on the protection of public spaces "
        "funded by the EU Internal Security Fund – Police."
    ),
    "summary_fr": (
        "Données de démonstration fictives : cet appel, ses villes, ses personnes et ses "
        "candidatures sont générés pour présenter le portail. Les villes européennes sont invitées "
        "à manifester leur intérêt pour devenir l'une des 11 villes associées de PACTESUR 2, un "
        "projet sur la protection des espaces publics financé par le Fonds pour la sécurité "
        "intérieure – Police de l'Union européenne."
    ),
    "description_en": (
        "PACTESUR 2 helps European cities protect their public spaces — squares, streets, "
        "markets, stations and the large events they host — while keeping them open and "
        "welcoming. It builds on cooperation between local authorities, police forces and "
        "private security actors.\n\n"
        "The 11 associated cities take part in:\n"
        "- three police academies, in Nice, Madrid and Turin, where local police officers train "
        "together on the protection of public spaces;\n"
        "- two workshops on public–private security cooperation, in Liège and Nice;\n"
        "- a final event in Brussels presenting the project's results.\n\n"
        "Travel and accommodation for the activities are covered by the project, which is funded "
        "by the European Union's Internal Security Fund – Police.\n\n"
        "The questions of this demo call are illustrative: they are not the official PACTESUR 2 "
        "application form."
    ),
    "description_fr": (
        "PACTESUR 2 aide les villes européennes à protéger leurs espaces publics — places, rues, "
        "marchés, gares et les grands événements qu'ils accueillent — tout en les gardant ouverts "
        "et accueillants. Le projet s'appuie sur la coopération entre les autorités locales, les "
        "forces de police et les acteurs de la sécurité privée.\n\n"
        "Les 11 villes associées participent à :\n"
        "- trois académies de police, à Nice, Madrid et Turin, où des policiers municipaux se "
        "forment ensemble à la protection des espaces publics ;\n"
        "- deux ateliers sur la coopération public–privé en matière de sécurité, à Liège et à Nice ;\n"
        "- un événement final à Bruxelles présentant les résultats du projet.\n\n"
        "Les frais de voyage et d'hébergement sont pris en charge par le projet, financé par le "
        "Fonds pour la sécurité intérieure – Police de l'Union européenne.\n\n"
        "Les questions de cet appel de démonstration sont indicatives : ce n'est pas le "
        "formulaire officiel de PACTESUR 2."
    ),
    "eligibility_en": (
        "Local and regional authorities — municipalities, metropolitan or regional authorities, "
        "local police bodies and other public bodies — of the EU Member States taking part in the "
        "Internal Security Fund – Police (all Member States except Denmark) may apply.\n\n"
        "Each city commits to send officers to the three police academies and to attend the two "
        "workshops, and provides a letter of commitment signed by its mayor or equivalent.\n\n"
        "At most one city per country is selected; a reserve list of five cities is kept."
    ),
    "eligibility_fr": (
        "Peuvent candidater les autorités locales et régionales — communes, autorités "
        "métropolitaines ou régionales, polices locales et autres organismes publics — des États "
        "membres de l'UE participant au Fonds pour la sécurité intérieure – Police (tous sauf le "
        "Danemark).\n\n"
        "Chaque ville s'engage à envoyer des agents aux trois académies de police et à participer "
        "aux deux ateliers, et fournit une lettre d'engagement signée par son maire ou "
        "équivalent.\n\n"
        "Une ville au plus est retenue par pays ; une liste de réserve de cinq villes est établie."
    ),
    "how_to_apply_en": (
        "1. Create an account with your work email address and confirm it.\n"
        "2. Register your city (its official name, country and type).\n"
        "3. Fill in the application step by step: every step is saved, and you may come back as "
        "often as you need before the deadline. Colleagues you invite can work on it with you.\n"
        "4. Upload the letter of commitment signed by the mayor or equivalent, and any annexes.\n"
        "5. Check the summary and submit. You receive a reference number and a confirmation "
        "email.\n\n"
        "The deadline is enforced to the second, in Brussels time."
    ),
    "how_to_apply_fr": (
        "1. Créez un compte avec votre adresse électronique professionnelle et confirmez-la.\n"
        "2. Enregistrez votre ville (nom officiel, pays et type).\n"
        "3. Remplissez la candidature étape par étape : chaque étape est enregistrée et vous "
        "pouvez revenir autant de fois que nécessaire avant la date limite. Les collègues que "
        "vous invitez peuvent y travailler avec vous.\n"
        "4. Déposez la lettre d'engagement signée par le maire ou équivalent, et vos annexes.\n"
        "5. Vérifiez le récapitulatif et soumettez. Vous recevez un numéro de référence et un "
        "courriel de confirmation.\n\n"
        "La date limite est appliquée à la seconde près, heure de Bruxelles."
    ),
    # What the decision letters say (the signatory is a fictitious person).
    "project_name": "PACTESUR 2",
    "associated_role_en": (
        "the three police academies, in Nice, Madrid and Turin, where the local police officers "
        "your city designates train with their peers on protecting public spaces;\n"
        "the public–private security workshops in Liège and Nice, bringing together local "
        "authorities, private security providers and event organisers;\n"
        "the project's final event in Brussels, where the associated cities present what they "
        "have put in place."
    ),
    "associated_role_fr": (
        "les trois académies de police, à Nice, Madrid et Turin, où les agents de police "
        "municipale désignés par votre ville se forment avec leurs pairs à la protection des "
        "espaces publics ;\n"
        "les ateliers sur la sécurité public-privé à Liège et à Nice, qui réunissent autorités "
        "locales, prestataires de sécurité privée et organisateurs d'événements ;\n"
        "l'événement final du projet à Bruxelles, où les villes associées présentent ce "
        "qu'elles ont mis en place."
    ),
    "signatory_name": "Claire Fontaine (fictitious demo signatory)",
    "signatory_role_en": "Executive Director",
    "signatory_role_fr": "Directrice exécutive",
}

FAQ = [
    (
        "Who can apply?",
        "Qui peut candidater ?",
        "Municipalities, metropolitan or regional authorities, local police bodies and other public "
        "bodies of the EU Member States taking part in the Internal Security Fund – Police, that is "
        "every Member State except Denmark.",
        "Les communes, autorités métropolitaines ou régionales, polices locales et autres organismes "
        "publics des États membres participant au Fonds pour la sécurité intérieure – Police, "
        "c'est-à-dire tous les États membres sauf le Danemark.",
    ),
    (
        "Does it cost the city anything?",
        "La participation coûte-t-elle quelque chose à la ville ?",
        "The project covers travel and accommodation for the police academies, the workshops and "
        "the final event. The city contributes the working time of its staff.",
        "Le projet prend en charge les voyages et l'hébergement pour les académies de police, les "
        "ateliers et l'événement final. La ville contribue par le temps de travail de son personnel.",
    ),
    (
        "Can several colleagues work on one application?",
        "Plusieurs collègues peuvent-ils travailler sur une candidature ?",
        "Yes. The person who registers the city can invite colleagues by email. If two people edit "
        "the same answer at once, the portal keeps both texts and asks the later one to check.",
        "Oui. La personne qui enregistre la ville peut inviter ses collègues par courriel. Si deux "
        "personnes modifient la même réponse en même temps, le portail conserve les deux textes et "
        "demande à la seconde de vérifier.",
    ),
    (
        "Who must sign the letter of commitment?",
        "Qui doit signer la lettre d'engagement ?",
        "The mayor or the person legally entitled to commit the city. A scanned signed letter in PDF "
        "is fine.",
        "Le maire ou la personne habilitée à engager la ville. Une lettre signée et numérisée en PDF "
        "convient.",
    ),
    (
        "In which language should we answer?",
        "Dans quelle langue faut-il répondre ?",
        "In English or French. The project's activities are held in English.",
        "En anglais ou en français. Les activités du projet se déroulent en anglais.",
    ),
    (
        "How many cities are selected per country?",
        "Combien de villes sont retenues par pays ?",
        "At most one. Eleven cities are selected and five more are kept on a reserve list.",
        "Une au plus. Onze villes sont retenues et cinq autres sont placées sur une liste de réserve.",
    ),
    (
        "Can we change our application after submitting it?",
        "Peut-on modifier la candidature après l'avoir soumise ?",
        "No, a submitted application is read-only. Until the review starts you may withdraw it; "
        "before the deadline you may then apply again with a new application.",
        "Non, une candidature soumise n'est plus modifiable. Tant que l'évaluation n'a pas commencé, "
        "vous pouvez la retirer.",
    ),
    (
        "Is this the official PACTESUR 2 call?",
        "Est-ce l'appel officiel de PACTESUR 2 ?",
        "No. This is fictitious demo data; its questions are illustrative.",
        "Non. Ce sont des données de démonstration fictives ; les questions sont indicatives.",
    ),
]

# ---------------------------------------------------------------------------------------
# Sections and questions (illustrative)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Q:
    key: str
    kind: str
    label_en: str
    label_fr: str
    help_en: str = ""
    help_fr: str = ""
    required: bool = True
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: list = field(default_factory=list)
    max_files: int = 1


CEFR_LEVELS = [
    {"value": level, "label_en": f"{level} – {en}", "label_fr": f"{level} – {fr}"}
    for level, en, fr in [
        ("A1", "beginner", "débutant"),
        ("A2", "elementary", "élémentaire"),
        ("B1", "intermediate", "intermédiaire"),
        ("B2", "upper intermediate", "intermédiaire avancé"),
        ("C1", "advanced", "avancé"),
        ("C2", "proficient", "maîtrise"),
    ]
]

EVENT_KINDS = [
    {"value": value, "label_en": en, "label_fr": fr}
    for value, en, fr in [
        ("sports", "Sports events", "Événements sportifs"),
        ("concerts", "Concerts and festivals", "Concerts et festivals"),
        ("markets", "Christmas and seasonal markets", "Marchés de Noël et saisonniers"),
        ("parades", "Parades, carnivals and processions", "Défilés, carnavals et processions"),
        ("commemorations", "Commemorations and official ceremonies", "Commémorations et cérémonies"),
        ("demonstrations", "Demonstrations", "Manifestations"),
        ("fairs", "Trade fairs and congresses", "Foires et congrès"),
    ]
]

SECTIONS = [
    (
        ("Motivation", "Motivation"),
        (
            "Why your city wants to join PACTESUR 2.",
            "Pourquoi votre ville souhaite rejoindre PACTESUR 2.",
        ),
        [
            Q(
                "motivation",
                QuestionKind.LONG_TEXT,
                "Why does your city want to become an associated city of PACTESUR 2?",
                "Pourquoi votre ville souhaite-t-elle devenir ville associée de PACTESUR 2 ?",
                "What do you expect from the project, and what would change for your city?",
                "Qu'attendez-vous du projet, et qu'est-ce que cela changerait pour votre ville ?",
                max_length=3000,
            ),
        ],
    ),
    (
        ("Public spaces in your city", "Les espaces publics de votre ville"),
        ("Your challenges and what you already do.", "Vos défis et ce que vous faites déjà."),
        [
            Q(
                "challenges",
                QuestionKind.LONG_TEXT,
                "What are your city's main public-space security challenges?",
                "Quels sont les principaux défis de sécurité des espaces publics de votre ville ?",
                "For example crowded squares, transport hubs, markets, vehicle attacks, crowd management.",
                "Par exemple places très fréquentées, pôles de transport, marchés, attaques au véhicule, "
                "gestion des foules.",
                max_length=3000,
            ),
            Q(
                "current_practices",
                QuestionKind.LONG_TEXT,
                "How do you protect public spaces and large events today?",
                "Comment protégez-vous aujourd'hui les espaces publics et les grands événements ?",
                "Planning, physical protection, coordination with national police, training.",
                "Planification, protections physiques, coordination avec la police nationale, formation.",
                max_length=3000,
            ),
            Q(
                "public_private_cooperation",
                QuestionKind.LONG_TEXT,
                "What experience does your city have of public–private security cooperation?",
                "Quelle expérience votre ville a-t-elle de la coopération public–privé en matière de "
                "sécurité ?",
                "With private security companies, event organisers, shopping centres, transport operators.",
                "Avec des sociétés de sécurité privée, des organisateurs d'événements, des centres "
                "commerciaux, des opérateurs de transport.",
                max_length=2000,
            ),
            Q(
                "police_officers",
                QuestionKind.NUMBER,
                "How many local or municipal police officers does your city employ?",
                "Combien de policiers locaux ou municipaux votre ville emploie-t-elle ?",
                "Enter 0 if your city has no local police of its own.",
                "Indiquez 0 si votre ville n'a pas de police locale.",
                min_value=0,
                max_value=100000,
            ),
            Q(
                "major_events",
                QuestionKind.MULTIPLE_CHOICE,
                "Which major events does your city host?",
                "Quels grands événements votre ville accueille-t-elle ?",
                "Tick every kind that draws large crowds at least once a year.",
                "Cochez chaque type qui attire de grandes foules au moins une fois par an.",
                choices=EVENT_KINDS,
            ),
            Q(
                "major_events_details",
                QuestionKind.LONG_TEXT,
                "Name the largest of these events and the crowds they draw.",
                "Citez les plus grands de ces événements et leur fréquentation.",
                required=False,
                max_length=1500,
            ),
        ],
    ),
    (
        ("Commitment and exchange", "Engagement et échanges"),
        (
            "What your city commits to and what it can bring to its peers.",
            "Ce à quoi votre ville s'engage et ce qu'elle peut apporter à ses pairs.",
        ),
        [
            Q(
                "commitment",
                QuestionKind.YES_NO,
                "Will your city send officers to the three police academies (Nice, Madrid, Turin) and "
                "attend the two public–private security workshops (Liège, Nice)?",
                "Votre ville enverra-t-elle des agents aux trois académies de police (Nice, Madrid, "
                "Turin) et participera-t-elle aux deux ateliers public–privé (Liège, Nice) ?",
            ),
            Q(
                "share_with_peers",
                QuestionKind.LONG_TEXT,
                "What can your city share with the other cities?",
                "Que votre ville peut-elle partager avec les autres villes ?",
                "A practice, a tool, a site visit, a lesson learned.",
                "Une pratique, un outil, une visite de terrain, un enseignement tiré.",
                max_length=2000,
            ),
            Q(
                "english_level",
                QuestionKind.SINGLE_CHOICE,
                "What is the English level of the staff who would take part?",
                "Quel est le niveau d'anglais des agents qui participeraient ?",
                "Common European Framework of Reference for Languages (CEFR).",
                "Cadre européen commun de référence pour les langues (CECRL).",
                choices=CEFR_LEVELS,
            ),
        ],
    ),
    (
        ("Contact person", "Personne de contact"),
        (
            "The person the project team writes to about this application.",
            "La personne à qui l'équipe du projet écrit au sujet de cette candidature.",
        ),
        [
            Q("contact_name", QuestionKind.SHORT_TEXT, "Name", "Nom", max_length=200),
            Q(
                "contact_role",
                QuestionKind.SHORT_TEXT,
                "Role",
                "Fonction",
                "For example: head of the municipal police, security adviser to the mayor.",
                "Par exemple : chef de la police municipale, conseiller sécurité du maire.",
                max_length=200,
            ),
            Q("contact_email", QuestionKind.SHORT_TEXT, "Email", "Courriel", max_length=254),
            Q(
                "contact_phone",
                QuestionKind.SHORT_TEXT,
                "Phone",
                "Téléphone",
                "With the country code, e.g. +32 2 000 00 00.",
                "Avec l'indicatif du pays, par ex. +32 2 000 00 00.",
                max_length=40,
            ),
        ],
    ),
    (
        ("Documents", "Documents"),
        (
            "PDF, DOCX, ODT, XLSX, PNG or JPEG; at most 10 MB a file.",
            "PDF, DOCX, ODT, XLSX, PNG ou JPEG ; 10 Mo au plus par fichier.",
        ),
        [
            Q(
                "letter_signed_on",
                QuestionKind.DATE,
                "Date the letter of commitment was signed",
                "Date de signature de la lettre d'engagement",
            ),
            Q(
                "commitment_letter",
                QuestionKind.FILE,
                "Letter of commitment signed by the mayor or equivalent",
                "Lettre d'engagement signée par le maire ou équivalent",
                "A scan of the signed letter is fine.",
                "Un scan de la lettre signée convient.",
                max_files=1,
            ),
            Q(
                "annexes",
                QuestionKind.FILE,
                "Annexes",
                "Annexes",
                "Optional: up to five documents that support your application.",
                "Facultatif : jusqu'à cinq documents à l'appui de votre candidature.",
                required=False,
                max_files=5,
            ),
        ],
    ),
]

# ---------------------------------------------------------------------------------------
# People and cities
# ---------------------------------------------------------------------------------------

STAFF = [
    (COORDINATOR_EMAIL, "Claire Demo (coordinator)", roles.COORDINATOR, "fr"),
    (EVALUATOR_EMAILS[0], "Anna Demo (evaluator)", roles.EVALUATOR, "en"),
    (EVALUATOR_EMAILS[1], "Marco Demo (evaluator)", roles.EVALUATOR, "en"),
    (EVALUATOR_EMAILS[2], "Sophie Demo (evaluator)", roles.EVALUATOR, "fr"),
]

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
# Letters that Unicode does not decompose into an ASCII base letter.
_ASCII_FALLBACK = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "ø": "o", "æ": "ae"})


def ascii_slug(name):
    """``Gdańsk`` -> ``gdansk``, ``Kordelió-Évosmos`` -> ``kordelio-evosmos``."""
    return slugify(name.translate(_ASCII_FALLBACK))


def applicant_email(city):
    return f"applicant.{ascii_slug(city)}@{DEMO_DOMAIN}"


# ---------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------


@dataclass
class SeedResult:
    call: Call
    created: dict = field(default_factory=dict)

    def count(self, what):
        self.created[what] = self.created.get(what, 0) + 1


@functools.cache
def demo_password_hash():
    # Hashed once: forty-odd demo accounts share one password, and hashing is slow on purpose.
    return make_password(DEMO_PASSWORD)


def ensure_user(email, full_name, *, role, language="en", result=None, totp_secret=None):
    """A demo person with a verified email address and ``role``; the password is set once,
    and so is the authenticator made from ``totp_secret`` (an account that has one keeps it)."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "language": language}
    )
    if created:
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
        if result:
            result.count("users")
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    roles.grant(user, role)
    if totp_secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, totp_secret)
        RecoveryCodes.activate(user)
    return user


LETTER_FIELDS = [
    "project_name",
    "associated_role_en",
    "associated_role_fr",
    "signatory_name",
    "signatory_role_en",
    "signatory_role_fr",
]


def fill_letter_texts(call):
    """A demo call made before calls carried their letters' texts gets them now."""
    Call.objects.filter(pk=call.pk, project_name="").update(
        **{field: CALL_TEXTS[field] for field in LETTER_FIELDS}
    )


def ensure_call():
    opens = timezone.now() - dt.timedelta(days=14)
    closes_local = (timezone.localtime(timezone.now()) + dt.timedelta(weeks=4)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    call, created = Call.objects.get_or_create(
        slug=CALL_SLUG,
        defaults={
            **CALL_TEXTS,
            "reference_prefix": "PS2",
            "timezone": "Europe/Brussels",
            "opens_at": opens,
            "closes_at": closes_local,
            "places": 11,
            "reserve_size": 5,
            "eligible_countries": default_eligible_countries(),
            "max_per_country": 1,
            "is_published": True,
        },
    )
    fill_letter_texts(call)
    for order, (q_en, q_fr, a_en, a_fr) in enumerate(FAQ, start=1):
        FaqEntry.objects.get_or_create(
            call=call,
            question_en=q_en,
            defaults={"order": order, "question_fr": q_fr, "answer_en": a_en, "answer_fr": a_fr},
        )
    for order, ((title_en, title_fr), (intro_en, intro_fr), questions) in enumerate(SECTIONS, start=1):
        section, _ = Section.objects.get_or_create(
            call=call,
            order=order,
            defaults={"title_en": title_en, "title_fr": title_fr, "intro_en": intro_en, "intro_fr": intro_fr},
        )
        for q_order, q in enumerate(questions, start=1):
            Question.objects.get_or_create(
                section=section,
                key=q.key,
                defaults={
                    "order": q_order,
                    "kind": q.kind,
                    "label_en": q.label_en,
                    "label_fr": q.label_fr,
                    "help_en": q.help_en,
                    "help_fr": q.help_fr,
                    "required": q.required,
                    "max_length": q.max_length,
                    "min_value": q.min_value,
                    "max_value": q.max_value,
                    "choices": q.choices,
                    "max_files": q.max_files,
                },
            )
    return call, created


def demo_answer(question, city, country, population, *, partial=False):
    """A plausible answer for ``question``, or None to leave it empty."""
    key = question.key
    texts = {
        "motivation": (
            f"{city} wants to learn from other European cities how to keep its squares and events open "
            f"and safe, and to train its officers with peers. (Fictitious demo answer.)"
        ),
        "challenges": (
            f"Crowded pedestrian streets in the centre of {city}, a busy railway station and seasonal "
            f"markets that are hard to protect against vehicle attacks. (Fictitious demo answer.)"
        ),
        "current_practices": (
            "A security plan for every large event, temporary barriers, joint briefings with the "
            "national police and video protection in the main squares. (Fictitious demo answer.)"
        ),
        "public_private_cooperation": (
            "Regular meetings with the security staff of shopping centres and event organisers; a "
            "shared radio channel during the summer festival. (Fictitious demo answer.)"
        ),
        "major_events_details": f"The summer festival of {city} draws about 80,000 people over three days.",
        "share_with_peers": (
            "Our crowd-management checklist for open-air events and a site visit of our control "
            "room. (Fictitious demo answer.)"
        ),
        "contact_name": f"Demo contact of {city}",
        "contact_role": "Head of the municipal police",
        "contact_email": applicant_email(city),
        "contact_phone": "+00 000 000 000",
    }
    if partial and question.section.order > 2:
        return None
    if key in texts:
        return texts[key]
    if key == "police_officers":
        return max(10, population // 1500)
    if key == "major_events":
        return ["sports", "concerts", "markets"]
    if key == "commitment":
        return True
    if key == "english_level":
        return "B2"
    if key == "letter_signed_on":
        return (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    return None


def commitment_letter_pdf(city, country):
    """A one-page PDF: the (fictitious) letter of commitment of ``city``."""
    lines = [
        "Letter of commitment - PACTESUR 2",
        "",
        f"The city of {city} ({country}) commits to take part in the activities of PACTESUR 2:",
        "the three police academies in Nice, Madrid and Turin, the two public-private security",
        "workshops in Liege and Nice, and the final event in Brussels.",
        "",
        "Signed: the Mayor",
        "",
        "FICTITIOUS DEMO DATA - this is not a real letter.",
    ]
    return minimal_pdf(lines)


def _pdf_text(text):
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char.translate(_ASCII_FALLBACK))
            encoded += base.encode("ascii", "ignore") or b"?"
    return bytes(encoded).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def minimal_pdf(lines):
    """A valid single-page PDF of text lines in Helvetica; no library needed."""
    content = b"BT /F1 12 Tf 72 770 Td 16 TL " + b" ".join(b"(" + _pdf_text(line) + b") '" for line in lines)
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def create_organisation(applicant, **fields):
    return services.create_organisation(by=applicant, **fields)


def start(call, organisation, applicant):
    return services.start_application(call, organisation, by=applicant)[0]


def save_answers(application, values, applicant):
    """``values`` maps questions to values; saved as the applicant's form would save them."""
    changes = [services.AnswerChange(question, value) for question, value in values.items()]
    services.save_answers(application, changes, by=applicant)


def upload(application, question, content, *, name, by):
    uploaded = SimpleUploadedFile(name, content, "application/pdf")
    return services.add_document(application, question, uploaded, by=by)


def submit(application, by):
    return services.submit_application(application, by, declaration=True, privacy_accepted=True)


def withdraw(application, by):
    return services.withdraw_application(application, by, note="Withdrawn in the demo data.")


def build_application(call, organisation, applicant, plan, *, population):
    """Start the organisation's application, fill it and take it to the state ``plan`` names."""
    application = start(call, organisation, applicant)
    partial = plan == "draft"
    questions = list(Question.objects.filter(section__call=call).select_related("section"))
    values = {}
    for question in questions:
        if question.kind != QuestionKind.FILE:
            value = demo_answer(
                question, organisation.name, organisation.country, population, partial=partial
            )
            if value is not None:
                values[question] = value
    save_answers(application, values, applicant)
    if partial:
        return application
    letter = next(question for question in questions if question.key == "commitment_letter")
    upload(
        application,
        letter,
        commitment_letter_pdf(organisation.name, organisation.country),
        name=f"letter-of-commitment-{ascii_slug(organisation.name)}.pdf",
        by=applicant,
    )
    application = submit(application, applicant)
    if plan == "withdrawn":
        application = withdraw(application, applicant)
    return application


def ensure_city(call, city, country, kind, population, efus_member, plan, result):
    applicant = ensure_user(
        applicant_email(city),
        f"Demo applicant for {city}",
        role=roles.APPLICANT,
        language="fr" if country in FRENCH_SPEAKING else "en",
        result=result,
    )
    organisation = Organisation.objects.filter(name=city, country=country).first()
    if organisation is None:
        organisation = create_organisation(
            applicant,
            name=city,
            country=country,
            kind=kind,
            population=population,
            efus_member=efus_member,
            address=f"{FICTITIOUS}: not the city's real address.",
        )
        result.count("organisations")
    if not Application.objects.filter(call=call, organisation=organisation).exists():
        build_application(call, organisation, applicant, plan, population=population)
        result.count("applications")
    return organisation


def seed_intake_demo():
    """Create (or find) the demo call, its staff and its cities; returns a ``SeedResult``."""
    roles.ensure_groups()
    with transaction.atomic():
        call, created = ensure_call()
        result = SeedResult(call=call)
        if created:
            result.count("calls")
        for email, name, role, language in STAFF:
            user = ensure_user(
                email, name, role=role, language=language, result=result, totp_secret=DEMO_TOTP_SECRETS[email]
            )
            if role == roles.COORDINATOR:
                call.coordinators.add(user)
        for city in CITIES:
            ensure_city(call, *city, result=result)
    return result


def planned_cities(plan):
    """Names of the demo cities whose application the demo takes to ``plan``."""
    return [city for city, *_, city_plan in CITIES if city_plan == plan]


def logins():
    """(role, email) lines to print after seeding."""
    return [
        ("coordinator", COORDINATOR_EMAIL),
        *(("evaluator", email) for email in EVALUATOR_EMAILS),
        ("applicant", applicant_email("Bologna")),
        ("applicant", applicant_email("Gdańsk") + "  (and applicant.<city>@demo.example)"),
    ]
