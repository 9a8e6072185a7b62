"""The applicant's journey under load: the call page, the dashboard, saving a step, submitting."""

from django.test import Client
from django.urls import reverse

from intake.models import Application, Status

from . import data
from .forms import post_data
from .measure import expect_status, row, timed

SAVE_STEP = 2  # the step with the most questions of the demo call


def run(*, database, sizes, repeat):
    call = data.the_call()
    rows = []
    for size in sizes:
        data.grow_to(call, size)
        rows += measure(call, database=database, size=size, repeat=repeat)
    return rows


def measure(call, *, database, size, repeat):
    anonymous = Client()
    applicant = data.applicant(f"bench.applicant.{size}@bench.example")
    client = Client()
    client.force_login(applicant)
    draft = data.complete_draft(call, applicant, f"Bench applicant city {size}")
    results = []

    def add(scenario, measured):
        median, p90, queries = measured
        results.append(
            row(scenario, database=database, rows=size, median_ms=median, p90_ms=p90, queries=queries)
        )

    call_url = reverse("intake:call_detail", args=[call.slug])
    add("call page", timed(lambda: anonymous.get(call_url), repeat=repeat, check=expect_status(200)))

    dashboard_url = reverse("intake:dashboard")
    add(
        "applicant dashboard",
        timed(lambda: client.get(dashboard_url), repeat=repeat, check=expect_status(200)),
    )

    step_url = reverse("intake:application_step", args=[draft.pk, SAVE_STEP])

    def step_form(i):
        html = client.get(step_url).content.decode()
        form = post_data(html, button=("action", "save"), text=f"Benchmark answer number {i}")
        return (form,)

    add(
        "save a step",
        timed(
            lambda form: client.post(step_url, form),
            repeat=repeat,
            prepare=step_form,
            check=expect_status(302),
        ),
    )

    # Each submission takes a fresh complete draft, prepared outside the timing.
    drafts = [data.complete_draft(call, applicant, f"Bench submitter {size}-{n}") for n in range(repeat + 2)]

    def submit_form(i):
        application = drafts[i]
        submit_url = reverse("intake:application_submit", args=[application.pk])
        return submit_url, post_data(client.get(submit_url).content.decode())

    add(
        "submit",
        timed(
            lambda url, form: client.post(url, form),
            repeat=repeat,
            prepare=submit_form,
            check=expect_status(302),
        ),
    )
    submitted = Application.objects.filter(pk__in=[d.pk for d in drafts], status=Status.SUBMITTED).count()
    if submitted != len(drafts):
        raise AssertionError(f"only {submitted} of {len(drafts)} benchmark submissions went through")
    return results
