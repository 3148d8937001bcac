from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Publications")

    def ready(self):
        from wagtail.models import Page, TaskState, WorkflowState
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import task_submitted, workflow_submitted

        from posts import signals  # noqa: F401
        from posts.page_policy import AssociationPagePermissionPolicy

        # Before the admin asks for it: association staff see their association's pages only.
        register_permission_policy(Page, AssociationPagePermissionPolicy(Page))

        # Agora e-mails moderators itself, through a background task and to Modérateurs only;
        # Wagtail's own submission e-mails would also reach every superuser.
        task_submitted.disconnect(
            sender=TaskState, dispatch_uid="group_approval_task_submitted_email_notification"
        )
        workflow_submitted.disconnect(
            sender=WorkflowState, dispatch_uid="workflow_state_submitted_email_notification"
        )
