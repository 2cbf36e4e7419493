"""Directory API: organisations, persons, posts, memberships, contact details, and Popolo JSON."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thetsaban.api import (
    ModelSerializer,
    ReadWriteViewSet,
    RestrictedPrimaryKeyRelatedField,
    RestrictedSlugRelatedField,
)
from thetsaban.directory import filters, services
from thetsaban.directory.choices import ContactKind
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post
from thetsaban.directory.pickers import ORGANISATIONS, PERSONS
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.pickers import picker_path
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Theme


def _visible_contacts(user):
    return Prefetch("contact_details", queryset=ContactDetail.objects.restrict(user, "view"),
                    to_attr="visible_contacts")


class NestedContactSerializer(ModelSerializer):
    """A contact detail as shown inside its owner (already filtered for the reader)."""

    class Meta:
        model = ContactDetail
        fields = ["id", "kind", "value", "label", "visibility"]


class DirectorySerializer(ModelSerializer):
    """Shared parts: the acting user, relation choices narrowed by restrict(), visible contacts."""

    # Relation fields whose choices are the rows the user may change: name -> model.
    changeable_relations: dict = {}

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_fields(self):
        fields = super().get_fields()
        for name, model in self.changeable_relations.items():
            field = fields.get(name)
            if field is not None and not field.read_only:
                field.queryset = model.objects.restrict(self.user, "change")
        if "topics" in fields:
            fields["topics"].child_relation.queryset = Theme.objects.restrict(self.user, "view")
        return fields

    def to_representation(self, instance):
        # Just-written records were not loaded through the viewset's prefetch.
        if "contact_details" in self.fields and not hasattr(instance, "visible_contacts"):
            instance.visible_contacts = list(ContactDetail.objects.restrict(self.user, "view").filter(
                **{self.Meta.model._meta.model_name: instance}))
        return super().to_representation(instance)


def topics_field():
    return RestrictedSlugRelatedField(many=True, slug_field="code", required=False,
                                        queryset=Theme.objects.none())


class OrganisationSerializer(DirectorySerializer):
    """An organisation with its contact details visible to the reader."""

    name = serializers.CharField(read_only=True)
    lgu = RestrictedSlugRelatedField(slug_field="code", queryset=Lgu.objects.none(),
                                       required=False, allow_null=True)
    parent = RestrictedPrimaryKeyRelatedField(queryset=Organisation.objects.none(),
                                                required=False, allow_null=True)
    topics = topics_field()
    contact_details = NestedContactSerializer(many=True, read_only=True, source="visible_contacts")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "name_th", "name_en", "kind", "abbreviation", "other_names",
                  "parent", "lgu", "description", "website", "topics", "contact_details", "url"]

    def get_fields(self):
        fields = super().get_fields()
        user = self.user
        lgus = Lgu.objects.restrict(user, "view")
        fields["lgu"].queryset = lgus if is_staff(user) else lgus.filter(pk__in=editable_lgu_ids(user))
        fields["parent"].queryset = Organisation.objects.restrict(user, "view")
        return fields

    def validate(self, attrs):
        if not is_staff(self.user):
            lgu = attrs.get("lgu", getattr(self.instance, "lgu", None))
            if lgu is None:
                raise serializers.ValidationError(
                    {"lgu": _("An LGU editor may only keep the office of an LGU they edit for.")})
        return attrs

    def create(self, validated_data):
        return services.create_organisation(acting_user=self.user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_organisation(instance, acting_user=self.user, **validated_data)


class PersonSerializer(DirectorySerializer):
    """A person (listed by visibility and consent) with the contact details the reader may see."""

    changeable_relations = {"organisation": Organisation}

    name = serializers.CharField(read_only=True)
    topics = topics_field()
    organisation = RestrictedPrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), required=False, write_only=True,
        help_text=_("When adding a person: the organisation they work in; an LGU editor must "
                    "name one of their LGU's offices."))
    contact_details = NestedContactSerializer(many=True, read_only=True, source="visible_contacts")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "name_th", "name_en", "honorific", "summary", "topics",
                  "visibility", "listing_consent", "consent_recorded_at", "is_example",
                  "organisation", "contact_details", "url"]
        read_only_fields = ["consent_recorded_at"]

    def validate(self, attrs):
        if self.instance is not None and "organisation" in attrs:
            raise serializers.ValidationError(
                {"organisation": _("A person is placed in an organisation when added; later, "
                                   "through a membership.")})
        if self.instance is None and "organisation" not in attrs and not is_staff(self.user):
            # Otherwise nobody but staff could keep the new entry.
            raise serializers.ValidationError(
                {"organisation": _("Say in which of your LGU's offices the person works.")})
        return attrs

    def create(self, validated_data):
        return services.create_person(acting_user=self.user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_person(instance, acting_user=self.user, **validated_data)


class HolderSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.id")
    name = serializers.CharField(source="person.name")
    start_date = serializers.DateField()


class PostSerializer(DirectorySerializer):
    """A role in an organisation, its current holders the reader may see, and its contacts."""

    changeable_relations = {"organisation": Organisation}

    label = serializers.CharField(read_only=True)
    topics = topics_field()
    holders = HolderSerializer(many=True, read_only=True, source="current_holders")
    contact_details = NestedContactSerializer(many=True, read_only=True, source="visible_contacts")

    class Meta:
        model = Post
        fields = ["id", "organisation", "label", "label_th", "label_en", "responsibilities",
                  "topics", "holders", "contact_details"]

    def to_representation(self, instance):
        if not hasattr(instance, "current_holders"):
            instance.current_holders = list(Membership.objects.restrict(self.user, "view").current()
                                            .filter(post=instance).select_related("person"))
        return super().to_representation(instance)

    def create(self, validated_data):
        return services.create_post(acting_user=self.user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_post(instance, acting_user=self.user, **validated_data)


LINK_PERSON_ERROR = _("You may only place yourself or the people your LGU's offices already "
                      "list; league staff place anyone else.")


class MembershipSerializer(DirectorySerializer):
    """A person in a post or an organisation, with dates."""

    changeable_relations = {"organisation": Organisation, "post": Post}

    organisation = RestrictedPrimaryKeyRelatedField(queryset=Organisation.objects.none(),
                                                      required=False)

    class Meta:
        model = Membership
        fields = ["id", "person", "organisation", "post", "role", "start_date", "end_date"]

    def get_fields(self):
        fields = super().get_fields()
        # A membership makes its person a colleague of the office's editors, so an editor links
        # only people they already keep (themself, their offices' people); staff link anyone.
        person = fields["person"]
        person.queryset = Person.objects.restrict(self.user, "change")
        person.error_messages["does_not_exist"] = LINK_PERSON_ERROR
        return fields

    def validate(self, attrs):
        post = attrs.get("post", getattr(self.instance, "post", None))
        organisation = attrs.get("organisation", getattr(self.instance, "organisation", None))
        if organisation is None and post is None:
            raise serializers.ValidationError(
                {"organisation": _("Choose an organisation or a post.")})
        if organisation is None:
            attrs["organisation"] = post.organisation
        elif post is not None and post.organisation_id != organisation.pk:
            raise serializers.ValidationError({"post": _("The post belongs to another organisation.")})
        return attrs

    def create(self, validated_data):
        return services.create_membership(acting_user=self.user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_membership(instance, acting_user=self.user, **validated_data)


class ContactDetailSerializer(DirectorySerializer):
    """A contact detail of exactly one person, post or organisation."""

    changeable_relations = {"person": Person, "post": Post, "organisation": Organisation}

    class Meta:
        model = ContactDetail
        fields = ["id", "person", "post", "organisation", "kind", "value", "label", "visibility",
                  "consent"]

    def validate(self, attrs):
        owners = [name for name in ("person", "post", "organisation")
                  if attrs.get(name, getattr(self.instance, name, None)) is not None]
        if len(owners) != 1:
            raise serializers.ValidationError(
                {"person": _("A contact detail belongs to exactly one person, post or organisation.")})
        return attrs

    def create(self, validated_data):
        return services.create_contact_detail(acting_user=self.user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_contact_detail(instance, acting_user=self.user, **validated_data)


class DirectoryViewSet(ReadWriteViewSet):
    """Reads through restrict(); writes through the service functions; deletes are audited."""

    def perform_destroy(self, instance):
        services.delete_record(instance, acting_user=self.request.user)

    def create(self, request, *args, **kwargs):
        # Only staff and LGU editors add entries; the serializer narrows where they may add them.
        if not (is_staff(request.user) or editable_lgu_ids(request.user)):
            raise exceptions.PermissionDenied(_("Only league staff and LGU editors may add entries."))
        return super().create(request, *args, **kwargs)


class OrganisationViewSet(DirectoryViewSet):
    """Organisations; `q` matches names, abbreviations (with or without dots) and descriptions."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = filters.OrganisationFilterSet
    ordering_fields = ["name", "kind", "id"]
    ordering = ["sort_name"]

    def base_queryset(self):
        return Organisation.objects.select_related("lgu").prefetch_related(
            "topics", _visible_contacts(self.request.user))


