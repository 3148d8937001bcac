"""Agora's benchmark: the demo site under gunicorn (production settings, 2 workers) against a static
file of the same size served by the same gunicorn and whitenoise. See bench/README.md.

    .venv/bin/python bench/run_bench.py [--duration 10] [--connections 8] [--no-lighthouse]

Needs PostgreSQL (trust) and Redis on 127.0.0.1, wrk, and for Lighthouse `npm ci` in bench/ and
Chromium at CHROME_PATH (default /usr/bin/chromium). Loads only 127.0.0.1, for a fixed time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
CACHED_PORT, UNCACHED_PORT = 8801, 8802
STATIC_NAME = "bench-home-size.html"
STATIC_LABEL = "static file"
LIGHTHOUSE_ATTEMPTS = 3
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-default-apps --disable-extensions"
)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def environment(args, files: Path = RESULTS) -> dict:
    """Production settings for a bench; its static, media and private files live under `files`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{args.database}",
        "REDIS_URL": f"redis://{HOST}:6379/{args.redis_db}",
        "STATIC_ROOT": str(files / "static"),
        "MEDIA_ROOT": str(files / "media"),
        "PRIVATE_MEDIA_ROOT": str(files / "private_media"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DEBUG", None)
    return env


def run(command: list[str], env: dict, **kwargs) -> str:
    result = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs)
    return result.stdout


def manage(env: dict, *arguments: str) -> str:
    return run([PYTHON, "manage.py", *arguments], env)


