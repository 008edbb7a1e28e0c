"""建议办理统计 over the API: the same figures as the statistics page, for a year or a range."""

import dataclasses

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.access import can
from directory.selectors import term_start_for
from suggestions.forms import StatisticsPeriodForm
from suggestions.models import Suggestion
from suggestions.selectors import congress_choices
from suggestions.statistics import suggestion_statistics


class PeriodSerializer(serializers.Serializer):
    year = serializers.CharField(
        required=False, help_text=_("年度,或 term 表示本届以来;与日期范围二选一")
    )
    start = serializers.DateField(required=False, help_text=_("提交日期自(含)"))
    end = serializers.DateField(required=False, help_text=_("提交日期至(含)"))
    congress_level = serializers.ChoiceField(
        choices=Suggestion.Congress.choices,
        required=False,
        help_text=_("人大层级:county 县级,township 乡镇"),
    )
    congress = serializers.IntegerField(
        required=False, help_text=_("所属人大:县或乡镇的行政区划 id")
    )


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    registered = serializers.IntegerField()
    supervised = serializers.IntegerField()
    key_supervision = serializers.IntegerField()
    solved = serializers.IntegerField()
    evaluated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    rehandled = serializers.IntegerField()
    overdue = serializers.IntegerField()
    replies = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    met = serializers.IntegerField(help_text=_("答复前与领衔代表见面的答复件次"))
    contacted = serializers.IntegerField(help_text=_("答复前与领衔代表见面或电话沟通的答复件次"))
    meeting_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text=_("见面率(%)")
    )
    contact_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text=_("沟通率(%)")
    )


class NamedFiguresSerializer(FiguresSerializer):
    name = serializers.CharField()


class CountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    totals = FiguresSerializer()
    by_status = CountSerializer(many=True)
    by_category = NamedFiguresSerializer(many=True)
    by_unit = NamedFiguresSerializer(many=True)
    by_reply_category = CountSerializer(many=True)
    public_votes = CountSerializer(many=True)
    public_satisfaction_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True
    )


def _figures(figures) -> dict:
    return {
        **dataclasses.asdict(figures),
        "satisfaction_rate": figures.satisfaction_rate,
        "on_time_rate": figures.on_time_rate,
        "meeting_rate": figures.meeting_rate,
        "contact_rate": figures.contact_rate,
    }


class SuggestionStatisticsViewSet(viewsets.ViewSet):
    """建议办理统计:期间内提交的建议的交办、重点督办、解决、满意率、按期答复率等,按用户范围
    统计,可按人大层级或所属人大(县、乡镇)筛选。"""

    @extend_schema(parameters=[PeriodSerializer], responses=StatisticsSerializer)
    def list(self, request):
        if not can(request.user, "suggestion.statistics"):
            raise PermissionDenied
        today = timezone.localdate()
        form = StatisticsPeriodForm(
            request.query_params or {"year": today.year},
            today=today,
            congresses=congress_choices(user=request.user),
            term_start=term_start_for(user=request.user),
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        result = suggestion_statistics(user=request.user, today=today, **form.filters())
        data = {
            "start": result.start,
            "end": result.end,
            "totals": _figures(result.totals),
            "by_status": [{"name": n, "count": c} for n, c in result.by_status],
            "by_category": [{"name": n, **_figures(f)} for n, f in result.by_category],
            "by_unit": [{"name": n, **_figures(f)} for n, f in result.by_unit],
            "by_reply_category": [{"name": n, "count": c} for n, c in result.by_reply_category],
            "public_votes": [{"name": n, "count": c} for n, c in result.public_votes],
            "public_satisfaction_rate": result.public_satisfaction_rate,
        }
        return Response(StatisticsSerializer(data).data)
