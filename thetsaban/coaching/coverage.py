"""Coverage of municipalities by coaches, per region and nationally.

The seed asks for "at least 1 coach per municipality (เทศบาล)", spread proportionally over the
regions. What counts:

- municipalities: LGUs of the municipal types (city, town and subdistrict municipality,
  MUNICIPAL_TYPES). Subdistrict and provincial administrative organisations (SAO, PAO) and the
  special LGUs (Bangkok, Pattaya) are not municipalities and are not members of the league of
  municipalities, so they are not counted;
- coaches: approved coaches not marked unavailable, in the region of their home province;
- the target: settings.COACH_TARGET_RATIO coaches per municipality (1.0 unless set);
- the data: the LGUs loaded, against settings.NATIONAL_LGU_COUNT (the national list, about
  7,850). With less than PARTIAL_LIST_SHARE of it loaded, the numbers describe only the LGUs
  loaded (a demo's handful meets any target), and the report says so;
- to recruit: per region, max(0, ceil(target x municipalities) - coaches). The national number
  is the sum of the regions' numbers, because a surplus in one region does not coach another
  region's municipalities; `national_shortfall` is the plain national difference beside it.

The whole report takes a fixed number of queries whatever the number of LGUs and coaches.
"""

import math
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext

from thetsaban.coaching.models import Coach, coached_work
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu, Region

MUNICIPAL_TYPES = (LguType.CITY, LguType.TOWN, LguType.SUBDISTRICT_MUNICIPALITY)
# Below this share of the national LGU count, the list loaded is called partial.
PARTIAL_LIST_SHARE = 0.9


def national_lgu_count() -> int:
    """About how many LGUs the country has (settings.NATIONAL_LGU_COUNT)."""
    return int(getattr(settings, "NATIONAL_LGU_COUNT", 7850))


def target_ratio() -> float:
    """The target number of coaches per municipality (settings.COACH_TARGET_RATIO, default 1)."""
    return float(getattr(settings, "COACH_TARGET_RATIO", 1.0))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _ratio(coaches: int, municipalities: int) -> float | None:
    return round(coaches / municipalities, 4) if municipalities else None


def _to_recruit(coaches: int, municipalities: int, target: float) -> int:
    # A tiny epsilon so that 0.3 x 10 does not become 4 through floating-point error.
    return max(0, math.ceil(target * municipalities - 1e-9) - coaches)


@dataclass
class Row:
    """The coverage of one region (or the whole country)."""

    code: str
    name: str
    municipalities: int = 0
    municipalities_with_active_project: int = 0
    active_projects: int = 0
    projects_without_coach: int = 0
    coaches: int = 0
    ratio: float | None = None
    target_ratio: float = 1.0
    meets_target: bool = False
    to_recruit: int = 0
    share_of_coaches: float | None = None
    share_of_municipalities: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    learning_centre: str = ""
    url: str = ""

    def finish(self, target: float, total_coaches: int, total_municipalities: int) -> "Row":
        self.target_ratio = target
        self.ratio = _ratio(self.coaches, self.municipalities)
        self.meets_target = self.coaches >= math.ceil(target * self.municipalities - 1e-9)
        self.to_recruit = _to_recruit(self.coaches, self.municipalities, target)
        self.share_of_coaches = _share(self.coaches, total_coaches)
        self.share_of_municipalities = _share(self.municipalities, total_municipalities)
        return self

    @property
    def balance(self) -> float | None:
        """Share of coaches minus share of municipalities (negative: the region lags)."""
        if self.share_of_coaches is None or self.share_of_municipalities is None:
            return None
        return round(self.share_of_coaches - self.share_of_municipalities, 4)


