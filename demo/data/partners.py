"""The demo's partnership of PACTESUR 2: consortium, project team, onboarding checklist, the
programme of activities and where the cities are. Fictitious demo data: the programme's dates
are shifted so that it lies ahead of today, keeping the real order and durations."""

from partners.models import ActivityKind, Eligibility, ItemKind

# (name EN, name FR, city, country, coordinates the project, website, latitude, longitude)
CONSORTIUM = [
    ("Efus – European Forum for Urban Security", "Efus – Forum européen pour la sécurité urbaine",
     "Paris", "FR", True, "https://efus.eu/", 48.8566, 2.3522),
    ("Association of Municipalities of Piedmont (ANCI Piemonte)", "Association des communes du Piémont (ANCI Piemonte)",
     "Turin", "IT", False, "", 45.0703, 7.6869),
    ("City of Liège", "Ville de Liège", "Liège", "BE", False, "", 50.6326, 5.5797),
    ("City of Madrid", "Ville de Madrid", "Madrid", "ES", False, "", 40.4168, -3.7038),
    ("City of Nice", "Ville de Nice", "Nice", "FR", False, "", 43.7102, 7.2620),
    ("City of Turin", "Ville de Turin", "Turin", "IT", False, "", 45.0703, 7.6869),
]  # fmt: skip

# (name, role EN, role FR, email, phone)
CONTACTS = [
    ("Claire Demo", "Project manager", "Cheffe de projet", "claire.demo@demo.example", "+33 1 00 00 00 01"),
    ("Marco Demo", "Project officer, activities and travel", "Chargé de mission, activités et voyages",
     "marco.demo@demo.example", "+33 1 00 00 00 02"),
]  # fmt: skip

# (kind, title EN, title FR, help EN, help FR)
CHECKLIST = [
    (ItemKind.AGREEMENT, "Sign the partnership agreement", "Signer la convention de partenariat",
     "Download the agreement with your city's details, have it signed and upload the signed copy.",
     "Téléchargez la convention aux coordonnées de votre ville, faites-la signer et déposez la copie signée."),
    (ItemKind.FOCAL_POINTS, "Name a focal point and a deputy", "Désigner un point focal et un suppléant",
     "The people the project team writes to about everything: name, role, email, phone, languages.",
     "Les personnes à qui l'équipe du projet écrit pour tout : nom, fonction, e-mail, téléphone, langues."),
    (ItemKind.POLICE_CONTACT, "Name the police contact", "Désigner le contact police",
     "The officer who coordinates your police's part in the activities.",
     "L'agent qui coordonne la participation de votre police aux activités."),
    (ItemKind.DATA_PROTECTION, "Confirm the data-protection notice for participants",
     "Confirmer la notice de protection des données des participants",
     "Read the notice and confirm that you will inform the people you nominate.",
     "Lisez la notice et confirmez que vous en informerez les personnes que vous désignez."),
    (ItemKind.PUBLIC_LISTING, "Name and logo for the project's public pages",
     "Nom et logo pour les pages publiques du projet",
     "Tell us whether, and how, your city may appear on the project's public pages.",
     "Dites-nous si, et comment, votre ville peut figurer sur les pages publiques du projet."),
]  # fmt: skip