class PersonViewSet(DirectoryViewSet):
    """Persons the reader may see, with the contact details the reader may see."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = filters.PersonFilterSet
    ordering_fields = ["name", "id"]
    ordering = ["sort_name"]

    def base_queryset(self):
        return Person.objects.prefetch_related("topics", _visible_contacts(self.request.user))


class PostViewSet(DirectoryViewSet):
    """Posts (roles): who does what, whom to contact about a topic."""

    queryset = Post.objects.all()
    serializer_class = PostSerializer
    filterset_class = filters.PostFilterSet
    ordering_fields = ["id", "label_th"]
    ordering = ["organisation__sort_name", "label_th"]

    def base_queryset(self):
        return Post.objects.for_directory(self.request.user)


class MembershipViewSet(DirectoryViewSet):
    """Memberships of the persons the reader may see."""

    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer
    filterset_class = filters.MembershipFilterSet
    ordering_fields = ["id", "start_date", "end_date"]
    ordering = ["-start_date", "id"]


class ContactDetailViewSet(DirectoryViewSet):
    """Contact details the reader may see; editors keep those of their LGU's office."""

    queryset = ContactDetail.objects.all()
    serializer_class = ContactDetailSerializer
    filterset_class = filters.ContactDetailFilterSet
    ordering_fields = ["id", "kind"]
    ordering = ["kind", "id"]


