"""A call's decision letters issued in parallel by a real worker, read back from storage."""

import io

import pytest
from pypdf import PdfReader

from intake.models import Status
from notifications.models import IssuedDocument
from reviews import letters
from reviews.models import Decision, Outcome
from tests.factories import CallFactory
from tests.factories.reviews import InReviewApplicationFactory
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_worker_issues_every_letter_of_a_call(worker, django_capture_on_commit_callbacks):
    call = CallFactory()
    outcomes = [Outcome.SELECTED, Outcome.RESERVE, Outcome.NOT_SELECTED, Outcome.SELECTED]
    decisions = []
    for n, outcome in enumerate(outcomes):
        application = InReviewApplicationFactory(
            call=call, organisation__name=f"City {n}", status=Status.SELECTED
        )
        decisions.append(
            Decision.objects.create(application=application, outcome=outcome, reserve_position=1)
        )

    letters.issue_letters_for_call(call)

    try:
        wait_for(
            lambda: IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() == len(outcomes),
            timeout=60,
            message="every letter",
        )
    except AssertionError as error:
        raise AssertionError(f"{error}\n{worker.log()}") from None
    for decision in decisions:
        document = letters.current_letter(decision.application)
        with document.file.open("rb") as handle:
            content = handle.read()
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert decision.application.organisation.name in text
        assert decision.application.reference in text
        assert "Funded by the European Union's Internal Security Fund – Police" in " ".join(text.split())
        assert b"root:x:0:0" not in content
    assert IssuedDocument.objects.filter(
        kind=letters.LETTER_KIND, subject_key__startswith="application:"
    ).count() == len(decisions)
