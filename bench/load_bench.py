"""Agora under mixed load: readers, residents proposing and a moderator approving, all at once.
See bench/README.md, "Load and concurrency (issue 8)".

    .venv/bin/python bench/load_bench.py [--duration 120] [--readers 30] [--residents 5] [--workers 3]

The same set-up as run_bench.py (production settings, a fresh PostgreSQL database with the demo,
here `agora_load`), one gunicorn on 127.0.0.1 only, load for a fixed time. Then the no-loss
proof: every proposal a resident got a code for is in the database with its draft page, nothing
else is, and every code resolves. Exits non-zero if anything was lost or any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import math
import os
import platform
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from PIL import Image as PILImage
from run_bench import HOST, RESULTS, ROOT, environment, log, manage, prepare, start_gunicorn, stop

PORT = 8831  # run_bench.py uses 8801 and 8802
PUBLIC_HOST = HOST  # what the reverse proxy forwards as Host; ALLOWED_HOSTS=127.0.0.1
KINDS = ("evenement", "portrait", "actualite")
CODE_URL = re.compile(r"^/proposer/recu/([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/$")
APPROVE_URL = re.compile(r'data-workflow-action-url="(/admin/pages/workflow/action/(\d+)/approve/(\d+)/)"')
ADMIN_CSRF = re.compile(r"&quot;CSRF_TOKEN&quot;: &quot;(\w+)&quot;|\"CSRF_TOKEN\": \"(\w+)\"")
SEARCH_WORDS = ("internet", "atelier", "cv", "fête", "emploi", "famille", "débat", "ordinateur", "jardin")
PARIS = ZoneInfo("Europe/Paris")


# --- A browser behind the reverse proxy ----------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage | None
    body: bytes
    ms: float
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return (self.headers.get(name) if self.headers else None) or ""


class Browser:
    """One visitor: its own cookies, one connection per request, and the headers that the
    TLS-terminating proxy adds in production (X-Forwarded-Proto, X-Forwarded-For with the
    visitor's address; production trusts one proxy)."""

    def __init__(self, port: int, address: str, timeout: float = 30.0):
        self.port, self.address, self.timeout = port, address, timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = "", referer: str = ""
    ):
        headers = {
            "Host": PUBLIC_HOST,
            "User-Agent": "agora-load-bench",
            "Accept": "text/html,*/*",
            "Accept-Language": "fr",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = f"https://{PUBLIC_HOST}"
        if referer:
            headers["Referer"] = f"https://{PUBLIC_HOST}{referer}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            return Response(
                0, None, b"", (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"
            )
        finally:
            connection.close()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, content, elapsed)

    def get(self, path: str, referer: str = "") -> Response:
        return self.request("GET", path, referer=referer)

    def post_form(self, path: str, fields: dict, referer: str) -> Response:
        return self.request(
            "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded", referer
        )

    def post_multipart(self, path: str, fields: dict, files: dict, referer: str) -> Response:
        boundary = f"----agora{uuid.uuid4().hex}"
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, mime) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}", referer
        )


class Inputs(HTMLParser):
    """The name and value of every <input> of a page."""

    def __init__(self, page: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values.setdefault(attributes["name"], attributes.get("value") or "")


# --- What every request leaves behind ----------------------------------------------------------


@dataclass
class Record:
    role: str
    step: str
    status: int
    ms: float
    error: str = ""
    x_cache: str = ""


@dataclass
class Ledger:
    """Thread-safe enough: list.append is atomic; counters go through the lock."""

    records: list[Record] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    submissions: list[dict] = field(default_factory=list)  # {"code", "kind", "resident", "photo"}
    attempts: int = 0
    resends: int = 0
    approvals: list[int] = field(default_factory=list)  # page ids the moderator approved
    lock: threading.Lock = field(default_factory=threading.Lock)
    aborted: bool = False  # Ctrl-C: the server goes away under the clients, say nothing more

    def note(
        self, role: str, step: str, path: str, response: Response, expected=(200, 301, 302, 303, 304)
    ) -> bool:
        ok = not response.error and response.status in expected
        self.records.append(
            Record(role, step, response.status, response.ms, response.error, response.header("X-Cache"))
        )
        if not ok:
            self.fail(role, step, path, response.error or f"HTTP {response.status}", response)
        return ok

    def fail(self, role: str, step: str, path: str, problem: str, response: Response | None = None) -> None:
        detail = ""
        if response is not None and response.body:
            detail = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())[:300]
        with self.lock:
            self.errors.append(
                {"role": role, "step": step, "path": path, "problem": problem, "detail": detail}
            )
        if not self.aborted:
            log(f"ERROR {role} {step} {path}: {problem} {detail[:160]}")


