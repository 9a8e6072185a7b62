"""Tasks are published by the names they declare, so a renamed function never silently
stops the work, and every name the portal publishes or schedules belongs to a task."""

import importlib
import inspect

from django.conf import settings

from portal.celery import app

PUBLISHED_NAMES = [
    ("notifications.services", "DELIVER_TASK"),
    ("notifications.services", "SWEEP_TASK"),
    ("intake.receipts", "RECEIPT_TASK"),
    ("intake.reminders", "REMINDER_TASK"),
    ("reviews.letters", "LETTER_TASK"),
    ("reviews.reminders", "REMINDER_TASK"),
    ("reviews.robustness", "ESTIMATE_TASK"),
    ("partners.documents", "CERTIFICATE_TASK"),
    ("partners.reminders", "REMINDER_TASK"),
    ("partners.services.privacy", "ANONYMISE_TASK"),
    ("privacy.retention", "ANONYMISE_TASK"),
]

PACKAGES = ("intake", "reviews", "notifications", "partners", "privacy")


def our_tasks():
    for package in PACKAGES:
        importlib.import_module(f"{package}.tasks")
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in PACKAGES}


def test_every_task_declares_the_name_of_its_module_and_function():
    tasks = our_tasks()
    assert len(tasks) >= 10
    for name, task in tasks.items():
        function = task.run
        assert name == f"{function.__module__}.{function.__name__}", name


def test_every_name_the_portal_publishes_or_schedules_is_a_task():
    tasks = our_tasks()
    for module, constant in PUBLISHED_NAMES:
        assert getattr(importlib.import_module(module), constant) in tasks, (module, constant)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks, entry["task"]


def test_tasks_take_keyword_arguments_that_name_what_they_load():
    for name, task in our_tasks().items():
        for parameter in inspect.signature(task.run).parameters.values():
            assert parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY), name
            assert parameter.name.endswith("_id") or parameter.default is not parameter.empty, (
                name,
                parameter,
            )
