"""The sealed column for a job's first rows, and ImportRow (each row's outcome, sealed).
Converted by 0003, the clear column dropped by 0004: three migrations, because PostgreSQL
refuses to alter a table in the transaction that wrote rows referring to it."""

import django.db.models.deletion
from django.db import migrations, models

import core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("rosters", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="head_sealed",
            field=core.crypto.EncryptedJSONField(blank=True, default=list, verbose_name="前几行"),
        ),
        migrations.CreateModel(
            name="ImportRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row", models.PositiveIntegerField(verbose_name="行")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("create", "新增"),
                            ("update", "更新"),
                            ("unchanged", "无变化"),
                            ("duplicate", "重复行(忽略)"),
                            ("error", "有错误"),
                        ],
                        max_length=10,
                        verbose_name="结果",
                    ),
                ),
                ("content", core.crypto.EncryptedJSONField(default=dict, verbose_name="内容")),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="rosters.importjob",
                    ),
                ),
            ],
            options={
                "verbose_name": "导入行",
                "verbose_name_plural": "导入行",
                "ordering": ["job", "row"],
                "indexes": [
                    models.Index(
                        fields=["job", "status", "row"], name="rosters_imp_job_id_fa52cc_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("job", "row"), name="rosters_importrow_unique_row"
                    )
                ],
            },
        ),
    ]
