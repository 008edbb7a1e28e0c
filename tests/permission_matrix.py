"""Who gets what from every URL of the project: the expected HTTP status per role.

One entry per URL (by name, or by path pattern for unnamed ones). tests/test_permission_matrix.py
requests every URL as every role and compares; a URL missing here fails that test, so a new page
or endpoint cannot ship without deciding who may use it.

Roles: anonymous; admin (系统管理员); staff (常委会代表工委, county A); member (常委会组成人员,
county A); township (township A1); keeper (home station of A1); deputy (stationed there); unit
(承办单位 of county A); outsider (township staff of A2, another township of the same county).
Detail URLs point at records of township A1 (see OBJECTS)."""

ROLES = (
    "anonymous",
    "admin",
    "staff",
    "member",
    "township",
    "keeper",
    "deputy",
    "unit",
    "outsider",
)


def profile(default: int, **overrides: int) -> dict[str, int]:
    table = {role: default for role in ROLES}
    table.update(overrides)
    return table


# Pages: anonymous visitors are sent to the login page.
PAGE = profile(200, anonymous=302)
LOCAL_LIST = profile(200, anonymous=302, unit=403)
LOCAL_DETAIL = profile(200, anonymous=302, unit=403, outsider=404)
POST_ONLY_PAGE = profile(405, anonymous=302)
# Who drafts a suggestion: a deputy, or the office of a congress on a deputy's behalf; and an
# action of the lead deputy on the matrix's (county) suggestion, which township staff do not see.
DRAFTERS = profile(403, anonymous=302, admin=200, staff=200, township=200, outsider=200, deputy=200)
LEAD_ACTION = profile(
    403, anonymous=302, admin=200, staff=200, township=404, outsider=404, deputy=200
)
PUBLIC = profile(200)
STAFF_ONLY = profile(403, anonymous=302, admin=200, staff=200)
COMMITTEE_ONLY = profile(403, anonymous=302, admin=200, staff=200, member=200)
# API: anonymous requests are refused (DRF answers 403 with session auth first).
API = profile(200, anonymous=403)
API_LOCAL_LIST = profile(200, anonymous=403, unit=403)
API_LOCAL_DETAIL = profile(200, anonymous=403, unit=403, outsider=404)
# Django admin: non-staff users are sent to the admin login page; committee staff may enter the
# domain registers, the rest is the administrator's.
ADMIN_ANY_STAFF = profile(302, admin=200, staff=200)
ADMIN_DOMAIN = profile(302, admin=200, staff=200)
ADMIN_SUPERUSER = profile(302, admin=200, staff=403)
ADMIN_NOBODY = profile(302, admin=403, staff=403)  # read-only registers: no add, change, delete
ADMIN_REDIRECT = profile(302)  # /admin/<app>/<model>/<pk>/ → …/change/
ADMIN_NOT_FOUND_FOR_STAFF = profile(302, admin=404, staff=404)

# 人代会 records of county A: read by the county's roles and the deputies convened; kept by county
# staff (township staff of A1 and A2 keep their own townships' sessions, not the county's).
PLENARY_DETAIL = profile(200, anonymous=302, township=404, outsider=404, keeper=403, unit=403)
PLENARY_MANAGE = profile(403, anonymous=302, admin=200, staff=200, township=404, outsider=404)
PLENARY_API_DETAIL = profile(200, anonymous=403, township=404, outsider=404, keeper=403, unit=403)

