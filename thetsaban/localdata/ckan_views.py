"""The CKAN Action API (/api/3/action/<name> and /api/action/<name>) and the DCAT catalogue.

Plain Django views outside the DRF schema: CKAN's envelope {"help", "success", "result"} or
{"success": false, "error": {"__type", "message", ...}}, GET with query parameters or POST with
a JSON body, no redirects, no CSRF (writes need an API token: the account's REST API token in
`Authorization` or `X-CKAN-API-Key`). Unknown parameters are ignored, as clients send many.
"""

import json
import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.models import Token

from thetsaban.directory.models import Organisation
from thetsaban.localdata import ckan, datasets, dcat
from thetsaban.localdata.choices import GDC_CHOICES, DatasetState
from thetsaban.localdata.models import Dataset, DatasetGroup, Resource, Tag

API_VERSION = 3


class ActionError(Exception):
    def __init__(self, status, kind, message, **extra):
        super().__init__(message)
        self.status, self.kind, self.message, self.extra = status, kind, message, extra


def not_found(what="Not found"):
    return ActionError(404, "Not Found Error", what)


def base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def token_user(request):
    """The user of an API token (Authorization or X-CKAN-API-Key), else the session's (GET only)."""
    key = request.headers.get("X-CKAN-API-Key") or request.headers.get("Authorization") or ""
    key = key.split()[-1] if key.strip() else ""
    if key:
        token = Token.objects.select_related("user").filter(key=key).first()  # read by hand: the API token presented, to authenticate the caller
        if token is None or not token.user.is_active:
            raise ActionError(403, "Authorization Error", "Invalid API token")
        return token.user
    if request.method == "GET":
        return request.user
    return AnonymousUser()


def _params(request) -> dict:
    if request.method == "POST":
        if request.content_type == "multipart/form-data":
            return {k: v for k, v in request.POST.items()}
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ActionError(400, "Validation Error", "The request body is not JSON") from None
        if not isinstance(data, dict):
            raise ActionError(400, "Validation Error", "The request body must be a JSON object")
        return data
    params = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        params[key] = values if key == "facet.field" and len(values) > 1 else values[-1]
    return params


def _int(params, name, default, *, minimum=0, maximum=None):
    value = params.get(name, default)
    if value in (None, ""):
        return default
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ActionError(409, "Validation Error", "Invalid integer", **{name: ["Invalid integer"]}) from None
    if value < minimum:
        raise ActionError(409, "Validation Error", f"Must be at least {minimum}",
                          **{name: [f"Must be at least {minimum}"]})
    return min(value, maximum) if maximum else value


def _bool(params, name) -> bool:
    value = params.get(name, False)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")


def _visible(user, include_private=False):
    return Dataset.objects.restrict(user, "view")


def _dataset(user, ident, *, include_deleted=True) -> Dataset:
    queryset = _visible(user).select_related("owner_org").prefetch_related("tags", "groups", "resources")
    try:
        found = queryset.filter(Q(name=ident) | Q(ckan_id=uuid.UUID(str(ident)))).first()
    except ValueError:
        found = queryset.filter(name=ident).first()
    if found is None or (found.state == DatasetState.DELETED and not include_deleted):
        raise not_found()
    return found


# -- actions ----------------------------------------------------------------------------------

def status_show(request, params, user):
    return {"ckan_version": "2.11.0", "site_title": "Thetsaban", "site_url": base_url(request),
            "site_description": "คลังข้อมูลท้องถิ่น", "locale_default": "th", "error_emails_to": None,
            "extensions": ["scheming_datasets", "thai_gdc", "dcat"], "api_version": API_VERSION}


def package_list(request, params, user):
    limit = _int(params, "limit", None, minimum=0)
    offset = _int(params, "offset", 0)
    names = _visible(user).active().filter(private=False).order_by("name").values_list("name", flat=True)
    names = names[offset:offset + limit] if limit is not None else names[offset:]
    return list(names)


def package_show(request, params, user):
    ident = params.get("id") or params.get("name_or_id")
    if not ident:
        raise ActionError(409, "Validation Error", "Missing value", id=["Missing value"])
    return ckan.package_dict(_dataset(user, ident), base_url(request))


