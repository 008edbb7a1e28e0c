from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.errors import DomainError
from reports.annual import overview
from reports.exporters import AnnualReportExporter


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    unit = serializers.CharField()
    note = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureSerializer(many=True)


class AnnualOverviewViewSet(viewsets.ViewSet):
    """年度工作报告概况:一个年度(year)或任意期间(start、end)的家站、接待、意见、建议、培训、
    述职评议等数字,与年度报告工作簿的“概况”表和各页面一致,按用户范围统计。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="年度(默认今年)"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="期间开始日期 YYYY-MM-DD"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="期间结束日期 YYYY-MM-DD"),
        ],
        responses=OverviewSerializer,
    )
    def list(self, request):
        if not AnnualReportExporter.allowed(request.user):
            raise PermissionDenied
        data = {name: request.query_params.get(name, "") for name in ("year", "start", "end")}
        try:
            params = AnnualReportExporter.clean_params(request.user, data)
        except DomainError as error:
            raise ValidationError({error.field or "non_field_errors": [error.message]}) from None
        period = AnnualReportExporter(user=request.user, params=params).period()
        figures = overview(user=request.user, period=period)
        return Response(
            OverviewSerializer({"start": period.start, "end": period.end, "figures": figures}).data
        )