EXPECTED: dict[str, dict[str, int]] = {
    # Accounts
    "login": profile(302, anonymous=200),  # a signed-in user is sent on to the dashboard
    "logout": profile(405),  # logging out is a POST
    "password_change": PAGE,
    "password_change_done": PAGE,
    "two_factor_setup": PAGE,
    "two_factor_verify": PAGE,
    "notifications": PAGE,
    "notifications_mark_read": POST_ONLY_PAGE,
    # Exports: the job in OBJECTS belongs to staff; nobody else learns it exists.
    "export_list": PAGE,
    "export_start": POST_ONLY_PAGE,
    "export_detail": profile(404, anonymous=302, staff=200),
    "export_status": profile(404, anonymous=302, staff=200),
    "export_download": profile(404, anonymous=302, staff=200),
    "healthz": PUBLIC,
    # Public like /healthz; 503 here because no worker or beat heartbeat exists in this test.
    "readyz": profile(503),
    "operations:status": profile(403, anonymous=302, admin=200),
    # Work pages
    "dashboard": PAGE,
    "stations:list": LOCAL_LIST,
    "stations:detail": LOCAL_DETAIL,
    "deputies:list": LOCAL_LIST,
    "deputies:detail": LOCAL_DETAIL,
    "deputies:archive": profile(200, anonymous=302, unit=403, outsider=404),
    "deputies:scores": profile(200, anonymous=302, unit=403, deputy=302),
    "deputies:warnings": profile(200, anonymous=302, unit=403, deputy=403),
    "deputies:unstationed": STAFF_ONLY,
    # 三联: the pairing in OBJECTS is users["member"] with deputy_a1, the voter deputy_a1's.
    # 代表述职: the campaign page (none opened in OBJECTS: it offers to open one), a deputy's own.
    "dutyreports:campaign": profile(200, anonymous=302, unit=403, deputy=302),
    "dutyreports:campaign_open": POST_ONLY_PAGE,
    "dutyreports:mine": profile(403, anonymous=302, deputy=200),
    "dutyreports:coverage": profile(200, anonymous=302, unit=403, deputy=403),
    "dutyreports:batch": profile(403, anonymous=302, admin=200, staff=200, unit=403),
    "dutyreports:report_for": profile(403, anonymous=302, admin=200, staff=200, unit=403),
    # 年度工作报告: the committee, its staff and township staff, over their scope.
    "reports:annual": profile(200, anonymous=302, keeper=403, deputy=403, unit=403),
    # 三评、三公开: the report in OBJECTS is deputy_a1's; county staff act, local roles read.
    "dutyreports:report_detail": profile(200, anonymous=302, unit=403, outsider=404),
    "dutyreports:campaign_settings": profile(403, anonymous=302, admin=200, staff=200, unit=403),
    "dutyreports:evaluation_close": POST_ONLY_PAGE,
    "dutyreports:codes_issue": POST_ONLY_PAGE,
    "dutyreports:codes_print": profile(
        403, anonymous=302, admin=200, staff=200, unit=403, outsider=404
    ),
    "dutyreports:paper_enter": POST_ONLY_PAGE,
    "dutyreports:organisation_evaluate": POST_ONLY_PAGE,
    "dutyreports:report_publish": POST_ONLY_PAGE,
    "dutyreports:rectification_new": POST_ONLY_PAGE,
    "dutyreports:rectification_progress": profile(
        403, anonymous=302, admin=200, staff=200, deputy=200, unit=403, outsider=404
    ),
    "dutyreports:rectification_publish": POST_ONLY_PAGE,
    "dutyreports:evaluate": profile(404),  # an unknown code reveals nothing
    "dutyreports:peers": profile(403, anonymous=302, deputy=200),
    "dutyreports:peer_evaluate": POST_ONLY_PAGE,
    "dutyreports:excellent": profile(200, anonymous=302, unit=403, deputy=403),
    "dutyreports:excellent_propose": POST_ONLY_PAGE,
    "dutyreports:excellent_decide": POST_ONLY_PAGE,
    "dutyreports:excellent_publish": POST_ONLY_PAGE,
    "linkages:member_links": profile(200, anonymous=302, unit=403),
    "linkages:member_contact_new": profile(
        403, anonymous=302, admin=200, staff=200, member=200, outsider=404
    ),
    "linkages:voters": profile(200, anonymous=302, unit=403),
    "linkages:projects": profile(200, anonymous=302, unit=403),
    "linkages:project_detail": profile(200, anonymous=302, unit=403),  # county-wide
    "linkages:problem_update": POST_ONLY_PAGE,
    # 代表小组: county-wide for the offices; the deputy opens their own group (deputy_a1 is in
    # group_a); the leader (none in the world) or staff record tasks and activities.
    "linkages:groups": profile(200, anonymous=302, keeper=403, unit=403),
    "linkages:group_detail": profile(200, anonymous=302, keeper=403, unit=403),
    "linkages:group_task_new": profile(
        403, anonymous=302, admin=200, staff=200, keeper=403, unit=403
    ),
    "linkages:group_activity_new": profile(
        403, anonymous=302, admin=200, staff=200, keeper=403, unit=403
    ),
    "group-task-list": profile(200, anonymous=403, keeper=403, unit=403),
    "group-task-detail": profile(200, anonymous=403, keeper=403, unit=403),
    "group-activity-list": profile(200, anonymous=403, keeper=403, unit=403),
    "group-activity-detail": profile(200, anonymous=403, keeper=403, unit=403),
    "linkages:voter_contact_new": profile(200, anonymous=302, member=403, unit=403, outsider=404),
    "deputies:five_ones": profile(200, anonymous=302, unit=403, deputy=403),
    "deputies:small_problems": profile(200, anonymous=302, unit=403),
    "deputies:aid_households": profile(200, anonymous=302, unit=403),
    "deputies:aid_household": LOCAL_DETAIL,
    "deputies:trainings": profile(200, anonymous=302, unit=403),
    "deputies:training_detail": profile(200, anonymous=302, unit=403),  # county-wide
    "deputies:training_import": profile(403, anonymous=302, admin=200, staff=200),
    "deputies:manual_record_new": profile(403, anonymous=302, admin=200, staff=200),
    # Roster imports (issue 10): committee staff and the administrator; a job is its uploader's.
    "rosters:upload": STAFF_ONLY,
    "rosters:template": STAFF_ONLY,
    "rosters:detail": profile(403, anonymous=302, admin=404, staff=200),
    "rosters:mapping": profile(403, anonymous=302, admin=404, staff=200),
    "rosters:status": profile(403, anonymous=302, admin=404, staff=200),
    "rosters:commit": POST_ONLY_PAGE,
    # The job of the matrix has no unknown value: its uploader is sent back to the preview.
    "rosters:values": profile(403, anonymous=302, admin=404, staff=302),
    "deputies:manual_records": profile(403, anonymous=302, admin=200, staff=200),
    "deputies:manual_record_decide": POST_ONLY_PAGE,
    "deputies:manual_record_evidence": profile(200, anonymous=302, unit=403, outsider=404),
    "deputies:score_compute": POST_ONLY_PAGE,
    "deputies:score_run_status": profile(403, anonymous=302, admin=200, staff=200),
    # Station work. Writers: the administrator, committee staff, township staff and keepers for
    # the stations they see; deputies log their own receptions and claim and fulfil wishes.
    "stations:reception_list": LOCAL_LIST,  # a deputy's list holds their own receptions
    "stations:reception_new": profile(200, anonymous=302, member=403, unit=403),
    "stations:reception_day_search": profile(200, anonymous=302, member=403, unit=403),
    "stations:reception_detail": LOCAL_DETAIL,
    "stations:reception_photo": LOCAL_DETAIL,
    "stations:reception_days": LOCAL_LIST,
    "stations:reception_day_edit": profile(
        200, anonymous=302, member=403, deputy=403, unit=403, outsider=404
    ),
    # 选民走访日 and 代表信箱: read as the station's records; planned by station managers, a
    # mailbox opened by them or a deputy stationed there.
    "stations:visit_days": LOCAL_LIST,
    "stations:visit_day_new": profile(200, anonymous=302, member=403, deputy=403, unit=403),
    "stations:visit_day_edit": profile(
        200, anonymous=302, member=403, deputy=403, unit=403, outsider=404
    ),
    "stations:visit_day_hold": profile(
        200, anonymous=302, member=403, deputy=403, unit=403, outsider=404
    ),
    "stations:mailboxes": LOCAL_LIST,
    "stations:mailbox_detail": LOCAL_DETAIL,
    "stations:opinion_list": PAGE,  # a unit's queue holds what was forwarded to it
    "stations:opinion_new": profile(200, anonymous=302, member=403, deputy=403, unit=403),
    "stations:opinion_detail": profile(200, anonymous=302, unit=404, outsider=404),
    "public:opinion_photo": profile(200, anonymous=302, unit=404, outsider=404),  # 民意直通车
    "stations:opinion_forward": POST_ONLY_PAGE,
    "stations:opinion_answer": POST_ONLY_PAGE,
    "stations:opinion_close": POST_ONLY_PAGE,
    "stations:activity_list": LOCAL_LIST,
    "stations:activity_detail": LOCAL_DETAIL,
    "stations:activity_new": profile(200, anonymous=302, member=403, deputy=403, unit=403),
    "stations:activity_edit": profile(
        200, anonymous=302, member=403, deputy=403, unit=403, outsider=404
    ),
    "stations:activity_delete": POST_ONLY_PAGE,
    "stations:activity_photo": LOCAL_DETAIL,
    "stations:compliance": profile(200, anonymous=302, deputy=403, unit=403),
    "stations:wish_list": LOCAL_LIST,
    "stations:wish_stats": profile(200, anonymous=302, deputy=403, unit=403),
    "stations:wish_create": profile(200, anonymous=302, member=403, unit=403),
    "stations:wish_detail": LOCAL_DETAIL,
    "stations:wish_claim": POST_ONLY_PAGE,
    "stations:wish_fulfil": profile(200, anonymous=302, member=403, unit=403, outsider=404),
    "stations:wish_photo": LOCAL_DETAIL,
    # Suggestions (the matrix's suggestion is deputy_a1's, of the county congress, assigned to
    # unit_a, evaluated): township staff keep their township congress's, not the county's.
    "suggestions:list": PAGE,
    "suggestions:statistics": profile(200, anonymous=302, keeper=403, deputy=403, unit=403),
    "suggestions:detail": profile(200, anonymous=302, township=404, outsider=404),
    "suggestions:register": POST_ONLY_PAGE,
    "suggestions:not_register": POST_ONLY_PAGE,
    "suggestions:convert": POST_ONLY_PAGE,
    "suggestions:assign": POST_ONLY_PAGE,
    "suggestions:extension_decide": POST_ONLY_PAGE,
    "suggestions:paper_evaluation": POST_ONLY_PAGE,
    "suggestions:close": POST_ONLY_PAGE,
    "suggestions:submit": POST_ONLY_PAGE,
    "suggestions:accept": POST_ONLY_PAGE,
    "suggestions:new": DRAFTERS,
    "suggestions:mine": profile(403, anonymous=302, deputy=200),
    # The deputy picker of the draft form: who may draft (a deputy, or the office of a congress
    # on their behalf: county staff, township staff).
    "suggestions:deputy_search": DRAFTERS,
    # The pickers' sources (JSON): what the user may read of the directory.
    "directory:deputy_search": LOCAL_LIST,
    "directory:station_search": LOCAL_LIST,
    "directory:unit_search": PAGE,
    # The life of a mandate: county staff for county mandates (township staff see deputy_a1's
    # county mandate but do not record it; the outsider does not see it at all).
    "directory:mandate_event_new": profile(403, anonymous=302, admin=200, staff=200, outsider=404),
    # A vacancy left by another deputy of home_a1: the deputy reads only their own mandates.
    "directory:by_election": profile(
        403, anonymous=302, admin=200, staff=200, outsider=404, deputy=404
    ),
    "directory:vacancies": profile(
        403, anonymous=302, admin=200, staff=200, township=200, outsider=200
    ),
    "public:station_search": PUBLIC,
    "suggestions:meeting_add": LEAD_ACTION,
    "suggestions:deputy_evaluation": LEAD_ACTION,
    "suggestions:codes": LEAD_ACTION,
    "suggestions:unit_workspace": profile(403, anonymous=302, unit=200),
    "suggestions:progress_add": profile(403, anonymous=302, unit=200),
    "suggestions:reply": profile(403, anonymous=302, unit=200),
    "suggestions:extension_request": profile(403, anonymous=302, unit=200),
    "suggestions:public_evaluation": profile(404),  # an unknown code reveals nothing
    # The unit's side (issue 22 §3): 交办会 for the offices (a township's staff see their own
    # congress's: the matrix's meeting is the county's), 改办 asked by the unit and decided by
    # the office, the unit's contacts, the reply letter (not for a keeper or a committee member).
    "suggestions:meeting_list": profile(200, anonymous=302, keeper=403, deputy=403, unit=403),
    "suggestions:meeting_new": profile(
        403, anonymous=302, admin=200, staff=200, township=200, outsider=200
    ),
    "suggestions:meeting_detail": profile(
        200, anonymous=302, keeper=403, deputy=403, unit=403, township=404, outsider=404
    ),
    "suggestions:reassign_queue": profile(
        403, anonymous=302, admin=200, staff=200, township=200, outsider=200
    ),
    "suggestions:reassign_request": profile(403, anonymous=302, unit=200),
    "suggestions:reassign_decide": POST_ONLY_PAGE,
    "suggestions:contact_add": profile(403, anonymous=302, unit=200),
    "suggestions:letter_upload": profile(403, anonymous=302, unit=200),
    "suggestions:letter_download": profile(
        200, anonymous=302, member=404, keeper=404, township=404, outsider=404
    ),
    "suggestions:annual_report_docx": profile(200, anonymous=302, keeper=403, deputy=403, unit=403),
    # The public side: no account needed, nobody is sent to the login page.
    "public:home": PUBLIC,
    "public:opinion_new": PUBLIC,
    "public:captcha": PUBLIC,
    "public:track_lookup": PUBLIC,
    "public:track": profile(404),  # an unknown code reveals nothing
    "public:station_directory": PUBLIC,
    "public:station_wall": PUBLIC,  # home_a1 of the public county (the first: county A)
    "public:showcase": PUBLIC,
    "public:disclosure": PUBLIC,
    "public:figures": PUBLIC,
    # 履职故事 (staff): county-wide roles read the list, committee staff write.
    "public:story_list": profile(200, anonymous=302, unit=403),
    "public:story_new": profile(403, anonymous=302, admin=200, staff=200),
    "public:story_edit": profile(403, anonymous=302, admin=200, staff=200),
    "public:story_publish": POST_ONLY_PAGE,
    # Oversight (监督): county-wide for the county's roles; a unit sees the inspection and the
    # topic in OBJECTS because they concern unit_a; the committee's staff keep the registers.
    "oversight:inspections": PAGE,  # a unit's list holds the inspections that concern it
    "oversight:inspection_new": STAFF_ONLY,
    "oversight:inspection_detail": PAGE,
    "oversight:inspection_edit": STAFF_ONLY,
    "oversight:recommendation_add": POST_ONLY_PAGE,
    "oversight:recommendation_decide": POST_ONLY_PAGE,
    "oversight:topics": PAGE,
    "oversight:topic_new": STAFF_ONLY,
    "oversight:topic_detail": PAGE,
    "oversight:topic_research": POST_ONLY_PAGE,
    "oversight:topic_report": POST_ONLY_PAGE,
    "oversight:topic_rating_open": POST_ONLY_PAGE,
    "oversight:topic_score": POST_ONLY_PAGE,
    "oversight:topic_conclude": POST_ONLY_PAGE,
    "oversight:topic_rectify": POST_ONLY_PAGE,
    "oversight:topic_publish": POST_ONLY_PAGE,
    "oversight:matters": COMMITTEE_ONLY,  # reports to the Party committee
    "oversight:matter_new": STAFF_ONLY,
    "oversight:matter_detail": COMMITTEE_ONLY,
    "oversight:meetings": LOCAL_LIST,
    "oversight:meeting_new": STAFF_ONLY,
    "oversight:meeting_detail": LOCAL_LIST,  # county-wide
    "oversight:meeting_invite": POST_ONLY_PAGE,
    "oversight:observer_add": POST_ONLY_PAGE,
    "oversight:attendance_mark": POST_ONLY_PAGE,
    "oversight:observer_decide": POST_ONLY_PAGE,
    "oversight:meeting_members": POST_ONLY_PAGE,
    "oversight:vote_count": POST_ONLY_PAGE,
    # 审议意见: county-wide; a unit reads those sent to it and reports back.
    "oversight:review_opinions": PAGE,
    "oversight:review_opinion_new": STAFF_ONLY,
    "oversight:review_opinion_detail": PAGE,
    "oversight:review_opinion_report": POST_ONLY_PAGE,
    "oversight:review_opinion_hear": POST_ONLY_PAGE,
    "oversight:review_opinion_conclude": POST_ONLY_PAGE,
    "oversight:review_opinion_publish": POST_ONLY_PAGE,
    # The year's plans: county-wide (not for a unit); 专题视察: county-wide, a deputy those they
    # took part in (deputy_a1 in OBJECTS); 专题询问: county-wide, a unit where it answered.
    "oversight:plans": LOCAL_LIST,
    "oversight:plan_new": STAFF_ONLY,
    "oversight:plan_detail": LOCAL_LIST,
    "oversight:plan_item_add": POST_ONLY_PAGE,
    "oversight:plan_item_detail": LOCAL_LIST,
    "oversight:plan_item_link": POST_ONLY_PAGE,
    "oversight:plan_item_unlink": POST_ONLY_PAGE,
    "oversight:site_inspections": LOCAL_LIST,
    "oversight:site_inspection_new": STAFF_ONLY,
    "oversight:site_inspection_detail": LOCAL_LIST,
    "oversight:site_inspection_edit": STAFF_ONLY,
    "oversight:inquiries": PAGE,
    "oversight:inquiry_new": STAFF_ONLY,
    "oversight:inquiry_detail": PAGE,
    "oversight:inquiry_question_add": POST_ONLY_PAGE,
    "oversight:inquiry_promise": POST_ONLY_PAGE,
    "oversight:inquiry_publish": POST_ONLY_PAGE,
    "work-plan-list": API_LOCAL_LIST,
    "work-plan-detail": API_LOCAL_LIST,
    "plan-item-list": API_LOCAL_LIST,
    "plan-item-detail": API_LOCAL_LIST,
    "site-inspection-list": API_LOCAL_LIST,
    "site-inspection-detail": API_LOCAL_LIST,
    "inquiry-list": API,
    "inquiry-detail": API,
    "inquiry-question-list": API,
    "inquiry-question-detail": API,
    "inspection-list": API,
    "inspection-detail": API,
    "inspection-recommendation-list": API,
    "inspection-recommendation-detail": API,
    "supervision-topic-list": API,
    "supervision-topic-detail": API,
    "major-matter-list": profile(403, anonymous=403, admin=200, staff=200, member=200),
    "major-matter-detail": profile(403, anonymous=403, admin=200, staff=200, member=200),
    "committee-meeting-list": API_LOCAL_LIST,
    "committee-meeting-detail": API_LOCAL_LIST,  # county-wide
    "review-opinion-list": API,
    "review-opinion-detail": API,
    # 立法意见征集: the draft in OBJECTS is sent to home_a1 and its deputies (not to A2).
    "legislation:list": LOCAL_LIST,
    "legislation:new": STAFF_ONLY,
    "legislation:liaison_points": STAFF_ONLY,
    "legislation:liaison_point_remove": POST_ONLY_PAGE,
    "legislation:detail": LOCAL_DETAIL,
    "legislation:file": LOCAL_DETAIL,
    "legislation:opinion_give": POST_ONLY_PAGE,
    "legislation:opinion_record": POST_ONLY_PAGE,
    "legislation:route": POST_ONLY_PAGE,
    "legislation:close": POST_ONLY_PAGE,
    "legislation:report": POST_ONLY_PAGE,
    "legislation:summary": profile(403, anonymous=302, admin=200, staff=200, outsider=404),
    "public:legislation_list": PUBLIC,
    "public:legislation_comment": PUBLIC,
    "legislative-draft-list": API_LOCAL_LIST,
    "legislative-draft-detail": API_LOCAL_DETAIL,
    "legislative-opinion-list": API_LOCAL_LIST,
    # A station's opinion: read by its station and township, not by a deputy (theirs only).
    "legislative-opinion-detail": profile(200, anonymous=403, unit=403, outsider=404, deputy=404),
    # 人代会: the session in OBJECTS is county A's (deputy_a1 convened, present and leading the 甲一
    # delegation's motion); township staff keep their own township's sessions only, keepers and
    # units read none.
    "plenary:list": profile(200, anonymous=302, keeper=403, unit=403),
    "plenary:new": profile(403, anonymous=302, admin=200, staff=200, township=200, outsider=200),
    "plenary:detail": PLENARY_DETAIL,
    "plenary:delegates_refresh": POST_ONLY_PAGE,
    "plenary:sitting_new": POST_ONLY_PAGE,
    "plenary:motion_new": PLENARY_MANAGE,
    "plenary:roll_call": PLENARY_MANAGE,
    "plenary:sign_in": PLENARY_MANAGE,
    "plenary:sign_in_confirm": POST_ONLY_PAGE,
    "plenary:motions": profile(200, anonymous=302, keeper=403, unit=403),
    "plenary:motion": PLENARY_DETAIL,
    "plenary:motion_decide": POST_ONLY_PAGE,
    "suggestions:from_motion": PLENARY_MANAGE,
    "plenary-session-list": profile(200, anonymous=403, keeper=403, unit=403),
    "plenary-session-detail": PLENARY_API_DETAIL,
    "plenary-attendance-list": profile(200, anonymous=403, keeper=403, unit=403),
    "plenary-attendance-detail": PLENARY_API_DETAIL,
    "motion-list": profile(200, anonymous=403, keeper=403, unit=403),
    "motion-detail": PLENARY_API_DETAIL,
    # "三零" registration checks: county staff and the administrator run them; township staff
    # read their county's checks (the findings of their own township only).
    "elections:check_list": profile(
        403, anonymous=302, admin=200, staff=200, township=200, outsider=200
    ),
    "elections:check_new": STAFF_ONLY,
    "elections:structure": COMMITTEE_ONLY,
    "elections:check_detail": profile(
        403, anonymous=302, admin=200, staff=200, township=200, outsider=200
    ),
    "elections:check_status": profile(
        403, anonymous=302, admin=200, staff=200, township=200, outsider=200
    ),
    "registration-check-list": profile(
        403, anonymous=403, admin=200, staff=200, township=200, outsider=200
    ),
    "registration-check-detail": profile(
        403, anonymous=403, admin=200, staff=200, township=200, outsider=200
    ),
    "registration-finding-list": profile(
        403, anonymous=403, admin=200, staff=200, township=200, outsider=200
    ),
    # The finding in OBJECTS is in township A1.
    "registration-finding-detail": profile(
        403, anonymous=403, admin=200, staff=200, township=200, outsider=404
    ),
    # API
    "api-schema": API,
    "api-docs": PAGE,
    "api-root": API,
    "region-list": API,
    "region-detail": API,
    "station-list": API_LOCAL_LIST,
    "station-detail": API_LOCAL_DETAIL,
    "deputy-list": API_LOCAL_LIST,
    "deputy-detail": API_LOCAL_DETAIL,
    "deputy-group-list": API_LOCAL_LIST,
    "mandate-event-list": API_LOCAL_LIST,
    # An event of another deputy of home_a1: the deputy reads only their own.
    "mandate-event-detail": profile(200, anonymous=403, unit=403, outsider=404, deputy=404),
    "deputy-group-detail": API_LOCAL_LIST,  # county-wide: the outsider sees county A's groups
    "handling-unit-list": API,
    # 交办会: the offices (the matrix's meeting is the county's: not a township's staff).
    "suggestion-meeting-list": profile(200, anonymous=403, keeper=403, deputy=403, unit=403),
    "suggestion-meeting-detail": profile(
        200, anonymous=403, keeper=403, deputy=403, unit=403, township=404, outsider=404
    ),
    "handling-unit-detail": API,  # the unit itself, and county A's staff
    "reception-day-list": API_LOCAL_LIST,
    "visit-day-list": API_LOCAL_LIST,
    "visit-day-detail": API_LOCAL_DETAIL,
    "mailbox-list": API_LOCAL_LIST,
    "mailbox-detail": API_LOCAL_DETAIL,
    "mailbox-opening-list": API_LOCAL_LIST,
    "mailbox-opening-detail": API_LOCAL_DETAIL,
    "reception-day-detail": API_LOCAL_DETAIL,
    "reception-list": API_LOCAL_LIST,
    "reception-detail": API_LOCAL_DETAIL,
    "opinion-list": API,
    "opinion-detail": profile(200, anonymous=403, unit=404, outsider=404),
    "activity-list": API_LOCAL_LIST,
    "activity-detail": API_LOCAL_DETAIL,
    "small-wish-list": API_LOCAL_LIST,
    "small-wish-detail": API_LOCAL_DETAIL,
    "suggestion-list": API,
    "member-link-list": profile(200, anonymous=403, unit=403),
    "member-link-detail": profile(200, anonymous=403, unit=403, outsider=404),
    "voter-list": profile(200, anonymous=403, unit=403),
    "voter-detail": profile(200, anonymous=403, unit=403, outsider=404),
    "key-project-list": profile(200, anonymous=403, unit=403),
    "key-project-detail": profile(200, anonymous=403, unit=403),
    "training-list": profile(200, anonymous=403, unit=403),
    "training-detail": profile(200, anonymous=403, unit=403),
    "duty-report-list": profile(200, anonymous=403, unit=403),
    "duty-report-batch-list": profile(200, anonymous=403, unit=403),
    "duty-report-batch-detail": profile(200, anonymous=403, unit=403, outsider=404),
    "annual-overview-list": profile(200, anonymous=403, keeper=403, deputy=403, unit=403),
    "rectification-list": profile(200, anonymous=403, unit=403),
    "rectification-detail": profile(200, anonymous=403, unit=403, outsider=404),
    "excellent-candidate-list": profile(200, anonymous=403, unit=403),
    # The candidate in OBJECTS is not published: a deputy does not see it yet.
    "excellent-candidate-detail": profile(200, anonymous=403, unit=403, outsider=404, deputy=404),
    "duty-report-detail": profile(200, anonymous=403, unit=403, outsider=404),
    "duty-score-list": profile(200, anonymous=403, unit=403),
    "small-problem-list": profile(200, anonymous=403, unit=403),
    "small-problem-detail": API_LOCAL_DETAIL,
    "aid-household-list": profile(200, anonymous=403, unit=403),
    "aid-household-detail": API_LOCAL_DETAIL,
    "duty-score-detail": profile(200, anonymous=403, unit=403, outsider=404),
    "suggestion-statistics-list": profile(200, anonymous=403, keeper=403, deputy=403, unit=403),
    "suggestion-detail": profile(200, anonymous=403, township=404, outsider=404),
    "duty-story-list": profile(200, anonymous=403, unit=403),
    "duty-story-detail": profile(200, anonymous=403, unit=403),  # county-wide
    # Admin site
    "admin:index": ADMIN_ANY_STAFF,
    "admin:login": profile(200, admin=302, staff=302),
    "admin:logout": profile(302, admin=405, staff=405),
    "admin:password_change": ADMIN_ANY_STAFF,
    "admin:password_change_done": ADMIN_ANY_STAFF,
    "admin:jsi18n": ADMIN_ANY_STAFF,
    "admin:autocomplete": profile(302, admin=403, staff=403),  # needs its query parameters
    "admin:view_on_site": ADMIN_NOT_FOUND_FOR_STAFF,
    "admin:app_list": profile(302, admin=200, staff=200),  # /admin/stations/
    "/admin/1": ADMIN_NOT_FOUND_FOR_STAFF,
}

