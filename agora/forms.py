"""The form helpers every app shares: how a form is drawn, its date widget, the honeypot of
public forms, and sending a form once.

Every form is drawn by Django's form renderer with Agora's templates (FormRenderer, the
FORM_RENDERER setting): `{{ form }}` gives the error summary (templates/includes/form_errors.html),
then each field with its label, help and error tied to the input (templates/forms/field.html).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from agora import submissions


class FormRenderer(TemplatesSetting):
    """Django's renderer, reading the project's templates, with Agora's form and field layout."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO 8601, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"


# --- Honeypot of public forms ------------------------------------------------------------

HONEYPOT_FIELD = "site_web"


class HoneypotInput(forms.TextInput):
    """Drawn out of sight by forms/field.html (its widget type is "honeypot"), out of the tab
    order and never filled in by the browser: only robots fill it in."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off", **(attrs or {})})


class HoneypotForm(forms.Form):
    """A public form with a field hidden from people; a value in it means a robot sent the form."""

    # Named like a field a robot would want to fill.
    site_web = forms.CharField(label=_("Ne remplissez pas ce champ"), required=False, widget=HoneypotInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # After the fields people fill in, whatever the form declares.
        self.fields[HONEYPOT_FIELD] = self.fields.pop(HONEYPOT_FIELD)

    @property
    def is_spam(self) -> bool:
        value = self.data.get(HONEYPOT_FIELD, "")
        return isinstance(value, str) and bool(value.strip())


# --- Sending a form once -----------------------------------------------------------------

ALREADY_SENDING = _(
    "Ce formulaire est déjà en cours d'envoi. Patientez un instant, puis envoyez-le de "
    "nouveau : vous verrez le résultat sans rien créer en double."
)


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a ValidationError raised by an action on the form, next to the right fields."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit_once(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[], str],
    *,
    scope: str,
    done: Callable[[str], HttpResponse] = redirect,
) -> HttpResponse | None:
    """Validate a posted form and run `act` once per displayed form (agora.submissions).

    `act` does what the form asks and returns a result to remember (a URL, a receipt code);
    `done` turns that result into the response (by default, a redirect to the URL). The same
    form sent again gets `done` of the first result without acting: it is recognised by its
    one-time token before validation, since what the first sending created can make the same
    data invalid. Returns None when the form is to be shown again with its errors: its own,
    those `act` raised as a ValidationError, or the notice (code "busy") that the first
    sending is still under way.
    """
    token = submissions.posted_token(request.POST)
    previous = submissions.claim(request, scope, token)
    if previous:
        return done(previous)
    if previous is not None:
        form.add_error(None, ValidationError(ALREADY_SENDING, code="busy"))
        return None
    try:
        if not form.is_valid():
            submissions.forget(request, scope, token)
            return None
        result = act()
    except ValidationError as error:
        submissions.forget(request, scope, token)
        add_action_errors(form, error)
        return None
    except BaseException:
        submissions.forget(request, scope, token)
        raise
    submissions.remember(request, scope, token, result)
    return done(result)
