from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.crypto import EncryptedTextField, keyed_hash, reset_key_cache


def encrypted_fields():
    """(model, field name, hash field name or None) for every encrypted column of the project."""
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedTextField):
                hash_name = f"{field.name}_hash"
                yield model, field.name, hash_name if hash_name in names else None


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal-data column with the first key of PERSONAL_DATA_KEYS and "
        "recompute the keyed hashes with PERSONAL_DATA_HASH_KEY. Run after putting a new key first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        reset_key_cache()
        for model, name, hash_name in encrypted_fields():
            fields = [name] + ([hash_name] if hash_name else [])
            done = 0
            pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), batch_size):
                with transaction.atomic():
                    rows = list(
                        model.objects.filter(pk__in=pks[start : start + batch_size]).only(
                            "pk", *fields
                        )
                    )
                    for row in rows:
                        value = getattr(row, name)  # decrypted with any key of the list
                        if hash_name:
                            setattr(row, hash_name, keyed_hash(value) if value else "")
                    # Saving writes the value again, encrypted with the first key.
                    model.objects.bulk_update(rows, fields)
                    done += len(rows)
            self.stdout.write(f"{model._meta.label}.{name}: {done} rows re-encrypted")
