"""Every page each role can reach, in English and in French, run through axe-core (WCAG 2.1 AA):
no violation of any impact.

The pages come from the URL configuration: the access sweep's table names, for every URL that
takes an object, the roles that may open it; the pages without arguments are listed here. A
named URL neither visited nor excluded (with its reason) fails the first test, so a new page
cannot skip the check. Each role gets one browser context per language.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from intake import services as intake_services
from intake.models import Application
from partners.models import Partner
from portal import roles
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.factories.applications import call_with_questions, fill_in
from tests.qa.test_access_sweep import build_call, targets

from .axe import axe_violations
from .conftest import CSP_LISTENER, TIMEOUT_MS, BrowserProblems

LANGUAGES = ("en", "fr")

# The access sweep's roles, as the people this test logs in.
SWEEP_ROLES = {
    "applicant": "applicant_a",
    "evaluator": "evaluator_assigned",
    "coordinator": "coordinator_a",
    "project_coordinator": "project_coordinator_a",
    "partner": "partner_other_city",
}


@dataclass(frozen=True)
class Visit:
    name: str
    args: object = None  # world -> the URL's arguments
    query: str = ""
    status: int = 200  # after redirects

    def url(self, world):
        return reverse(self.name, args=self.args(world) if self.args else None) + self.query


# Pages without arguments (and the applicant's own draft and submitted applications, which the
# sweep's selected application does not show), by role.
PAGES = {
    "anonymous": [
        Visit("portal:home"),
        Visit("portal:privacy"),
        Visit("intake:call_list"),
        Visit("intake:call_detail", lambda w: [w.open_call.slug]),
        Visit("intake:call_detail", lambda w: [w.a.call.slug]),
        Visit("account_login"),
        Visit("account_signup"),
        Visit("account_reset_password"),
        Visit("account_reset_password_done"),
        Visit("account_reset_password_from_key", lambda w: ["bad", "key"]),
        Visit("account_confirm_email", lambda w: ["no-such-key"]),
        Visit("account_email_verification_sent"),
        Visit("notifications:verify", lambda w: ["NO-SUCH-CODE"], status=404),
        Visit("partners:project_page", lambda w: [w.a.project.slug]),
    ],
    "applicant": [
        Visit("portal:dashboard"),
        Visit("intake:dashboard"),
        Visit("intake:organisation_detail"),
        Visit("intake:organisation_create"),
        Visit("intake:apply", lambda w: [w.open_call.slug]),
        Visit("intake:application_step", lambda w: [w.draft.pk, 1]),
        Visit("intake:application_step", lambda w: [w.draft.pk, 2]),
        Visit("intake:application_step", lambda w: [w.draft.pk, 3]),
        Visit("intake:application_summary", lambda w: [w.draft.pk]),
        Visit("intake:application_submit", lambda w: [w.draft.pk]),
        Visit("intake:application_detail", lambda w: [w.draft.pk]),
        Visit("intake:application_detail", lambda w: [w.submitted.pk]),
        Visit("intake:application_withdraw", lambda w: [w.submitted.pk]),
        Visit("partners:my_partnerships"),
        Visit("portal:profile"),
        Visit("account_email"),
        Visit("account_change_password"),
        Visit("account_logout"),
        Visit("mfa_index"),
        Visit("mfa_activate_totp"),
    ],
    "partner": [
        Visit("partners:my_partnerships"),
        Visit("partners:partner_home", lambda w: [w.other_partner.pk]),
    ],
    "evaluator": [
        Visit("portal:dashboard"),
        Visit("reviews:evaluator_home"),
        Visit("mfa_index"),
        Visit("mfa_view_recovery_codes"),
    ],
    "coordinator": [
        Visit("portal:dashboard"),
        Visit("reviews:coordinator_home"),
        Visit("builder:home"),
        Visit("builder:call_create"),
        Visit("notifications:outbox"),
        Visit("reviews:call_dashboard", lambda w: [w.open_call.slug]),
        Visit("reviews:coordinator_applications", lambda w: [w.open_call.slug]),
        Visit("reviews:screening_list", lambda w: [w.open_call.slug]),
    ],
    "project_coordinator": [
        Visit("portal:dashboard"),
        Visit("reviews:coordinator_home"),
    ],
    "administrator": [
        Visit("privacy:everyone"),
        Visit("privacy:person", lambda w: [w.a.applicant.pk]),
        Visit("notifications:outbox"),
        Visit("reviews:coordinator_home"),
        Visit("mfa_generate_recovery_codes"),
        Visit("mfa_deactivate_totp"),
    ],
}

# Named URLs no role visits here, and why.
NOT_PAGES = {
    "portal:healthz": "a plain-text health check",
    "notifications:progress": "an htmx fragment of the outbox page, checked there",
    "reviews:robustness_progress": "an htmx fragment of the sensitivity page, checked there",
    "notifications:message_html": "an email's HTML body, shown in a sandboxed frame of the message page",
    "intake:document_download": "a file download",
    "intake:issued_document_download": "a file download",
    "reviews:export_download": "a file download",
    "partners:agreement_download": "a file download",
    "partners:signed_agreement_download": "a file download",
    "partners:logo_download": "a file download",
    "partners:public_logo": "an image",
    "partners:project_map": "an SVG image, drawn in the project page (which gives its text equivalent)",
    "partners:certificate_download": "a file download",
    "partners:participant_export": "a file download",
    "partners:participation_export": "a file download",
    "partners:sign_in_sheet": "a PDF",
    "privacy:call_person_export": "a file download",
    "privacy:person_export": "a file download",
    "intake:invitation_accept": "a token link; its page is the login or sign-up page, checked anonymously",
    "set_language": "answers a POST with a redirect",
    "account_inactive": "allauth's page for deactivated accounts, which the portal does not deactivate",
    "account_set_password": "allauth sends accounts with a password to the change page",
    "account_reauthenticate": "reached only from a page that asks again; the same form as the login",
    "account_request_reauthentication_code": "login by code is off",
    "account_confirm_reauthentication_code": "login by code is off",
    "account_confirm_login_code": "login by code is off",
    "account_reset_password_from_key_done": "shown once after a reset; the same layout as the reset pages",
    "mfa_reauthenticate": "reached only from a page that asks again",
    "mfa_download_recovery_codes": "a text file",
    "builder:message_preview": "an email or a PDF letter shown in the builder's frame",
}

# Pages checked as a refused form leaves them (see check_refusals).
AFTER_A_REFUSAL = {"account_login", "mfa_authenticate", "intake:application_step"}

# A page answering one of these after its redirects is not the page the name promises.
NON_HTML = ("application/", "image/", "text/plain", "text/csv")


def sweep_pages(role):
    """The access sweep's pages (GET) that ``role`` may open, minus the downloads."""
    sweep_role = SWEEP_ROLES.get(role)
    if sweep_role is None:
        return []
    # The project's coordinators see the call's pages as its coordinator does: checked once.
    seen = SWEEP_ROLES["coordinator"] if role == "project_coordinator" else None
    return [
        Visit(name, lambda w, name=name: targets(w.a)[name][0])
        for name, (_args, allowed, methods) in targets_shape().items()
        if methods == "get" and sweep_role in allowed and seen not in allowed and name not in NOT_PAGES
    ]


