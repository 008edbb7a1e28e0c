from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.masking import mask_id_number, mask_phone


@extend_schema_field(OpenApiTypes.STR)
class PersonalDataField(serializers.Field):
    """Read-only personal value, masked unless the view revealed it (``reveal_personal`` in the
    serializer context, set by PersonalDataRevealMixin after checking and logging)."""

    def __init__(self, kind: str, *, masked_attr: str | None = None, **kwargs):
        self.mask = {"id_number": mask_id_number, "phone": mask_phone}[kind]
        # With masked_attr the field reads the whole instance (source="*") and takes the stored
        # masked form unless revealing, so lists never decrypt.
        self.masked_attr = masked_attr
        self.full_attr = kwargs.pop("full_attr", kind)
        if masked_attr:
            kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        reveal = self.context.get("reveal_personal")
        if self.masked_attr:
            return getattr(value, self.full_attr) if reveal else getattr(value, self.masked_attr)
        return value if reveal else self.mask(value)