def register(router):
    """Add this app's API routes."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("persons", PersonViewSet, basename="person")
    router.register("posts", PostViewSet, basename="post")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("contact-details", ContactDetailViewSet, basename="contactdetail")


# Popolo JSON (https://www.popoloproject.com/). The serializers below describe the document
# for the OpenAPI schema; the export itself is built from plain dictionaries.

# Popolo's contact types; ours map one to one except a mobile number, which Popolo calls "cell".
POPOLO_CONTACT_TYPE = {ContactKind.MOBILE: "cell"}


class PopoloContactSerializer(serializers.Serializer):
    type = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()


class PopoloOtherNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    note = serializers.CharField()


class PopoloIdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    identifier = serializers.CharField()


class PopoloPersonSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    other_names = PopoloOtherNameSerializer(many=True)
    identifiers = PopoloIdentifierSerializer(many=True)
    honorific_prefix = serializers.CharField(allow_null=True)
    summary = serializers.CharField(allow_null=True)
    contact_details = PopoloContactSerializer(many=True)


class PopoloOrganizationSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    other_names = PopoloOtherNameSerializer(many=True)
    identifiers = PopoloIdentifierSerializer(many=True)
    classification = serializers.CharField()
    parent_id = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_null=True)
    contact_details = PopoloContactSerializer(many=True)


class PopoloPostSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    other_label = serializers.ListField(child=serializers.CharField())
    role = serializers.CharField()
    organization_id = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    contact_details = PopoloContactSerializer(many=True)


class PopoloMembershipSerializer(serializers.Serializer):
    id = serializers.CharField()
    person_id = serializers.CharField()
    organization_id = serializers.CharField()
    post_id = serializers.CharField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class PopoloDocumentSerializer(serializers.Serializer):
    persons = PopoloPersonSerializer(many=True)
    organizations = PopoloOrganizationSerializer(many=True)
    posts = PopoloPostSerializer(many=True)
    memberships = PopoloMembershipSerializer(many=True)


def _contacts(details) -> list[dict]:
    return [{"type": POPOLO_CONTACT_TYPE.get(d.kind, d.kind), "value": d.value,
             "label": d.label or str(d.get_kind_display())} for d in details]


def _date(value):
    return value.isoformat() if value else None


def _id(pk):
    return None if pk is None else str(pk)


def popolo_document() -> dict:
    """The public directory as a Popolo document: what an anonymous visitor may see, no more."""
    public = AnonymousUser()
    contacts = _visible_contacts(public)
    organisations = Organisation.objects.restrict(public, "view").select_related(
        "lgu").prefetch_related(contacts).order_by("sort_name", "pk")
    persons = Person.objects.restrict(public, "view").prefetch_related(contacts).order_by(
        "sort_name", "pk")
    posts = Post.objects.restrict(public, "view").prefetch_related(contacts).order_by(
        "organisation_id", "pk")
    memberships = Membership.objects.restrict(public, "view").select_related("post").order_by("pk")

    def organisation_entry(o):
        other_names = []
        if o.abbreviation:
            other_names.append({"name": o.abbreviation, "note": "abbreviation"})
        if o.name_en:
            other_names.append({"name": o.name_en, "note": "English name"})
        other_names += [{"name": name, "note": "other name"} for name in o.other_name_list]
        identifiers = []
        if o.code:
            identifiers.append({"scheme": "thetsaban", "identifier": o.code})
        if o.lgu_id:
            identifiers.append({"scheme": "thetsaban-lgu", "identifier": o.lgu.code})
        return {"id": _id(o.pk), "name": o.name_th, "other_names": other_names,
                "identifiers": identifiers, "classification": o.kind,
                "parent_id": _id(o.parent_id), "description": o.description or None,
                "contact_details": _contacts(o.visible_contacts)}

    def person_entry(p):
        other_names = [{"name": p.name_en, "note": "English name"}] if p.name_en else []
        return {"id": _id(p.pk), "name": p.name_th, "other_names": other_names,
                "identifiers": [], "honorific_prefix": p.honorific or None,
                "summary": p.summary or None, "contact_details": _contacts(p.visible_contacts)}

    def post_entry(p):
        return {"id": _id(p.pk), "label": p.label_th,
                "other_label": [p.label_en] if p.label_en else [],
                "role": p.label_en or p.label_th, "organization_id": _id(p.organisation_id),
                "start_date": None, "end_date": None,
                "contact_details": _contacts(p.visible_contacts)}

    def membership_entry(m):
        return {"id": _id(m.pk), "person_id": _id(m.person_id),
                "organization_id": _id(m.organisation_id), "post_id": _id(m.post_id),
                "role": m.role or (m.post.label_en or m.post.label_th if m.post_id else None),
                "label": m.post.label_th if m.post_id else (m.role or None),
                "start_date": _date(m.start_date), "end_date": _date(m.end_date)}

    return {
        "persons": [person_entry(p) for p in persons],
        "organizations": [organisation_entry(o) for o in organisations],
        "posts": [post_entry(p) for p in posts],
        "memberships": [membership_entry(m) for m in memberships],
    }


class PopoloExportView(APIView):
    """The public directory in Popolo JSON: persons, organizations, posts and memberships."""

    # The same public document for everyone: signing in never adds restricted details.
    authentication_classes = []
    throttle_scope = "expensive"
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="directory_popolo_export",
        summary="The public directory as Popolo JSON",
        description=("Persons who consented to a public listing, organisations, posts and "
                     "memberships, with public, consented contact details only, whoever asks."),
        responses=PopoloDocumentSerializer,
        tags=["directory"],
    )
    def get(self, request):
        return Response(popolo_document())


# Served under /api/v1/ beside the router's routes (see thetsaban/hooks.py).
api_urlpatterns = [path("popolo.json", PopoloExportView.as_view(), name="popolo"),
                   picker_path(PERSONS), picker_path(ORGANISATIONS)]
