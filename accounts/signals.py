"""Every login success and failure goes to the security log (django-axes also keeps them in the
database: AccessLog and AccessFailureLog)."""

import logging

logger = logging.getLogger("portal.security")


def _ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or "-"


def log_login_succeeded(sender, request, user, **kwargs) -> None:
    logger.info("login succeeded user=%s ip=%s", user.get_username(), _ip(request))


def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    logger.warning("login failed user=%s ip=%s", credentials.get("username", "-"), _ip(request))
