"""One benchmark module on one database, in a process of its own.

``python -m bench.worker MODULE DATABASE OUT SIZES REPEAT``: the database comes from
DATABASE_URL like the portal's and is empty (the parent process creates it); the rows
are written to OUT as JSON.
"""

import importlib
import json
import os
import sys


def main(module_name, database, out, sizes, repeat):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    module = importlib.import_module(f"bench.{module_name}")
    rows = module.run(database=database, sizes=[int(size) for size in sizes.split(",")], repeat=int(repeat))
    with open(out, "w") as handle:
        json.dump(rows, handle)


if __name__ == "__main__":
    main(*sys.argv[1:6])
