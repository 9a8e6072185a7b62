"""The demo's people: staff accounts and the published demo password (fictitious demo data)."""

from portal import roles

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo logins


DEMO_DOMAIN = "demo.example"


FICTITIOUS = "Fictitious demo data"
# In the range the UK regulator keeps for fiction (020 7946 0xxx), stored as the form stores phones.
DEMO_PHONE = "+442079460000"


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


STAFF = [
    (COORDINATOR_EMAIL, "Claire Demo (coordinator)", roles.COORDINATOR, "fr"),
    (EVALUATOR_EMAILS[0], "Anna Demo (evaluator)", roles.EVALUATOR, "en"),
    (EVALUATOR_EMAILS[1], "Marco Demo (evaluator)", roles.EVALUATOR, "en"),
    (EVALUATOR_EMAILS[2], "Sophie Demo (evaluator)", roles.EVALUATOR, "fr"),
]