# --- Readers ------------------------------------------------------------------------------------


def reader_mix(urls: dict) -> list[tuple[str, str, float]]:
    """(step, path, weight): a visitor's day, from the home page to a search."""
    mix = [("home", "/", 20.0), ("agenda", urls["agenda"], 10.0), ("flux", "/flux/", 8.0)]
    spread = (("event", "events", 20.0), ("news", "news", 10.0), ("portrait", "portraits", 8.0))
    for step, key, weight in spread:
        for path in urls[key]:
            mix.append((step, path, weight / len(urls[key])))
    for path in (urls["news_index"], urls["portrait_index"], urls["acteur_index"]):
        if path:
            mix.append(("index", path, 3.0))
    for path in urls["acteurs"]:
        mix.append(("acteur", path, 4.0 / len(urls["acteurs"])))
    mix.append(("ics", urls["agenda"] + "agenda.ics", 2.0))
    for first in SEARCH_WORDS:
        mix.append(("search", f"/recherche/?q={quote(first)}", 6.0 / len(SEARCH_WORDS)))
        for second in SEARCH_WORDS[:4]:
            if second != first:
                query = quote(f"{first} {second}")
                mix.append(("search", f"/recherche/?q={query}", 4.0 / (len(SEARCH_WORDS) * 4)))
    return mix


def reader(port: int, number: int, ledger: Ledger, mix, stop_event: threading.Event, think: float) -> None:
    rng = random.Random(number)
    browser = Browser(port, f"198.51.100.{number + 1}")
    steps, paths, weights = zip(*mix, strict=True)
    indexes = range(len(mix))
    while not stop_event.is_set():
        index = rng.choices(indexes, weights)[0]
        ledger.note("reader", steps[index], paths[index], browser.get(paths[index]))
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))


# --- Residents ----------------------------------------------------------------------------------


def jpeg(seed: int) -> bytes:
    picture = PILImage.new("RGB", (800, 600), ((seed * 37) % 256, 120, (seed * 91) % 256))
    for x in range(0, 800, 40):
        picture.paste((255, 255, 255), (x, 0, x + 8, 600))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def proposal_fields(kind: str, resident: int, serial: int, rng: random.Random) -> dict:
    label = f"{resident + 1}.{serial + 1}"
    common = {
        "display_name": f"Habitante {label}",
        "contact_email": f"habitante-{resident + 1}-{serial + 1}@example.org",
    }
    text = (
        f"Proposition de charge {label} : un moment ouvert à tout le quartier, « entrée libre ».\n\n"
        "Deuxième paragraphe, avec des accents — et une <b>balise</b> que le nettoyeur garde ou retire."
    )
    if kind == "evenement":
        day = datetime.now(PARIS).date() + timedelta(days=rng.randint(3, 90))
        return {
            **common,
            "title": f"Atelier de quartier {label}",
            "day": day.isoformat(),
            "start_time": "14:30",
            "end_time": "16:00" if serial % 3 else "",
            "place_name": "Salle du centre social",
            "place_address": "" if serial % 2 else "1 place de la Rabière",
            "text": text,
            "acteur": "",
        }
    if kind == "portrait":
        return {
            **common,
            "person_name": f"Nadia {label}",
            "role": "Bénévole du jardin partagé",
            "text": text,
            "consent": "on",
            "consent_given_by": f"Nadia Exemple {label}",
        }
    return {
        **common,
        "title": f"Nouvelles du jardin {label}",
        "acteur": "",
        "project_name": "Jardin partagé",
        "text": text,
    }


