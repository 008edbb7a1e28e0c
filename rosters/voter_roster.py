"""The voters roster (代表联系选民): each row a voter linked to a deputy, the deputy named by
公民身份号码 (and 姓名, checked). A voter is matched by deputy, name and phone, so importing the
same list again adds nobody."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core.crypto import keyed_hash
from core.idnumbers import parse_id_number
from core.masking import mask_name, mask_phone
from directory.models import Deputy, Region
from linkages.models import Voter

from . import cells
from .sheets import Column
from .simple import RowReader, SimpleRoster


class VoterRoster(SimpleRoster):
    KEY = "voters"
    TITLE = gettext_lazy("联系选民名册")
    COLUMNS = (
        Column("deputy_name", "代表姓名", ("联系代表",)),
        Column(
            "deputy_id_number",
            "代表公民身份号码",
            ("代表身份证号", "代表身份证号码", "联系代表身份证号码"),
            required=True,
        ),
        Column("name", "选民姓名", ("姓名", "群众姓名"), required=True),
        Column("phone", "联系电话", ("电话", "手机", "手机号码")),
        Column("village", "村(社区)", ("村", "所在村", "所在村(社区)")),
    )
    model = Voter
    fields = ("village",)
    labels = {"village": gettext_lazy("村(社区)")}  # noqa: RUF012

    def __init__(self, user):
        super().__init__(user)
        deputies = Deputy.objects.all()
        self.deputies = scoped(deputies, user, "deputy") if user is not None else deputies
        self.by_hash: dict[str, Deputy] = {}
        self.villages: dict[tuple[int, str], list[Region]] = {}
        self.missing: set[str] = set()  # ID hashes of no deputy in scope
        self.village_counties: set[int] = set()
        self.sheet_mapping: dict[str, int] = {}

    def prepare(self, batch):
        """The deputies of the chunk's rows not looked up yet, and the villages of their
        counties, each in one query (what is kept is bounded by the deputies, not the rows)."""
        col = self.sheet_mapping.get("deputy_id_number")
        hashes = set()
        for _line, raw in batch:
            try:
                number = cells.id_number(raw[col] if col is not None and col < len(raw) else None)
            except cells.CellError:
                continue
            if number:
                hashes.add(keyed_hash(number))
        hashes -= self.by_hash.keys() | self.missing
        if not hashes:
            return
        found = {d.id_number_hash: d for d in self.deputies.filter(id_number_hash__in=hashes)}
        self.by_hash.update(found)
        self.missing |= hashes - found.keys()
        counties = {d.county_id for d in found.values()} - self.village_counties
        if counties:
            self.village_counties |= counties
            for village in Region.objects.filter(
                county_id__in=counties, level=Region.Level.VILLAGE
            ):
                key = (village.county_id, cells.compact(village.name))
                self.villages.setdefault(key, []).append(village)

    def check_and_save(self, sheet, *, commit, progress=None, sink=None):
        self.sheet_mapping = sheet.mapping
        return super().check_and_save(sheet, commit=commit, progress=progress, sink=sink)

    def read(self, reader: RowReader) -> None:
        number = reader.read("deputy_id_number", cells.id_number)
        deputy = None
        if not number:
            if number == "":
                reader.fail("deputy_id_number", _("代表公民身份号码为空"))
        else:
            try:
                parse_id_number(number)
            except ValidationError as error:
                reader.fail("deputy_id_number", " ".join(error.messages))
            else:
                deputy = self.by_hash.get(keyed_hash(number))
                if deputy is None:
                    reader.fail("deputy_id_number", _("您管理的范围内没有这个公民身份号码的代表"))
        deputy_name = reader.read("deputy_name", cells.compact)
        if deputy is not None and deputy_name and deputy_name != cells.compact(deputy.name):
            reader.fail("deputy_name", _("代表姓名与公民身份号码不符"))
        reader.values["deputy"] = deputy
        reader.read("name", cells.compact, required_label=_("选民姓名"), max_length=40)
        reader.read("phone", cells.phone)
        name = reader.read("village", cells.compact)
        village = None
        if name and deputy is not None:
            matches = self.villages.get((deputy.county_id, name), [])
            if len(matches) == 1:
                village = matches[0]
            elif matches:
                reader.fail("village", _("有多个名为“%(n)s”的村(社区)") % {"n": name})
            else:
                reader.fail("village", _("没有名为“%(n)s”的村(社区)") % {"n": name})
        reader.values["village"] = village

    def label(self, values):
        return mask_name(values.get("name") or "")

    def natural_key(self, values):
        return (values["deputy"].pk, values["name"], values.get("phone") or "")

    def existing(self, keys):
        deputy_ids = {deputy_id for deputy_id, _n, _p in keys}
        wanted = set(keys)
        found = {}
        # Names are encrypted: read the deputies' voters and compare in Python.
        for voter in Voter.objects.filter(deputy_id__in=deputy_ids):
            key = (voter.deputy_id, voter.name, voter.phone or "")
            if key in wanted:
                found[key] = voter
        return found

    def differs(self, obj, field, value):
        return obj.village_id != value.pk

    def build(self, values):
        name, phone = values["name"], values.get("phone") or ""
        return Voter(
            deputy=values["deputy"],
            name=name,
            name_masked=mask_name(name),
            phone=phone,
            phone_masked=mask_phone(phone),
            phone_hash=keyed_hash(phone) if phone else "",
            village=values.get("village"),
        )
