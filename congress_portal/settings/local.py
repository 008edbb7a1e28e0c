"""Developer and demo settings: SQLite under var/, the filesystem Celery broker, DEBUG on."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import SECRET_KEY

# A fixed key is fine for a local demo and is refused by the production settings.
SECRET_KEY = SECRET_KEY or "django-insecure-local-demo-key-do-not-use-in-production"
