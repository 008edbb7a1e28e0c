"""A suggestion belongs to a congress (issue 20): the county's or a township's. Existing rows take
the congress of the lead deputy's mandate — the county's when the deputy holds a county mandate
(every suggestion of the demo), else the township where the township deputy is stationed.
Numbers become unique per congress. The statuses keep their stored values with the wording of
deputies' suggestions (已登记, 不作为代表建议处理); the timeline's "立案" notes follow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def set_congress(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Mandate = apps.get_model("directory", "Mandate")
    SuggestionEvent = apps.get_model("suggestions", "SuggestionEvent")
    county_leads = Mandate.objects.filter(level="county", is_active=True).values("deputy_id")
    township_leads = Mandate.objects.filter(level="township", is_active=True).values("deputy_id")
    Suggestion.objects.filter(lead_deputy_id__in=county_leads).update(
        congress_level="county", congress_id=models.F("county_id")
    )
    township_rows = Suggestion.objects.filter(
        congress__isnull=True,
        lead_deputy_id__in=township_leads,
        lead_deputy__station__isnull=False,
    ).values_list("pk", "lead_deputy__station__township_id")
    for pk, township_id in township_rows.iterator():
        Suggestion.objects.filter(pk=pk).update(congress_level="township", congress_id=township_id)
    # A lead without an active mandate of either level (a former deputy): the county's.
    Suggestion.objects.filter(congress__isnull=True).update(
        congress_level="county", congress_id=models.F("county_id")
    )
    SuggestionEvent.objects.filter(note="立案").update(note="登记")


def unset_congress(apps, schema_editor):
    SuggestionEvent = apps.get_model("suggestions", "SuggestionEvent")
    SuggestionEvent.objects.filter(note="登记").update(note="立案")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_content_types"),
        ("stations", "0006_regions_to_directory_delete"),
        ("suggestions", "0008_extension_closed_on_reply"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="congress",
            field=models.ForeignKey(
                help_text="县级建议为本县,乡镇建议为该乡镇。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.region",
                verbose_name="所属人大",
            ),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="congress_level",
            field=models.CharField(
                choices=[("county", "县人民代表大会"), ("township", "乡镇人民代表大会")],
                db_index=True,
                default="county",
                max_length=10,
                verbose_name="人大层级",
            ),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="converted_opinion",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="stations.opinion",
                verbose_name="转成的群众意见",
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="not_registered_reason",
            field=models.TextField(blank=True, verbose_name="不作为代表建议处理的理由"),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已提交"),
                    ("registered", "已登记"),
                    ("not_registered", "不作为代表建议处理(转为参考意见)"),
                    ("converted", "不作为代表建议处理(转为群众意见)"),
                    ("assigned", "已交办"),
                    ("in_handling", "办理中"),
                    ("replied", "已答复"),
                    ("evaluated", "已测评"),
                    ("closed", "已办结"),
                ],
                db_index=True,
                default="draft",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="suggestionevent",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已提交"),
                    ("registered", "已登记"),
                    ("not_registered", "不作为代表建议处理(转为参考意见)"),
                    ("converted", "不作为代表建议处理(转为群众意见)"),
                    ("assigned", "已交办"),
                    ("in_handling", "办理中"),
                    ("replied", "已答复"),
                    ("evaluated", "已测评"),
                    ("closed", "已办结"),
                ],
                max_length=20,
                verbose_name="新状态",
            ),
        ),
        migrations.RunPython(set_congress, unset_congress, elidable=False),
    ]