@dataclass
class Coverage:
    """The coverage report: one row per region and the national totals."""

    target_ratio: float
    regions: list[Row] = field(default_factory=list)
    national: Row | None = None
    national_shortfall: int = 0
    lgus_loaded: int = 0
    lgus_expected: int = 0

    @property
    def lgu_list_partial(self) -> bool:
        """Whether far fewer LGUs are loaded than the country has (the numbers are partial)."""
        return self.lgus_loaded < PARTIAL_LIST_SHARE * self.lgus_expected

    def as_dict(self) -> dict:
        def row(r: Row) -> dict:
            data = asdict(r)
            data["balance"] = r.balance
            return data

        return {
            "target_ratio": self.target_ratio,
            "municipal_types": [str(t) for t in MUNICIPAL_TYPES],
            "national": row(self.national),
            "national_shortfall": self.national_shortfall,
            "lgus_loaded": self.lgus_loaded,
            "lgus_expected": self.lgus_expected,
            "lgu_list_partial": self.lgu_list_partial,
            "regions": [row(r) for r in self.regions],
        }


def compute(country=None) -> Coverage:
    """The coverage report for every region (of `country` if given) and the nation."""
    target = target_ratio()
    regions = Region.objects.select_related("learning_centre").order_by("sort_name")
    lgus = Lgu.objects.all()
    coaches = Coach.objects.active()
    projects = coached_work().objects.active()
    if country is not None:
        regions = regions.filter(country=country)
        lgus = lgus.filter(province__country=country)
        coaches = coaches.filter(home_province__country=country)
        projects = projects.filter(target_lgu__province__country=country)

    municipal = Q(lgu_type__in=MUNICIPAL_TYPES)
    per_region = {
        r["province__region"]: r for r in lgus.values("province__region").annotate(
            lgus=Count("pk"), municipalities=Count("pk", filter=municipal),
            lat=Avg("latitude"), lng=Avg("longitude")).order_by()
    }
    with_project = dict(
        projects.filter(target_lgu__lgu_type__in=MUNICIPAL_TYPES)
        .values("target_lgu__province__region")
        .annotate(n=Count("target_lgu", distinct=True))
        .values_list("target_lgu__province__region", "n").order_by())
    # Active pilots, and those of them that no coach accompanies yet (what matching fills).
    pilot_counts = {
        r["target_lgu__province__region"]: r for r in projects.values("target_lgu__province__region")
        .annotate(active=Count("pk", distinct=True),
                  coached=Count("pk", distinct=True, filter=Q(assignments__ended_on__isnull=True,
                                                              assignments__isnull=False)))
        .order_by()
    }
    coach_counts = dict(coaches.values("home_province__region").annotate(n=Count("pk"))
                        .values_list("home_province__region", "n").order_by())

    rows = []
    for region in regions:
        stats = per_region.get(region.pk, {})
        centre = getattr(region, "learning_centre", None)
        pilots = pilot_counts.get(region.pk, {})
        rows.append(Row(
            code=region.code, name=region.name,
            municipalities=stats.get("municipalities", 0),
            municipalities_with_active_project=with_project.get(region.pk, 0),
            active_projects=pilots.get("active", 0),
            projects_without_coach=pilots.get("active", 0) - pilots.get("coached", 0),
            coaches=coach_counts.get(region.pk, 0),
            latitude=float(stats["lat"]) if stats.get("lat") is not None else None,
            longitude=float(stats["lng"]) if stats.get("lng") is not None else None,
            learning_centre=centre.name if centre else "",
            url=region.get_absolute_url(),
        ))
    total_municipalities = sum(r.municipalities for r in rows)
    total_coaches = sum(r.coaches for r in rows)
    for row in rows:
        row.finish(target, total_coaches, total_municipalities)
    national = Row(
        code="national", name=gettext("Whole country"), municipalities=total_municipalities,
        municipalities_with_active_project=sum(r.municipalities_with_active_project for r in rows),
        active_projects=sum(r.active_projects for r in rows),
        projects_without_coach=sum(r.projects_without_coach for r in rows),
        coaches=total_coaches,
    ).finish(target, total_coaches, total_municipalities)
    national.to_recruit = sum(r.to_recruit for r in rows)
    national.meets_target = national.to_recruit == 0
    return Coverage(
        target_ratio=target, regions=rows, national=national,
        national_shortfall=_to_recruit(total_coaches, total_municipalities, target),
        lgus_loaded=sum(stats["lgus"] for stats in per_region.values()),
        lgus_expected=national_lgu_count(),
    )
