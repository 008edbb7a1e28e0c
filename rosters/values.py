"""The fixed lists of values a roster column takes (政治面貌, 民族, 学历, 代表层级, 职业类别, 性别)
and the many ways offices write them.

A value is looked up by its compact text (no spaces, full-width folded) in the list's own labels,
then its synonyms, then the county's remembered mappings (``rosters.ValueMapping``, what staff
chose for a value the portal did not know). What is still unknown is not a row error: the
preview counts each distinct unknown value once so that staff map it in one step. Lookups are
memoised per distinct text: a roster repeats the same few values thousands of times."""

import dataclasses
import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory.models import Education, Gender, HandlingUnit, Level, Occupation, Party, Station

from . import cells
from .models import ValueMapping

# The 56 ethnic groups (GB/T 3304), stored with 族.
ETHNICITIES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]

PARTY_SYNONYMS = {
    "中国共产党党员": Party.CPC,
    "共产党员": Party.CPC,
    "中共": Party.CPC,
    "党员": Party.CPC,
    "预备党员": Party.CPC_PROBATIONARY,
    "中共预备": Party.CPC_PROBATIONARY,
    "中国共产党预备党员": Party.CPC_PROBATIONARY,
    "共青团员": Party.CYL,
    "团员": Party.CYL,
    "中国共产主义青年团团员": Party.CYL,
    "民革": Party.RCCK,
    "民革会员": Party.RCCK,
    "中国国民党革命委员会会员": Party.RCCK,
    "民盟": Party.CDL,
    "民盟成员": Party.CDL,
    "中国民主同盟盟员": Party.CDL,
    "民建": Party.CNDCA,
    "中国民主建国会会员": Party.CNDCA,
    "民进": Party.CAPD,
    "中国民主促进会会员": Party.CAPD,
    "农工党": Party.CPWDP,
    "农工": Party.CPWDP,
    "中国农工民主党党员": Party.CPWDP,
    "致公党": Party.CZGP,
    "中国致公党党员": Party.CZGP,
    "九三": Party.JIUSAN,
    "九三学社": Party.JIUSAN,
    "台盟": Party.TDSL,
    "台湾民主自治同盟盟员": Party.TDSL,
    "民主党派": Party.DEMOCRATIC,
    "无党派": Party.NONPARTISAN,
    "无党派人士": Party.NONPARTISAN,
    "无党派民主人士": Party.NONPARTISAN,
    "群众": Party.NONE,
    "普通群众": Party.NONE,
}

EDUCATION_SYNONYMS = {
    "研究生": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "研究生及以上": Education.POSTGRADUATE,
    "大学本科": Education.UNIVERSITY,
    "本科": Education.UNIVERSITY,
    "大学": Education.UNIVERSITY,
    "学士": Education.UNIVERSITY,
    "大专": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "高职": Education.COLLEGE,
    "高中": Education.HIGH_SCHOOL,
    "中专": Education.HIGH_SCHOOL,
    "中技": Education.HIGH_SCHOOL,
    "职高": Education.HIGH_SCHOOL,
    "技校": Education.HIGH_SCHOOL,
    "高中(中专)": Education.HIGH_SCHOOL,
    "中等专科": Education.HIGH_SCHOOL,
    "初中": Education.MIDDLE_SCHOOL,
    "小学": Education.MIDDLE_SCHOOL,
    "初中及以下": Education.MIDDLE_SCHOOL,
}
# Written around the level: 全日制本科, 在职研究生, 本科学历, 大专毕业, 初中文化.
_EDUCATION_AFFIXES = re.compile(r"^(全日制|在职|函授|自考|成人)|(学历|毕业|文化|肄业|在读)$")

