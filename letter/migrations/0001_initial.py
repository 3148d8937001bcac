"""The letter's models, moved from the posts app without touching a row.

Their tables were created by posts' 0004_digest and keep their names (the models' db_table):
this migration only declares them in the letter app's state, and posts' 0007 removes them from
posts' state. No row is copied, so every subscriber, token and delivery stays as it was, on a
database that had them as on a fresh one. It also carries over what referred to the models by
their old app: their content types (and so the permissions granted on them), and the e-mails
queued for the background worker under the old module's path.
"""

import django.db.models.deletion
from django.db import migrations, models

import letter.models

MODELS = ("digestsubscription", "digestdelivery")
TASK_PATHS = {
    "posts.digest.send_confirmation_email": "letter.subscriptions.send_confirmation_email",
    "posts.digest.send_weekly_digest_task": "letter.sending.send_weekly_digest_task",
}


def move_content_types(apps, schema_editor, old="posts", new="letter"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        # On a fresh database none exists yet: post_migrate creates letter's afterwards.
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="letter", new="posts")


def move_queued_tasks(apps, schema_editor, paths=TASK_PATHS):
    # The worker finds a task by its module's path: a confirmation e-mail queued just before
    # the upgrade must still be sent after it.
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    results = DBTaskResult.objects.using(schema_editor.connection.alias)
    for old_path, new_path in paths.items():
        results.filter(task_path=old_path).update(task_path=new_path)


def move_queued_tasks_back(apps, schema_editor):
    move_queued_tasks(apps, schema_editor, paths={new: old for old, new in TASK_PATHS.items()})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("posts", "0004_digest"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DigestSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, unique=True, verbose_name="adresse e-mail")),
                        (
                            "token",
                            models.CharField(
                                default=letter.models.new_digest_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                                verbose_name="jeton",
                            ),
                        ),
                        ("language", models.CharField(default="fr", max_length=10, verbose_name="langue")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="demandée le")),
                        (
                            "confirmation_sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="confirmation envoyée le"),
                        ),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="confirmée le")),
                    ],
                    options={
                        "verbose_name": "abonnement à la lettre",
                        "verbose_name_plural": "abonnements à la lettre",
                        "db_table": "posts_digestsubscription",
                    },
                ),
                migrations.CreateModel(
                    name="DigestDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("week", models.DateField(verbose_name="semaine (lundi)")),
                        ("sent_at", models.DateTimeField(verbose_name="envoyée le")),
                        (
                            "subscription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="letter.digestsubscription",
                                verbose_name="abonnement",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "envoi de la lettre",
                        "verbose_name_plural": "envois de la lettre",
                        "db_table": "posts_digestdelivery",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("subscription", "week"), name="digest_one_delivery_per_week"
                            )
                        ],
                    },
                ),
            ],
            # The tables exist: posts' 0004_digest created them.
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.RunPython(move_queued_tasks, move_queued_tasks_back),
    ]
