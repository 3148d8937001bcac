"""E-mail backends that sign every message with the site's own domain.

Django names a message after the machine's host name (`make_msgid(domain=DNS_NAME)`), which is
"localhost" in most containers: mail servers score such messages as spam, and a reply or a
bounce cannot be threaded. Every message Agora sends — moderation alerts, the letter, password
resets, Wagtail's own notifications — leaves through one of these backends, which give it a
Message-ID on the domain of SITE_URL unless it already has one.
"""

from email.utils import make_msgid

from django.core.mail.backends import console, smtp

from agora.addresses import site_domain


class SiteMessageIds:
    def send_messages(self, email_messages):
        for message in email_messages:
            if not any(name.lower() == "message-id" for name in message.extra_headers):
                message.extra_headers["Message-ID"] = make_msgid(domain=site_domain())
        return super().send_messages(email_messages)


class SmtpBackend(SiteMessageIds, smtp.EmailBackend):
    pass


class ConsoleBackend(SiteMessageIds, console.EmailBackend):
    pass
