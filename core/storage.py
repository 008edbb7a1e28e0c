"""The media storage: the file system, with a full disk turned into a clear refusal.

Django's FileSystemStorage leaves the part it wrote when the disk fills up in the middle of a
file. ``MediaStorage`` removes that part and raises ``StorageFull``, a DomainError whose Chinese
message the pages show like any other refusal (the service's transaction rolls back, so no row
points at a missing file). ``files_kept_only_on_success`` removes, in addition, the files saved
earlier in the same block when the block fails, e.g. the first photos of a reception whose last
photo no longer fits."""

import contextlib
import contextvars
import errno
import os

from django.core.files.storage import FileSystemStorage, default_storage
from django.utils.translation import gettext as _

from .errors import DomainError

_saved: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "media_saved", default=None
)


class StorageFull(DomainError):
    def __init__(self):
        super().__init__(_("服务器存储空间已满,文件未能保存。请联系系统管理员清理空间后重试。"))


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        try:
            # django-stubs leave out FileSystemStorage._save, the private method every save goes
            # through (Storage.save calls it).
            name = super()._save(name, content)  # type: ignore[misc]
        except OSError as error:
            if not is_disk_full(error):
                raise
            # ``name`` came from get_available_name just before: the part on disk is this write's.
            with contextlib.suppress(OSError):
                os.remove(self.path(name))
            raise StorageFull from error
        saved = _saved.get()
        if saved is not None:
            saved.append(name)
        return name


@contextlib.contextmanager
def files_kept_only_on_success():
    """Delete the media files saved inside the block if the block raises."""
    saved: list[str] = []
    token = _saved.set(saved)
    try:
        yield
    except BaseException:
        for name in saved:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        raise
    finally:
        _saved.reset(token)
