"""Staff pages for 履职故事: the list (drafts and published), the entry form, publish and
withdraw. Committee staff of the county write; county-wide roles read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, county_record, require, scope_level
from core.errors import DomainError
from core.files import private_file_response
from core.pagination import paginate
from directory.models import Region
from stations.selectors.opinions import opinion_get

from . import selectors
from .forms import DutyStoryForm
from .models import OnlineOpinion
from .services import duty_story_publish, duty_story_save


def _county_for(user) -> Region:
    """The county whose stories the user writes: their own, or the public county for the
    administrator."""
    scope = user.scope
    if scope.unrestricted:
        return selectors.public_county()
    if scope.county is None:
        raise PermissionDenied
    require(user, "duty_story.write", county_record(scope.county))
    return get_object_or_404(Region, pk=scope.county)


@login_required
def story_list(request):
    scope_level(request.user, "duty_story")  # 403 for roles that may not read stories
    filterset = selectors.DutyStoryFilter(
        request.GET, queryset=selectors.duty_story_list(user=request.user), request=request
    )
    scope = request.user.scope
    may_write = can(request.user, "duty_story.write", county_record(scope.county))
    return render(
        request,
        "public/staff/story_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs), "may_write": may_write},
    )


def _edit(request, story=None):
    county = _county_for(request.user)
    if story is not None and story.county_id != county.pk:
        raise PermissionDenied
    form = DutyStoryForm(request.POST or None, instance=story, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            story = duty_story_save(
                user=request.user, county=county, data=form.cleaned_data, story=story
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("履职故事已保存。"))
            return redirect("public:story_list")
    return render(request, "public/staff/story_form.html", {"form": form, "story": story})


@login_required
def story_new(request):
    return _edit(request)


@login_required
def story_edit(request, pk: int):
    return _edit(request, selectors.duty_story_get(user=request.user, pk=pk))


@login_required
@require_POST
def story_publish(request, pk: int):
    story = selectors.duty_story_get(user=request.user, pk=pk)
    require(request.user, "duty_story.write", story)
    publish = request.POST.get("publish") == "1"
    try:
        duty_story_publish(user=request.user, story=story, published=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已公开。") if publish else _("已撤回公开。"))
    return redirect("public:story_list")


@login_required
def opinion_photo(request, pk: int):
    """The photo a sender attached on 民意直通车, for whoever may read the opinion (404 else)."""
    opinion = opinion_get(user=request.user, pk=pk)
    online = OnlineOpinion.objects.filter(opinion=opinion).first()
    if online is None:
        raise Http404
    return private_file_response(online.photo)
