"""The activity report: what an association (or the whole agora) did in a period, in figures.

One function computes it, `activity_report(acteur_ids, period)`, for the admin's report, its
CSV, XLSX and printable versions, the comparison table and the public yearly summaries alike:

- events held: each occurrence of a live event that started in the period, before now;
- hours of activity: the length of those occurrences, all-day events apart (their length says
  nothing of the time spent);
- participants, volunteers and partners: from the outcomes (bilans.models.Outcome) of the
  period; the under-25 and residents shares are computed on the outcomes that give them;
- publications: news and portraits first published in the period, still live;
- residents' proposals made in the period and credited to the association, published ones,
  and those sent from the social centre's kiosk;
- press mentions published in the period.

Only figures and names of organisations leave this module: no resident's name or contact.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from taggit.models import Tag

from bilans.models import Outcome, PressMention
from posts import recurrence
from posts.models import EventPage, PortraitPage, ProjectNewsPage, Proposal

FIRST_YEAR = 2000
MAX_PERIOD_DAYS = 366 * 5
TOP_TAGS = 8


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included, in Paris time."""

    first: date
    last: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def is_calendar_year(self) -> bool:
        return self.first == date(self.first.year, 1, 1) and self.last == date(self.first.year, 12, 31)

    @property
    def start(self) -> datetime:
        return recurrence.day_bounds(self.first)[0]

    @property
    def end(self) -> datetime:
        return recurrence.day_bounds(self.last)[1]

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    @property
    def label(self) -> str:
        if self.is_calendar_year:
            return _("Année %(year)s") % {"year": self.first.year}
        return _("Du %(first)s au %(last)s") % {
            "first": date_format(self.first, "SHORT_DATE_FORMAT"),
            "last": date_format(self.last, "SHORT_DATE_FORMAT"),
        }

    @property
    def slug(self) -> str:
        """For file names: 2025, or 2025-02-01_2025-03-31."""
        if self.is_calendar_year:
            return str(self.first.year)
        return f"{self.first.isoformat()}_{self.last.isoformat()}"


def period_from(params, today: date | None = None) -> Period:
    """The period a query string asks for: ?debut=…&fin=… (ISO dates), else ?annee=…, else the
    current calendar year. Anything unreadable falls back to the current year."""
    today = today or timezone.localdate()
    first, last = parse_day(params.get("debut")), parse_day(params.get("fin"))
    if first and last and first <= last and (last - first).days <= MAX_PERIOD_DAYS:
        return Period(first, last)
    year = params.get("annee", "")
    if year.isdigit() and FIRST_YEAR <= int(year) <= today.year + 1:
        return Period.year(int(year))
    return Period.year(today.year)


def parse_day(value) -> date | None:
    try:
        day = parse_date((value or "").strip())
    except ValueError:
        return None
    return day if day and FIRST_YEAR <= day.year <= 2100 else None


# --- The report ----------------------------------------------------------------------------


@dataclass
class Month:
    month: date
    events: int = 0
    participants: int = 0

    @property
    def label(self) -> str:
        return date_format(self.month, "F Y")

    @property
    def short_label(self) -> str:
        return date_format(self.month, "M")


@dataclass
class ActivityReport:
    period: Period
    events: int = 0
    hours: float = 0
    outcomes: int = 0
    participants: int = 0
    participants_known: int = 0  # outcomes that give the number of participants
    under_25: int = 0
    under_25_base: int = 0  # participants of the outcomes that give the under-25
    residents: int = 0
    residents_base: int = 0
    volunteers: int = 0
    news: int = 0
    portraits: int = 0
    proposals_received: int = 0
    proposals_published: int = 0
    proposals_from_kiosk: int = 0
    partners: list[str] = field(default_factory=list)
    press: list = field(default_factory=list)
    months: list[Month] = field(default_factory=list)

    @property
    def under_25_share(self) -> float | None:
        return self.under_25 / self.under_25_base if self.under_25_base else None

    @property
    def residents_share(self) -> float | None:
        return self.residents / self.residents_base if self.residents_base else None

    @property
    def publications(self) -> int:
        return self.news + self.portraits

    def summary_rows(self) -> list[tuple[str, object]]:
        """(label, value) of each figure, in the order every version of the report shows them."""
        return [
            (_("Événements réalisés (chaque séance compte)"), self.events),
            (_("Heures d'activité"), round(self.hours, 1)),
            (_("Séances avec un bilan"), self.outcomes),
            (_("Participants (séances où le nombre est connu)"), self.participants),
            (_("Séances où le nombre de participants est connu"), self.participants_known),
            (_("dont moins de 25 ans"), self.under_25),
            (_("Part des moins de 25 ans (là où elle est connue)"), percent(self.under_25_share)),
            (_("dont habitants du quartier"), self.residents),
            (_("Part des habitants du quartier (là où elle est connue)"), percent(self.residents_share)),
            (_("Bénévoles mobilisés"), self.volunteers),
            (_("Actualités publiées"), self.news),
            (_("Portraits publiés"), self.portraits),
            (_("Propositions d'habitants reçues"), self.proposals_received),
            (_("Propositions d'habitants publiées"), self.proposals_published),
            (_("Propositions envoyées depuis le poste du centre social"), self.proposals_from_kiosk),
            (_("Partenaires associés"), len(self.partners)),
            (_("Articles de presse"), len(self.press)),
        ]


def percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)} %"