def targets_shape():
    """The sweep's table read with placeholder objects: names, roles and methods only."""

    class Anything:
        pk = 1
        slug = "x"

        def __getattr__(self, name):
            return Anything()

        def days(self):
            return [Anything()]

        def isoformat(self):
            return "2026-01-01"

    return targets(Anything())


def visits(role):
    return sweep_pages(role) + PAGES.get(role, [])


def named_urls():
    found = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return found


def test_every_page_is_checked_or_excluded_with_a_reason():
    visited = {visit.name for role in PAGES.keys() | SWEEP_ROLES.keys() for visit in visits(role)}
    visited |= AFTER_A_REFUSAL
    # Pages that only answer POST show nothing to check; the sweep's table says which.
    post_only = {name for name, (_a, _r, methods) in targets_shape().items() if methods == "post"}
    assert named_urls() - visited - NOT_PAGES.keys() - post_only == set()
    assert visited & NOT_PAGES.keys() == set()


def build_world():
    roles.ensure_groups()
    a = build_call("A")
    # An open call where city A has a draft and a neighbouring city it also acts for has
    # submitted its application.
    open_call = call_with_questions()
    open_call.coordinators.add(a.coordinator)
    draft, _ = intake_services.start_application(open_call, a.organisation, by=a.applicant)
    other = a.other_application.organisation
    MembershipFactory(user=a.applicant, organisation=other)
    submitted, _ = intake_services.start_application(open_call, other, by=a.applicant)
    fill_in(submitted, by=a.applicant)
    intake_services.submit_application(
        Application.objects.get(pk=submitted.pk), a.applicant, declaration=True, privacy_accepted=True
    )
    RecoveryCodes.activate(a.cleared)
    administrator = UserFactory(verified=True, is_staff=True, is_superuser=True)
    people = {
        "anonymous": None,
        "applicant": a.applicant,
        "evaluator": a.cleared,
        "coordinator": a.coordinator,
        "project_coordinator": a.project_coordinator,
        "partner": a.partner_other_city,
        "administrator": administrator,
    }
    other_partner = Partner.objects.get(organisation__members=a.partner_other_city)
    return SimpleNamespace(
        a=a, open_call=open_call, draft=draft, submitted=submitted, other_partner=other_partner, people=people
    )


