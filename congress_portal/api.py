from rest_framework.routers import DefaultRouter

from deputies.api.views import (
    AidHouseholdViewSet,
    DeputyGroupViewSet,
    DeputyViewSet,
    DutyScoreViewSet,
    MandateEventViewSet,
    SmallProblemViewSet,
    TrainingViewSet,
)
from dutyreports.api.views import (
    BatchMemberViewSet,
    DutyReportViewSet,
    ExcellentCandidateViewSet,
    RectificationViewSet,
)
from elections.api.views import RegistrationCheckViewSet, RegistrationFindingViewSet
from legislation.api.views import DraftViewSet, LegislativeOpinionViewSet
from linkages.api.views import (
    GroupActivityViewSet,
    GroupTaskViewSet,
    KeyProjectViewSet,
    MemberLinkViewSet,
    VoterViewSet,
)
from oversight.api.views import (
    InquiryQuestionViewSet,
    InquiryViewSet,
    InspectionViewSet,
    MatterViewSet,
    MeetingViewSet,
    PlanItemViewSet,
    RecommendationViewSet,
    ReviewOpinionViewSet,
    SiteInspectionViewSet,
    TopicViewSet,
    WorkPlanViewSet,
)
from plenary.api.views import AttendanceViewSet, MotionViewSet, SessionViewSet
from public.api.views import DutyStoryViewSet
from reports.api.views import AnnualOverviewViewSet
from stations.api.ledger import StationActivityViewSet
from stations.api.opinions import OpinionViewSet
from stations.api.receptions import ReceptionDayViewSet, ReceptionViewSet
from stations.api.views import RegionViewSet, StationViewSet
from stations.api.visits import MailboxOpeningViewSet, MailboxViewSet, VisitDayViewSet
from stations.api.wishes import SmallWishViewSet
from suggestions.api.statistics import SuggestionStatisticsViewSet
from suggestions.api.suggestions import SuggestionViewSet
from suggestions.api.views import AssignmentMeetingViewSet, HandlingUnitViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("stations", StationViewSet, basename="station")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("deputy-groups", DeputyGroupViewSet, basename="deputy-group")
router.register("mandate-events", MandateEventViewSet, basename="mandate-event")
router.register("duty-scores", DutyScoreViewSet, basename="duty-score")
router.register("trainings", TrainingViewSet, basename="training")
router.register("small-problems", SmallProblemViewSet, basename="small-problem")
router.register("aid-households", AidHouseholdViewSet, basename="aid-household")
router.register("duty-reports", DutyReportViewSet, basename="duty-report")
router.register("duty-report-batch", BatchMemberViewSet, basename="duty-report-batch")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("annual-overview", AnnualOverviewViewSet, basename="annual-overview")
router.register("excellent-candidates", ExcellentCandidateViewSet, basename="excellent-candidate")
router.register("member-links", MemberLinkViewSet, basename="member-link")
router.register("voters", VoterViewSet, basename="voter")
router.register("key-projects", KeyProjectViewSet, basename="key-project")
router.register("group-tasks", GroupTaskViewSet, basename="group-task")
router.register("group-activities", GroupActivityViewSet, basename="group-activity")
router.register("handling-units", HandlingUnitViewSet, basename="handling-unit")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("suggestion-meetings", AssignmentMeetingViewSet, basename="suggestion-meeting")
router.register(
    "suggestion-statistics", SuggestionStatisticsViewSet, basename="suggestion-statistics"
)
router.register("reception-days", ReceptionDayViewSet, basename="reception-day")
router.register("visit-days", VisitDayViewSet, basename="visit-day")
router.register("mailboxes", MailboxViewSet, basename="mailbox")
router.register("mailbox-openings", MailboxOpeningViewSet, basename="mailbox-opening")
router.register("receptions", ReceptionViewSet, basename="reception")
router.register("opinions", OpinionViewSet, basename="opinion")
router.register("small-wishes", SmallWishViewSet, basename="small-wish")
router.register("activities", StationActivityViewSet, basename="activity")
router.register("duty-stories", DutyStoryViewSet, basename="duty-story")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register(
    "inspection-recommendations", RecommendationViewSet, basename="inspection-recommendation"
)
router.register("review-opinions", ReviewOpinionViewSet, basename="review-opinion")
router.register("supervision-topics", TopicViewSet, basename="supervision-topic")
router.register("major-matters", MatterViewSet, basename="major-matter")
router.register("committee-meetings", MeetingViewSet, basename="committee-meeting")
router.register("work-plans", WorkPlanViewSet, basename="work-plan")
router.register("plan-items", PlanItemViewSet, basename="plan-item")
router.register("site-inspections", SiteInspectionViewSet, basename="site-inspection")
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("inquiry-questions", InquiryQuestionViewSet, basename="inquiry-question")
router.register("legislative-drafts", DraftViewSet, basename="legislative-draft")
router.register("legislative-opinions", LegislativeOpinionViewSet, basename="legislative-opinion")
router.register("plenary-sessions", SessionViewSet, basename="plenary-session")
router.register("plenary-attendance", AttendanceViewSet, basename="plenary-attendance")
router.register("motions", MotionViewSet, basename="motion")
router.register("registration-checks", RegistrationCheckViewSet, basename="registration-check")
router.register(
    "registration-findings", RegistrationFindingViewSet, basename="registration-finding"
)
