"""Reference numbers: ``PS2-2026-0007``, unique for every call that shares the prefix.

On PostgreSQL each prefix has a database sequence: taking a number locks nothing, so cities
submitting to one call at the same second are never queued behind each other's submission.
A number taken by a submission that then fails is not reused (a gap, never a duplicate).
SQLite runs one writing transaction at a time, so the largest number so far plus one is
safe there.
"""

import hashlib

from django.db import connection, transaction
from django.db.models import Max

from .models import Application


def sequence_name(prefix):
    # Prefixes are typed by coordinators: the name is made of a digest, never of the text.
    return "intake_reference_" + hashlib.sha256(prefix.encode()).hexdigest()[:24]


def next_number(prefix):
    """The next free number of ``prefix``, inside the caller's transaction."""
    if connection.vendor != "postgresql":
        return _largest_number(prefix) + 1
    name = sequence_name(prefix)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s", [name])
        if cursor.fetchone() is None:
            _create_sequence(cursor, name, prefix)
        cursor.execute("SELECT nextval(%s)", [name])
        number = cursor.fetchone()[0]
        if _is_taken(prefix, number):
            # Numbers were given outside the sequence (applications loaded in bulk): it goes
            # on after the largest one, and the unique constraint stays the last word.
            cursor.execute("SELECT setval(%s, %s)", [name, _largest_number(prefix)])
            cursor.execute("SELECT nextval(%s)", [name])
            number = cursor.fetchone()[0]
        return number


def _create_sequence(cursor, name, prefix):
    """The prefix's first number since sequences came: it goes on from the numbers given."""
    with transaction.atomic():  # a savepoint: another process may create it at the same moment
        start = _largest_number(prefix) + 1
        cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}" START WITH {int(start)}')


def _is_taken(prefix, number):
    return Application.objects.filter(call__reference_prefix=prefix, number=number).exists()


def _largest_number(prefix):
    taken = Application.objects.filter(call__reference_prefix=prefix).aggregate(Max("number"))
    return taken["number__max"] or 0