def prepare(args, env: dict) -> dict:
    """A fresh database with the demo content, collected static files and the static twin page."""
    for folder in ("STATIC_ROOT", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        shutil.rmtree(env[folder], ignore_errors=True)
    log(f"fresh PostgreSQL database {args.database}")
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", args.database], check=True)
    subprocess.run(
        ["redis-cli", "-h", HOST, "-n", str(args.redis_db), "flushdb"], check=True, capture_output=True
    )
    log("migrate, seed_demo --force, collectstatic")
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo", "--force")
    manage(env, "collectstatic", "--no-input")
    probe = (
        "from django.test import Client\n"
        "from posts.models import EventPage\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "event = EventPage.objects.live().order_by('-start').first()\n"
        "print('BENCH', len(client.get('/').content), event.url)\n"
    )
    output = manage(env, "shell", "-c", probe)
    _marker, size, event_url = next(line for line in output.splitlines() if line.startswith("BENCH ")).split()
    # Same size as the home page; whitenoise indexes STATIC_ROOT when gunicorn starts.
    filler = "<!DOCTYPE html><html lang=fr><title>Banc</title><p>" + "x" * int(size)
    (Path(env["STATIC_ROOT"]) / STATIC_NAME).write_text(filler[: int(size)], encoding="utf-8")
    return {"home_bytes": int(size), "event_url": event_url}


def start_gunicorn(
    port: int, env: dict, cache: bool, workers: int = 2, options: tuple[str, ...] = ()
) -> subprocess.Popen:
    """gunicorn with `workers` workers (sync unless `options` say otherwise), once /healthz answers."""
    # Another server already on the port would answer /healthz in our gunicorn's place.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is fine
        try:
            probe.bind((HOST, port))
        except OSError:
            raise SystemExit(f"port {HOST}:{port} is already in use by another process") from None
    env = {**env, "AGORA_PAGE_CACHE": "true" if cache else "false"}
    log_path = RESULTS / f"gunicorn-{port}.log"
    logfile = log_path.open("w")
    process = subprocess.Popen(
        [
            GUNICORN,
            "bench.wsgi:application",
            "--workers",
            str(workers),
            *options,
            "--bind",
            f"{HOST}:{port}",
            "--access-logfile",
            "-",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=logfile,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:  # noqa: S310
                    if (
                        response.status == 200
                        and f"Listening at: http://{HOST}:{port}" in log_path.read_text()
                    ):
                        return process
            except OSError:
                pass
            time.sleep(0.3)
    except BaseException:  # Ctrl-C while waiting: leave no server behind
        stop(process)
        raise
    stop(process)
    raise SystemExit(f"gunicorn on port {port} did not start; see {logfile.name}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return round(float(number) * UNITS[unit], 3)


def wrk(url: str, duration: int, connections: int) -> dict:
    # Warm up: the first request fills the page cache, the next ones the workers' own caches.
    for _ in range(4):
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            response.read()
            x_cache = response.headers.get("X-Cache", "")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": milliseconds(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": milliseconds(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "x_cache": x_cache,
    }


def lighthouse(url: str, name: str) -> dict | None:
    binary = BENCH / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        log("Lighthouse skipped: run `npm ci` in bench/ first")
        return None
    report = RESULTS / f"lighthouse-{name}.json"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(binary),
        url,
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,best-practices,seo,accessibility",
        "--output=json",
        f"--output-path={report}",
    ]
    # Lighthouse 12 sometimes fails to record the trace with a recent Chromium (NO_NAVSTART):
    # try again, and keep the wrk results whatever happens.
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        completed = subprocess.run(command, env=env, check=False, timeout=180)
        if completed.returncode == 0:
            break
        log(f"Lighthouse failed on {url} (attempt {attempt}/{LIGHTHOUSE_ATTEMPTS})")
    else:
        return None
    categories = json.loads(report.read_text())["categories"]
    return {key: round(category["score"] * 100) for key, category in categories.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database", default="agora_bench")
    parser.add_argument("--redis-db", type=int, default=5)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    env = environment(args)
    facts = prepare(args, env)
    event = facts["event_url"]
    cached = start_gunicorn(CACHED_PORT, env, cache=True)
    uncached = start_gunicorn(UNCACHED_PORT, env, cache=False)
    # The static file is measured three times, at the start, the middle and the end, and the
    # pages are compared with the median of the three: on a shared machine one run alone
    # can be off by a factor of two.
    static = f"/static/{STATIC_NAME}"
    targets = [
        (f"{STATIC_LABEL} 1", CACHED_PORT, static),
        ("/", CACHED_PORT, "/"),
        ("/ (cache off)", UNCACHED_PORT, "/"),
        ("/agenda/", CACHED_PORT, "/agenda/"),
        ("event", CACHED_PORT, event),
        (f"{STATIC_LABEL} 2", CACHED_PORT, static),
        ("event (cache off)", UNCACHED_PORT, event),
        ("/flux/", CACHED_PORT, "/flux/"),
        ("/agenda/agenda.ics", CACHED_PORT, "/agenda/agenda.ics"),
        (f"{STATIC_LABEL} 3", CACHED_PORT, static),
    ]
    results = {}
    try:
        for name, port, path in targets:
            log(f"wrk {args.duration}s c={args.connections}: {name} ({path})")
            results[name] = {
                "url": path,
                **wrk(f"http://{HOST}:{port}{path}", args.duration, args.connections),
            }
        scores = {}
        if not args.no_lighthouse:
            for name, path in (("home", "/"), ("event", event)):
                log(f"Lighthouse: {path}")
                scores[name] = lighthouse(f"http://{HOST}:{CACHED_PORT}{path}", name)
    finally:
        stop(cached)
        stop(uncached)

    static_rps = statistics.median(
        result["requests_per_second"] for name, result in results.items() if name.startswith(STATIC_LABEL)
    )
    for result in results.values():
        result["ratio_to_static"] = round(result["requests_per_second"] / static_rps, 2)

    summary = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.platform()}",
        "duration_s": args.duration,
        "connections": args.connections,
        "gunicorn_workers": 2,
        **facts,
        "static_median_requests_per_second": static_rps,
        "results": results,
        "lighthouse": scores,
    }
    out = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False))

    print()
    print(f"{'URL':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'× static':>9} X-Cache")
    for name, result in results.items():
        print(
            f"{name:<22} {result['requests_per_second']:>9.1f} {result['p50_ms']:>8.2f} "
            f"{result['p99_ms']:>8.2f} {result['errors']:>7} {result['ratio_to_static']:>9.2f} {result['x_cache']}"
        )
    print(f"{'× static':>9} is against the median of the three static runs: {static_rps:.1f} req/s")
    for name, score in scores.items():
        print(f"Lighthouse {name}: {score}")
    print(f"home page: {facts['home_bytes']} bytes; event: {event}; saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
