"""Records of the unit's side of suggestions for the permission matrix: a 交办会 of county A, a
contact and a refused 改办 request on the matrix's suggestion, and a reply letter on its reply."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suggestions import services
from suggestions.models import AssignmentMeeting, ReassignRequest, UnitContact

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def unit_side_objects(world, users, suggestion) -> dict:
    today = timezone.localdate()
    meeting = AssignmentMeeting.objects.create(
        county=world.county_a,
        congress=world.county_a,
        date=today,
        place="县人大常委会第一会议室",
        chaired_by="县人大常委会副主任",
        created_by=users["staff"],
    )
    UnitContact.objects.create(
        suggestion=suggestion,
        unit=world.unit_a,
        round=1,
        kind=UnitContact.Kind.MEETING,
        date=today,
        participants="领衔代表、单位负责人",
        summary="当面沟通办理意见",
        recorded_by=users["unit"],
    )
    ReassignRequest.objects.create(
        suggestion=suggestion,
        round=1,
        unit=world.unit_a,
        reason="不属本单位职责",
        requested_by=users["unit"],
        status=ReassignRequest.Status.REFUSED,
        decision_reason="属本单位职责",
    )
    reply = suggestion.replies.get()
    services.store_reply_letter(reply, SimpleUploadedFile("答复函.pdf", TINY_PDF))
    return {
        "suggestions:meeting_detail": meeting,
        "suggestion-meeting-detail": meeting,
        "suggestions:reassign_request": suggestion,
        "suggestions:contact_add": suggestion,
        "suggestions:letter_upload": suggestion,
        "suggestions:letter_download": (suggestion, reply),
    }
