"""``python -m bench``: run every benchmark on SQLite and (when it answers) PostgreSQL.

Prints a table and writes docs/benchmarks.md. Options: ``--sizes 500,5000``,
``--repeat 20``, ``--no-postgres``, ``--only intake_bench``, ``--output PATH``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import report

BASE_DIR = Path(__file__).resolve().parent.parent
MODULES = (
    "intake_bench",
    "reviews_bench",
    "lists_bench",
    "letters_bench",
    "uncertainty_bench",
    "uploads_bench",
    "builder_bench",
    "partners_bench",
    "privacy_bench",
    "load",
    "weight",
)
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "bench_portal"
# Settings the benchmark decides itself, so a developer's .env or shell cannot skew it.
CLEARED = ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "EMAIL_URL", "PORTAL_STORAGE")


def postgres_admin():
    """A connection to the server's maintenance database, or None when PostgreSQL does not answer."""
    try:
        import psycopg

        return psycopg.connect(
            POSTGRES_SERVER.replace("postgres://", "postgresql://", 1) + "/postgres",
            autocommit=True,
            connect_timeout=3,
        )
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return None


def recreate_postgres(admin):
    admin.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def bench_environment(workdir, **values):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_SETTINGS_MODULE="portal.settings",
        LOG_LEVEL="WARNING",
        **values,
    )
    return env


def collect_static(workdir):
    """The static files as `make setup` collects them, once for every module: pages and
    letters name them by their hashed names."""
    print("== collectstatic (hashed and compressed, as `make setup` does)", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=BASE_DIR,
        env=bench_environment(workdir, PORTAL_VAR_DIR=str(workdir / "var-collectstatic")),
        check=True,
    )


def run_module(module, database, database_url, workdir, sizes, repeat):
    out = workdir / f"{module}-{database}.json"
    env = bench_environment(
        workdir, DATABASE_URL=database_url, PORTAL_VAR_DIR=str(workdir / f"var-{module}-{database}")
    )
    print(f"== {module} on {database} (sizes {sizes}, {repeat} runs each)", flush=True)
    completed = subprocess.run(  # noqa: S603 - our own module, our own interpreter
        [sys.executable, "-m", "bench.worker", module, database, str(out), sizes, str(repeat)],
        cwd=BASE_DIR,
        env=env,
        check=False,
    )
    if completed.returncode != 0:
        print(f"!! {module} on {database} failed (exit {completed.returncode})", file=sys.stderr)
        return None
    return json.loads(out.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="500,5000", help="numbers of applications, comma-separated")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per scenario")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--only", action="append", choices=MODULES, help="run only this module")
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)

    modules = [m for m in (args.only or MODULES) if (BASE_DIR / "bench" / f"{m}.py").exists()]
    admin = None if args.no_postgres else postgres_admin()
    if admin is None and not args.no_postgres:
        print(f"PostgreSQL does not answer at {POSTGRES_SERVER}: SQLite only.", flush=True)

    rows, failures = [], []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        workdir = Path(tmp)
        collect_static(workdir)
        for module in modules:
            databases = [("SQLite", lambda m=module: f"sqlite:///{workdir / f'{m}.sqlite3'}")]
            if admin is not None:
                databases.append(("PostgreSQL", lambda: recreate_postgres(admin)))
            for database, make_url in databases:
                result = run_module(module, database, make_url(), workdir, args.sizes, args.repeat)
                if result is None:
                    failures.append(f"{module} on {database}")
                else:
                    rows += result
    if admin is not None:
        admin.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
        server_version = admin.info.server_version
        admin.close()
    else:
        server_version = None

    rows = report.judge(rows)
    print()
    print(report.table(rows))
    missed = [r for r in rows if not r["ok"]]
    print()
    print(f"{len(rows) - len(missed)} of {len(rows)} measurements meet their target.")
    if rows:
        Path(args.output).write_text(report.markdown(rows, args, failures, server_version))
        print(f"Written to {os.path.relpath(args.output, BASE_DIR)}.")
    if failures:
        print("Failed: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
