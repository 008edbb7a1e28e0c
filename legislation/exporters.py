"""The summary of a draft's opinions for the upper congress: per article, how many opinions from
which channel and the staff's adoption note; then every opinion as received."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Column, Exporter, Sheet, choice_label, local_date, register
from core.filters import query_int

from . import selectors
from .models import ArticleSummary, Draft, LegislativeOpinion

_adoption = choice_label(ArticleSummary.Adoption.choices)
_channel = choice_label(LegislativeOpinion.Channel.choices)


def _article(value: str) -> str:
    return value or _("总体意见")


class ArticleSheet(Sheet):
    verbose_name = gettext_lazy("条款汇总")
    columns = (
        Column(gettext_lazy("涉及条款"), 14, "article", _article),
        Column(gettext_lazy("意见条数"), 10, "total"),
        Column(gettext_lazy("群众"), 8, "public"),
        Column(gettext_lazy("代表"), 8, "deputy"),
        Column(gettext_lazy("家站"), 8, "station"),
        Column(gettext_lazy("线上转入"), 10, "online"),
        Column(gettext_lazy("家站参加人数"), 12, "participants"),
        Column(gettext_lazy("采纳意见"), 12, "adoption", _adoption),
        Column(gettext_lazy("说明"), 50, "note"),
    )

    def _counts(self):
        channel = LegislativeOpinion.Channel
        return (
            self.exporter.opinions()
            .values("article")
            .annotate(
                total=Count("pk"),
                public=Count("pk", filter=Q(channel=channel.PUBLIC)),
                deputy=Count("pk", filter=Q(channel=channel.DEPUTY)),
                station=Count("pk", filter=Q(channel=channel.STATION)),
                online=Count("pk", filter=Q(channel=channel.ONLINE)),
            )
            .order_by("article")
        )

    def count(self) -> int:
        return self._counts().count()

    def rows(self):
        draft = self.exporter.draft()
        summaries = {s.article: s for s in draft.article_summaries.all()}
        participants: dict[str, int] = {}
        for article, people in self.exporter.opinions().values_list("article", "participants"):
            participants[article] = participants.get(article, 0) + (people or 0)
        for row in sorted(self._counts(), key=lambda row: selectors.article_key(row["article"])):
            summary = summaries.get(row["article"])
            row["participants"] = participants.get(row["article"], 0)
            row["adoption"] = summary.adoption if summary else ""
            row["note"] = summary.note if summary else ""
            yield self.cells(row)


def _source(opinion: LegislativeOpinion) -> str:
    if opinion.deputy_id:
        return opinion.deputy.name
    if opinion.station_id:
        return opinion.station.name
    return _("群众")


class OpinionSheet(Sheet):
    verbose_name = gettext_lazy("意见明细")
    columns = (
        Column(gettext_lazy("涉及条款"), 14, "article", _article),
        Column(gettext_lazy("来源"), 16, "channel", _channel),
        Column(gettext_lazy("提出人或家站"), 20, _source),
        Column(gettext_lazy("征集形式"), 12, "occasion"),
        Column(gettext_lazy("参加人数"), 10, "participants"),
        Column(gettext_lazy("意见内容"), 60, "content"),
        Column(gettext_lazy("提交日期"), 12, "created_at", local_date),
    )

    def count(self) -> int:
        return self.exporter.opinions().count()

    def rows(self):
        for opinion in self.exporter.opinions().iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(opinion)


@register
class LegislationSummaryExporter(Exporter):
    identifier = "legislation_summary"
    verbose_name = gettext_lazy("立法意见汇总表")
    sheet_classes = (ArticleSheet, OpinionSheet)

    @classmethod
    def allowed(cls, user) -> bool:
        return can(user, "legislative_draft.manage")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        pk = query_int(data.get("draft"))
        if pk is None:
            raise DomainError(_("请选择一份征求意见稿。"), field="draft")
        # 404 outside the user's county, 403 for who may not manage it: as the summary page.
        return {"draft": selectors.draft_get_for_change(user=user, pk=pk).pk}

    def draft(self) -> Draft:
        if not hasattr(self, "_draft"):
            self._draft = selectors.draft_get_for_change(user=self.user, pk=self.params["draft"])
        return self._draft

    def opinions(self):
        return selectors.draft_opinions(user=self.user, draft=self.draft())

    def title(self) -> str:
        return _("《%(title)s》意见汇总") % {"title": self.draft().title}

    def filename(self) -> str:
        return f"{self.draft().title[:40]}-意见汇总.xlsx"
