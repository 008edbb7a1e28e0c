import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PasswordHistory

_CLASSES = (
    ("lower", lambda c: c in string.ascii_lowercase),
    ("upper", lambda c: c in string.ascii_uppercase),
    ("digit", str.isdigit),
    ("symbol", lambda c: not c.isalnum() and not c.isspace()),
)


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, symbols (等保
    2.0 password complexity)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _name, test in _CLASSES if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {
            "n": self.min_classes
        }


class PasswordHistoryValidator:
    """Not the current password, nor one of the last PASSWORD_HISTORY_COUNT (等保: a periodic
    change must be a change). Runs wherever Django validates a password for an existing user:
    the change page, the admin's set-password form, ``changepassword``. A new user has no
    history."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = [user.password, *PasswordHistory.recent(user)]
        # check_password without a setter: validating never rewrites a stored hash.
        if any(stored and check_password(password, stored) for stored in hashes):
            raise ValidationError(self.message(), code="password_reused")

    def message(self) -> str:
        return _("新密码不能与当前密码或最近%(n)d次使用过的密码相同,请换一个新密码。") % {
            "n": settings.PASSWORD_HISTORY_COUNT
        }

    def get_help_text(self):
        return _("不能与当前密码或最近%(n)d次使用过的密码相同。") % {
            "n": settings.PASSWORD_HISTORY_COUNT
        }