def activity_report(
    acteur_ids: set[int] | None, period: Period, *, now: datetime | None = None, public: bool = False
) -> ActivityReport:
    """The figures of the associations `acteur_ids` (None: the whole agora) over `period`.

    `public` for the public site: only the events and publications it lists (live, and not
    made private with Wagtail's privacy settings); the admin's report counts every live one."""
    now = now or timezone.now()
    report = ActivityReport(period=period)
    months = {month: Month(month) for month in period.months()}

    for occurrence in held_occurrences(acteur_ids, period, now, public=public):
        report.events += 1
        months[occurrence.start_date.replace(day=1)].events += 1
        if not occurrence.event.all_day:
            report.hours += (occurrence.end - occurrence.start).total_seconds() / 3600

    partners = {}
    for outcome in outcomes_of(acteur_ids, period, public=public):
        report.outcomes += 1
        report.volunteers += outcome.volunteers or 0
        for name in outcome.partner_names:
            partners.setdefault(name.casefold(), name)
        if outcome.participants is None:
            continue
        report.participants += outcome.participants
        report.participants_known += 1
        months[outcome.date.replace(day=1)].participants += outcome.participants
        if outcome.under_25 is not None:
            report.under_25 += outcome.under_25
            report.under_25_base += outcome.participants
        if outcome.residents is not None:
            report.residents += outcome.residents
            report.residents_base += outcome.participants
    report.partners = sorted(partners.values(), key=str.casefold)

    report.news = published_in(ProjectNewsPage, acteur_ids, period, public=public).count()
    report.portraits = published_in(PortraitPage, acteur_ids, period, public=public).count()
    proposals = proposals_of(acteur_ids, period)
    report.proposals_received = proposals.count()
    report.proposals_published = proposals.filter(status=Proposal.Status.PUBLISHED).count()
    report.proposals_from_kiosk = proposals.filter(from_kiosk=True).count()
    press = PressMention.objects.between(period.first, period.last).select_related("acteur")
    report.press = list(press if acteur_ids is None else press.for_acteurs(acteur_ids))
    report.months = list(months.values())
    return report


def scoped(queryset, acteur_ids, path="acteur_id"):
    return queryset if acteur_ids is None else queryset.filter(**{f"{path}__in": acteur_ids})


def shown(model, public: bool):
    return model.objects.listed() if public else model.objects.live()


def held_occurrences(acteur_ids, period: Period, now: datetime, *, public=False):
    """The occurrences of live (public: listed) events that started in the period, before `now`."""
    before = min(period.end, now)
    events = scoped(shown(EventPage, public), acteur_ids).filter(start__lt=before).defer_streamfields()
    occurrences = recurrence.expand_all(events.prefetch_related("extra_dates"), before=before)
    return [occ for occ in occurrences if occ.start >= period.start]


def outcomes_of(acteur_ids, period: Period, *, public=False):
    events = shown(EventPage, public).values("pk")
    outcomes = Outcome.objects.filter(event__in=events).between(period.first, period.last)
    return scoped(outcomes, acteur_ids, "event__acteur_id")


def published_in(model, acteur_ids, period: Period, *, public=False):
    pages = shown(model, public).filter(
        first_published_at__gte=period.start, first_published_at__lt=period.end
    )
    return scoped(pages, acteur_ids)


def proposals_of(acteur_ids, period: Period):
    proposals = Proposal.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if acteur_ids is None:
        return proposals
    credited = Q()
    for model in (EventPage, ProjectNewsPage, PortraitPage):
        credited |= Q(page_id__in=model.objects.filter(acteur_id__in=acteur_ids).values("pk"))
    return proposals.filter(credited)


# --- The agora's year in numbers (public) ---------------------------------------------------


@dataclass
class YearInNumbers:
    report: ActivityReport
    associations: int
    tags: list


def year_in_numbers(year: int, *, now: datetime | None = None) -> YearInNumbers:
    """The public figures of the whole agora for a calendar year: only what the public site
    lists (live pages not made private), and only aggregates."""
    now = now or timezone.now()
    period = Period.year(year)
    report = activity_report(None, period, now=now, public=True)
    occurrences = held_occurrences(None, period, now, public=True)
    news = published_in(ProjectNewsPage, None, period, public=True)
    portraits = published_in(PortraitPage, None, period, public=True)
    events = {occ.event.pk for occ in occurrences}
    active = {occ.event.acteur_id for occ in occurrences}
    active |= set(news.values_list("acteur_id", flat=True)) | set(
        portraits.values_list("acteur_id", flat=True)
    )
    active.discard(None)
    return YearInNumbers(
        report=report, associations=len(active), tags=most_used_tags(events, news, portraits)
    )


def most_used_tags(event_ids, news, portraits) -> list:
    """The tags of the year's events, news and portraits, the most used first."""
    counts = Counter()
    for model, pages in (
        (EventPage, event_ids),
        (ProjectNewsPage, news.values("pk")),
        (PortraitPage, portraits.values("pk")),
    ):
        through = model._meta.get_field("tags").through
        rows = through.objects.filter(content_object__in=pages).values("tag_id").annotate(uses=Count("id"))
        counts.update({row["tag_id"]: row["uses"] for row in rows})
    names = dict(Tag.objects.filter(pk__in=counts).values_list("pk", "name"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]].casefold()))
    return [(names[pk], uses) for pk, uses in ranked[:TOP_TAGS]]
