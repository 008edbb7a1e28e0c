from django.urls import path

from .views import deputy, handling, staff, unit

app_name = "suggestions"
urlpatterns: list = [
    path("", staff.suggestion_list, name="list"),
    path("statistics/", staff.suggestion_statistics_view, name="statistics"),
    path("<int:pk>/", staff.suggestion_detail, name="detail"),
    path("<int:pk>/register/", staff.suggestion_register_view, name="register"),
    path("<int:pk>/not-register/", staff.suggestion_not_register_view, name="not_register"),
    path("<int:pk>/convert/", staff.suggestion_convert_view, name="convert"),
    path("<int:pk>/assign/", staff.suggestion_assign_view, name="assign"),
    path(
        "<int:pk>/extensions/<int:ext_pk>/decide/",
        staff.extension_decide_view,
        name="extension_decide",
    ),
    path(
        "<int:pk>/paper-evaluation/",
        staff.suggestion_paper_evaluation_view,
        name="paper_evaluation",
    ),
    path("<int:pk>/close/", staff.suggestion_close_view, name="close"),
    # 主席团: a 人代会 motion treated as a suggestion (转为代表建议).
    path("from-motion/<int:pk>/", staff.suggestion_from_motion_view, name="from_motion"),
    # The deputy's pages and the public's one-time evaluation.
    path("new/", deputy.suggestion_new, name="new"),
    path("new/deputies/", deputy.deputy_search, name="deputy_search"),
    path("mine/", deputy.my_suggestions, name="mine"),
    path("<int:pk>/meetings/new/", deputy.meeting_add, name="meeting_add"),
    path("<int:pk>/submit/", deputy.suggestion_submit, name="submit"),
    path("<int:pk>/evaluate/", deputy.deputy_evaluation, name="deputy_evaluation"),
    path("<int:pk>/codes/", deputy.evaluation_codes, name="codes"),
    path("evaluate/<str:code>/", deputy.public_evaluation, name="public_evaluation"),
    # The handling unit's workspace.
    path("unit/", unit.unit_workspace, name="unit_workspace"),
    path("<int:pk>/accept/", unit.suggestion_accept, name="accept"),
    path("<int:pk>/progress/new/", unit.progress_add, name="progress_add"),
    path("<int:pk>/reply/", unit.suggestion_reply, name="reply"),
    path("<int:pk>/extension/", unit.extension_request, name="extension_request"),
    # The unit's side: 交办会, 改办, 沟通, 答复函, the yearly report.
    path("meetings/", handling.meeting_list, name="meeting_list"),
    path("meetings/new/", handling.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", handling.meeting_detail, name="meeting_detail"),
    path("reassign/", handling.reassign_queue, name="reassign_queue"),
    path("<int:pk>/reassign/", handling.reassign_request, name="reassign_request"),
    path(
        "<int:pk>/reassign/<int:request_pk>/decide/",
        handling.reassign_decide,
        name="reassign_decide",
    ),
    path("<int:pk>/contacts/new/", handling.contact_add, name="contact_add"),
    path("<int:pk>/letter/", handling.letter_upload, name="letter_upload"),
    path(
        "<int:pk>/replies/<int:reply_pk>/letter/",
        handling.letter_download,
        name="letter_download",
    ),
    path("statistics/report.docx", handling.annual_report_docx, name="annual_report_docx"),
]
