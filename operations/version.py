"""The portal's version: ``project.version`` of pyproject.toml, which a release bumps."""

import functools
import tomllib

from django.conf import settings


@functools.cache
def portal_version() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]
