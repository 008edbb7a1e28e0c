"""The stations roster (代表之家、联络站) and the handling units roster (承办单位)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import listcache
from directory.models import HandlingUnit, Region, Station

from . import cells
from .sheets import Column
from .simple import CountyResolver, RowReader, SimpleRoster


def _reception_day(value) -> int | None:
    day = cells.integer(
        cells.compact(value).removeprefix("每月").removesuffix("日").removesuffix("号")
    )
    if day is not None and not 1 <= day <= 28:
        raise cells.CellError(_("接待日应为每月1–28日"))
    return day


class StationRoster(SimpleRoster):
    KEY = "stations"
    TITLE = gettext_lazy("家站名册")
    COLUMNS = (
        Column("name", "名称", ("家站名称", "站点名称", "代表之家(联络站)名称"), required=True),
        Column("kind", "类型", ("家站类型", "站点类型"), required=True),
        Column("township", "乡镇(街道)", ("乡镇", "所属乡镇", "乡镇街道"), required=True),
        Column("village", "村(社区)", ("村", "所在村", "所在村(社区)", "村社区")),
        Column("address", "地址", ("详细地址",)),
        Column("phone", "联系电话", ("电话",)),
        Column("reception_day", "每月固定接待日", ("接待日", "固定接待日")),
        Column("county", "所属县", ("县", "县(市、区)")),
    )
    VALUE_COLUMNS = {"kind": "station_kind"}  # noqa: RUF012
    model = Station
    fields = ("kind", "village", "address", "phone", "reception_day")
    labels = {  # noqa: RUF012
        "kind": gettext_lazy("类型"),
        "village": gettext_lazy("村(社区)"),
        "address": gettext_lazy("地址"),
        "phone": gettext_lazy("联系电话"),
        "reception_day": gettext_lazy("每月固定接待日"),
    }

    def __init__(self, user):
        super().__init__(user)
        self.counties = CountyResolver(user)
        county_ids = [c.pk for c in self.counties.by_name.values()]
        self.townships = {}
        self.villages = {}
        for region in Region.objects.filter(
            county_id__in=county_ids, level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE]
        ):
            if region.level == Region.Level.TOWNSHIP:
                self.townships[(region.county_id, cells.compact(region.name))] = region
            else:
                self.villages[(region.parent_id, cells.compact(region.name))] = region

    def read(self, reader: RowReader) -> None:
        reader.read("name", cells.text, required_label=_("名称"), max_length=80)
        self.read_value(reader, "kind", required_label=_("类型"))
        county = self.counties.resolve(reader)
        reader.values.pop("county", None)
        name = reader.read("township", cells.compact, required_label=_("乡镇(街道)"))
        township = self.townships.get((county.pk, name)) if county and name else None
        if county and name and township is None:
            reader.fail(
                "township", _("%(c)s没有名为“%(n)s”的乡镇(街道)") % {"c": county, "n": name}
            )
        reader.values["township"] = township
        village_name = reader.read("village", cells.compact)
        village = None
        if village_name and township is not None:
            village = self.villages.get((township.pk, village_name))
            if village is None:
                reader.fail(
                    "village",
                    _("%(t)s没有名为“%(n)s”的村(社区)") % {"t": township, "n": village_name},
                )
        reader.values["village"] = village
        if reader.values.get("kind") == Station.Kind.LIAISON and not village_name:
            reader.fail("village", _("代表联络站须设在村(社区)"))
        reader.read("address", cells.text, max_length=200)
        reader.read("phone", cells.phone)
        reader.read("reception_day", _reception_day)

    def natural_key(self, values):
        return (values["township"].pk, values["name"])

    def existing(self, keys):
        query = Q()
        for township_id, name in keys:
            query |= Q(township_id=township_id, name=name)
        return {(s.township_id, s.name): s for s in Station.objects.filter(query)}

    def build(self, values):
        station = super().build(values)
        station.name = values["name"]
        station.township = values["township"]
        station.county_id = values["township"].county_id
        return station

    def differs(self, obj, field, value):
        if field == "village":
            return obj.village_id != value.pk
        return super().differs(obj, field, value)

    def save(self, new, changed):
        super().save(new, changed)
        listcache.bump()


class HandlingUnitRoster(SimpleRoster):
    KEY = "units"
    TITLE = gettext_lazy("承办单位名册")
    COLUMNS = (
        Column("name", "单位名称", ("承办单位", "名称", "承办单位名称"), required=True),
        Column("kind", "类别", ("单位类别",)),
        Column("contact_person", "联系人", ()),
        Column("phone", "办公电话", ("联系电话", "电话")),
        Column("county", "所属县", ("县", "县(市、区)")),
    )
    VALUE_COLUMNS = {"kind": "unit_kind"}  # noqa: RUF012
    model = HandlingUnit
    fields = ("kind", "contact_person", "phone")
    labels = {  # noqa: RUF012
        "kind": gettext_lazy("类别"),
        "contact_person": gettext_lazy("联系人"),
        "phone": gettext_lazy("办公电话"),
    }

    def __init__(self, user):
        super().__init__(user)
        self.counties = CountyResolver(user)

    def read(self, reader: RowReader) -> None:
        reader.read("name", cells.text, required_label=_("单位名称"), max_length=80)
        self.read_value(reader, "kind")
        reader.values["county"] = self.counties.resolve(reader)
        reader.read("contact_person", cells.compact, max_length=40)
        reader.read("phone", cells.phone)

    def save(self, new: list, changed: list) -> None:
        super().save(new, changed)
        # A township's government and bodies take the township their name begins with (they
        # answer the township congress's suggestions); staff correct it in the admin.
        for county_id in {unit.county_id for unit in (*new, *changed)}:
            HandlingUnit.objects.link_townships_by_name(county_id)

    def natural_key(self, values):
        return (values["county"].pk, values["name"])

    def existing(self, keys):
        query = Q()
        for county_id, name in keys:
            query |= Q(county_id=county_id, name=name)
        return {(u.county_id, u.name): u for u in HandlingUnit.objects.filter(query)}

    def build(self, values):
        unit = super().build(values)
        unit.name = values["name"]
        unit.county = values["county"]
        return unit
