from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("oversight", "0004_votes_anonymous_rotation_without_members")]

    operations = [migrations.DeleteModel(name="CommitteeVote")]
