"""The congress of a suggestion is required, and numbers are unique per congress (a separate
migration from the data: PostgreSQL will not alter a table with the data step's pending
foreign-key checks in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0009_congress_level_and_wording"),
    ]

    operations = [
        migrations.AlterField(
            model_name="suggestion",
            name="congress",
            field=models.ForeignKey(
                help_text="县级建议为本县,乡镇建议为该乡镇。",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.region",
                verbose_name="所属人大",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="suggestion",
            name="suggestion_unique_number",
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(
                fields=["congress", "status"], name="suggestions_congres_1592c5_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number", ""), _negated=True),
                fields=("congress", "number"),
                name="suggestion_unique_number_per_congress",
            ),
        ),
    ]
