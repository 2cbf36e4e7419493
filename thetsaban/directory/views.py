"""Directory pages: who does what, and whom to contact about a problem."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.filters import OrganisationFilterSet, PersonFilterSet, PostFilterSet
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post
from thetsaban.permissions import can
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice, PracticePartner, Theme

# Side lists on the index are capped; the roles list is paginated.
SIDE_LIST_SIZE = 20
PAGE_SIZE = 20


class DirectoryIndexView(TemplateView):
    """The directory search: roles by topic, LGU, organisation, kind and role, and free text."""

    template_name = "directory/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET
        post_filter = PostFilterSet(data, queryset=Post.objects.restrict(user, "view"),
                                    request=self.request)
        searching = any(data.get(key) for key in post_filter.filters)
        posts = Post.objects.none()
        if post_filter.is_valid():
            posts = post_filter.qs.for_directory(user)
            if post_filter.form.cleaned_data.get("q"):
                posts = posts.ranked(post_filter.form.cleaned_data["q"])
        page = Paginator(posts, PAGE_SIZE).get_page(data.get("page"))

        organisations = persons = None
        org_count = person_count = 0
        # Organisations and people are listed beside the roles, except when a role or an
        # organisation is chosen: then the question is about roles alone.
        if post_filter.is_valid() and not (data.get("role") or data.get("organisation")):
            org_filter = OrganisationFilterSet(
                {k: data.get(k) for k in ("q", "kind", "lgu", "topic") if data.get(k)},
                queryset=Organisation.objects.restrict(user, "view").select_related("lgu"),
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
                    queryset=Person.objects.restrict(user, "view"), request=self.request)
                if person_filter.is_valid():
                    person_count = person_filter.qs.count()
                    persons = person_filter.qs[:SIDE_LIST_SIZE]
        context.update({
            "filter": post_filter,
            "kinds": OrganisationKind.choices,
            "themes": Theme.objects.restrict(user, "view"),
            # Only LGUs whose office is in the directory are offered (not the whole national list).
            "lgu_choices": Lgu.objects.restrict(user, "view").filter(
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


class OrganisationDetailView(DetailView):
    """One organisation: names, parent and children, roles and holders, contacts, practices."""

    template_name = "directory/organisation.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.restrict(self.request.user, "view").select_related(
            "parent", "lgu").prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = self.object
        partner_of = PracticePartner.objects.filter(organisation=organisation).values("practice_id")
        practices = Practice.objects.restrict(user, "view").filter(pk__in=partner_of)
        lgu_practices = Practice.objects.none()
        if organisation.lgu_id:
            lgu_practices = Practice.objects.restrict(user, "view").filter(
                lgu_id=organisation.lgu_id).exclude(pk__in=partner_of)
        context.update({
            "children": Organisation.objects.restrict(user, "view").filter(parent=organisation),
            "posts": Post.objects.restrict(user, "view").filter(organisation=organisation)
                     .for_directory(user),
            "contacts": ContactDetail.objects.restrict(user, "view").filter(
                organisation=organisation),
            "members": Membership.objects.restrict(user, "view").current().filter(
                organisation=organisation, post__isnull=True).select_related("person"),
            "practices": practices[:SIDE_LIST_SIZE],
            "lgu_practices": lgu_practices[:SIDE_LIST_SIZE],
            "can_change": can(user, "change", organisation),
        })
        return context


class PersonDetailView(DetailView):
    """One person, if their visibility and consent allow the viewer to see them."""

    template_name = "directory/person.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Person.objects.restrict(self.request.user, "view").prefetch_related("topics"),
            pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        context.update({
            "contacts": ContactDetail.objects.restrict(user, "view").filter(person=person),
            "memberships": Membership.objects.restrict(user, "view").filter(person=person)
                           .select_related("organisation", "post"),
            "practices": Practice.objects.restrict(user, "view").filter(contacts=person)
                         .select_related("lgu")[:SIDE_LIST_SIZE],
        })
        return context
