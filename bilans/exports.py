"""The activity report as a spreadsheet: CSV (semicolons, as French spreadsheets open it) and
XLSX, with the same rows: the figures, the months, the partners and the press mentions."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from django.http import HttpResponse
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sections(report, title: str) -> list[tuple[str, list[list]]]:
    """(sheet name, rows) of each part of the report; the first row of each part is its header."""
    return [
        (
            _("Synthèse"),
            [[title, report.period.label], [_("Indicateur"), _("Valeur")], *map(list, report.summary_rows())],
        ),
        (
            _("Par mois"),
            [[_("Mois"), _("Événements"), _("Participants")]]
            + [[month.label, month.events, month.participants] for month in report.months],
        ),
        (_("Partenaires"), [[_("Partenaire")]] + [[name] for name in report.partners]),
        (
            _("Presse"),
            [[_("Date"), _("Titre"), _("Média"), _("Lien")]]
            + [
                [mention.published_on, mention.title, mention.outlet, mention.url] for mention in report.press
            ],
        ),
    ]


def attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(report, title: str, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for index, (name, rows) in enumerate(sections(report, title)):
        if index:
            writer.writerow([])
            writer.writerow([name])
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
    # With a byte order mark, spreadsheets read the accents right.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, f"{filename}.csv")


def xlsx_response(report, title: str, filename: str) -> HttpResponse:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sections(report, title):
        sheet = workbook.create_sheet(name[:31])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        header = 2 if name == _("Synthèse") else 1
        for cell in sheet[header]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 55 if name == _("Synthèse") else 20
        sheet.column_dimensions["B"].width = 40
    output = io.BytesIO()
    workbook.save(output)
    return attachment(HttpResponse(output.getvalue(), content_type=XLSX_TYPE), f"{filename}.xlsx")


def safe_cell(value):
    """A text that a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
