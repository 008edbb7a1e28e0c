from django.db import migrations

# The national convention; deployments rename or add categories in the admin.
CATEGORIES = [
    ("A", "已解决或基本解决", True, 1),
    ("B", "正在解决或列入计划解决", False, 2),
    ("C", "因条件限制需以后解决", False, 3),
    ("D", "留作参考", False, 4),
]


def create(apps, schema_editor):
    ReplyCategory = apps.get_model("suggestions", "ReplyCategory")
    for code, name, solved, ordering in CATEGORIES:
        ReplyCategory.objects.get_or_create(
            code=code, defaults={"name": name, "counts_as_solved": solved, "ordering": ordering}
        )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0002_replycategory_suggestion_reply_publicmeeting_and_more")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
