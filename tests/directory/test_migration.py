"""The directory app took over Region, Station, Deputy and HandlingUnit without touching the
database: a database migrated as far as main had it keeps its rows, content types and
access-log labels."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from core.crypto import keyed_hash
from core.idnumbers import make_id_number
from core.models import PersonalDataAccess
from directory.models import Deputy, HandlingUnit, Region, Station

# The last migration of each app on main, before the directory app.
BEFORE = [
    ("accounts", "0002_password_history"),
    ("core", "0003_exportjob"),
    ("deputies", "0017_deputy_county_required"),
    ("dutyreports", "0004_photos_reencoded"),
    ("elections", "0005_candidate_party_occupation_choices"),
    ("linkages", "0003_remask_seven_character_phones"),
    ("oversight", "0001_initial"),
    ("public", "0002_photos_reencoded"),
    ("rosters", "0006_importjob_sheet"),
    ("stations", "0004_photos_reencoded"),
    ("suggestions", "0005_evaluation_code_restrict"),
]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_a_deputy_its_station_and_a_handling_unit():
    deputy_type = ContentType.objects.get_for_model(Deputy)
    executor = _executor()
    # Back to the state main had: no directory app, the models in stations, deputies, suggestions.
    executor.migrate([("directory", None), *BEFORE])
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("directory", "0001_initial") not in applied and set(BEFORE) <= set(applied)
    old = executor.loader.project_state(BEFORE).apps
    assert {"region", "station"} <= set(old.all_models["stations"])
    assert (
        "deputy" in old.all_models["deputies"] and "handlingunit" in old.all_models["suggestions"]
    )
    assert old.get_model("contenttypes", "ContentType").objects.get(
        pk=deputy_type.pk
    ).app_label == ("deputies")
    OldRegion = old.get_model("stations", "Region")
    county = OldRegion.objects.create(name="迁移县", code="519900", level="county")
    township = OldRegion.objects.create(
        name="迁移镇", code="519900001", level="township", parent=county, county=county
    )
    station = old.get_model("stations", "Station").objects.create(
        name="迁移镇代表之家", kind="home", county=county, township=township
    )
    id_number = make_id_number("519900", datetime.date(1970, 1, 1), 7, "M")
    deputy = old.get_model("deputies", "Deputy").objects.create(
        name="迁移代表",
        gender="M",
        birth_date=datetime.date(1970, 1, 1),
        id_number=id_number,
        id_number_hash=keyed_hash(id_number),
        county=county,
        station=station,
    )
    group = old.get_model("deputies", "DeputyGroup").objects.create(name="迁移小组", county=county)
    group.members.add(deputy)
    unit = old.get_model("suggestions", "HandlingUnit").objects.create(
        name="迁移局", county=county, kind="government"
    )
    user = old.get_model("accounts", "User").objects.create(
        username="migration", role="committee_staff", county=county, handling_unit=None
    )
    old.get_model("core", "PersonalDataAccess").objects.create(
        user=user,
        action="view",
        record_type="deputies.Deputy",
        record_id=str(deputy.pk),
        record_repr="迁移代表",
        fields="id_number",
    )

    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Deputy.objects.select_related("station__township", "county").get(pk=deputy.pk)
    assert moved.id_number == id_number
    assert (moved.station.pk, moved.station.township.pk, moved.county.pk) == (
        station.pk,
        township.pk,
        county.pk,
    )
    assert list(moved.groups.values_list("name", flat=True)) == ["迁移小组"]
    assert Station.objects.get(pk=station.pk).name == "迁移镇代表之家"
    assert Region.objects.get(pk=township.pk).parent_id == county.pk
    assert HandlingUnit.objects.get(pk=unit.pk).county_id == county.pk
    # The content type moved with the model (its pk, so granted permissions and audit entries
    # stay attached), and the access log names the model where it now lives.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Deputy).pk == deputy_type.pk
    assert Permission.objects.filter(
        content_type=deputy_type, codename="view_personal_data"
    ).exists()
    assert PersonalDataAccess.objects.get().record_type == "directory.Deputy"