DOMAIN_ADMIN_MODELS = [
    ("directory", "region"),
    ("directory", "station"),
    ("stations", "receptionday"),
    ("stations", "reception"),
    ("stations", "opinion"),
    ("stations", "stationactivity"),
    ("stations", "smallwish"),
    ("stations", "visitday"),
    ("stations", "mailbox"),
    ("deputies", "dutyrecord"),
    ("suggestions", "replycategory"),
    ("suggestions", "suggestion"),
    ("suggestions", "reply"),
    ("suggestions", "evaluation"),
    ("suggestions", "assignmentmeeting"),
    ("suggestions", "reassignrequest"),
    ("suggestions", "unitcontact"),
    ("directory", "deputy"),
    ("directory", "mandate"),
    ("directory", "deputygroup"),
    ("linkages", "memberlink"),
    ("linkages", "keyproject"),
    ("linkages", "grouptask"),
    ("linkages", "groupactivity"),
    ("deputies", "training"),
    ("dutyreports", "reportcampaign"),
    ("dutyreports", "dutyreport"),
    ("dutyreports", "reportevaluation"),
    ("dutyreports", "rectification"),
    ("dutyreports", "excellentcandidate"),
    ("dutyreports", "batchmember"),
    ("deputies", "smallproblem"),
    ("deputies", "aidhousehold"),
    ("linkages", "voter"),
    ("directory", "handlingunit"),
    ("public", "dutystory"),
    ("oversight", "inspection"),
    ("oversight", "inspectionrecommendation"),
    ("oversight", "supervisiontopic"),
    ("oversight", "researchreport"),
    ("oversight", "satisfactionrating"),
    ("oversight", "majormatter"),
    ("oversight", "committeemeeting"),
    ("oversight", "meetingvote"),
    ("oversight", "reviewopinion"),
    ("oversight", "siteinspection"),
    ("oversight", "inquiry"),
    ("oversight", "workplan"),
    ("legislation", "liaisonpoint"),
    ("legislation", "draft"),
    ("legislation", "legislativeopinion"),
    ("plenary", "session"),
    ("plenary", "delegate"),
    ("plenary", "attendance"),
    ("plenary", "motion"),
]
SUPERUSER_ADMIN_MODELS = [
    ("accounts", "user"),
    ("auth", "group"),
    ("authtoken", "tokenproxy"),
    ("otp_totp", "totpdevice"),
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
    ("rosters", "valuemapping"),  # staff map values on the import's 对应取值 page
]
for models, expected in (
    (DOMAIN_ADMIN_MODELS, ADMIN_DOMAIN),
    (SUPERUSER_ADMIN_MODELS, ADMIN_SUPERUSER),
):
    for app_label, model in models:
        for action in ("changelist", "add", "change", "delete", "history"):
            EXPECTED[f"admin:{app_label}_{model}_{action}"] = expected
        EXPECTED[f"/admin/{app_label}/{model}/x/"] = ADMIN_REDIRECT
