"""A call with people whose data are everywhere the portal keeps them, and a second call.

Call A is scored (Nice first, then Liège, then Bologna); Jeanne Martin acts for Nice: she
wrote the contact answers about herself, a motivation that names her, uploaded a file
named after her, received emails, invited a colleague and joined as the audit log
recorded. Call B has its own coordinator and city.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from intake.models import Answer, Document, QuestionKind, outbox_scope
from notifications.models import Message, MessageStatus
from portal.audit import record
from tests.factories import MembershipFactory, QuestionFactory, SectionFactory, UserFactory
from tests.factories.selection import scored_call

NAME, EMAIL, PHONE = "Jeanne Martin", "jeanne.martin@nice.example", "+33 4 93 00 00 00"


@dataclass
class World:
    a: object  # ScoredCall
    b: object
    nice: object
    liege: object
    bologna: object
    jeanne: object
    questions: dict


def contact_questions(call):
    section = SectionFactory(call=call, order=9, title_en="Contact person")
    specs = [
        ("contact_name", QuestionKind.SHORT_TEXT, "Name", True),
        ("contact_role", QuestionKind.SHORT_TEXT, "Role", True),
        ("contact_email", QuestionKind.EMAIL, "Email", False),
        ("contact_phone", QuestionKind.PHONE, "Phone", False),
        ("motivation", QuestionKind.LONG_TEXT, "Why does your city apply?", False),
        ("officers", QuestionKind.NUMBER, "Police officers", False),
    ]
    return {
        key: QuestionFactory(section=section, key=key, kind=kind, label_en=label, personal_data=personal)
        for key, kind, label, personal in specs
    }


def answer_contact(
    application, questions, person, *, name, email, phone="+32 2 000 00 00", role="Head of police"
):
    values = {
        "contact_name": name,
        "contact_role": role,
        "contact_email": email,
        "contact_phone": phone,
        "motivation": f"Our squares host markets. {name} leads the team; write to {email}.",
        "officers": 120,
    }
    for key, value in values.items():
        Answer.objects.create(
            application=application, question=questions[key], value=value, updated_by=person
        )


def message(call, to, subject, *, key, status=MessageStatus.SENT, carries_secret=False, body=None):
    return Message.objects.create(
        kind="decision",
        scope=outbox_scope(call.pk) if call else "",
        recipient=to if not isinstance(to, str) else None,
        to_email=to if isinstance(to, str) else to.email,
        subject=subject,
        body_text=body or f"Dear {NAME}, this is about your application.",
        body_html=f"<p>Dear {NAME}</p>",
        status=status,
        idempotency_key=key,
        carries_secret=carries_secret,
    )


def document(application, question, by, name):
    row = Document(
        application=application,
        question=question,
        original_name=name,
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=by,
    )
    row.file.save("letter", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return row


def build_world():
    a = scored_call(places=1, reserve_size=1)
    nice = a.city("Nice", "FR", (5, 5, 5), (5, 4, 4))
    liege = a.city("Liège", "BE", (3, 3, 3), (4, 4, 4))
    bologna = a.city("Bologna", "IT", (4, 3, 3), (3, 3, 3))
    questions = contact_questions(a.call)
    jeanne = MembershipFactory(organisation=nice.organisation, user__full_name=NAME, user__email=EMAIL).user
    answer_contact(nice, questions, jeanne, name=NAME, email=EMAIL, phone=PHONE)
    for application in (liege, bologna):
        member = application.organisation.memberships.first().user
        answer_contact(application, questions, member, name=member.full_name, email=member.email)
    letter = QuestionFactory(section=questions["motivation"].section, key="letter", kind=QuestionKind.FILE)
    document(nice, letter, jeanne, f"Letter signed by {NAME}.pdf")
    message(a.call, jeanne, "Your application to the call", key=f"application:{nice.pk}:submitted")
    message(None, jeanne, "Reset your password", key="account:reset:1", carries_secret=True)
    record(
        jeanne, "organisation.invitation_sent", nice.organisation, after={"email": "colleague@nice.example"}
    )
    record(jeanne, "organisation.member_joined", nice.organisation, after={"user": EMAIL})
    record(a.coordinator, "application.submitted", nice, after={"status": "submitted"}, note=f"Called {NAME}")

    b = scored_call(places=1, reserve_size=1)
    b.city("Gdańsk", "PL", (4, 4, 4), (4, 4, 4))
    return World(a=a, b=b, nice=nice, liege=liege, bologna=bologna, jeanne=jeanne, questions=questions)


def administrator():
    return UserFactory(is_superuser=True, is_staff=True, full_name="Ada Admin")
