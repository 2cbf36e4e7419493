"""Pages of participation: the POST endpoints behind the panel on every record, the proposals,
and the moderation queue. Each action sends the reader back to the record they came from."""

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.filtering import StablePaginator
from thetsaban.network import client_address
from thetsaban.participation import services
from thetsaban.participation.filters import ProposalFilterSet
from thetsaban.participation.forms import CommentForm, ProposalForm, ReasonForm
from thetsaban.participation.models import Comment, Flag, Moderation, Proposal, is_moderator
from thetsaban.participation.ratelimit import RateLimited
from thetsaban.participation.targets import MODERATED_CONTENT, UnknownTarget, content_type_of, find

PAGE_SIZE = 20
RECENT_MODERATIONS = 20


def _next_url(request, fallback) -> str:
    """The safe place to go back to: `next` when it is on this site, else the record."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return fallback or "/"


def _target(request, target_type, pk):
    try:
        return find(target_type, pk, request.user)
    except UnknownTarget:
        raise Http404 from None


def _back(request, target, anchor: str = "participation"):
    fallback = target.get_absolute_url() + f"#{anchor}" if hasattr(target, "get_absolute_url") else "/"
    return redirect(_next_url(request, fallback))


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def comment(request, target_type, pk):
    """Post a comment on a record; errors show on a form page that keeps the text."""
    target = _target(request, target_type, pk)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            item = services.post_comment(target, form.cleaned_data["text"], acting_user=request.user,
                                         ip=client_address(request))
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        else:
            messages.success(request, _("Your comment is posted."))
            url = _next_url(request, target.get_absolute_url())
            return redirect(url if "#" in url else f"{url}#comment-{item.pk}")
    elif request.method == "POST":
        status = 400
    return render(request, "participation/comment_form.html", {
        "form": form, "target": target, "target_type": target_type,
        "next": _next_url(request, target.get_absolute_url()),
    }, status=status)


def _simple_action(request, target_type, pk, action, done_message):
    target = _target(request, target_type, pk)
    try:
        action(target, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
    else:
        messages.success(request, done_message)
    return _back(request, target)


@require_POST
@login_required
def endorse(request, target_type, pk):
    """Support a recommendation or a practice."""
    return _simple_action(request, target_type, pk, services.endorse, _("Thank you for your support."))


@require_POST
@login_required
def withdraw(request, target_type, pk):
    """Withdraw one's support."""
    return _simple_action(request, target_type, pk, services.withdraw_endorsement,
                          _("Your support is withdrawn."))


@require_POST
@login_required
def follow(request, target_type, pk):
    """Follow a record to be e-mailed about its changes."""
    if request.user.email:
        done = _("You follow this now; changes will be e-mailed to you.")
    else:
        done = _("You follow this now. Your account has no e-mail address, so changes cannot be "
                 "e-mailed to you.")
    return _simple_action(request, target_type, pk, services.follow, done)


@require_POST
@login_required
def unfollow(request, target_type, pk):
    """Stop following a record."""
    return _simple_action(request, target_type, pk, services.unfollow,
                          _("You no longer follow this."))


def _content(request, kind, pk):
    label = MODERATED_CONTENT.get(kind)
    if label is None:
        raise Http404
    model = Comment if kind == "comment" else Proposal
    return get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk)


def _content_home(item) -> str:
    return item.get_absolute_url()


@login_required
def flag(request, kind, pk):
    """Report a comment or a proposal to the moderators, with a reason."""
    item = _content(request, kind, pk)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag(item, form.cleaned_data["reason"], acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. A moderator will look at it."))
                return redirect(_next_url(request, _content_home(item)))
        status = 400
    return render(request, "participation/flag_form.html", {
        "form": form, "item": item, "kind": kind, "next": _next_url(request, _content_home(item)),
    }, status=status)


@require_POST
@login_required
def moderate(request, kind, pk, action):
    """Hide or restore a comment or a proposal, with the moderator's reason."""
    if not is_moderator(request.user):
        raise PermissionDenied
    item = _content(request, kind, pk)
    service = {"hide": services.hide, "restore": services.restore}.get(action)
    if service is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the record."))
    else:
        try:
            service(item, form.cleaned_data["reason"], acting_user=request.user)
        except OwnWorkRefused as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("Hidden.") if action == "hide" else _("Restored."))
    return redirect(_next_url(request, _content_home(item)))


