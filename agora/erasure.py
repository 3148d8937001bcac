"""The erasure journal: which personal records were erased, so that a restore erases them again.

Erasing a job seeker's record on request, purging it when it expires, or forgetting a letter
subscriber removes them from the database, but not from the backups taken before. Restoring
one of those would bring them back; so each erasure appends one JSON line to a journal kept
outside the database and outside the backed-up folders (AGORA_ERASURE_JOURNAL):
`{"model": "partners.jobseeker", "pk": 12, "at": "2026-03-12T09:30:00+00:00"}` — ids only,
never a name or an address. After a restore, `replay` erases again every record that the
journal says was erased after the backup was taken.

Each app tells how to erase its kind of record again with `register`, in its AppConfig.ready(),
so that this module knows no app: the function receives a primary key, erases that record
through the app's own action without journaling it a second time, and returns whether there
was one.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

Eraser = Callable[[int], bool]
erasers: dict[str, Eraser] = {}


def register(model_label: str, eraser: Eraser) -> None:
    """`model_label` as Model._meta.label_lower, e.g. "partners.jobseeker"."""
    erasers[model_label] = eraser


def journal_path() -> Path:
    return Path(settings.AGORA_ERASURE_JOURNAL)


def record_erasure(model_label: str, pks: Iterable[int]) -> None:
    """Append one line per erased record to the journal.

    Called inside the erasing transaction, before it commits: if the journal cannot be
    written, the erasure fails and is rolled back rather than being forgotten by the next
    restore. An erasure rolled back after its line was written is replayed all the same; it
    was asked for.
    """
    at = timezone.now().isoformat()
    lines = "".join(
        json.dumps({"model": model_label, "pk": pk, "at": at}, separators=(",", ":")) + "\n" for pk in pks
    )
    if not lines:
        return
    path = journal_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_APPEND: lines from several processes never overwrite each other.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as journal:
        journal.write(lines)
        journal.flush()
        os.fsync(journal.fileno())


@dataclass
class Entry:
    model: str
    pk: int
    at: datetime.datetime


def read_journal(since: datetime.datetime | None = None) -> list[Entry]:
    """The journal's entries, those at or after `since` when given; unreadable lines are skipped
    (a line cut short by a crash must not stop a restore)."""
    path = journal_path()
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(line)
            entry = Entry(model=data["model"], pk=data["pk"], at=datetime.datetime.fromisoformat(data["at"]))
        except (ValueError, KeyError, TypeError):
            logger.warning("Erasure journal %s: line %s is not readable, skipped", path, number)
            continue
        if since is None or entry.at >= since:
            entries.append(entry)
    return entries


@dataclass
class ReplayReport:
    erased: int = 0
    already_absent: int = 0
    unknown_models: set[str] = field(default_factory=set)


def replay(entries: Iterable[Entry]) -> ReplayReport:
    """Erase again each record listed that the database holds again (after a restore)."""
    report = ReplayReport()
    done: set[tuple[str, int]] = set()
    for entry in entries:
        if (entry.model, entry.pk) in done:
            continue
        done.add((entry.model, entry.pk))
        eraser = erasers.get(entry.model)
        if eraser is None:
            report.unknown_models.add(entry.model)
        elif eraser(entry.pk):
            report.erased += 1
        else:
            report.already_absent += 1
    return report
