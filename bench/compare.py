"""Side by side: the previous main and the current tree, uncached pages and their SQL queries.

    .venv/bin/python bench/compare.py                  # previous main = commit 27be918
    .venv/bin/python bench/compare.py /path/to/tree    # any other checkout as "before"
    .venv/bin/python bench/compare.py --seconds 5 --rounds 3

A benchmark, read by a person: nothing is asserted. Each tree runs in a process of its own
(`--child`), in-process through Django's test Client: test settings (local-memory caches, no
Redis), a fresh SQLite database filled by `seed_demo --force`, the page cache off for the
uncached pages. For each URL: a few warm-up requests (renditions are created), the SQL queries
of one request, then as many requests as fit in `--seconds`. The cached page is the home page
with the page cache on; the static file is served by WhiteNoise in the same process. The trees
run one after the other, `--rounds` times in turn, and the best requests/s of the rounds is kept
(the machine is shared: the best run is the least disturbed one).

Line counts: production Python files (every top-level package but tests/ and bench/), without
migrations and demo data (`demo.py`, the `seed_demo` command).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
CURRENT = HERE.parent.parent
PREVIOUS_MAIN = "27be918"
NOT_PRODUCTION = {"tests", "bench", "migrations", ".venv", "node_modules", "static", "media", "locale"}
DEMO_FILES = {"demo.py", "demo_pictograms.py", "seed_demo.py"}
ROWS = [
    ("/", "home"),
    ("/agenda/", "agenda"),
    ("event", "event"),
    ("news", "news"),
    ("portrait", "portrait"),
    ("cached /", "cached"),
    ("static file", "static"),
]


# --- In the child process: one tree -----------------------------------------------------


def child(tree: Path, seconds: float) -> dict:
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    import django

    django.setup()

    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import override_settings

    from posts.models import EventPage, PortraitPage, ProjectNewsPage

    # As Django's test runner does: one connection for the whole run.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, verbosity=0)

    def first_url(model):
        return model.objects.live().order_by("path").first().url

    urls = {
        "home": "/",
        "agenda": "/agenda/",
        "event": first_url(EventPage),
        "news": first_url(ProjectNewsPage),
        "portrait": first_url(PortraitPage),
        "cached": "/",
        "static": "/static/css/agora.css",
    }
    client = Client()

    def measure(url):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        queries = []

        def count_query(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count_query):
            client.get(url)
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            client.get(url)
            count += 1
        return {"url": url, "queries": len(queries), "rps": count / elapsed}

    results = {}
    with override_settings(AGORA_PAGE_CACHE=False):
        for key in ("home", "agenda", "event", "news", "portrait"):
            results[key] = measure(urls[key])
    with override_settings(AGORA_PAGE_CACHE=True):
        results["cached"] = measure(urls["cached"])
        results["static"] = measure(urls["static"])
    forget_media()
    return results


def forget_media():
    """The test settings put media in a temporary folder of their own: the seed's images go."""
    import shutil

    from django.conf import settings

    media = Path(settings.MEDIA_ROOT).parent
    if media.name.startswith("agora-test-media-") and Path(tempfile.gettempdir()) in media.parents:
        shutil.rmtree(media, ignore_errors=True)


def run_child(tree: Path, seconds: float, workdir: Path) -> dict:
    database = workdir / f"bench-{os.getpid()}-{time.monotonic_ns()}.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(tree),
    }
    output = subprocess.run(
        [sys.executable, str(HERE), "--child", str(tree), "--seconds", str(seconds)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    database.unlink(missing_ok=True)
    return json.loads(output.strip().splitlines()[-1])


# --- In the parent: both trees ------------------------------------------------------------


def production_lines(tree: Path) -> tuple[int, int]:
    """(files, lines) of production Python, migrations and demo data left out."""
    files = lines = 0
    for package in sorted(tree.iterdir()):
        if not package.is_dir() or package.name in NOT_PRODUCTION or not (package / "__init__.py").exists():
            continue
        for folder, subfolders, names in os.walk(package):
            subfolders[:] = [name for name in subfolders if name not in NOT_PRODUCTION]
            for name in names:
                if name.endswith(".py") and name not in DEMO_FILES:
                    files += 1
                    lines += len((Path(folder) / name).read_text().splitlines())
    return files, lines


def checkout(commit: str, workdir: Path) -> Path:
    path = workdir / f"agora-{commit}"
    subprocess.run(
        ["git", "-C", str(CURRENT), "worktree", "add", "--detach", "--quiet", str(path), commit], check=True
    )
    return path


def remove_checkout(path: Path) -> None:
    subprocess.run(["git", "-C", str(CURRENT), "worktree", "remove", "--force", str(path)], check=False)


def best(runs: list[dict]) -> dict:
    merged = {}
    for _label, key in ROWS:
        merged[key] = max((run[key] for run in runs), key=lambda result: result["rps"])
    return merged


def report(before_name: str, before: dict, after: dict, lines_before, lines_after) -> str:
    out = [
        f"{'':14} {'before req/s':>12} {'after req/s':>12} {'×':>6}   {'queries':>7} {'→':>2} {'':<3}  URL",
    ]
    for label, key in ROWS:
        b, a = before[key], after[key]
        out.append(
            f"{label:14} {b['rps']:12.1f} {a['rps']:12.1f} {a['rps'] / b['rps']:6.2f}"
            f"   {b['queries']:7d} {'→':>2} {a['queries']:<3d}  {a['url']}"
        )
    for name, results in (("before", before), ("after", after)):
        event = results["event"]["rps"]
        ratios = ", ".join(f"{key} {results[key]['rps'] / event:.2f}" for key in ("home", "agenda"))
        cached = results["cached"]["rps"] / results["static"]["rps"]
        out.append(f"{name}: uncached ÷ event page: {ratios}; cached / ÷ static file: {cached:.2f}")
    out.append(
        f"production Python (no migrations, no demo data): {lines_before[1]} lines in {lines_before[0]} files"
        f" → {lines_after[1]} lines in {lines_after[0]} files"
    )
    out.insert(0, f"before: {before_name}   after: {CURRENT}")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "before", nargs="?", help=f"a checkout to compare with (default: commit {PREVIOUS_MAIN})"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per URL and tree")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each tree, in turn")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(Path(args.child), args.seconds)))
        return

    with tempfile.TemporaryDirectory(prefix="agora-compare-") as workdir:
        workdir = Path(workdir)
        before_tree = Path(args.before).resolve() if args.before else checkout(PREVIOUS_MAIN, workdir)
        before_name = str(before_tree) if args.before else f"commit {PREVIOUS_MAIN} (previous main)"
        try:
            runs_before, runs_after = [], []
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number}/{args.rounds}…", file=sys.stderr)
                runs_before.append(run_child(before_tree, args.seconds, workdir))
                runs_after.append(run_child(CURRENT, args.seconds, workdir))
            print(
                report(
                    before_name,
                    best(runs_before),
                    best(runs_after),
                    production_lines(before_tree),
                    production_lines(CURRENT),
                )
            )
        finally:
            if not args.before:
                remove_checkout(before_tree)


if __name__ == "__main__":
    main()
