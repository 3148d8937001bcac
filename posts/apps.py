from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Publications")

    def ready(self):
        from wagtail.models import TaskState, WorkflowState
        from wagtail.signals import task_submitted, workflow_submitted

        from agora import erasure
        from posts import digest, signals  # noqa: F401
        from posts.models import DigestSubscription

        erasure.register(DigestSubscription._meta.label_lower, digest.forget_again)

        # Agora e-mails moderators itself, through a background task and to Modérateurs only;
        # Wagtail's own submission e-mails would also reach every superuser.
        task_submitted.disconnect(
            sender=TaskState, dispatch_uid="group_approval_task_submitted_email_notification"
        )
        workflow_submitted.disconnect(
            sender=WorkflowState, dispatch_uid="workflow_state_submitted_email_notification"
        )