LEVEL_SYNONYMS = {
    "全国": Level.NATIONAL,
    "全国人大": Level.NATIONAL,
    "省": Level.PROVINCIAL,
    "省级": Level.PROVINCIAL,
    "省人大": Level.PROVINCIAL,
    "市": Level.CITY,
    "市级": Level.CITY,
    "市人大": Level.CITY,
    "县": Level.COUNTY,
    "县级": Level.COUNTY,
    "县人大": Level.COUNTY,
    "乡镇": Level.TOWNSHIP,
    "乡": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "乡镇级": Level.TOWNSHIP,
    "乡镇人大": Level.TOWNSHIP,
}

GENDER_SYNONYMS = {"男性": Gender.MALE, "女性": Gender.FEMALE}

STATION_KIND_SYNONYMS = {
    "家": Station.Kind.HOME,
    "人大代表之家": Station.Kind.HOME,
    "代表联络站": Station.Kind.LIAISON,
    "人大代表联络站": Station.Kind.LIAISON,
    "联络站": Station.Kind.LIAISON,
    "站": Station.Kind.LIAISON,
}
UNIT_KIND_SYNONYMS = {
    "政府": HandlingUnit.Kind.GOVERNMENT,
    "法院": HandlingUnit.Kind.COURT,
    "检察院": HandlingUnit.Kind.PROCURATORATE,
    "乡镇": HandlingUnit.Kind.TOWNSHIP,
    "街道": HandlingUnit.Kind.TOWNSHIP,
    "国企": HandlingUnit.Kind.ENTERPRISE,
    "企事业单位": HandlingUnit.Kind.ENTERPRISE,
}

OCCUPATION_SYNONYMS = {
    "机关干部": Occupation.CADRE,
    "党政干部": Occupation.CADRE,
    "领导干部": Occupation.CADRE,
    "公务员": Occupation.CADRE,
    "村干部": Occupation.VILLAGE_CADRE,
    "社区干部": Occupation.VILLAGE_CADRE,
    "村社区干部": Occupation.VILLAGE_CADRE,
    "基层干部": Occupation.VILLAGE_CADRE,
    "解放军": Occupation.MILITARY,
    "军人": Occupation.MILITARY,
    "武警": Occupation.MILITARY,
    "企业家": Occupation.ENTREPRENEUR,
    "企业管理人员": Occupation.ENTREPRENEUR,
    "专技人员": Occupation.PROFESSIONAL,
}
# An occupation as written (教师, 村党支部书记, 县医院护士) → its category, by the first rule whose
# word it contains; the order settles overlaps (a 社区医生 is a doctor, a 村主任 a village cadre).
OCCUPATION_WORDS = (
    (Occupation.MILITARY, ("解放军", "武警", "部队", "军官", "士兵", "人武部")),
    (
        Occupation.PROFESSIONAL,
        (
            "教师",
            "老师",
            "校长",
            "教授",
            "医生",
            "医师",
            "医务",
            "护士",
            "护师",
            "村医",
            "乡村医生",
            "药师",
            "律师",
            "工程师",
            "技术员",
            "会计",
            "农艺师",
            "畜牧师",
            "兽医",
            "研究员",
            "记者",
            "编辑",
        ),
    ),
    (
        Occupation.VILLAGE_CADRE,
        (
            "村支部书记",
            "村党支部书记",
            "村支书",
            "村主任",
            "村委会主任",
            "村党委书记",
            "村干部",
            "村委",
            "社区书记",
            "社区主任",
            "社区党支部书记",
            "社区党委书记",
            "社区居委会",
            "社区干部",
            "网格员",
        ),
    ),
    (
        Occupation.ENTREPRENEUR,
        ("董事长", "总经理", "经理", "厂长", "企业负责人", "理事长", "个体工商户", "老板"),
    ),
    (
        Occupation.CADRE,
        (
            "干部",
            "公务员",
            "局长",
            "县长",
            "乡长",
            "镇长",
            "党委书记",
            "主席",
            "科长",
            "主任科员",
            "机关",
        ),
    ),
    (Occupation.WORKER, ("工人", "职工", "技工", "电工", "焊工", "车工", "农民工")),
    (Occupation.FARMER, ("农民", "村民", "务农", "种植", "养殖", "农户", "种养")),
)


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """One column's fixed list: ``choices`` are (stored value, label)."""

    key: str  # the ValueMapping column key, e.g. "party"
    label: str
    choices: tuple[tuple[str, str], ...]
    synonyms: dict[str, str]

    def known(self) -> dict[str, str]:
        with translation.override(None):
            table = {cells.compact(label): value for value, label in self.choices}
        table.update({cells.compact(name): value for name, value in self.synonyms.items()})
        return table

    def label_of(self, value: str) -> str:
        return dict(self.choices).get(value, value)


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in enum.choices)


