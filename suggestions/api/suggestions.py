from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from suggestions import selectors
from suggestions.models import Suggestion


class SuggestionSerializer(serializers.ModelSerializer):
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    lead_unit_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "title",
            "content",
            "category",
            "county",
            "congress_level",
            "congress",
            "status",
            "lead_deputy",
            "lead_deputy_name",
            "lead_unit_name",
            "round",
            "is_complex",
            "key_supervision",
            "assigned_on",
            "deadline",
            "original_deadline",
            "submitted_at",
            "created_at",
            "version",
        ]


class SuggestionViewSet(ScopedReadOnlyViewSet):
    """代表建议台账。单位只看到交办给本单位的建议,代表只看到本人领衔或联名的建议。"""

    scope_resource = "suggestion"
    queryset = Suggestion.objects.none()
    selector = staticmethod(selectors.suggestion_list)
    serializer_class = SuggestionSerializer
    filterset_class = selectors.SuggestionFilter
    ordering_fields = ["created_at", "deadline", "number"]
