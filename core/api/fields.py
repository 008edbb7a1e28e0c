from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.masking import mask_id_number, mask_phone


@extend_schema_field(OpenApiTypes.STR)
class PersonalDataField(serializers.Field):
    """Read-only personal value, masked unless the view revealed it (``reveal_personal`` in the
    serializer context, set by PersonalDataRevealMixin after checking and logging)."""

    def __init__(self, kind: str, **kwargs):
        self.mask = {"id_number": mask_id_number, "phone": mask_phone}[kind]
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value if self.context.get("reveal_personal") else self.mask(value)