def propose_once(
    browser: Browser, ledger: Ledger, resident: int, serial: int, rng, think: float, photo: bool, resend: bool
):
    kind = KINDS[(resident + serial) % len(KINDS)]
    form_path = f"/proposer/{kind}/"
    response = browser.get(form_path, referer="/proposer/")
    if not ledger.note("resident", "form", form_path, response, expected=(200,)):
        return
    inputs = Inputs(response.text).values
    missing = [name for name in ("csrfmiddlewaretoken", "envoi", "site_web") if name not in inputs]
    if missing or inputs["site_web"]:
        ledger.fail("resident", "form", form_path, f"form fields missing or honeypot pre-filled: {missing}")
        return
    time.sleep(think * rng.uniform(0.2, 0.5))  # typing
    fields = {
        **proposal_fields(kind, resident, serial, rng),
        "csrfmiddlewaretoken": inputs["csrfmiddlewaretoken"],
        "envoi": inputs["envoi"],
        "site_web": "",
    }
    files = {}
    if photo:
        files["photo"] = (f"photo-{resident}-{serial}.jpg", jpeg(serial), "image/jpeg")
        fields["photo_alt"] = "Des bandes blanches sur un fond de couleur."
    with ledger.lock:
        ledger.attempts += 1
    response = browser.post_multipart(form_path, fields, files, referer=form_path)
    if not ledger.note("resident", "post", form_path, response, expected=(302,)):
        return
    location = response.header("Location")
    match = CODE_URL.match(location)
    if not match:
        ledger.fail("resident", "post", form_path, f"redirected to {location!r}, not to a receipt")
        return
    code = match.group(1)
    receipt = browser.get(location, referer=form_path)
    if not ledger.note("resident", "receipt", "/proposer/recu/<code>/", receipt, expected=(200,)):
        return
    if code not in receipt.text:
        ledger.fail("resident", "receipt", location, "the receipt does not show the code", receipt)
        return
    with ledger.lock:
        ledger.submissions.append({"code": code, "kind": kind, "resident": resident, "photo": photo})
    if resend:
        # The same form sent again (back button, double click): the same code, no new proposal.
        with ledger.lock:
            ledger.resends += 1
        again = browser.post_multipart(form_path, fields, files, referer=form_path)
        same = ledger.note("resident", "resend", form_path, again, expected=(302,))
        if same and again.header("Location") != location:
            ledger.fail("resident", "resend", form_path, f"resent form went to {again.header('Location')!r}")


def resident(port: int, number: int, ledger: Ledger, stop_event: threading.Event, think: float) -> None:
    rng = random.Random(1000 + number)
    browser = Browser(port, f"203.0.113.{number + 1}")
    serial = 0
    while not stop_event.is_set():
        photo, resend = serial % 4 == 3, serial % 4 == 1
        try:
            propose_once(browser, ledger, number, serial, rng, think, photo, resend)
        except Exception as exc:  # a bug in the bench must show, not kill the thread silently
            ledger.fail("resident", "bench", "", f"{type(exc).__name__}: {exc}")
        serial += 1
        stop_event.wait(think * rng.uniform(0.5, 1.5))


# --- The moderator ------------------------------------------------------------------------------


def admin_csrf(page: str, browser: Browser) -> str:
    match = ADMIN_CSRF.search(page)
    if match:
        return match.group(1) or match.group(2)
    return Inputs(page).values.get("csrfmiddlewaretoken") or browser.cookies.get("csrftoken", "")


def moderator(
    port: int,
    ledger: Ledger,
    username: str,
    password: str,
    residents_done: threading.Event,
    drain: float,
    poll: float,
) -> None:
    browser = Browser(port, "192.0.2.10")
    response = browser.get("/admin/login/")
    if not ledger.note("moderator", "login", "/admin/login/", response, expected=(200,)):
        return
    token = Inputs(response.text).values.get("csrfmiddlewaretoken", "")
    response = browser.post_form(
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        referer="/admin/login/",
    )
    if not ledger.note("moderator", "login", "/admin/login/", response, expected=(302,)):
        return
    dashboard = browser.get("/admin/")
    ledger.note("moderator", "dashboard", "/admin/", dashboard, expected=(200,))
    drain_deadline = None
    while True:
        if residents_done.is_set() and drain_deadline is None:
            drain_deadline = time.monotonic() + drain
        if drain_deadline is not None and time.monotonic() > drain_deadline:
            log("moderator: drain time over, stopping with proposals still pending")
            return
        pending = list(dict.fromkeys(APPROVE_URL.findall(dashboard.text))) if dashboard.status == 200 else []
        if not pending:
            if residents_done.is_set():
                return  # everything that was sent has been approved
            time.sleep(poll)
        else:
            url, page_id, _task_state = pending[-1]  # the oldest first, as the list is newest first
            token = admin_csrf(dashboard.text, browser)
            response = browser.post_form(
                url, {"csrfmiddlewaretoken": token, "next": "/admin/"}, referer="/admin/"
            )
            if ledger.note("moderator", "approve", url, response, expected=(302,)):
                with ledger.lock:
                    ledger.approvals.append(int(page_id))
            else:
                time.sleep(poll)
        dashboard = browser.get("/admin/")
        ledger.note("moderator", "dashboard", "/admin/", dashboard, expected=(200,))