EXPECTED["admin:auth_user_password_change"] = ADMIN_SUPERUSER
# Opinions and wishes start on the portal's pages (which keep their timeline), duty records in
# the features that produce them: the admin reads and corrects, it does not create them.
for name in (
    "stations_opinion",
    "stations_smallwish",
    "deputies_dutyrecord",
    "suggestions_suggestion",
    "suggestions_reply",
    "suggestions_evaluation",
    "linkages_voter",
    "linkages_groupactivity",
    "dutyreports_reportcampaign",
    "dutyreports_dutyreport",
):
    EXPECTED[f"admin:{name}_add"] = ADMIN_NOBODY
EXPECTED["admin:dutyreports_dutyreport_delete"] = ADMIN_NOBODY
for name in (
    "dutyreports_reportevaluation",
    "dutyreports_excellentcandidate",
    "dutyreports_batchmember",
    "deputies_smallproblem",
    "deputies_aidhousehold",
):
    EXPECTED[f"admin:{name}_add"] = ADMIN_NOBODY
    EXPECTED[f"admin:{name}_delete"] = ADMIN_NOBODY
# Oversight records are entered on the portal (rules checked, duty records written): the admin
# corrects descriptive fields; it neither adds nor deletes, and the rating's votes are as cast.
for model in (
    "inspection",
    "inspectionrecommendation",
    "supervisiontopic",
    "researchreport",
    "satisfactionrating",
    "majormatter",
    "committeemeeting",
    "meetingvote",
    "reviewopinion",
    "siteinspection",
    "inquiry",
    "workplan",
):
    EXPECTED[f"admin:oversight_{model}_add"] = ADMIN_NOBODY
    EXPECTED[f"admin:oversight_{model}_delete"] = ADMIN_NOBODY
