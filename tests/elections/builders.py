"""A hand-built population list and voter list with every kind of "三零" finding."""

import datetime
import io

import openpyxl

from core.idnumbers import make_id_number

ELECTION_DAY = datetime.date(2026, 11, 1)
ADULT = datetime.date(1970, 5, 6)
EIGHTEEN_TODAY = datetime.date(2008, 11, 1)  # 18 on election day: may vote
SEVENTEEN = datetime.date(2008, 11, 2)  # 18 the day after election day


def person_id(birth: datetime.date, sequence: int, gender: str = "M") -> str:
    return make_id_number("510824", birth, sequence, gender)


def id_ending_in_x() -> str:
    for sequence in range(500):
        number = person_id(ADULT, sequence, "F")
        if number.endswith("X"):
            return number
    raise AssertionError("no X")


def workbook_bytes(rows: list[list], *, title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hand_built(town_a: str, town_b: str) -> tuple[bytes, bytes, set[tuple[str, str, str]]]:
    """(population.xlsx, voters.xlsx, expected {(kind, reason, name)})."""
    population, voters, expected = hand_built_rows(town_a, town_b)
    return (
        workbook_bytes(population),
        workbook_bytes(voters, title="苍溪县选民名册"),
        expected,
    )


def hand_built_rows(
    town_a: str, town_b: str
) -> tuple[list[list], list[list], set[tuple[str, str, str]]]:
    """(population rows, voter rows, expected {(kind, reason, name)}), to be written in any
    format."""
    ids = {
        "ok": person_id(ADULT, 1),
        "ok_number": person_id(ADULT, 2),
        "ok_x": id_ending_in_x(),
        "missing": person_id(ADULT, 3),
        "missing_18": person_id(EIGHTEEN_TODAY, 4),
        "young_unregistered": person_id(SEVENTEEN, 5),
        "dead_unregistered": person_id(ADULT, 6),
        "elsewhere": person_id(ADULT, 7),
        "dead": person_id(ADULT, 8),
        "moved": person_id(ADULT, 9),
        "young": person_id(SEVENTEEN, 10),
        "stranger": person_id(ADULT, 11),
        "twice": person_id(ADULT, 12),
        "twin_a": person_id(datetime.date(1980, 1, 2), 13),
        "twin_b": person_id(datetime.date(1980, 1, 2), 14),
    }
    bad_checksum = ids["ok"][:17] + ("0" if ids["ok"][17] != "0" else "1")
    population = [
        ["乡镇", "村(社区)", "姓名", "公民身份号码", "死亡标识"],
        [town_a, "一村", "甲正常", ids["ok"], ""],
        [town_a, "一村", "乙数字", ids["ok_number"], ""],
        [town_a, "一村", "丙叉号", ids["ok_x"], None],
        [town_a, "一村", "丁漏登", ids["missing"], ""],
        [town_a, "二村", "戊刚满", ids["missing_18"], ""],
        [town_a, "二村", "己未满", ids["young_unregistered"], ""],
        [town_a, "二村", "庚已故", ids["dead_unregistered"], "是"],
        ["外县镇", "外村", "辛外镇", ids["elsewhere"], ""],
        [town_a, "一村", "壬已故", ids["dead"], "死亡"],
        [town_a, "二村", "癸迁出", ids["moved"], ""],
        [town_a, "一村", "子未满", ids["young"], ""],
        [town_a, "一村", "丑重登", ids["twice"], ""],
        [town_a, "一村", "寅同名", ids["twin_a"], ""],
        [town_b, "三村", "寅同名", ids["twin_b"], ""],
    ]
    full_width = ids["ok"].translate(str.maketrans("0123456789", "0123456789"))
    voters = [
        ["序号", "姓名", "公民身份号码", "乡镇(街道)", "村(社区)"],
        [1, "甲正常", full_width, town_a, "一村"],
        [2, "乙数字", int(ids["ok_number"]), town_a, "一村"],
        [3, "丙叉号", ids["ok_x"].lower() + "  ", town_a, "一村"],
        [4, "壬已故", ids["dead"], town_a, "一村"],
        [5, "癸迁出", ids["moved"], town_a, "一村"],
        [6, "子未满", ids["young"], town_a, "一村"],
        [7, "卯外来", ids["stranger"], town_a, "一村"],
        [8, "辰错号", bad_checksum, town_a, "一村"],
        [9, "巳科学", "5.10824197E+17", town_a, "一村"],
        [10, "丑重登", ids["twice"], town_a, "一村"],
        [11, "丑重登", ids["twice"], town_b, "三村"],
        [12, "寅同名", ids["twin_a"], town_a, "一村"],
        [13, "寅同名", ids["twin_b"], town_b, "三村"],
    ]
    expected = {
        ("missing", "not_registered", "丁漏登"),
        # Typed as a number, Excel kept 15 digits: the registration is unreadable, so the person
        # counts as not registered either.
        ("wrong", "bad_id", "乙数字"),
        ("missing", "not_registered", "乙数字"),
        ("missing", "not_registered", "戊刚满"),
        ("wrong", "deceased", "壬已故"),
        ("wrong", "wrong_residence", "癸迁出"),
        ("wrong", "under_age", "子未满"),
        ("wrong", "not_in_population", "卯外来"),
        ("wrong", "bad_id", "辰错号"),
        ("wrong", "bad_id", "巳科学"),
        ("duplicate", "same_id", "丑重登"),
        ("duplicate", "same_name_birth", "寅同名"),
    }
    return population, voters, expected
