"""Agora's management commands follow --verbosity: at 0 a scheduled run writes nothing on stdout
(a cron job mails whatever it prints), and errors alone reach stderr."""

from io import StringIO
from pathlib import Path

import pytest

from django.core.management import call_command, load_command_class

ROOT = Path(__file__).resolve().parent.parent

# Every command with the arguments it needs to run to its end on a small site.
QUIET_RUNS = {
    "purge_expired": [],
    "purge_expired --dry-run": ["--dry-run"],
    "clean_image_metadata": [],
    "setup_moderation": [],
    "seed_demo": ["--force"],
    "send_digest": [],
}
# backup and restore replace files and the database: their own test below.
RUN_APART = {"backup", "restore"}


def quiet_run(name: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, verbosity=0, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_command_of_agora_is_run_quietly_here():
    commands = {
        path.stem
        for path in ROOT.glob("*/management/commands/*.py")
        if not path.name.startswith("_") and ".venv" not in path.parts
    }

    assert commands == {run.split()[0] for run in QUIET_RUNS} | RUN_APART


@pytest.mark.parametrize("run", QUIET_RUNS)
def test_a_command_at_verbosity_0_prints_nothing(run, home_page, make_acteur, make_image, make_event):
    make_acteur("Centre social de la Rabière")
    make_image("Atelier")
    make_event("Atelier informatique pour débuter")
    name = run.split()[0]

    out, err = quiet_run(name, *QUIET_RUNS[run])

    assert (out, err) == ("", "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_at_verbosity_0_print_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.AGORA_ERASURE_JOURNAL = tmp_path / "journal" / "erasure-journal.jsonl"
    output = tmp_path / "sauvegardes"

    assert quiet_run("backup", "--output", str(output)) == ("", "")
    (archive,) = output.iterdir()
    assert quiet_run("restore", str(archive), "--yes") == ("", "")


@pytest.mark.parametrize("name", sorted({run.split()[0] for run in QUIET_RUNS} | RUN_APART))
def test_a_command_help_is_shown_in_french(name):
    app = next(path.parts[-4] for path in ROOT.glob(f"*/management/commands/{name}.py"))
    command = load_command_class(app, name)

    text = command.create_parser("manage.py", name).format_help()

    assert str(command.help).split()[0] in text
