"""Directory pages: who does what, and whom to contact about a problem."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from thetsaban.directory import services
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.filters import OrganisationFilterSet, PersonFilterSet, PostFilterSet
from thetsaban.directory.forms import (
    CONTACT_FIELDS,
    ContactDetailFormSet,
    OrganisationForm,
    PostForm,
)
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post
from thetsaban.filtering import StablePaginator
from thetsaban.permissions import can
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice, PracticePartner, Theme
from thetsaban.restricted import RestrictedDetailView, RestrictedView

# Side lists on the index are capped; the roles list is paginated.
SIDE_LIST_SIZE = 20
PAGE_SIZE = 20


class DirectoryIndexView(RestrictedView, TemplateView):
    """The directory search: roles by topic, LGU, organisation, kind and role, and free text."""

    model = Post
    template_name = "directory/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET
        post_filter = PostFilterSet(data, queryset=self.restricted(),
                                    request=self.request)
        searching = any(data.get(key) for key in post_filter.filters)
        posts = Post.objects.none()
        if post_filter.is_valid():
            posts = post_filter.qs.for_directory(user)
            if post_filter.form.cleaned_data.get("q"):
                posts = posts.ranked(post_filter.form.cleaned_data["q"])
        page = StablePaginator(posts, PAGE_SIZE).get_page(data.get("page"))

        organisations = persons = None
        org_count = person_count = 0
        # Organisations and people are listed beside the roles, except when a role or an
        # organisation is chosen: then the question is about roles alone.
        if post_filter.is_valid() and not (data.get("role") or data.get("organisation")):
            org_filter = OrganisationFilterSet(
                {k: data.get(k) for k in ("q", "kind", "lgu", "topic") if data.get(k)},
                queryset=self.restricted(Organisation).select_related("lgu"),
                request=self.request)
            if org_filter.is_valid():
                org_count = org_filter.qs.count()
                found = org_filter.qs
                if org_filter.form.cleaned_data.get("q"):
                    found = found.ranked(org_filter.form.cleaned_data["q"])
                organisations = found[:SIDE_LIST_SIZE]
            if searching and not data.get("kind"):
                person_filter = PersonFilterSet(
                    {k: data.get(k) for k in ("q", "lgu", "topic") if data.get(k)},
                    queryset=self.restricted(Person), request=self.request)
                if person_filter.is_valid():
                    person_count = person_filter.qs.count()
                    persons = person_filter.qs[:SIDE_LIST_SIZE]
        context.update({
            "filter": post_filter,
            "kinds": OrganisationKind.choices,
            "themes": self.restricted(Theme),
            # Only LGUs whose office is in the directory are offered (not the whole national list).
            "lgu_choices": self.restricted(Lgu).filter(
                pk__in=Organisation.objects.filter(lgu__isnull=False).values("lgu_id")),
            "chosen_organisation": post_filter.form.cleaned_data.get("organisation")
                                   if post_filter.is_valid() else None,
            "searching": searching,
            "page_obj": page,
            "posts": page.object_list,
            "organisations": organisations,
            "organisation_count": org_count,
            "persons": persons,
            "person_count": person_count,
        })
        return context


class OrganisationDetailView(RestrictedDetailView):
    """One organisation: names, parent and children, roles and holders, contacts, practices."""

    model = Organisation
    template_name = "directory/organisation.html"
    context_object_name = "organisation"

    def refine_queryset(self, queryset):
        return queryset.select_related("parent", "lgu").prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = self.object
        partner_of = PracticePartner.objects.filter(organisation=organisation).values("practice_id")
        practices = self.restricted(Practice).filter(pk__in=partner_of)
        lgu_practices = Practice.objects.none()
        if organisation.lgu_id:
            lgu_practices = self.restricted(Practice).filter(
                lgu_id=organisation.lgu_id).exclude(pk__in=partner_of)
        context.update({
            "children": self.restricted().filter(parent=organisation),
            "posts": self.restricted(Post).filter(organisation=organisation)
                     .for_directory(user),
            "contacts": self.restricted(ContactDetail).filter(organisation=organisation),
            "members": self.restricted(Membership).current().filter(
                organisation=organisation, post__isnull=True).select_related("person"),
            "practices": practices[:SIDE_LIST_SIZE],
            "lgu_practices": lgu_practices[:SIDE_LIST_SIZE],
            "can_change": can(user, "change", organisation),
        })
        return context


class PersonDetailView(RestrictedDetailView):
    """One person, if their visibility and consent allow the viewer to see them."""

    model = Person
    template_name = "directory/person.html"
    context_object_name = "person"

    def refine_queryset(self, queryset):
        return queryset.prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update({
            "contacts": self.restricted(ContactDetail).filter(person=person),
            "memberships": self.restricted(Membership).filter(person=person)
                           .select_related("organisation", "post"),
            "practices": self.restricted(Practice).filter(contacts=person)
                         .select_related("lgu")[:SIDE_LIST_SIZE],
        })
        return context


@method_decorator(login_required, name="dispatch")
class OrganisationEdit(RestrictedView):
    """Change an organisation's names, description and topics (staff, or its LGU's editor)."""

    model = Organisation
    action = "change"

    def get(self, request, pk):
        organisation = get_object_or_404(self.restricted(), pk=pk)
        form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
        if request.method == "POST" and form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "topics"}
            try:
                services.update_organisation(Organisation.objects.get(pk=pk), acting_user=request.user,
                                             topics=form.cleaned_data["topics"], **fields)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The organisation is saved."))
                return redirect(organisation)
        return render(request, "directory/form.html", {
            "form": form, "organisation": organisation, "title": _("Edit organisation")})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator(login_required, name="dispatch")
class PostEdit(RestrictedView):
    """Add or change a role and its contact details (staff, or the LGU's editor)."""

    model = Post
    action = "change"

    def get(self, request, pk=None, organisation_pk=None):
        user = request.user
        if pk is None:
            organisation = get_object_or_404(self.restricted(Organisation, "change"), pk=organisation_pk)
            post = Post(organisation=organisation)
        else:
            post = get_object_or_404(self.restricted().select_related("organisation"), pk=pk)
            organisation = post.organisation
        data = request.POST if request.method == "POST" else None
        form = PostForm(data, instance=post, user=user)
        # The rows an editor may change: those of the role they may also see (never staff-only or
        # unconsented ones, since "change" stays within "view").
        contacts = ContactDetailFormSet(
            data, instance=post, prefix="contacts",
            queryset=self.restricted(ContactDetail, "change").filter(post=post) if post.pk
            else ContactDetail.objects.none())
        if request.method == "POST" and form.is_valid() and contacts.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "topics"}
            try:
                with transaction.atomic():
                    if post.pk:
                        post = services.update_post(Post.objects.get(pk=post.pk), acting_user=user,
                                                    topics=form.cleaned_data["topics"], **fields)
                    else:
                        post = services.create_post(acting_user=user, organisation=organisation,
                                                    topics=form.cleaned_data["topics"], **fields)
                    _save_contacts(contacts, post, acting_user=user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The role is saved."))
                return redirect(organisation)
        return render(request, "directory/form.html", {
            "form": form, "formset": contacts, "organisation": organisation,
            "title": _("Edit role") if post.pk else _("Add a role")})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


def _save_contacts(formset, post, *, acting_user):
    """Write the contact-detail rows of a role through the services, each audited."""
    for form in formset.forms:
        instance = form.instance
        if form in formset.deleted_forms:
            if instance.pk:
                services.delete_record(instance, acting_user=acting_user)
            continue
        if not form.has_changed():
            continue
        fields = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
        if instance.pk:
            services.update_contact_detail(ContactDetail.objects.get(pk=instance.pk),
                                           acting_user=acting_user, **fields)
        else:
            services.create_contact_detail(acting_user=acting_user, post=post, **fields)