def package_search(request, params, user):
    rows = _int(params, "rows", ckan.ROWS_DEFAULT, maximum=ckan.ROWS_MAX)
    start = _int(params, "start", 0)
    facet_fields = params.get("facet.field") or []
    if isinstance(facet_fields, str):
        try:
            facet_fields = json.loads(facet_fields)
        except ValueError:
            facet_fields = [facet_fields]
    facet_limit = _int(params, "facet.limit", 50, minimum=-1) if params.get("facet.limit") not in (None, "-1", -1) else 1000
    include_private = _bool(params, "include_private")
    queryset = _visible(user)
    if not include_private:
        queryset = queryset.filter(private=False)
    try:
        count, page, facets = ckan.search(
            queryset, q=params.get("q", ""), fq=params.get("fq", ""), sort=params.get("sort", ""), rows=rows,
            start=start, facet_fields=facet_fields if _bool({"f": params.get("facet", "true")}, "f") else [],
            include_deleted=_bool(params, "include_deleted"), facet_limit=facet_limit)
    except ckan.SearchQueryError as error:
        raise ActionError(409, "Search Query Error", f"Search Query is invalid: {error}") from None
    root = base_url(request)
    return {"count": count, "sort": params.get("sort") or "score desc, metadata_modified desc",
            "results": [ckan.package_dict(d, root) for d in page], "facets": facets,
            "search_facets": ckan.search_facets(facets)}


def _organisations_with_counts(user):
    counts = dict(_visible(user).active().filter(private=False).values_list("owner_org").annotate(n=Count("pk")))
    return Organisation.objects.restrict(user, "view"), counts


def organization_list(request, params, user):
    organisations, counts = _organisations_with_counts(user)
    organisations = organisations.filter(pk__in=counts.keys()).order_by("code", "pk")
    if _bool(params, "all_fields"):
        return [ckan.organization_dict(o, package_count=counts.get(o.pk, 0)) for o in organisations]
    return [ckan.organization_dict(o)["name"] for o in organisations]


def organization_show(request, params, user):
    organisation = datasets.find_organisation(params.get("id"))
    if organisation is None or not Organisation.objects.restrict(user, "view").filter(pk=organisation.pk).exists():
        raise not_found()
    visible = _visible(user).active().filter(private=False, owner_org=organisation)
    return _with_datasets(request, params, ckan.organization_dict(organisation, package_count=visible.count()),
                          visible)


def group_list(request, params, user):
    counts = dict(_visible(user).active().filter(private=False).values_list("groups__name").annotate(n=Count("pk")))
    groups = DatasetGroup.objects.all().order_by("name")  # read by hand: dataset groups (themes) are public
    if _bool(params, "all_fields"):
        return [ckan.group_dict(g, package_count=counts.get(g.name, 0)) for g in groups]
    return [g.name for g in groups]


def group_show(request, params, user):
    group = DatasetGroup.objects.filter(name=params.get("id")).first()  # read by hand: dataset groups (themes) are public
    if group is None:
        raise not_found()
    visible = _visible(user).active().filter(private=False, groups=group)
    return _with_datasets(request, params, ckan.group_dict(group, package_count=visible.count()), visible)


def _with_datasets(request, params, data, visible):
    """An organisation's or group's dict, with its datasets when `include_datasets` asks (CKAN
    lists at most 1,000) and no users (members of the platform are not CKAN users)."""
    if _bool(params, "include_datasets"):
        root = base_url(request)
        data["packages"] = [ckan.package_dict(d, root) for d in visible.select_related("owner_org")
                            .prefetch_related("tags", "groups", "resources")[:1000]]
    data["users"] = []
    return data


def tag_list(request, params, user):
    visible = _visible(user).active().filter(private=False)
    tags = Tag.objects.filter(datasets__in=visible).distinct().order_by("name")  # read by hand: the tags of the datasets the caller may see
    if params.get("query"):
        tags = tags.filter(name__icontains=params["query"])
    if _bool(params, "all_fields"):
        return [{"id": str(t.pk), "name": t.name, "display_name": t.name, "vocabulary_id": None} for t in tags]
    return [t.name for t in tags]


def resource_show(request, params, user):
    try:
        resource = Resource.objects.restrict(user, "view").select_related("dataset").get(pk=uuid.UUID(str(params.get("id"))))
    except (ValueError, Resource.DoesNotExist):
        raise not_found() from None
    return ckan.resource_dict(resource, base_url(request))


def license_list(request, params, user):
    return [{"id": name, "title": name, "url": ""} for name in GDC_CHOICES["license_id"]]