def _proposals_for(user):
    comments = (Comment.objects.filter(content_type=content_type_of(Proposal), hidden=False,
                                       object_id=OuterRef("pk"))
                .order_by().values("object_id").annotate(n=Count("pk")).values("n"))
    return (Proposal.objects.restrict(user, "view")
            .select_related("author", "lgu", "promoted_to").prefetch_related("themes")
            .annotate(comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), 0)))


def proposal_list(request):
    """Members' bottom-up proposals, newest first, with the form to add one."""
    filterset = ProposalFilterSet(request.GET, queryset=_proposals_for(request.user))
    page = StablePaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participation/proposal_list.html", {
        "filter": filterset, "page": page,
        "form": ProposalForm(user=request.user) if request.user.is_authenticated else None,
    })


@login_required
def proposal_new(request):
    """Submit a bottom-up proposal."""
    form = ProposalForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.submit_proposal(
                    acting_user=request.user, ip=client_address(request), title=data["title"],
                    problem=data["problem"], proposal=data["proposal"], themes=data["themes"],
                    lgu=data["lgu"])
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            except RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            else:
                if request.user.email:
                    messages.success(request, _("Your proposal is filed. You will be e-mailed about it."))
                else:
                    messages.success(request, _("Your proposal is filed. Your account has no e-mail "
                                                "address, so follow it here."))
                return redirect(item)
        else:
            status = 400
    return render(request, "participation/proposal_form.html", {"form": form}, status=status)


def proposal_detail(request, pk):
    """One proposal with its comments; staff may promote it into a recommendation."""
    item = get_object_or_404(_proposals_for(request.user), pk=pk)
    return render(request, "participation/proposal_detail.html", {
        "proposal": item,
        "can_promote": services.may_promote(request.user, item),
        "own_content_reason": services.own_content_reason(request.user, item),
        "restore_refusal": services.own_content_reason(request.user, item) if item.hidden else "",
        "is_moderator": is_moderator(request.user),
    })


@require_POST
@login_required
def proposal_promote(request, pk):
    """Staff promote a proposal into a policy recommendation."""
    item = get_object_or_404(Proposal.objects.restrict(request.user, "view"), pk=pk)
    try:
        recommendation = services.promote_proposal(item, acting_user=request.user)
    except OwnWorkRefused as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("Promoted into a recommendation."))
        return redirect(recommendation)
    return redirect(item)


@login_required
def moderation_queue(request):
    """What waits for a moderator: open flags grouped by the flagged content, and recent decisions."""
    if not is_moderator(request.user):
        raise PermissionDenied
    flags = (Flag.objects.restrict(request.user, "view").open()
             .select_related("reporter", "content_type").order_by("created_at", "pk"))
    groups = OrderedDict()
    for item in flags:
        key = (item.content_type.model, item.object_id)
        groups.setdefault(key, {"kind": key[0], "pk": key[1], "flags": []})["flags"].append(item)
    ids = {"comment": set(), "proposal": set()}
    for kind, pk in groups:
        ids.setdefault(kind, set()).add(pk)
    contents = {("comment", c.pk): c for c in Comment.objects.restrict(request.user, "view")
                .filter(pk__in=ids["comment"]).select_related("author", "content_type")
                .prefetch_related("target")}
    contents.update({("proposal", p.pk): p for p in Proposal.objects.restrict(request.user, "view")
                     .filter(pk__in=ids["proposal"]).select_related("author")})
    waiting = []
    for key, group in groups.items():
        group["item"] = contents.get(key)
        if group["item"] is not None:
            waiting.append(group)
    services.mark_restore_refusals(request.user, [group["item"] for group in waiting])
    recent = (Moderation.objects.restrict(request.user, "view")
              .select_related("moderator", "content_type").prefetch_related("target")[:RECENT_MODERATIONS])
    hidden_counts = {
        "comments": Comment.objects.restrict(request.user, "view").filter(hidden=True).count(),
        "proposals": Proposal.objects.restrict(request.user, "view").filter(hidden=True).count(),
    }
    return render(request, "participation/moderation_queue.html", {
        "groups": waiting, "recent": recent, "hidden_counts": hidden_counts,
        "reason_form": ReasonForm(),
    })

