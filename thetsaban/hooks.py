"""The one place where an app plugs into the platform, and the walkers the core uses to read it.

Every Thetsaban app's `AppConfig` subclasses `ThetsabanAppConfig` and declares, as class
attributes, what it adds: its URLs, its API modules, its search documents, its demo loader, the
records people may take part on, its navigation links (each with who may see it) and its sections
of a member's own page. The core
(`thetsaban/urls.py`, the API router, `load_demo`, search, participation, the page layout) walks
the installed apps through the functions below and lists no app by name: adding an app touches
its own folder and `INSTALLED_APPS` only (see docs/architecture.md, "Adding an app").

Declarations are plain data and dotted paths, so an app's configuration imports none of its
models or views and no other app.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.urls import include, path
from django.utils.functional import Promise

# Sent by an app's service when a record people may follow changed (record, summary, acting_user):
# the notification service (the participation app) tells the followers. An app sends it without
# knowing whether any app listens.
record_changed = Signal()

# Sent by `manage.py restore` once a backup is back (database_url: the database restored into, None
# for this site's own): the privacy app re-applies the erasures done since the backup was made.
database_restored = Signal()

# Sent by the accounts service, inside its transaction, when a member asks for their account to be
# deleted (deletion_request, acting_user): the privacy app files the matching erasure request,
# whose decision by staff erases the member (one path, four eyes, audited). A receiver that
# refuses (ValidationError, PermissionDenied) undoes the whole request.
account_deletion_requested = Signal()

# Example data that a demo loader adds beside the seed's own records (so that every staff tool has
# something to show) starts its title or name with this mark, and sets `is_example` where the
# model has one (docs/architecture.md, "Demo and example data").
EXAMPLE_MARK = "ตัวอย่าง (example data)"


@dataclass(frozen=True)
class NavLink:
    """A link in the main navigation: a URL name, its label, where it sits and who sees it."""

    url_name: str
    label: str | Promise
    # Links are shown in ascending weight, whatever the order of INSTALLED_APPS.
    weight: int
    # "everyone", "signed_in", "reviewer", "moderator" or "staff".
    audience: str = "everyone"

    def visible_to(self, user) -> bool:
        """Whether `user` sees this link."""
        if self.audience == "everyone":
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.audience == "signed_in":
            return True
        if self.audience == "staff":
            return user.is_staff
        return user.is_staff or bool(getattr(user, "is_" + self.audience, False))


@dataclass(frozen=True)
class ParticipationTarget:
    """One kind of record people may comment on, follow and (if endorsable) support."""

    model_label: str
    endorsable: bool = False
    # Only published records (not an editor's draft) are open to the public's comments.
    published_only: bool = False
    # Members' own content, which moderators hide and restore.
    moderated: bool = False

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def visible(self, user):
        """The records of this kind `user` may see and take part on."""
        queryset = self.model._default_manager.restrict(user, "view")
        if self.published_only:
            queryset = queryset.published()
        if self.moderated:
            queryset = queryset.filter(hidden=False)
        return queryset


@dataclass(frozen=True)
class MyPageSection:
    """A section an app adds to a member's own page (/participation/me/).

    `context` is the dotted path of a function(user) -> dict that reads the member's own rows
    through `restrict()`; `template` is included with that dict as `section` (and the page's
    `user`). Sections are shown in ascending weight after the member's rights, whatever the order
    of INSTALLED_APPS.
    """

    template: str
    context: str
    weight: int = 100


@dataclass(frozen=True)
class LguPageSection:
    """A section an app adds to an LGU's page (/places/lgus/<code>/).

    `context` is the dotted path of a function(lgu, user) -> dict that reads the rows through
    `restrict()` (None or an empty dict: the section is not shown); `template` is included with
    that dict as `section` (and the page's `lgu`). Sections are shown in ascending weight after
    the LGU's own practices, whatever the order of INSTALLED_APPS.
    """

    template: str
    context: str
    weight: int = 100


@dataclass(frozen=True)
class CoachPageSection:
    """A section an app adds to a coach's page (/coaching/<pk>/), so that the coach pool shows what
    other apps know of a coach without importing them.

    `context` is the dotted path of a function(coach, user) -> dict that reads the rows through
    `restrict()` (None or an empty dict: the section is not shown); `template` is included with
    that dict as `section` (and the page's `coach`). Sections are shown in ascending weight after
    the coach's trainings, whatever the order of INSTALLED_APPS.
    """

    template: str
    context: str
    weight: int = 100


@dataclass(frozen=True)
class ExampleData:
    """Example data an app makes on demand: `manage.py generate_example_data --<option> N`.

    `generate` is the dotted path of a function(count, *, lgus=None, seed=1, progress=None,
    **options) -> how many records it made; `progress(n)` is called as they are written.
    `options` names the app's own whole-number options: (name, help) pairs, passed on only when
    given. Everything it makes is marked as example data (EXAMPLE_MARK, is_example)."""

    option: str
    label: str | Promise
    generate: str
    options: tuple = ()

    def generator(self):
        return _attribute(self.generate)


@dataclass(frozen=True)
class SearchIndex:
    """One kind of record in the search index: what it is called and how its document is built.

    `number` is stored in the index (it marks the kind in the full-text tables): it never
    changes once the kind has been indexed. `build(record)` returns the document (title,
    title_en, body, url) or None when the record is not public. `dependents` maps the label of a
    model written into the document to a function(row) -> queryset of this kind's records to
    re-index when that row is saved or deleted.
    """

    kind: str
    number: int
    label: str | Promise
    model_label: str
    build: object
    select_related: tuple = ()
    prefetch_related: tuple = ()
    dependents: dict = field(default_factory=dict)

    @property
    def model(self):
        return apps.get_model(self.model_label)


# The legal bases of the PDPA (s.24, s.26) a register entry names, and what erasing a subject
# does with the entry's rows (docs/architecture.md, "Personal data").
LEGAL_BASES = ("consent", "contract", "legal_obligation", "vital_interest", "public_task",
               "legitimate_interest")
ERASURE_ACTIONS = ("delete", "anonymise", "reassign", "keep")


@dataclass(frozen=True)
class PersonalData:
    """One entry of the register of personal data (PDPA): a model's personal fields, why they
    are kept and on what legal basis, how a subject's rows are found and what erasure does.

    `subject` is the lookup from a row to the subject's account ("user", "author", "pk" for the
    account itself); `subject_email` a field holding the e-mail address of someone who may have
    no account. `erasure`: "delete" the rows; "anonymise" (blank `fields`, keep the row);
    "reassign" (a civic record: it stays, credited to the erased member instead of the subject);
    "keep" (kept on its legal basis, `keep_reason`). `retention_days` (overridden by the setting
    PRIVACY_RETENTION_DAYS) after `retention_from`, the rows' `fields` are blanked.
    `after_erasure` is the dotted path of a function(row, *, acting_user, reason) called once
    the row is erased (deleted: the object keeps its values), in the same transaction, for what
    the app must do about the row's absence (a freed place goes to the next on a waiting list).
    """

    model_label: str
    fields: tuple
    purpose: str | Promise
    legal_basis: str
    subject: str = ""
    subject_email: str = ""
    erasure: str = "delete"
    keep_reason: str | Promise = ""
    retention_days: int | None = None
    retention_from: str = ""
    after_erasure: str = ""

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def erased(self, row, *, acting_user, reason: str) -> None:
        """Tell the app that `row` was erased (see `after_erasure`)."""
        if self.after_erasure:
            _attribute(self.after_erasure)(row, acting_user=acting_user, reason=reason)


class ThetsabanAppConfig(AppConfig):
    """An app's configuration, and its declaration of everything it adds to the platform."""

    # (URL prefix, dotted path of a URLconf module), in the order they are tried.
    urls: tuple = ()
    # Dotted paths of API modules: each may define register(router) and `api_urlpatterns`
    # (plain paths under /api/v1/, tried before the router's).
    api: tuple = ()
    # Dotted path of a module whose INDEXES lists this app's SearchIndex declarations.
    search: str = ""
    # (label, dotted path of a function that loads the demo data and returns how many rows it added).
    demo: tuple = ()
    # target type word -> ParticipationTarget.
    participation_targets: dict = {}
    navigation: tuple = ()
    # Dotted path of a module whose REGISTER lists this app's PersonalData declarations.
    privacy: str = ""
    # MyPageSection declarations: what this app shows a member about their own records on My page.
    mypage: tuple = ()
    # LguPageSection declarations: what this app shows on an LGU's page.
    lgu_page: tuple = ()
    # CoachPageSection declarations: what this app shows on a coach's page.
    coach_page: tuple = ()
    # ExampleData declarations: what `generate_example_data` makes for this app.
    example_data: tuple = ()


def thetsaban_apps() -> list[ThetsabanAppConfig]:
    """The installed Thetsaban apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ThetsabanAppConfig)]


def _attribute(dotted: str):
    module, _dot, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def url_patterns() -> list:
    """Every app's pages, each under its prefix."""
    return [path(prefix, include(module)) for config in thetsaban_apps() for prefix, module in config.urls]


def api_modules() -> list:
    """Every app's API modules."""
    return [import_module(module) for config in thetsaban_apps() for module in config.api]


def api_url_patterns() -> list:
    """The API paths apps declare beside their router routes (exports, search)."""
    return [pattern for module in api_modules() for pattern in getattr(module, "api_urlpatterns", ())]


def register_api_routes(router) -> None:
    """Add every app's routes to `router`."""
    for module in api_modules():
        if hasattr(module, "register"):
            module.register(router)


def search_indexes() -> list[SearchIndex]:
    """Every app's search index declarations, by their stored number."""
    indexes = [index for config in thetsaban_apps() if config.search
               for index in import_module(config.search).INDEXES]
    for attribute in ("kind", "number"):
        values = [getattr(index, attribute) for index in indexes]
        clashes = sorted({str(value) for value in values if values.count(value) > 1})
        if clashes:
            raise ImproperlyConfigured(f"Two search indexes declare the same {attribute}: {', '.join(clashes)}")
    return sorted(indexes, key=lambda index: index.number)


def demo_loaders() -> list[tuple]:
    """(label, load function) of every app that has demo data, in INSTALLED_APPS order."""
    return [(config.demo[0], _attribute(config.demo[1])) for config in thetsaban_apps() if config.demo]


def example_data() -> list[ExampleData]:
    """Every app's example-data generators, in INSTALLED_APPS order."""
    return [example for config in thetsaban_apps() for example in config.example_data]


def participation_targets() -> dict[str, ParticipationTarget]:
    """Every kind of record people may take part on, by its target type word."""
    return {word: target for config in thetsaban_apps() for word, target in config.participation_targets.items()}


def mypage_sections(user) -> list[dict]:
    """Every app's My page sections for `user`, in the order they are shown: each a dict with the
    section's `template` and the `context` its function returned for `user`."""
    sections = sorted((section for config in thetsaban_apps() for section in config.mypage),
                      key=lambda section: section.weight)
    return [{"template": section.template, "context": _attribute(section.context)(user)}
            for section in sections]


def _page_sections(attribute: str, *arguments) -> list[dict]:
    """The sections apps declare in `attribute`, in weight order, each with the context its
    function returned for `arguments` (empty ones left out)."""
    sections = sorted((section for config in thetsaban_apps() for section in getattr(config, attribute)),
                      key=lambda section: section.weight)
    shown = []
    for section in sections:
        context = _attribute(section.context)(*arguments)
        if context:
            shown.append({"template": section.template, "context": context})
    return shown


def lgu_page_sections(lgu, user) -> list[dict]:
    """Every app's sections of `lgu`'s page for `user`, in the order they are shown: each a dict
    with the section's `template` and the `context` its function returned (empty ones left out)."""
    return _page_sections("lgu_page", lgu, user)


def coach_page_sections(coach, user) -> list[dict]:
    """Every app's sections of `coach`'s page for `user`, in the order they are shown: each a
    dict with the section's `template` and the `context` its function returned (empty ones left
    out)."""
    return _page_sections("coach_page", coach, user)


def navigation() -> list[NavLink]:
    """Every app's navigation links, in the order they are shown."""
    return sorted((link for config in thetsaban_apps() for link in config.navigation), key=lambda link: link.weight)


def personal_data() -> list[PersonalData]:
    """The register of personal data: every app's declarations, in INSTALLED_APPS order."""
    entries = [entry for config in thetsaban_apps() if config.privacy
               for entry in import_module(config.privacy).REGISTER]
    check_personal_data(entries)
    return entries


def check_personal_data(entries) -> None:
    """Refuse a register entry with an unknown legal basis or erasure, or one kept without a reason."""
    for entry in entries:
        if entry.legal_basis not in LEGAL_BASES or entry.erasure not in ERASURE_ACTIONS:
            raise ImproperlyConfigured(f"{entry.model_label}: unknown legal basis or erasure "
                                       f"({entry.legal_basis}, {entry.erasure})")
        if entry.erasure == "keep" and not entry.keep_reason:
            raise ImproperlyConfigured(f"{entry.model_label}: say why its rows are kept")
        if entry.retention_days is not None and not entry.retention_from:
            raise ImproperlyConfigured(f"{entry.model_label}: retention needs `retention_from`")
