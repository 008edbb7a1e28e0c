from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.access import can_view_personal_data
from core.masking import mask_id_number, mask_phone


@extend_schema_field(OpenApiTypes.STR)
class PersonalDataField(serializers.Field):
    """Read-only personal value, masked unless the requesting user may see it in full."""

    def __init__(self, kind: str, **kwargs):
        self.mask = {"id_number": mask_id_number, "phone": mask_phone}[kind]
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        cache = self.context.setdefault("_may_see_personal", {})
        if "value" not in cache:
            cache["value"] = bool(request and can_view_personal_data(request.user))
        return value if cache["value"] else self.mask(value)