EXPECTED["admin:deputies_dutyrecord_delete"] = ADMIN_NOBODY
# Drafts are published and opinions gathered on the portal (scope, deadline, duty records).
for model in ("draft", "legislativeopinion"):
    EXPECTED[f"admin:legislation_{model}_add"] = ADMIN_NOBODY
    EXPECTED[f"admin:legislation_{model}_delete"] = ADMIN_NOBODY
# 人代会 records are entered on the portal (convened deputies, signatures, duty records).
for model in ("session", "delegate", "attendance", "motion"):
    EXPECTED[f"admin:plenary_{model}_add"] = ADMIN_NOBODY
    EXPECTED[f"admin:plenary_{model}_delete"] = ADMIN_NOBODY
# Scoring rules: the administrator edits them, committee staff only read them.
EXPECTED.update(
    {
        "admin:deputies_scoringscheme_changelist": ADMIN_DOMAIN,
        "admin:deputies_scoringscheme_change": ADMIN_DOMAIN,  # read-only for staff
        "admin:deputies_scoringscheme_history": ADMIN_DOMAIN,
        "admin:deputies_scoringscheme_add": ADMIN_SUPERUSER,
        "admin:deputies_scoringscheme_delete": ADMIN_SUPERUSER,
        "/admin/deputies/scoringscheme/x/": ADMIN_REDIRECT,
        # Scores are computed, never entered.
        "admin:deputies_manualdutyrecord_changelist": ADMIN_DOMAIN,
        "admin:deputies_manualdutyrecord_change": ADMIN_DOMAIN,
        "admin:deputies_manualdutyrecord_history": ADMIN_DOMAIN,
        "admin:deputies_manualdutyrecord_add": ADMIN_NOBODY,
        "admin:deputies_manualdutyrecord_delete": ADMIN_NOBODY,
        "/admin/deputies/manualdutyrecord/x/": ADMIN_REDIRECT,
        "admin:deputies_dutyscore_changelist": ADMIN_DOMAIN,
        "admin:deputies_dutyscore_change": ADMIN_DOMAIN,
        "admin:deputies_dutyscore_history": ADMIN_DOMAIN,
        "admin:deputies_dutyscore_add": ADMIN_NOBODY,
        "admin:deputies_dutyscore_delete": ADMIN_NOBODY,
        "/admin/deputies/dutyscore/x/": ADMIN_REDIRECT,
    }
)
EXPECTED["admin:suggestions_evaluation_delete"] = ADMIN_NOBODY  # votes are not deleted
# 交办会, 改办 and 沟通 are entered on the portal (batch assignment, decisions, notices).
for model in ("assignmentmeeting", "reassignrequest", "unitcontact"):
    EXPECTED[f"admin:suggestions_{model}_add"] = ADMIN_NOBODY
    EXPECTED[f"admin:suggestions_{model}_delete"] = ADMIN_NOBODY
