"""Pages of participation: the POST endpoints behind the panel on every record, the proposals,
and the moderation queue. Each action sends the reader back to the record they came from."""

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.filtering import StablePaginator
from thetsaban.network import client_address
from thetsaban.participation import services
from thetsaban.participation.filters import ProposalFilterSet
from thetsaban.participation.forms import CommentEditForm, CommentForm, ProposalForm, ReasonForm
from thetsaban.participation.models import Comment, Flag, Moderation, Proposal, is_moderator
from thetsaban.participation.ratelimit import RateLimited
from thetsaban.participation.targets import MODERATED_CONTENT, UnknownTarget, find
from thetsaban.permissions import is_staff
from thetsaban.restricted import RestrictedDetailView, RestrictedView

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


def _form_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ContentPage(RestrictedView):
    """A page over members' comments and proposals, as the user may see them."""

    model = Comment

    def parent(self):
        """The comment a reply answers (from the form's `parent`), as the user may see it."""
        request = self.request
        raw = (request.POST.get("parent") or request.GET.get("parent") or "").strip()
        if not raw:
            return None
        parent = self.restricted(Comment).filter(pk=raw).first() if raw.isdigit() else None
        if parent is None:
            raise ValidationError({"parent": _("There is no comment %(id)s that you can reply to.") % {
                "id": raw[:20]}})
        return parent

    def content(self, kind, pk):
        """The comment or proposal `pk` (`kind` says which), or 404."""
        label = MODERATED_CONTENT.get(kind)
        if label is None:
            raise Http404
        return get_object_or_404(self.restricted(Comment if kind == "comment" else Proposal), pk=pk)


@method_decorator(login_required, name="dispatch")
class CommentPost(ContentPage):
    """Post a comment on a record, or a reply to one of its comments; errors show on a form
    page that keeps the text."""

    def get(self, request, target_type, pk):
        target = _target(request, target_type, pk)
        form = CommentForm(request.POST or None)
        status = 200
        parent = None
        try:
            parent = self.parent()
        except ValidationError as error:
            form.add_error(None, error.message_dict["parent"])
            status = 400
        if request.method == "POST" and status == 200 and form.is_valid():
            try:
                item = services.post_comment(target, form.cleaned_data["text"], acting_user=request.user,
                                             ip=client_address(request), parent=parent)
            except ValidationError as error:
                _form_error(form, error)
                status = 400
            except RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            else:
                messages.success(request, _("Your reply is posted.") if parent else _("Your comment is posted."))
                url = _next_url(request, target.get_absolute_url())
                return redirect(url if "#" in url else f"{url}#comment-{item.pk}")
        elif request.method == "POST":
            status = 400
        return render(request, "participation/comment_form.html", {
            "form": form, "target": target, "target_type": target_type, "parent": parent,
            "next": _next_url(request, target.get_absolute_url()),
        }, status=status)

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


def _comment_home(item) -> str:
    target = item.target
    return (target.get_absolute_url() if target is not None else "/") + f"#comment-{item.pk}"


@method_decorator(login_required, name="dispatch")
class CommentEdit(ContentPage):
    """Its author corrects a comment, while the league's rules allow (see services)."""

    def get(self, request, pk):
        item = self.content("comment", pk)
        refusal = services.comment_edit_refusal(request.user, item)
        if refusal and item.author_id != request.user.pk:
            raise PermissionDenied(refusal)
        back = _next_url(request, _comment_home(item))
        if refusal and request.method != "POST":
            messages.error(request, refusal)
            return redirect(back)
        form = CommentEditForm(request.POST or None, initial={"text": item.text})
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    services.edit_comment(item, form.cleaned_data["text"], acting_user=request.user)
                except ValidationError as error:
                    _form_error(form, error)
                else:
                    messages.success(request, _("Your comment is changed."))
                    return redirect(back)
        return render(request, "participation/comment_edit.html", {
            "form": form, "item": item, "next": back}, status=status)

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator([require_POST, login_required], name="dispatch")
class CommentWithdraw(ContentPage):
    """Its author withdraws a comment; it keeps its place in the thread, marked withdrawn."""

    def post(self, request, pk):
        item = self.content("comment", pk)
        try:
            services.withdraw_comment(item, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("Your comment is withdrawn."))
        return redirect(_next_url(request, _comment_home(item)))


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


def _content_home(item) -> str:
    return item.get_absolute_url()


@method_decorator(login_required, name="dispatch")
class FlagContent(ContentPage):
    """Report a comment or a proposal to the moderators, with a reason."""

    def get(self, request, kind, pk):
        item = self.content(kind, pk)
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

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator([require_POST, login_required], name="dispatch")
class Moderate(ContentPage):
    """Hide or restore a comment or a proposal, with the moderator's reason."""

    def post(self, request, kind, pk, action):
        if not is_moderator(request.user):
            raise PermissionDenied
        item = self.content(kind, pk)
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


class ProposalPage(ContentPage):
    """A page over the proposals the user may see."""

    model = Proposal

    def refine_queryset(self, queryset):
        return queryset.with_counts().select_related("author", "lgu", "promoted_to").prefetch_related("themes")


