"""Checks behind /healthz: can the database and the broker answer right now?"""

from django.db import connection

from .celery import app


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return False, str(error)[:200]
    return True, ""


def broker_ok(timeout=2):

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            _ = conn.default_channel  # opening a channel proves the broker answers
    except Exception as error:  # noqa: BLE001
        return False, str(error)[:200]
    return True, ""
