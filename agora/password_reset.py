"""The admin's password reset form (/admin/password_reset/), limited per address and per account.

Each request sends an e-mail to the account's address: without a limit, anyone could flood an
inbox or the mail server. Over a limit, nothing is sent and the visitor sees the same "check
your e-mail" page as always, so the form never tells whether an account exists.
Installed by WAGTAILADMIN_USER_PASSWORD_RESET_FORM.
"""

from django.conf import settings

from wagtail.admin.forms.auth import PasswordResetForm

from agora.ratelimit import hit, salted_hash

WINDOW_SECONDS = 3600


class RateLimitedPasswordResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        account = salted_hash(self.cleaned_data["email"].strip().lower())
        if not hit(request, "password_reset", settings.AGORA_PASSWORD_RESETS_PER_ADDRESS, WINDOW_SECONDS):
            return
        if not hit(
            request,
            "password_reset_account",
            settings.AGORA_PASSWORD_RESETS_PER_ACCOUNT,
            WINDOW_SECONDS,
            who=account,
        ):
            return
        super().save(*args, request=request, **kwargs)
