"""A request for more time still 待审批 when its suggestion was answered (in its round or a later
one) is closed: the answer made it moot. Reversing puts those requests back to 待审批."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.utils import timezone


def close_answered(apps, schema_editor):
    DeadlineExtension = apps.get_model("suggestions", "DeadlineExtension")
    Reply = apps.get_model("suggestions", "Reply")
    answered = Reply.objects.filter(
        suggestion_id=OuterRef("suggestion_id"), round__gte=OuterRef("round")
    )
    DeadlineExtension.objects.filter(status="pending").filter(Exists(answered)).update(
        status="closed", decided_at=timezone.now()
    )


def reopen(apps, schema_editor):
    DeadlineExtension = apps.get_model("suggestions", "DeadlineExtension")
    DeadlineExtension.objects.filter(status="closed", decided_by__isnull=True).update(
        status="pending", decided_at=None
    )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0007_co_signers_named_one_way")]

    operations = [
        migrations.AlterField(
            model_name="deadlineextension",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待审批"),
                    ("approved", "已批准"),
                    ("rejected", "不予批准"),
                    ("closed", "已答复,无需审批"),
                ],
                default="pending",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(close_answered, reopen),
    ]
