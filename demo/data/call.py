"""The demo's project and its PACTESUR 2 call: texts, FAQ, sections and questions (illustrative)."""

import datetime as dt
from dataclasses import dataclass, field

from intake.models import (
    QuestionKind,
)

CALL_SLUG = "pactesur-2"


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
    personal_data: bool = False


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
            Q("contact_name", QuestionKind.SHORT_TEXT, "Name", "Nom", max_length=200, personal_data=True),
            Q(
                "contact_role",
                QuestionKind.SHORT_TEXT,
                "Role",
                "Fonction",
                "For example: head of the municipal police, security adviser to the mayor.",
                "Par exemple : chef de la police municipale, conseiller sécurité du maire.",
                max_length=200,
                personal_data=True,
            ),
            Q("contact_email", QuestionKind.EMAIL, "Email", "Courriel"),
            Q(
                "contact_phone",
                QuestionKind.PHONE,
                "Phone",
                "Téléphone",
                "With the country code, e.g. +32 2 000 00 00.",
                "Avec l'indicatif du pays, par ex. +32 2 000 00 00.",
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


LETTER_FIELDS = [
    "project_name",
    "associated_role_en",
    "associated_role_fr",
    "signatory_name",
    "signatory_role_en",
    "signatory_role_fr",
]


PROJECT_SLUG = "pactesur-2"


PROJECT = {
    "acronym": "PACTESUR 2",
    "title_en": "PACTESUR 2: protecting public spaces through public–private security cooperation",
    "title_fr": "PACTESUR 2 : protéger les espaces publics par la coopération de sécurité publique–privée",
    "summary_en": (
        "European cities, their police forces and private security actors work together to protect "
        "public spaces and large events: police academies, officer exchanges, workshops and a final "
        "event in Brussels."
    ),
    "summary_fr": (
        "Des villes européennes, leurs polices et les acteurs de la sécurité privée travaillent ensemble "
        "à protéger les espaces publics et les grands événements : académies de police, échanges "
        "d'agents, ateliers et un événement final à Bruxelles."
    ),
    "objectives_en": (
        "Train local police officers in the protection of public spaces.\n"
        "Strengthen cooperation between public authorities and private security providers.\n"
        "Share practices among European cities through exchanges at major events."
    ),
    "objectives_fr": (
        "Former les policiers municipaux à la protection des espaces publics.\n"
        "Renforcer la coopération entre autorités publiques et acteurs de la sécurité privée.\n"
        "Partager les pratiques entre villes européennes lors d'échanges sur de grands événements."
    ),
    "starts_on": dt.date(2023, 9, 1),
    "ends_on": dt.date(2025, 8, 31),
    "funding_programme_en": "Internal Security Fund – Police (ISF-P)",
    "funding_programme_fr": "Fonds pour la sécurité intérieure – Police (FSI-P)",
    "funding_statement_en": "Funded by the European Union's Internal Security Fund – Police.",
    "funding_statement_fr": (
        "Financé par le Fonds pour la sécurité intérieure – Police de l'Union européenne."
    ),
    "website": "https://efus.eu/",
    "contact_email": "pactesur@demo.example",
    "is_public": True,
}
