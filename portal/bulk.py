"""Many rows in few statements, for the changes that write thousands at once.

Part of the portal's base: imports no app.
"""

from django.db import connection


def insert_rows(model, field_names, rows):
    """Insert many rows with as few multi-row INSERT statements as the database allows.

    ``bulk_create`` spends most of its time compiling SQL value by value (about 6 s for
    15,000 assignments and their audit events); an automatic run must take well under
    5 s for 5,000 applications. Values go through each field's own database preparation,
    so dates and JSON are stored exactly as the ORM stores them.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    needs_prep = [
        index
        for index, f in enumerate(fields)
        if f.get_internal_type() in ("DateTimeField", "JSONField", "DecimalField")
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    prepared = []
    for row in rows:
        row = list(row)
        for index in needs_prep:
            row[index] = fields[index].get_db_prep_save(row[index], connection)
        prepared.append(row)
    # As few statements as the backend's parameter limit allows (SQLite's is usually
    # 250,000; PostgreSQL has none with client-side binding), so the number of queries
    # of an automatic run does not grow with the number of applications.
    limit = connection.features.max_query_params
    chunk = max(1, limit // len(fields)) if limit else max(1, len(prepared))
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), chunk):
            part = prepared[start : start + chunk]
            values = ", ".join([f"({placeholders})"] * len(part))
            params = [value for row in part for value in row]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608
