"""Data migrations of intake: what was stored before comes through whole."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def before_projects():
    apps = migrate([("intake", "0003_invitation_token_digest")])
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_calls_move_under_the_project_their_letters_name(before_projects):
    Call = before_projects.get_model("intake", "Call")
    now = timezone.now()
    common = {"opens_at": now - dt.timedelta(days=9), "closes_at": now, "reference_prefix": "PS"}
    first = Call.objects.create(slug="first", title_en="First call", project_name="PACTESUR 2", **common)
    second = Call.objects.create(slug="second", title_en="Second call", project_name="PACTESUR 2", **common)
    other = Call.objects.create(slug="other", title_en="A call of its own", project_name="", **common)

    apps = migrate([("intake", "0004_projects")])
    Call = apps.get_model("intake", "Call")
    calls = {call.slug: call for call in Call.objects.select_related("project")}
    assert calls["first"].project == calls["second"].project
    assert calls["first"].project.acronym == "PACTESUR 2"
    assert calls["other"].project.title_en == "A call of its own"
    assert calls["first"].project.funding_statement_en == first.funding_statement_en
    assert {c.pk for c in calls.values()} == {first.pk, second.pk, other.pk}


def test_invitation_links_already_sent_keep_working():
    apps = migrate([("intake", "0002_call_letter_texts")])
    Invitation = apps.get_model("intake", "Invitation")
    token = "a" * 64
    Invitation.objects.create(
        email="x@example.org", token=token, expires_at=timezone.now() + dt.timedelta(days=3)
    )

    apps = migrate([("intake", "0003_invitation_token_digest")])
    invitation = apps.get_model("intake", "Invitation").objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_contact_persons_questions_already_in_use_hold_personal_data():
    apps = migrate([("intake", "0009_question_wording_file_types_message_texts")])
    Project, Call = apps.get_model("intake", "Project"), apps.get_model("intake", "Call")
    Section, Question = apps.get_model("intake", "Section"), apps.get_model("intake", "Question")
    now = timezone.now()
    project = Project.objects.create(slug="p", acronym="P", title_en="P")
    call = Call.objects.create(
        project=project, slug="c", title_en="C", reference_prefix="C", opens_at=now, closes_at=now
    )
    section = Section.objects.create(call=call, title_en="Contact")
    for key, kind in [
        ("contact_name", "short_text"),
        ("contact_role", "short_text"),
        ("contact_letter", "file"),
        ("motivation", "long_text"),
    ]:
        Question.objects.create(section=section, key=key, kind=kind, label_en=key)

    apps = migrate([("intake", "0010_personal_data_and_contact_retention")])
    flagged = apps.get_model("intake", "Question").objects.filter(personal_data=True)
    assert sorted(flagged.values_list("key", flat=True)) == ["contact_name", "contact_role"]
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
