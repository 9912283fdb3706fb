"""``python -m bench``: seed, run W1-W9, print ``RESULT`` lines, a table and JSON.

Nothing Django is imported before the database is chosen: the settings read ``DATABASE_URL``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
SCALE_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_scale"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9")
SCALE_WORKLOADS = ("W1", "W2", "W7")

DESCRIPTION = """Benchmarks of the GraphQL API against hand-written Django views (docs/PERFORMANCE.md).

W1 favorites page, W2 insights totals of 100 videos (beside it, each engine executing the
same page alone), W3 100 items x 14 scalar fields, W4 32 concurrent writers on PostgreSQL,
W5 { me { id } }, W6 8 concurrent writers on SQLite, W7 a page 10,000 items deep against the
first page, W8 the following feed, W9 the For You feed. Each prints `RESULT <id> key=value ...`;
a table follows, and the JSON record goes to bench/results/ (or stdout with --json)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small data and few rounds: under 3 minutes")
    size.add_argument(
        "--scale",
        action="store_true",
        help="seed a million interactions and more (progress bar) and run W1, W2 and W7 on PostgreSQL",
    )
    parser.add_argument("--only", metavar="W1,W3", help="run only these workloads")
    parser.add_argument("--json", action="store_true", help="print the JSON record on stdout instead of a file")
    parser.add_argument("--output", metavar="PATH", help="where to write the JSON record (default bench/results/)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database to use (created if missing; its data is replaced). Default {DEFAULT_DATABASE_URL}",
    )
    parser.add_argument("--reseed", action="store_true", help="seed again even if this size is already there")
    parser.add_argument("--rounds", type=int, help="override the number of interleaved rounds")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar while seeding")
    load = parser.add_argument_group("load (a real server, many clients; bench/load.py)")
    load.add_argument(
        "--load",
        action="store_true",
        help="instead of W1-W9: the favorites, insights and write-mix workloads through gunicorn and uvicorn "
        "(3 workers each) with many concurrent clients, per engine and for the baseline views",
    )
    load.add_argument(
        "--faults",
        action="store_true",
        help="with --load: the write mix while a private Redis cache stops for 15 s and the server's PostgreSQL "
        "sessions are killed; reports errors by kind and counter drift",
    )
    load.add_argument("--seconds", type=float, default=10.0, help="with --load: seconds per run (default 10)")
    load.add_argument("--clients", type=int, default=30, help="with --load: concurrent clients (default 30)")
    load.add_argument(
        "--servers", default="gunicorn,uvicorn", help="with --load: servers to run (default gunicorn,uvicorn)"
    )
    parser.add_argument("--worker", choices=["w6"], help=argparse.SUPPRESS)
    parser.add_argument("--plan", default="quick", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _ensure_postgres_database(url: str) -> bool:
    """Create the bench database when missing; False when PostgreSQL cannot be reached."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"note: PostgreSQL at {parts.hostname}:{parts.port} is not reachable ({error}).", file=sys.stderr)
        return False
    return True


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _world(size_name: str, *, reseed: bool, progress: bool) -> Any:
    from bench import data

    size = data.SIZES[size_name]
    world = None if reseed else data.load(size)
    if world is not None:
        return world, size
    from tqdm import tqdm

    started = time.monotonic()
    with tqdm(
        total=data.estimated_rows(size), desc=f"Seeding {size_name}", unit="row", disable=not progress, file=sys.stderr
    ) as bar:
        world = data.seed(size, progress=bar.update)
    print(f"seeded {world.rows} rows ({size_name}) in {time.monotonic() - started:.0f}s", file=sys.stderr)
    return world, size


def _w6_subprocess(plan_name: str) -> dict[str, Any]:
    """W6 runs in a child process on a fresh SQLite file with the project's SQLite settings."""
    with tempfile.TemporaryDirectory(prefix="bench-w6-") as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", "bench", "--worker", "w6", "--plan", plan_name, "--no-progress"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=Path(__file__).resolve().parent.parent,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("JSON ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"W6 failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1][5:])
    return result


def _w6_worker(args: argparse.Namespace) -> int:
    _setup_django(os.environ["DATABASE_URL"])
    from bench import workloads
    from bench.harness import persistent_connections

    world, _ = _world("w6", reseed=True, progress=False)
    with persistent_connections():
        result = workloads.w6_run(world, workloads.PLANS[args.plan], writers=len(world.writers))
    print("JSON " + json.dumps({"workload": result.workload, "values": result.values, "goal": result.goal,
                                "met": result.met}))  # fmt: skip
    return 0


def _write_record(record: dict[str, Any], output: str | None) -> None:
    """The run's JSON record: to ``output``, or to bench/results/ named by mode and time."""
    stamp = record["date"][:19].replace(":", "")
    path = Path(output) if output else RESULTS_DIR / f"{record['mode']}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, default=str) + "\n")
    print(f"JSON record: {path}")


def _load(args: argparse.Namespace, database_url: str, started: float) -> int:
    """``--load`` (and ``--faults``): bench/load.py, recorded like the other runs."""
    from bench import load
    from bench.harness import machine

    if not database_url.startswith("postgres"):
        print("--load needs PostgreSQL (a real multi-process server on SQLite measures its lock).", file=sys.stderr)
        return 2
    world, size = _world("quick", reseed=args.reseed, progress=not args.no_progress)
    servers = [name.strip() for name in args.servers.split(",") if name.strip()]
    unknown = sorted(set(servers) - set(load.SERVERS))
    if unknown:
        print(f"unknown server(s): {', '.join(unknown)}; choose from {', '.join(load.SERVERS)}", file=sys.stderr)
        return 2
    run = load.run_faults if args.faults else load.run_load
    results = run(world, database_url, seconds=args.seconds, clients=args.clients, servers=servers)
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "faults" if args.faults else "load",
        "size": size.__dict__,
        "clients": args.clients,
        "seconds_per_run": args.seconds,
        "machine": machine(),
        "seconds": round(time.monotonic() - started, 1),
        "results": results,
    }
    _write_record(record, args.output)
    drift = [figures["counter_drift"] for figures in results.values() if "counter_drift" in figures]
    return 1 if any(drift) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker == "w6":
        return _w6_worker(args)
    plan_name = "quick" if args.quick else "full"
    size_name = "scale" if args.scale else plan_name
    wanted = (
        [w.strip().upper() for w in args.only.split(",")]
        if args.only
        else list(SCALE_WORKLOADS if args.scale else WORKLOADS)
    )
    database_url = args.database_url
    if args.scale and database_url == DEFAULT_DATABASE_URL:
        database_url = SCALE_DATABASE_URL  # its own database: the quick data stays seeded beside it
    if urlsplit(database_url).scheme.startswith("postgres") and not _ensure_postgres_database(database_url):
        if args.scale:
            print("--scale needs PostgreSQL.", file=sys.stderr)
            return 2
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3"
        print(f"note: falling back to {database_url}; W4 is skipped.", file=sys.stderr)
    started = time.monotonic()
    _setup_django(database_url)
    if args.load:
        return _load(args, database_url, started)

    from bench import report, workloads
    from bench.harness import WsgiClient, machine, persistent_connections

    world, size = _world(size_name, reseed=args.reseed, progress=not args.no_progress)
    plan = workloads.PLANS[plan_name]
    if args.rounds:
        plan = workloads.Plan(**{**plan.__dict__, "rounds": args.rounds, "write_rounds": args.rounds})
    results: list[workloads.Result] = []

    def emit(batch: list[workloads.Result]) -> None:
        for result in batch:
            print(result.line(), flush=True)
        results.extend(batch)

    with persistent_connections():
        client = WsgiClient()
        for workload in wanted:
            if workload == "W1":
                emit(workloads.w1(client, world, plan))
            elif workload == "W2":
                emit(workloads.w2(client, world, plan))
            elif workload == "W3":
                emit(workloads.w3(client, world, plan))
            elif workload == "W4":
                emit(workloads.w4(world, plan))
            elif workload == "W5":
                emit(workloads.w5(client, world, plan))
            elif workload == "W6":
                raw = _w6_subprocess(plan_name)
                emit([workloads.Result(raw["workload"], raw["values"], goal=raw["goal"], met=raw["met"])])
            elif workload == "W7":
                emit(workloads.w7(client, world, plan, depth=size.deep))
            elif workload == "W8":
                emit(workloads.w8(client, world, plan))
            elif workload == "W9":
                emit(workloads.w9(client, world, plan))
        if args.scale:
            emit(report.growth(client, world, plan))
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "scale" if args.scale else plan_name,
        "size": size.__dict__,
        "plan": plan.__dict__,
        "machine": machine(),
        "seconds": round(time.monotonic() - started, 1),
        "results": [{"workload": r.workload, **r.values, "goal": r.goal, "met": r.met} for r in results],
    }
    print(report.table(results, record), flush=True)
    if args.json:
        print(json.dumps(record, indent=2, default=str))
    else:
        _write_record(record, args.output)
    return 0 if all(r.met is not False for r in results) else 1
