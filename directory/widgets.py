"""The searchable pickers (core.widgets.SearchPicker) of the directory's records on the portal's
forms, each fed by a scoped source of directory/views.py: a county has 2,192 deputies, 121
stations and dozens of units, too many for a select (tests/test_large_selects.py)."""

from django.utils.translation import gettext_lazy as _

from core.widgets import SearchPicker


def deputy_picker(*, multiple: bool = True, county_level: bool = False) -> SearchPicker:
    """``county_level``: only county deputies in office (those who attend inspections)."""
    return SearchPicker(
        "directory:deputy_search",
        multiple=multiple,
        params={"level": "county"} if county_level else None,
    )


def station_picker() -> SearchPicker:
    return SearchPicker(
        "directory:station_search",
        multiple=False,
        placeholder=_("输入家站名称、拼音或首字母查找"),
    )


def unit_picker(*, multiple: bool = False) -> SearchPicker:
    return SearchPicker(
        "directory:unit_search", multiple=multiple, placeholder=_("输入单位名称查找")
    )