def _write(user):
    if not user.is_authenticated:
        raise ActionError(403, "Authorization Error", "An API token is required")


def package_create(request, params, user):
    _write(user)
    dataset = datasets.save_dataset(params, acting_user=user)
    return ckan.package_dict(_dataset(user, dataset.name), base_url(request))


def package_update(request, params, user, *, partial=False):
    _write(user)
    dataset = _dataset(user, params.get("id") or params.get("name"))
    dataset = datasets.save_dataset(params, acting_user=user, dataset=dataset, partial=partial)
    return ckan.package_dict(_dataset(user, dataset.name), base_url(request))


def package_patch(request, params, user):
    return package_update(request, params, user, partial=True)


def package_delete(request, params, user):
    _write(user)
    datasets.delete_dataset(_dataset(user, params.get("id")), acting_user=user)
    return None


def resource_create(request, params, user):
    _write(user)
    dataset = _dataset(user, params.get("package_id"), include_deleted=False)
    upload = request.FILES.get("upload")
    resource = datasets.create_resource(dataset, params, acting_user=user, upload=upload)
    return ckan.resource_dict(resource, base_url(request))


ACTIONS = {f.__name__: f for f in (
    status_show, package_list, package_show, package_search, organization_list, organization_show, group_list,
    group_show, tag_list, resource_show, license_list, package_create, package_update, package_patch,
    package_delete, resource_create)}
WRITES = {"package_create", "package_update", "package_patch", "package_delete", "resource_create"}


@csrf_exempt
def action(request, name):
    """One Action API call, in CKAN's envelope."""
    help_url = f"{base_url(request)}/api/3/action/help_show?name={name}"
    if request.method not in ("GET", "POST"):
        return _error(help_url, ActionError(405, "Validation Error", "Use GET or POST"))
    function = ACTIONS.get(name)
    if function is None:
        return _error(help_url, ActionError(400, "Bad request", f"Action name not known: {name}"))
    if name in WRITES and request.method != "POST":
        return _error(help_url, ActionError(400, "Bad request", "This action must be called with POST"))
    try:
        user = token_user(request)
        params = _params(request)
        result = function(request, params, user)
    except ActionError as error:
        return _error(help_url, error)
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {"message": error.messages}
        return _error(help_url, ActionError(409, "Validation Error", "Validation Error", **{
            k: [str(m) for m in v] for k, v in details.items()}))
    except PermissionDenied as error:
        return _error(help_url, ActionError(403, "Authorization Error", str(error) or "Access denied"))
    return JsonResponse({"help": help_url, "success": True, "result": result},
                        json_dumps_params={"ensure_ascii": False})


def _error(help_url, error: ActionError):
    body = {"__type": error.kind, "message": error.message}
    body.update(error.extra)
    return JsonResponse({"help": help_url, "success": False, "error": body}, status=error.status,
                        json_dumps_params={"ensure_ascii": False})


# -- DCAT -------------------------------------------------------------------------------------

CATALOG_PAGE = 100


def _rdf(graph, fmt):
    return HttpResponse(graph.serialize(format=dcat.FORMATS[fmt]), content_type=dcat.CONTENT_TYPES[fmt] + "; charset=utf-8")


def dataset_rdf(request, name, fmt):
    """One public dataset in DCAT-AP."""
    dataset = get_object_or_404(Dataset.objects.restrict(request.user, "view").active()
                                .select_related("owner_org").prefetch_related("tags", "groups", "resources"), name=name)
    graph = dcat.new_graph()
    dcat.add_dataset(graph, ckan.package_dict(dataset, base_url(request)), base_url(request))
    return _rdf(graph, fmt)


def catalog_rdf(request, fmt):
    """The whole public catalogue, CATALOG_PAGE datasets a page (?page=N), in DCAT-AP."""
    public = (Dataset.objects.restrict(AnonymousUser(), "view").active().order_by("pk")
              .select_related("owner_org").prefetch_related("tags", "groups", "resources"))
    paginator = Paginator(public, CATALOG_PAGE)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 0
    if not 1 <= number <= paginator.num_pages:
        return HttpResponse("Page not found", status=404, content_type="text/plain")
    root = base_url(request)
    packages = [ckan.package_dict(d, root) for d in paginator.page(number)]
    return _rdf(dcat.catalog_graph(packages, root, page=number, per_page=CATALOG_PAGE, total=paginator.count), fmt)
