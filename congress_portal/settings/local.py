"""Developer and demo settings: SQLite under var/, the filesystem Celery broker, DEBUG on."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import PERSONAL_DATA_HASH_KEY, PERSONAL_DATA_KEYS, SECRET_KEY

# A fixed key is fine for a local demo and is refused by the production settings.
SECRET_KEY = SECRET_KEY or "django-insecure-local-demo-key-do-not-use-in-production"
# Published demo keys: the demo's personal data is invented. Production refuses to start without
# its own keys.
PERSONAL_DATA_KEYS = PERSONAL_DATA_KEYS or ["xGUKmGmJTQqAioitAzYc3MleXBVl3Oyn_XnODEd4gcY="]
PERSONAL_DATA_HASH_KEY = PERSONAL_DATA_HASH_KEY or "local-demo-hash-key-not-for-production-0000"