# --- Facts from the database --------------------------------------------------------------------

SITE_PROBE = """
import json
from posts.models import (ActeurIndexPage, ActeurPage, AgendaIndexPage, EventPage, NewsIndexPage,
    PortraitIndexPage, PortraitPage, ProjectNewsPage)
def urls(model):
    return [page.url for page in model.objects.live().public().order_by("pk")]
def first(model):
    found = urls(model)
    return found[0] if found else ""
print("LOAD " + json.dumps({
    "agenda": first(AgendaIndexPage), "events": urls(EventPage),
    "news_index": first(NewsIndexPage), "news": urls(ProjectNewsPage),
    "portrait_index": first(PortraitIndexPage), "portraits": urls(PortraitPage),
    "acteur_index": first(ActeurIndexPage), "acteurs": urls(ActeurPage),
}))
"""

CENSUS = """
import json
from wagtail.models import Page, WorkflowState
from posts.models import Proposal
from posts.proposals import SYSTEM_USERNAME
states = {}
for state in WorkflowState.objects.filter(base_content_type__isnull=False).order_by("pk"):
    states[state.object_id] = state.status
pages = {page.pk: page for page in Page.objects.filter(owner__username=SYSTEM_USERNAME)}
print("LOAD " + json.dumps({
    "proposals": [
        {"code": p.code, "kind": p.kind, "status": p.status, "page": p.page_id,
         "live": bool(p.page_id and pages.get(p.page_id) and pages[p.page_id].live),
         "workflow": states.get(str(p.page_id), "")}
        for p in Proposal.objects.order_by("pk")
    ],
    "system_pages": sorted(pages),
    "live_pages": Page.objects.live().count(),
}))
"""


def probe(env: dict, code: str) -> dict:
    output = manage(env, "shell", "-c", code)
    return json.loads(next(line for line in output.splitlines() if line.startswith("LOAD "))[5:])


def verify(port: int, ledger: Ledger, before: dict, after: dict) -> dict:
    """The no-loss proof: client receipts = Proposal rows = draft pages = codes that resolve."""
    known = {row["code"] for row in before["proposals"]}
    created = [row for row in after["proposals"] if row["code"] not in known]
    new_pages = set(after["system_pages"]) - set(before["system_pages"])
    receipts = [entry["code"] for entry in ledger.submissions]
    browser = Browser(port, "192.0.2.20")
    resolving, state_shown, failures = 0, 0, []
    by_code = {row["code"]: row for row in created}
    for code in receipts:
        response = browser.get(f"/proposer/suivi/{code}/")
        if response.status == 200 and code in response.text:
            resolving += 1
            expected = by_code.get(code, {}).get("status", "?")
            if f"status__state--{expected}" in response.text:
                state_shown += 1
        else:
            failures.append({"code": code, "status": response.status, "error": response.error})
    published = [row for row in created if row["status"] == "published"]
    approved_proposal_pages = {row["page"] for row in created} & set(ledger.approvals)
    proof = {
        "attempts": ledger.attempts,
        "submissions_with_code": len(receipts),
        "distinct_codes": len(set(receipts)),
        "proposal_rows_created": len(created),
        "draft_pages_created": len(new_pages),
        "proposal_pages_match": {row["page"] for row in created} == new_pages,
        "codes_match_rows": set(receipts) == set(by_code),
        "codes_resolving_200": resolving,
        "status_page_shows_db_state": state_shown,
        "by_kind": dict(Counter(entry["kind"] for entry in ledger.submissions)),
        "workflow_states": dict(Counter(row["workflow"] for row in created)),  # in the JSON only
        "with_photo": sum(1 for entry in ledger.submissions if entry["photo"]),
        "resends_same_code": ledger.resends,
        "moderator_approvals": len(ledger.approvals),
        "approved_proposal_pages": len(approved_proposal_pages),
        "published": len(published),
        "published_and_live": sum(1 for row in published if row["live"]),
        "pending_left": sum(1 for row in created if row["status"] == "pending"),
        "live_without_published_status": sum(
            1 for row in created if row["live"] and row["status"] != "published"
        ),
        "resolve_failures": failures[:20],
        "codes_without_row": sorted(set(receipts) - set(by_code))[:20],
        "rows_without_receipt": sorted(set(by_code) - set(receipts))[:20],
    }
    n = len(receipts)
    proof["lost"] = not (
        n
        == proof["distinct_codes"]
        == proof["proposal_rows_created"]
        == proof["draft_pages_created"]
        == resolving
        and proof["codes_match_rows"]
        and proof["proposal_pages_match"]
        and state_shown == n
        and proof["published"] == proof["published_and_live"]
        and proof["live_without_published_status"] == 0
    )
    return proof