def browser_context(browser, live_server, user, language, problems):
    """A context speaking ``language`` and logged in as ``user`` (its session made by Django)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        timezone_id="Europe/Brussels",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_binding("__portalCspViolation", lambda _source, v: problems.csp_violations.append(v))
    context.add_init_script(CSP_LISTENER)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    if user is not None:
        logged_in(context, user, live_server.url)
    return context


def logged_in(context, user, url):
    """Gives the browser ``user``'s session, made by Django (as after a login with the code)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])


def check_pages(browser, live_server, world, role):
    """What is wrong with every page of ``role``, in both languages: ``{page: [problems]}``."""
    problems = BrowserProblems()
    found = {}
    for language in LANGUAGES:
        user = world.people[role]
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
        context = browser_context(browser, live_server, user, language, problems)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
        for visit in visits(role):
            url = visit.url(world)
            response = page.goto(url)
            where = f"{role} {language} {visit.name} {url}"
            content_type = response.headers.get("content-type", "")
            if response.status != visit.status or content_type.startswith(NON_HTML):
                found[where] = [f"answered {response.status} {content_type} at {page.url}"]
            elif page.locator("html").get_attribute("lang") != language:
                found[where] = [f"not in {language}"]
            else:
                found[where] = axe_violations(page)
        context.close()
    if problems:
        found[f"{role} browser"] = problems.report().splitlines()
    return found


def check_refusals(browser, live_server, world):
    """The pages a refused form leaves on screen: a wrong password, a staff login's code step,
    an application step whose save was refused."""
    problems = BrowserProblems()
    found = {}
    for language in LANGUAGES:
        context = browser_context(browser, live_server, None, language, problems)
        page = context.new_page()
        for password, where in (
            ("not the password", "account_login refused"),
            (DEFAULT_PASSWORD, "mfa_authenticate"),
        ):
            page.goto(reverse("account_login"))
            page.locator("input[name=login]").fill(world.a.coordinator.email)
            page.locator("input[name=password]").fill(password)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            found[f"anonymous {language} {where} {page.url}"] = axe_violations(page)
        context.close()
        context = browser_context(browser, live_server, world.a.applicant, language, problems)
        page = context.new_page()
        page.goto(reverse("intake:application_step", args=[world.draft.pk, 1]))
        page.locator("[name=q_officers]").fill("999999")
        page.locator(".step-actions button[value=save]").click()
        page.locator("#error-summary").wait_for()
        found[f"applicant {language} application_step refused {page.url}"] = axe_violations(page)
        context.close()
    if problems:
        found["refusals browser"] = problems.report().splitlines()
    return found


def test_every_page_of_every_role_has_no_axe_violation(browser, live_server, transactional_db):
    world = build_world()
    found = {}
    for role in PAGES:
        found.update(check_pages(browser, live_server, world, role))
    found.update(check_refusals(browser, live_server, world))
    print(f"\naxe on {len(found)} pages (role, language, page):")
    for where, violations in found.items():
        print(f"  {len(violations)} {where}")
    failing = {where: violations for where, violations in found.items() if violations}
    assert not failing, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in failing.items())