# The programme: (kind, title EN, title FR, host city, country, time zone, venue,
# days after the first activity starts, duration in days, seats per partner, eligibility)
PROGRAMME = [
    (ActivityKind.OTHER, "Kick-off meeting", "Réunion de lancement", "Paris", "FR", "Europe/Paris",
     "Efus, 10 rue des Montiboeufs", 0, 2, 2, Eligibility.ANYONE),
    (ActivityKind.OFFICER_EXCHANGE, "Officer exchange at the Nice Carnival", "Échange d'agents au Carnaval de Nice",
     "Nice", "FR", "Europe/Paris", "Place Masséna", 150, 3, 1, Eligibility.POLICE_ONLY),
    (ActivityKind.POLICE_ACADEMY, "Police academy in Nice", "Académie de police à Nice", "Nice", "FR",
     "Europe/Paris", "Municipal police training centre", 200, 4, 2, Eligibility.POLICE_ONLY),
    (ActivityKind.OFFICER_EXCHANGE, "Officer exchange at the Giro d'Italia", "Échange d'agents au Giro d'Italia",
     "Turin", "IT", "Europe/Rome", "Piazza Castello", 250, 3, 1, Eligibility.POLICE_ONLY),
    (ActivityKind.OFFICER_EXCHANGE, "Officer exchange at Madrid Pride", "Échange d'agents à la Marche des fiertés de Madrid",
     "Madrid", "ES", "Europe/Madrid", "Plaza de Cibeles", 300, 3, 1, Eligibility.POLICE_ONLY),
    (ActivityKind.OFFICER_EXCHANGE, "Officer exchange at Les Ardentes", "Échange d'agents aux Ardentes",
     "Liège", "BE", "Europe/Brussels", "Parc Astrid, Coronmeuse", 310, 3, 1, Eligibility.POLICE_ONLY),
    (ActivityKind.WORKSHOP, "Workshop on public–private security cooperation, Liège",
     "Atelier sur la coopération de sécurité publique–privée, Liège", "Liège", "BE", "Europe/Brussels",
     "Palais des Congrès", 380, 2, 2, Eligibility.STAFF_ONLY),
    (ActivityKind.ANNUAL_MEETING, "Annual meeting, Liège", "Réunion annuelle, Liège", "Liège", "BE",
     "Europe/Brussels", "Palais des Congrès", 382, 1, 2, Eligibility.ANYONE),
    (ActivityKind.POLICE_ACADEMY, "Police academy in Madrid", "Académie de police à Madrid", "Madrid", "ES",
     "Europe/Madrid", "Academia de Policía Municipal", 420, 4, 2, Eligibility.POLICE_ONLY),
    (ActivityKind.POLICE_ACADEMY, "Police academy in Turin", "Académie de police à Turin", "Turin", "IT",
     "Europe/Rome", "Scuola di Polizia Locale", 520, 4, 2, Eligibility.POLICE_ONLY),
    (ActivityKind.WORKSHOP, "Workshop on public–private security cooperation, Nice",
     "Atelier sur la coopération de sécurité publique–privée, Nice", "Nice", "FR", "Europe/Paris",
     "Centre universitaire méditerranéen", 600, 2, 2, Eligibility.STAFF_ONLY),
    (ActivityKind.ANNUAL_MEETING, "Annual meeting, Nice", "Réunion annuelle, Nice", "Nice", "FR",
     "Europe/Paris", "Centre universitaire méditerranéen", 602, 1, 2, Eligibility.ANYONE),
    (ActivityKind.FINAL_EVENT, "Final event in Brussels", "Événement final à Bruxelles", "Brussels", "BE",
     "Europe/Brussels", "Residence Palace", 680, 2, 2, Eligibility.ANYONE),
]  # fmt: skip

FICTITIOUS = " (Fictitious demo data: the dates are illustrative.)"
FICTITIOUS_FR = " (Données de démonstration fictives : les dates sont indicatives.)"

# Where the demo's candidate cities are (latitude, longitude), for the public map.
CITY_COORDINATES = {
    "Bologna": (44.4949, 11.3426), "Florence": (43.7696, 11.2558), "Genoa": (44.4056, 8.9463),
    "Naples": (40.8518, 14.2681), "Valencia": (39.4699, -0.3763), "Bilbao": (43.2630, -2.9350),
    "Xàbia": (38.7896, 0.1661), "Seville": (37.3891, -5.9845), "Gdańsk": (54.3520, 18.6466),
    "Wrocław": (51.1079, 17.0385), "Poznań": (52.4064, 16.9252), "Kraków": (50.0647, 19.9450),
    "Strasbourg": (48.5734, 7.7521), "Bordeaux": (44.8378, -0.5792), "Leipzig": (51.3397, 12.3731),
    "Düsseldorf": (51.2277, 6.7735), "Ghent": (51.0543, 3.7174), "Brussels": (50.8503, 4.3517),
    "Lisbon": (38.7223, -9.1393), "Kordelió-Évosmos": (40.6773, 22.9096), "Thessaloniki": (40.6401, 22.9444),
    "Budapest": (47.4979, 19.0402), "Riga": (56.9496, 24.1052), "Tallinn": (59.4370, 24.7536),
    "Vilnius": (54.6872, 25.2797), "Vienna": (48.2082, 16.3738), "Rotterdam": (51.9244, 4.4777),
    "Cluj-Napoca": (46.7712, 23.6236), "Ljubljana": (46.0569, 14.5058), "Zagreb": (45.8150, 15.9819),
    "Malmö": (55.6050, 13.0038), "Helsinki": (60.1699, 24.9384), "Brno": (49.1951, 16.6068),
    "Cork": (51.8985, -8.4756), "Esch-sur-Alzette": (49.4958, 5.9806), "Bratislava": (48.1486, 17.1077),
}  # fmt: skip

# Demo participants' first and last names (fictitious), drawn in turn.
FIRST_NAMES = ["Anna", "Luca", "Marta", "Jonas", "Sofia", "Pieter", "Elena", "Tomás", "Ines", "Mateo", "Nora"]
LAST_NAMES = ["Demo", "Example", "Sample", "Testa", "Probe"]