# 结构关 targets and candidates (with their 政治关/质量关 review): committee staff keep them in the admin.
for model in ("structuretarget", "candidate"):
    for action in ("changelist", "add", "change", "delete", "history"):
        EXPECTED[f"admin:elections_{model}_{action}"] = ADMIN_DOMAIN
    EXPECTED[f"/admin/elections/{model}/x/"] = ADMIN_REDIRECT
# "三零" checks and their findings come from the portal's check: the administrator reads them and
# may delete an old one; nobody adds or edits them in the admin.
for model in ("registrationcheck", "registrationfinding"):
    for action in ("changelist", "change", "history", "delete"):
        EXPECTED[f"admin:elections_{model}_{action}"] = ADMIN_DOMAIN
    EXPECTED[f"admin:elections_{model}_add"] = ADMIN_NOBODY
    EXPECTED[f"/admin/elections/{model}/x/"] = ADMIN_REDIRECT
# django-axes' registers are written by the login machinery only.
for model in ("accessattempt", "accessfailurelog", "accesslog"):
    EXPECTED[f"admin:axes_{model}_add"] = ADMIN_NOBODY
EXPECTED["admin:otp_totp_totpdevice_config"] = ADMIN_SUPERUSER
EXPECTED["admin:otp_totp_totpdevice_qrcode"] = ADMIN_SUPERUSER
# Audit trail: committee staff and the administrator read it; nobody adds, edits or deletes.
EXPECTED.update(
    {
        "admin:auditlog_logentry_changelist": ADMIN_DOMAIN,
        "admin:auditlog_logentry_change": ADMIN_DOMAIN,  # a read-only view
        "admin:auditlog_logentry_history": ADMIN_DOMAIN,
        "admin:auditlog_logentry_add": ADMIN_NOBODY,
        "admin:auditlog_logentry_delete": ADMIN_NOBODY,
        "/admin/auditlog/logentry/x/": ADMIN_REDIRECT,
    }
)
# Registers kept by the system: the administrator reads them, nobody edits them here.
for model, deletable in (
    ("core_personaldataaccess", False),
    ("core_notification", True),
    ("core_outboxmessage", True),
    ("core_exportjob", True),
):
    EXPECTED.update(
        {
            f"admin:{model}_changelist": ADMIN_SUPERUSER,
            f"admin:{model}_change": ADMIN_SUPERUSER,
            f"admin:{model}_history": ADMIN_SUPERUSER,
            f"admin:{model}_add": profile(302, admin=403, staff=403),
            f"admin:{model}_delete": ADMIN_SUPERUSER if deletable else ADMIN_NOBODY,
            f"/admin/core/{model.removeprefix('core_')}/x/": ADMIN_REDIRECT,
        }
    )
