# The county of every deputy is filled (0016); it is required from now on. A migration of its
# own: PostgreSQL cannot alter a table with the fill's deferred constraint checks pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0016_deputy_county_unstationed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deputy",
            name="county",
            field=models.ForeignKey(limit_choices_to={"level": "county"}, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="stations.region", verbose_name="所属县"),
        ),
    ]
