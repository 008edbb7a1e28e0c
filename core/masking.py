"""Masking of personal data. Every page, API response and export shows ID numbers and phone
numbers through these functions unless the user may see them in full (accounts.access)."""


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678; a number of 7 characters or fewer (a local landline) is hidden whole, as
    its first three and last four would be all of it."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张三丰 -> 张**; used for voters' names."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def mask_for_audit(value: str) -> str:
    """How personal fields appear in the audit log: enough to tell a change happened."""
    if not value:
        return ""
    return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:] if len(value) > 4 else "****"