# --- Reporting ----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 1)


def latency(records: list[Record], seconds: float, errors: int) -> dict:
    times = [record.ms for record in records]
    return {
        "requests": len(records),
        "per_second": round(len(records) / seconds, 1) if seconds else 0.0,
        "errors": errors,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "max_ms": round(max(times), 1) if times else 0.0,
    }


def summarise(ledger: Ledger, seconds: float) -> tuple[dict, dict]:
    roles, steps = {}, {}
    for record in ledger.records:
        roles.setdefault(record.role, []).append(record)
        steps.setdefault(f"{record.role}/{record.step}", []).append(record)
    # Errors: non-2xx/3xx or unexpected statuses, exceptions, and broken steps (no code, wrong page).
    role_errors = Counter(error["role"] for error in ledger.errors)
    step_errors = Counter(f"{error['role']}/{error['step']}" for error in ledger.errors)
    by_role = {name: latency(records, seconds, role_errors[name]) for name, records in roles.items()}
    by_step = {name: latency(records, seconds, step_errors[name]) for name, records in sorted(steps.items())}
    for name, records in steps.items():
        caches = [record.x_cache for record in records if record.x_cache]
        if caches:
            by_step[name]["cache_hits"] = f"{sum(1 for c in caches if c == 'HIT')}/{len(caches)}"
    return by_role, by_step


def server_problems(logfile: Path) -> dict:
    """Tracebacks, worker timeouts and error lines in gunicorn's log (stderr, LOG_LEVEL=WARNING)."""
    lines = logfile.read_text(errors="replace").splitlines() if logfile.exists() else []
    tracebacks, current = [], None
    for line in lines:
        if line.startswith("Traceback"):
            current = [line]
            tracebacks.append(current)
        elif current is not None:
            current.append(line)
            if line and not line.startswith((" ", "\t", "Traceback", "During handling", "The above")):
                current = None  # the exception line closes it
    return {
        "tracebacks": len(tracebacks),
        "worker_timeouts": sum("WORKER TIMEOUT" in line for line in lines),
        "error_lines": sum(
            " ERROR " in line or line.startswith(("ERROR", "Internal Server Error")) for line in lines
        ),
        "first_tracebacks": ["\n".join(tb) for tb in tracebacks[:3]],
    }