class ProposalList(ProposalPage):
    """Members' bottom-up proposals, newest first, with the form to add one."""

    def get(self, request):
        filterset = ProposalFilterSet(request.GET, queryset=self.get_queryset())
        page = StablePaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "participation/proposal_list.html", {
            "filter": filterset, "page": page, "threshold": services.support_threshold(),
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


class ProposalDetail(RestrictedDetailView):
    """One proposal with its comments; staff may promote it into a recommendation."""

    model = Proposal
    template_name = "participation/proposal_detail.html"
    refine_queryset = ProposalPage.refine_queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(proposal_context(self.request, self.object))
        return context


def proposal_context(request, item) -> dict:
    """What the proposal page shows about `item` and may offer the user."""
    return {
        "proposal": item,
        "threshold": services.support_threshold(),
        "is_author": request.user.is_authenticated and item.author_id == request.user.pk,
        "edit_refusal": services.proposal_edit_refusal(request.user, item),
        "withdraw_refusal": services.proposal_withdraw_refusal(request.user, item),
        "history_url": (reverse("accounts:history", args=["participation", "proposal", item.pk])
                        if is_staff(request.user) else ""),
        "reason_form": ReasonForm(),
        "can_promote": services.may_promote(request.user, item),
        "own_content_reason": services.own_content_reason(request.user, item),
        "restore_refusal": services.own_content_reason(request.user, item) if item.hidden else "",
        "is_moderator": is_moderator(request.user),
    }


@method_decorator(login_required, name="dispatch")
class ProposalEdit(ProposalPage):
    """Its author changes a proposal while it is open and nobody supports it yet."""

    def get(self, request, pk):
        item = get_object_or_404(self.restricted(), pk=pk)
        refusal = services.proposal_edit_refusal(request.user, item)
        if refusal and item.author_id != request.user.pk:
            raise PermissionDenied(refusal)
        if refusal and request.method != "POST":
            messages.error(request, refusal)
            return redirect(item)
        initial = {"title": item.title, "problem": item.problem, "proposal": item.proposal,
                   "themes": list(item.themes.all()), "lgu": item.lgu}
        form = ProposalForm(request.POST or None, user=request.user, initial=initial)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.edit_proposal(item, acting_user=request.user, title=data["title"],
                                           problem=data["problem"], proposal=data["proposal"],
                                           themes=data["themes"], lgu=data["lgu"])
                except ValidationError as error:
                    _form_error(form, error)
                else:
                    messages.success(request, _("Your proposal is changed."))
                    return redirect(item)
        return render(request, "participation/proposal_form.html", {"form": form, "proposal": item},
                      status=status)

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator([require_POST, login_required], name="dispatch")
class ProposalWithdraw(ProposalPage):
    """Its author withdraws an open proposal."""

    def post(self, request, pk):
        item = get_object_or_404(self.restricted(), pk=pk)
        try:
            services.withdraw_proposal(item, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("Your proposal is withdrawn."))
        return redirect(item)


@method_decorator([require_POST, login_required], name="dispatch")
class ProposalClose(ProposalPage):
    """Staff close an open proposal without promoting it, with the reason."""

    def post(self, request, pk):
        if not is_staff(request.user):
            raise PermissionDenied
        item = get_object_or_404(self.restricted(), pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for the record."))
        else:
            try:
                services.close_proposal(item, form.cleaned_data["reason"], acting_user=request.user)
            except ValidationError as error:
                messages.error(request, _messages_of(error))
            else:
                messages.success(request, _("The proposal is closed."))
        return redirect(_next_url(request, item.get_absolute_url()))


@login_required
def proposal_queue(request):
    """League staff's queue: open proposals that reached the support threshold, to promote or close."""
    if not is_staff(request.user):
        raise PermissionDenied
    waiting = list(services.proposals_waiting(request.user).select_related("author", "lgu"))
    for item in waiting:
        item.own_content_reason = services.own_content_reason(request.user, item)
    return render(request, "participation/proposal_queue.html", {
        "proposals": waiting, "threshold": services.support_threshold(), "reason_form": ReasonForm(),
    })


@method_decorator([require_POST, login_required], name="dispatch")
class ProposalPromote(ProposalPage):
    """Staff promote a proposal into a policy recommendation."""

    def post(self, request, pk):
        item = get_object_or_404(self.restricted(), pk=pk)
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


@method_decorator(login_required, name="dispatch")
class ModerationQueue(ContentPage):
    """What waits for a moderator: open flags grouped by the flagged content, and recent decisions."""

    def get(self, request):
        if not is_moderator(request.user):
            raise PermissionDenied
        flags = (self.restricted(Flag).open()
                 .select_related("reporter", "content_type").order_by("created_at", "pk"))
        groups = OrderedDict()
        for item in flags:
            key = (item.content_type.model, item.object_id)
            groups.setdefault(key, {"kind": key[0], "pk": key[1], "flags": []})["flags"].append(item)
        ids = {"comment": set(), "proposal": set()}
        for kind, pk in groups:
            ids.setdefault(kind, set()).add(pk)
        contents = {("comment", c.pk): c for c in self.restricted(Comment)
                    .filter(pk__in=ids["comment"]).select_related("author", "content_type")
                    .prefetch_related("target")}
        contents.update({("proposal", p.pk): p for p in self.restricted(Proposal)
                         .filter(pk__in=ids["proposal"]).select_related("author")})
        waiting = []
        for key, group in groups.items():
            group["item"] = contents.get(key)
            if group["item"] is not None:
                waiting.append(group)
        services.mark_restore_refusals(request.user, [group["item"] for group in waiting])
        recent = (self.restricted(Moderation)
                  .select_related("moderator", "content_type").prefetch_related("target")[:RECENT_MODERATIONS])
        hidden_counts = {
            "comments": self.restricted(Comment).filter(hidden=True).count(),
            "proposals": self.restricted(Proposal).filter(hidden=True).count(),
        }
        return render(request, "participation/moderation_queue.html", {
            "groups": waiting, "recent": recent, "hidden_counts": hidden_counts,
            "reason_form": ReasonForm(),
        })