def vocabularies() -> dict[str, Vocabulary]:
    return {
        "party": Vocabulary("party", str(_("政治面貌")), _choices(Party), PARTY_SYNONYMS),
        "ethnicity": Vocabulary(
            "ethnicity",
            str(_("民族")),
            tuple((name, name) for name in ETHNICITIES),
            {name.removesuffix("族"): name for name in ETHNICITIES}
            | {"维族": "维吾尔族", "蒙族": "蒙古族", "朝族": "朝鲜族"},
        ),
        "education": Vocabulary(
            "education", str(_("学历")), _choices(Education), EDUCATION_SYNONYMS
        ),
        "occupation": Vocabulary(
            "occupation", str(_("职业类别")), _choices(Occupation), OCCUPATION_SYNONYMS
        ),
        "level": Vocabulary("level", str(_("代表层级")), _choices(Level), LEVEL_SYNONYMS),
        "gender": Vocabulary("gender", str(_("性别")), _choices(Gender), GENDER_SYNONYMS),
        "station_kind": Vocabulary(
            "station_kind", str(_("家站类型")), _choices(Station.Kind), STATION_KIND_SYNONYMS
        ),
        "unit_kind": Vocabulary(
            "unit_kind", str(_("单位类别")), _choices(HandlingUnit.Kind), UNIT_KIND_SYNONYMS
        ),
    }


class Lookup:
    """Reads one vocabulary's values for one import: the list, its synonyms and the county's
    remembered mappings; counts what stays unknown."""

    def __init__(self, vocabulary: Vocabulary, remembered: dict[str, str] | None = None):
        self.vocabulary = vocabulary
        self.table = vocabulary.known()
        self.remembered = {cells.compact(k): v for k, v in (remembered or {}).items()}
        self.memo: dict = {}
        self.unknown: dict[str, int] = {}

    def __call__(self, value) -> str | None:
        """The stored value, None for an empty cell or an unknown value (counted)."""
        try:
            raw, found = self.memo[value]  # cell values are str, numbers, dates or None
        except KeyError:
            raw = cells.compact(value)
            found = self._find(raw) if raw else None
            self.memo[value] = (raw, found)
        if raw and found is None:
            self.unknown[raw] = self.unknown.get(raw, 0) + 1
        return found

    def _find(self, raw: str) -> str | None:
        # What staff chose for this county comes before the portal's guess from words.
        found = self.table.get(raw) or self.remembered.get(raw)
        if found is None and self.vocabulary.key == "education":
            found = self.table.get(_EDUCATION_AFFIXES.sub("", raw))
        if found is None and self.vocabulary.key == "occupation":
            found = occupation_category(raw)
        return found


def occupation_category(raw: str) -> str | None:
    """The category of an occupation as written, by the words it contains, or None."""
    for category, words in OCCUPATION_WORDS:
        if any(word in raw for word in words):
            return category
    return None


def remembered_values(county) -> dict[str, dict[str, str]]:
    """The county's value mappings by column: {column: {raw value: stored value}}."""
    found: dict[str, dict[str, str]] = {}
    if county is None:
        return found
    rows = ValueMapping.objects.filter(county=county).values_list("column", "raw_value", "value")
    for column, raw, value in rows:
        found.setdefault(column, {})[raw] = value
    return found