def print_report(summary: dict) -> None:
    print()
    print(
        f"{'role / step':<22} {'requests':>8} {'req/s':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  cache"
    )
    for title, table in (("", summary["roles"]), ("  ", summary["steps"])):
        for name, row in table.items():
            print(
                f"{title + name:<22} {row['requests']:>8} {row['per_second']:>7} {row['errors']:>6} {row['p50_ms']:>8} "
                f"{row['p95_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8}  {row.get('cache_hits', '')}"
            )
    proof = summary["proof"]
    print()
    print("No-loss proof")
    for key in (
        "attempts", "submissions_with_code", "distinct_codes", "proposal_rows_created", "draft_pages_created",
        "codes_resolving_200", "status_page_shows_db_state", "codes_match_rows", "proposal_pages_match",
        "by_kind", "with_photo", "resends_same_code", "moderator_approvals", "approved_proposal_pages",
        "published", "published_and_live", "pending_left",
    ):  # fmt: skip
        print(f"  {key:<28} {proof[key]}")
    print(f"  {'LOST':<28} {'YES' if proof['lost'] else 'nothing'}")
    server = summary["server"]
    print(
        f"server log: {server['tracebacks']} tracebacks, {server['worker_timeouts']} worker timeouts, "
        f"{server['error_lines']} error lines"
    )
    for tb in server["first_tracebacks"]:
        print(tb)
    print(f"errors: {len(summary['errors'])}")
    for error in summary["errors"][:10]:
        print(
            f"  {error['role']}/{error['step']} {error['path']}: {error['problem']} {error['detail'][:200]}"
        )
    cpu = summary["cores_used"]
    print(
        f"cores busy during the load: {cpu['machine_busy']} of {os.cpu_count()} — gunicorn workers "
        f"{cpu['gunicorn_workers']}, PostgreSQL {cpu['postgresql']}, Redis {cpu['redis']}, load generator "
        f"{cpu['load_generator']}, other processes {cpu['other']}"
    )
    print(
        f"load average: start {summary['loadavg']['start']}, load start {summary['loadavg']['load_start']}, "
        f"end {summary['loadavg']['end']}"
    )
    print(f"saved {summary['saved']}")


# --- Main ---------------------------------------------------------------------------------------


def loadavg() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


