"""Re-encode the photos stored before every photo went through core.photos.PhotoField."""

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from core.photos import PhotoField, is_portal_name
from core.uploads import UploadRejected


def photo_fields():
    """(model, field name) for every photo column of the project."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, PhotoField):
                yield model, field.name


class Command(BaseCommand):
    help = (
        "Re-encode every stored photo that does not yet have a name the portal gave it: upright, "
        "without EXIF/GPS or anything appended, under a random name; the old file is deleted. "
        "Run once after upgrading; running it again changes nothing."
    )

    def handle(self, *args, **options):
        done = refused = 0
        for model, name in photo_fields():
            for row in model._default_manager.exclude(**{name: ""}).only("pk", name).iterator():
                photo = getattr(row, name)
                if is_portal_name(photo.name):
                    continue
                old_name, storage = photo.name, photo.storage
                try:
                    with photo.open("rb") as handle:
                        content = ContentFile(handle.read())
                    photo.save(old_name, content, save=False)  # PhotoFieldFile re-encodes
                except (UploadRejected, FileNotFoundError) as error:
                    refused += 1
                    self.stderr.write(f"{model._meta.label} {row.pk} {old_name}: {error}")
                    continue
                # A plain UPDATE: no auto_now field or audit entry changes for a re-encoding.
                model._default_manager.filter(pk=row.pk).update(**{name: photo.name})
                storage.delete(old_name)
                done += 1
        self.stdout.write(f"{done} photo(s) re-encoded, {refused} could not be read.")
