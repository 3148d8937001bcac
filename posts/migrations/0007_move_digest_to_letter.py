"""DigestSubscription and DigestDelivery now belong to the letter app.

State only: their tables stay, adopted as they are by letter's 0001_initial, which runs first
so that the models are never missing from the project's state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0006_remove_proposal_contact_phone"),
        ("letter", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DigestDelivery"),
                migrations.DeleteModel(name="DigestSubscription"),
            ],
            database_operations=[],
        ),
    ]