class CpuMeter(threading.Thread):
    """Cores used during the load, by group, from /proc (Linux), sampled every second so that a
    database connection that closes (CONN_MAX_AGE) still counts."""

    def __init__(self, server_pid: int, database: str):
        super().__init__(daemon=True)
        self.server_pid, self.backend = server_pid, f" {database} "
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.halt = threading.Event()
        self.started_at: float | None = None

    def group(self, pid: int, name: str, ppid: int) -> str:
        if ppid == self.server_pid:
            return "gunicorn_workers"
        if name == "postgres":
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                return ""
            return "postgresql" if self.backend in command else ""
        return "redis" if name.startswith("redis-server") else ""

    def sample(self) -> None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                raw = stat.read_text()
            except OSError:
                continue  # a process that just ended
            name, fields = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 1 :].split()
            pid = int(stat.parent.name)
            group = self.group(pid, name, int(fields[1]))
            if group:
                seconds = (int(fields[11]) + int(fields[12])) / self.ticks  # utime + stime
                self.last[pid] = (group, seconds)
                self.first.setdefault(pid, seconds if self.started_at is None else 0.0)

    def machine(self) -> float:
        jiffies = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return (sum(jiffies) - jiffies[3] - jiffies[4]) / self.ticks

    def run(self) -> None:
        self.sample()
        self.started_at = time.monotonic()
        self.machine_start, self.own_start = self.machine(), sum(os.times()[:2])
        while not self.halt.wait(1.0):
            self.sample()

    def stop(self) -> dict:
        self.halt.set()
        self.join()
        self.sample()
        seconds = time.monotonic() - self.started_at
        used = dict.fromkeys(("gunicorn_workers", "postgresql", "redis"), 0.0)
        for pid, (group, cpu) in self.last.items():
            used[group] += cpu - self.first[pid]
        used["load_generator"] = sum(os.times()[:2]) - self.own_start
        busy = self.machine() - self.machine_start
        cores = {key: round(value / seconds, 2) for key, value in used.items()}
        cores["machine_busy"] = round(busy / seconds, 2)
        # Whatever else ran meanwhile: other people's work on a shared machine, the kernel...
        cores["other"] = round((busy - sum(used.values())) / seconds, 2)
        return cores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=120, help="seconds of load (default 120)")
    parser.add_argument("--readers", type=int, default=30)
    parser.add_argument("--residents", type=int, default=5)
    parser.add_argument("--reader-think", type=float, default=0.0, help="mean pause between reads, s")
    parser.add_argument("--resident-think", type=float, default=1.0, help="mean pause between proposals, s")
    parser.add_argument("--drain", type=float, default=60.0, help="seconds the moderator may go on after")
    parser.add_argument("--poll", type=float, default=1.0, help="moderator's dashboard refresh when idle, s")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3 sync)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker; >1 means gthread")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--database", default="agora_load")
    parser.add_argument("--redis-db", type=int, default=6)
    args = parser.parse_args()

    started = datetime.now(UTC)
    load_start_avg = None
    summary: dict = {"loadavg": {"start": loadavg()}}
    log(f"load average at start: {summary['loadavg']['start']} ({os.cpu_count()} cores)")
    RESULTS.mkdir(exist_ok=True)
    env = environment(args, files=RESULTS / "load")
    # The bench's residents all come through a handful of addresses: lift the hourly cap here
    # rather than in the code (the cap itself is tested in tests/test_proposals.py).
    env["AGORA_PROPOSALS_PER_HOUR"] = "1000000"
    facts = prepare(args, env)
    urls = probe(env, SITE_PROBE)
    before = probe(env, CENSUS)
    mix = reader_mix(urls)

    # No control socket: the default one (~/.gunicorn/gunicorn.ctl) is shared with any other gunicorn.
    options = ("--no-control-socket",)
    if args.threads > 1:
        options += ("--worker-class", "gthread", "--threads", str(args.threads))
    # Ctrl-C and SIGTERM must go through the `finally` that stops gunicorn (SIGINT too when the
    # bench was started in the background, where the shell makes it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = start_gunicorn(args.port, env, cache=True, workers=args.workers, options=options)
    ledger = Ledger()
    stop_event, residents_done = threading.Event(), threading.Event()
    try:
        readers = [
            threading.Thread(
                target=reader, args=(args.port, n, ledger, mix, stop_event, args.reader_think), daemon=True
            )
            for n in range(args.readers)
        ]
        residents = [
            threading.Thread(
                target=resident, args=(args.port, n, ledger, stop_event, args.resident_think), daemon=True
            )
            for n in range(args.residents)
        ]
        password = env.get("DEMO_PASSWORD", "agora-demo")
        mod = threading.Thread(
            target=moderator,
            args=(args.port, ledger, "moderatrice", password, residents_done, args.drain, args.poll),
            daemon=True,
        )
        load_start_avg = loadavg()
        log(
            f"load for {args.duration}s: {args.readers} readers, {args.residents} residents, 1 moderator; "
            f"gunicorn {args.workers} workers"
            + (f" × {args.threads} threads" if args.threads > 1 else " (sync)")
        )
        meter = CpuMeter(server.pid, args.database)
        meter.start()
        t0 = time.monotonic()
        for thread in (*readers, *residents, mod):
            thread.start()
        while time.monotonic() - t0 < args.duration:
            time.sleep(0.5)
        stop_event.set()
        for thread in (*readers, *residents):
            thread.join(timeout=60)
        load_seconds = time.monotonic() - t0
        cpu = meter.stop()
        residents_done.set()
        log(f"load over after {load_seconds:.1f}s; moderator drains the queue (at most {args.drain:.0f}s)")
        mod.join(timeout=args.drain + 60)
        log("no-loss proof: census of the database and every follow-up code fetched again")
        after = probe(env, CENSUS)
        proof = verify(args.port, ledger, before, after)
    except BaseException:
        ledger.aborted = True
        raise
    finally:
        stop_event.set()
        stop(server)
    roles, steps = summarise(ledger, load_seconds)
    summary.update(
        {
            "date": started.isoformat(timespec="seconds"),
            "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.platform()}",
            "git": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip(),
            "settings": "agora.settings.production",
            "database": args.database,
            "gunicorn": {"workers": args.workers, "threads": args.threads, "port": args.port},
            "duration_s": args.duration,
            "load_seconds": round(load_seconds, 1),
            "cores_used": cpu,
            "readers": args.readers,
            "residents": args.residents,
            "reader_think_s": args.reader_think,
            "resident_think_s": args.resident_think,
            "home_bytes": facts["home_bytes"],
            "roles": roles,
            "steps": steps,
            "proof": proof,
            "errors": ledger.errors,
            "server": server_problems(RESULTS / f"gunicorn-{args.port}.log"),
        }
    )
    summary["loadavg"].update({"load_start": load_start_avg, "end": loadavg()})
    out = RESULTS / f"load-{started:%Y%m%dT%H%M%SZ}.json"
    summary["saved"] = str(out.relative_to(ROOT))
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print_report(summary)
    failed = proof["lost"] or ledger.errors or summary["server"]["tracebacks"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
