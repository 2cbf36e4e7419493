"""The coach-to-project matching problem and its exact solver, over plain data (no ORM).

The model
---------
Approved coaches with free capacity are matched to active transfer projects that have no coach.
A pair is feasible when the coach has capacity left, speaks the project's working language and
does not work for the project's LGU (an own-LGU coach is not an outside coach). A feasible pair
costs (integers, see `Weights`):

* expertise in the project's theme: confirmed by a reviewer 0, self-declared 40, none 100;
* distance from the coach's home (their province's centroid) to the LGU: 1 point per 10 km,
  capped at 100 points (1,000 km), so a far coach is still better than none;
* regional balance: 30 points when the coach's region differs from the project's, which keeps
  each region's coaches working in their own region (a per-arc cost, so the problem stays a
  min-cost flow).

The objective is lexicographic: first the largest number of matched projects, then the least
total cost. It is a transportation problem, solved exactly as a min-cost flow
(source -> coach [capacity] -> project [1] -> sink) with OR-Tools' SimpleMinCostFlow
`solve_max_flow_with_min_cost`.

Why it is fast and still exact
------------------------------
At ten times national size there are 30,000 coaches x 78,500 projects = 2.4 billion pairs: too
many arcs to build. Two ideas keep the network small without giving up exactness:

* Classes. A pair's cost depends on the coach only through their home and their expertise
  level in the project's theme, so the coaches of one (language, theme) group who share a home
  and a level form a class node: source -> coach -> class -> project -> sink. One arc from a
  class replaces an arc from each of its coaches. Own-LGU exclusions stay exact: a class holding
  a coach who works for a project's LGU never gets an arc to that project; the project reaches
  the class's other coaches through direct coach -> project arcs instead. After solving, the
  flow through each class is split among its coaches (any split is feasible and costs the same).
* Column generation with a proof. Each project starts with arcs to its cheapest classes (and
  the nearest class of every expertise level, so that everything matchable is matched from the
  first round). After each solve, node potentials are computed as shortest distances in the
  residual graph (leaving a project unmatched counts as cost U = max pair cost x projects + 1,
  more than any set of matched costs, so fewer matches never pay and the lexicographic
  objective is one cost). Every class -> project pair and every barred pair's coaches of the
  full problem are then priced against the potentials; those with a negative reduced cost are
  added and the flow is solved again.

When nothing prices out, the potentials are dual-feasible for the full problem; their LP dual
value (`Solution.dual_bound`) then equals the flow's cost, which proves the solution optimal.
The solver checks that equality every time and raises MatchingError otherwise.

Homes are province centroids, so there are at most ~77 distinct homes and ~308 classes per
group; the pricing work is O(projects x classes) per round, not O(projects x coaches).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_KM = 6371.0088
DEFAULT_LANGUAGE = "th"

# Expertise levels, in the order of the cost vector built by Weights.level_costs().
CONFIRMED, DECLARED, NO_EXPERTISE, NOT_APPLICABLE = 0, 1, 2, 3
EXPERTISE_CODES = ("confirmed", "declared", "none", "not_applicable")
EXPERTISE_LABELS = {
    "confirmed": _("confirmed by a reviewer"),
    "declared": _("declared by the coach"),
    "none": _("no expertise in this theme"),
    "not_applicable": _("the project has no theme"),
}


@dataclass(frozen=True)
class Weights:
    """The integer cost of a pair, by component."""

    confirmed: int = 0
    declared: int = 40
    no_expertise: int = 100
    km_per_point: int = 10
    distance_cap: int = 100
    other_region: int = 30

    def level_costs(self) -> np.ndarray:
        return np.array([self.confirmed, self.declared, self.no_expertise, 0], dtype=np.int64)

    @property
    def max_pair_cost(self) -> int:
        return max(self.confirmed, self.declared, self.no_expertise) + self.distance_cap + self.other_region


@dataclass(frozen=True)
class CoachInput:
    """A coach as the solver sees it; `capacity` is what is left after current assignments."""

    id: int
    lat: float | None
    lon: float | None
    region: str
    languages: frozenset[str]
    capacity: int
    themes_declared: frozenset[str] = frozenset()
    themes_confirmed: frozenset[str] = frozenset()
    own_lgus: frozenset[int] = frozenset()

    def expertise(self, theme: str | None) -> int:
        if theme is None:
            return NOT_APPLICABLE
        if theme in self.themes_confirmed:
            return CONFIRMED
        if theme in self.themes_declared:
            return DECLARED
        return NO_EXPERTISE


@dataclass(frozen=True)
class ProjectInput:
    """A project lacking a coach: its theme, working language and target LGU's place."""

    id: int
    lgu_id: int
    lat: float | None
    lon: float | None
    region: str
    theme: str | None = None
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Pair:
    """A proposed coach for a project, with the parts of its cost."""

    project_id: int
    coach_id: int
    cost: int
    expertise: str
    expertise_cost: int
    distance_km: float | None
    distance_cost: int
    same_region: bool
    region_cost: int
    remaining_capacity: int = 0

    def explanation(self, project: ProjectInput, coach: CoachInput) -> dict:
        """A JSON-ready account of why this pair was chosen (labels are rendered on the page)."""
        return {
            "theme": project.theme,
            "expertise": self.expertise,
            "expertise_cost": self.expertise_cost,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "distance_cost": self.distance_cost,
            "same_region": self.same_region,
            "coach_region": coach.region,
            "project_region": project.region,
            "region_cost": self.region_cost,
            "language": project.language,
            "capacity_left": self.remaining_capacity,
            "cost": self.cost,
        }


@dataclass
class Solution:
    """The optimal assignment, its cost and how it was proved."""

    pairs: list[Pair]
    unmatched: list[int]
    total_cost: int
    solve_seconds: float
    cpu_seconds: float = 0.0
    dual_bound: int | None = None
    unmatched_penalty: int = 0
    stats: dict = field(default_factory=dict)

    @property
    def objective(self) -> int:
        """The single-objective value: matched cost plus the penalty for each unmatched project."""
        return self.total_cost + self.unmatched_penalty * len(self.unmatched)


class MatchingError(RuntimeError):
    """The solver could not prove an optimum (should not happen; kept loud on purpose)."""


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on scalars and numpy arrays alike."""
    lat1, lon1, lat2, lon2 = (np.radians(x) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_points(km, weights: Weights):
    """Distance cost: one point per `km_per_point` km (rounded), capped; unknown places cost the cap."""
    km = np.asarray(km, dtype=float)
    points = np.where(np.isnan(km), weights.distance_cap, np.rint(km / weights.km_per_point))
    return np.minimum(points, weights.distance_cap).astype(np.int64)


def feasible(coach: CoachInput, project: ProjectInput) -> bool:
    """The hard constraints of one pair other than capacity."""
    return project.language in coach.languages and project.lgu_id not in coach.own_lgus


def _km(coach: CoachInput, project: ProjectInput) -> float | None:
    if None in (coach.lat, coach.lon, project.lat, project.lon):
        return None
    return float(haversine_km(coach.lat, coach.lon, project.lat, project.lon))


def price_pair(coach: CoachInput, project: ProjectInput, weights: Weights = Weights()) -> Pair:
    """The cost of one pair and its parts (the scalar reference for the vectorised solver)."""
    level = coach.expertise(project.theme)
    expertise_cost = int(weights.level_costs()[level])
    km = _km(coach, project)
    distance_cost = int(distance_points(np.nan if km is None else km, weights))
    same_region = coach.region == project.region
    region_cost = 0 if same_region else weights.other_region
    return Pair(project_id=project.id, coach_id=coach.id,
                cost=expertise_cost + distance_cost + region_cost,
                expertise=EXPERTISE_CODES[level], expertise_cost=expertise_cost,
                distance_km=km, distance_cost=distance_cost, same_region=same_region,
                region_cost=region_cost)


def pair_cost(coach: CoachInput, project: ProjectInput, weights: Weights = Weights()) -> int:
    """The integer cost of one (feasible) pair."""
    return price_pair(coach, project, weights).cost


class _Instance:
    """The input encoded as numpy arrays, with the class structure the solver prices by."""

    def __init__(self, coaches: Sequence[CoachInput], projects: Sequence[ProjectInput], weights: Weights):
        self.coaches = [c for c in coaches if c.capacity > 0 and c.languages]
        self.projects = list(projects)
        self.weights = weights
        nc, n_p = len(self.coaches), len(self.projects)
        self.nc, self.np = nc, n_p
        self.level_cost = weights.level_costs()
        # More than any sum of matched costs: one more match always pays (lexicographic objective).
        self.unmatched_penalty = weights.max_pair_cost * max(n_p, 1) + 1

        themes = sorted({p.theme for p in self.projects if p.theme is not None})
        self.theme_index = {t: i for i, t in enumerate(themes)}
        self.n_themes = len(themes) + 1  # the last one stands for "no theme"
        self.p_theme = np.array([self.theme_index.get(p.theme, len(themes)) for p in self.projects],
                                dtype=np.int64)
        levels = np.full((nc, self.n_themes), NOT_APPLICABLE, dtype=np.int64)
        for i, coach in enumerate(self.coaches):
            for theme, t in self.theme_index.items():
                levels[i, t] = coach.expertise(theme)
        self.levels = levels

        languages = sorted({p.language for p in self.projects})
        self.language_index = {code: i for i, code in enumerate(languages)}
        self.p_language = np.array([self.language_index[p.language] for p in self.projects], dtype=np.int64)
        self.speakers = []  # per language: coach indices speaking it
        for code in languages:
            self.speakers.append(np.array([i for i, c in enumerate(self.coaches) if code in c.languages],
                                          dtype=np.int64))

        homes: dict[tuple, int] = {}
        self.c_home = np.array([homes.setdefault((c.lat, c.lon, c.region), len(homes)) for c in self.coaches],
                               dtype=np.int64)
        self.n_homes = len(homes)
        home_keys = list(homes)
        regions = {r: i for i, r in enumerate(sorted({k[2] for k in home_keys} | {p.region for p in self.projects}))}
        h_lat = np.array([np.nan if k[0] is None else k[0] for k in home_keys], dtype=float)
        h_lon = np.array([np.nan if k[1] is None else k[1] for k in home_keys], dtype=float)
        h_region = np.array([regions[k[2]] for k in home_keys], dtype=np.int64)
        p_lat = np.array([np.nan if p.lat is None else p.lat for p in self.projects], dtype=float)
        p_lon = np.array([np.nan if p.lon is None else p.lon for p in self.projects], dtype=float)
        p_region = np.array([regions[p.region] for p in self.projects], dtype=np.int64)
        self.h_lat, self.h_lon, self.h_region, self.p_region = h_lat, h_lon, h_region, p_region
        self.p_lat, self.p_lon = p_lat, p_lon
        if n_p and self.n_homes:
            km = haversine_km(p_lat[:, None], p_lon[:, None], h_lat[None, :], h_lon[None, :])
            other = (p_region[:, None] != h_region[None, :]) * weights.other_region
            self.home_cost = distance_points(km, weights) + other
        else:
            self.home_cost = np.zeros((n_p, self.n_homes), dtype=np.int64)

        self.capacity = np.array([c.capacity for c in self.coaches], dtype=np.int64)
        # Own-LGU exclusions as (coach, project) index pairs; few, so kept explicit.
        lgu_projects: dict[int, list[int]] = {}
        for j, p in enumerate(self.projects):
            lgu_projects.setdefault(p.lgu_id, []).append(j)
        ex_c, ex_p = [], []
        for i, coach in enumerate(self.coaches):
            for lgu in coach.own_lgus:
                for j in lgu_projects.get(lgu, ()):
                    ex_c.append(i)
                    ex_p.append(j)
        self.ex_coach = np.array(ex_c, dtype=np.int64)
        self.ex_project = np.array(ex_p, dtype=np.int64)
        self.ex_keys = np.unique(self.ex_coach * max(n_p, 1) + self.ex_project)

        # Projects grouped by (language, theme): each group prices against one class table.
        key = self.p_language * self.n_themes + self.p_theme
        order = np.argsort(key, kind="stable")
        bounds = np.flatnonzero(np.diff(key[order])) + 1
        self.groups = []
        for chunk in np.split(order, bounds) if n_p else []:
            lang, theme = divmod(int(key[chunk[0]]), self.n_themes)
            self.groups.append((lang, theme, chunk))

    def costs(self, coach_idx: np.ndarray, project_idx: np.ndarray) -> np.ndarray:
        """Vectorised pair costs."""
        level = self.levels[coach_idx, self.p_theme[project_idx]]
        return self.home_cost[project_idx, self.c_home[coach_idx]] + self.level_cost[level]

    def excluded(self, coach_idx: np.ndarray, project_idx: np.ndarray) -> np.ndarray:
        if not len(self.ex_keys):
            return np.zeros(len(coach_idx), dtype=bool)
        return np.isin(coach_idx * max(self.np, 1) + project_idx, self.ex_keys)


class _Network:
    """The flow network: source -> coach -> class -> project -> sink, plus direct coach -> project arcs.

    A class node stands for the coaches of one (language, theme) group who share a home and an
    expertise level in that theme: they cost every project of the group the same, so one arc
    from the class replaces an arc from each of them. A class that holds a coach working for a
    project's LGU never gets an arc to that project; the project reaches the class's other
    coaches by direct arcs instead, so the own-LGU rule holds exactly.
    """

    def __init__(self, inst: _Instance):
        self.inst = inst
        nc, n_p = inst.nc, inst.np
        self.n_cls = n_cls = inst.n_homes * 4
        self.n_groups = len(inst.groups)
        self.n_classes = self.n_groups * n_cls
        self.project_base = nc + self.n_classes
        self.source = self.project_base + n_p
        self.sink = self.source + 1
        self.p_group = np.zeros(n_p, dtype=np.int64)
        self.g_theme = np.array([t for _l, t, _p in inst.groups], dtype=np.int64)
        self.g_language = np.array([lang for lang, _t, _p in inst.groups], dtype=np.int64)
        tails, heads = [], []
        for g, (language, theme, projects) in enumerate(inst.groups):
            self.p_group[projects] = g
            members = inst.speakers[language]
            tails.append(members)
            heads.append(g * n_cls + inst.c_home[members] * 4 + inst.levels[members, theme])
        empty = np.zeros(0, dtype=np.int64)
        self.cc_coach = np.concatenate(tails) if tails else empty  # coach -> class arcs
        self.cc_class = np.concatenate(heads) if heads else empty
        self.class_size = np.bincount(self.cc_class, minlength=self.n_classes)
        self.class_start = np.concatenate(([0], np.cumsum(self.class_size)[:-1])).astype(np.int64)
        self.class_members = self.cc_coach[np.argsort(self.cc_class, kind="stable")]
        # (project, class) pairs barred by the own-LGU rule, with the coach that bars them.
        speaks = np.zeros((nc, len(inst.speakers)), dtype=bool)
        for language, members in enumerate(inst.speakers):
            speaks[members, language] = True
        g = self.p_group[inst.ex_project]
        ok = speaks[inst.ex_coach, self.g_language[g]] if len(g) else np.zeros(0, dtype=bool)
        self.bar_project = inst.ex_project[ok]
        self.bar_coach = inst.ex_coach[ok]
        self.bar_class = (g[ok] * n_cls + inst.c_home[self.bar_coach] * 4
                          + inst.levels[self.bar_coach, self.g_theme[g[ok]]])
        self.bar_keys = np.unique(self.bar_project * max(self.n_classes, 1) + self.bar_class)
        order = np.argsort(self.bar_class // max(n_cls, 1), kind="stable")
        self.bar_project, self.bar_coach, self.bar_class = (
            self.bar_project[order], self.bar_coach[order], self.bar_class[order])
        self.bar_slices = _slices(self.bar_class // max(n_cls, 1), self.n_groups)
        self.barred_by: dict[int, set[int]] = {}
        for p, c in zip(self.bar_project.tolist(), self.bar_coach.tolist(), strict=True):
            self.barred_by.setdefault(p, set()).add(c)

    def other_members(self, project: int, members, count: int, have=()) -> list[int]:
        """Up to `count` of `members` not barred from `project`, starting at a project-dependent
        offset so that projects tied on a class spread over its coaches."""
        barred = self.barred_by.get(project, ())
        chosen = []
        n = len(members)
        for step in range(n):
            c = int(members[(project + step) % n])
            if c in barred or c * self.inst.np + project in have:
                continue
            chosen.append(c)
            if len(chosen) == count:
                break
        return chosen

    def class_cost(self, projects: np.ndarray, classes: np.ndarray) -> np.ndarray:
        local = classes % self.n_cls
        return self.inst.home_cost[projects, local // 4] + self.inst.level_cost[local % 4]

    def barred(self, projects: np.ndarray, classes: np.ndarray) -> np.ndarray:
        if not len(self.bar_keys):
            return np.zeros(len(projects), dtype=bool)
        return np.isin(projects * self.n_classes + classes, self.bar_keys)

    def group_table(self, g: int, projects: np.ndarray) -> np.ndarray:
        """Cost of each project of group g against each of the group's classes (inf if empty or barred)."""
        inst = self.inst
        table = (inst.home_cost[projects][:, :, None] + inst.level_cost[None, None, :]).reshape(len(projects), -1)
        table = table.astype(float)
        table[:, self.class_size[g * self.n_cls:(g + 1) * self.n_cls] == 0] = np.inf
        return table


def _slices(group_of: np.ndarray, n_groups: int) -> list[slice]:
    """Slices of an array sorted by group, one per group."""
    bounds = np.searchsorted(group_of, np.arange(n_groups + 1))
    return [slice(int(bounds[g]), int(bounds[g + 1])) for g in range(n_groups)]


def _block(table: np.ndarray, local: np.ndarray, projects: np.ndarray, arc_projects, arc_classes, offset):
    """Set the cells of the given (project, class) arcs of a group table to inf."""
    if not len(arc_projects):
        return
    local[projects] = np.arange(len(projects))
    table[local[arc_projects], arc_classes - offset] = np.inf
    local[projects] = -1


def _initial_arcs(net: _Network, per_project: int) -> tuple[np.ndarray, np.ndarray]:
    """Each project's cheapest allowed classes as (project, class) keys, and direct arcs to the
    other coaches of the cheap classes it is barred from, as (coach, project) keys."""
    keys, direct = [], []
    n_p = net.inst.np
    empty = np.zeros(0, dtype=np.int64)
    if not net.n_cls:
        return empty, empty
    local = np.full(n_p, -1, dtype=np.int64)
    for g, (_language, _theme, projects) in enumerate(net.inst.groups):
        table = net.group_table(g, projects)
        bars = net.bar_slices[g]
        _block(table, local, projects, net.bar_project[bars], net.bar_class[bars], g * net.n_cls)
        m = min(per_project, table.shape[1]) - 1
        pick = np.argpartition(table, m, axis=1)[:, :m + 1]
        # Also the nearest class of each expertise level: when the few confirmed coaches are
        # taken, declared and other coaches nearby keep every project matchable from round one.
        by_level = [np.argmin(table[:, level::4], axis=1) * 4 + level for level in range(4)]
        pick = np.concatenate([pick, np.stack(by_level, axis=1)], axis=1)
        chosen = np.take_along_axis(table, pick, axis=1)
        finite = np.isfinite(chosen)
        rows = np.repeat(np.arange(len(projects)), pick.shape[1])[finite.ravel()]
        keys.append(projects[rows] * net.n_classes + g * net.n_cls + pick.ravel()[finite.ravel()])
        chosen = chosen[:, :m + 1]
        finite = finite[:, :m + 1]
        if bars.stop > bars.start:
            threshold = np.where(finite, chosen, -np.inf).max(axis=1)
            local[projects] = np.arange(len(projects))
            bp, bk = net.bar_project[bars], net.bar_class[bars]
            cheap = net.class_cost(bp, bk) <= threshold[local[bp]]
            local[projects] = -1
            for p, k in set(zip(bp[cheap].tolist(), bk[cheap].tolist(), strict=True)):
                members = net.class_members[net.class_start[k]:net.class_start[k] + net.class_size[k]]
                direct += [c * n_p + p for c in net.other_members(p, members, per_project)]
    return (np.unique(np.concatenate(keys)) if keys else empty,
            np.unique(np.array(direct, dtype=np.int64)) if direct else empty)


@dataclass
class _Flow:
    """One solve's arcs, their flows and costs, in the order they were given to OR-Tools."""

    class_keys: np.ndarray     # (project, class) arcs
    direct_keys: np.ndarray    # (coach, project) arcs
    cc_flow: np.ndarray
    class_flow: np.ndarray
    direct_flow: np.ndarray
    load: np.ndarray
    matched: np.ndarray
    class_cost: np.ndarray
    direct_cost: np.ndarray


def _solve_flow(net: _Network, class_keys: np.ndarray, direct_keys: np.ndarray) -> _Flow:
    """Max flow at least cost over the current arcs (OR-Tools SimpleMinCostFlow)."""
    from ortools.graph.python import min_cost_flow

    inst = net.inst
    nc, n_p = inst.nc, inst.np
    ka_p, ka_k = class_keys // max(net.n_classes, 1), class_keys % max(net.n_classes, 1)
    da_c, da_p = direct_keys // max(n_p, 1), direct_keys % max(n_p, 1)
    ka_cost = net.class_cost(ka_p, ka_k)
    da_cost = inst.costs(da_c, da_p)
    i64 = np.int64
    tails = np.concatenate([np.full(nc, net.source, dtype=i64), net.cc_coach, nc + ka_k, da_c,
                            net.project_base + np.arange(n_p, dtype=i64)])
    heads = np.concatenate([np.arange(nc, dtype=i64), nc + net.cc_class, net.project_base + ka_p,
                            net.project_base + da_p, np.full(n_p, net.sink, dtype=i64)])
    caps = np.concatenate([inst.capacity, inst.capacity[net.cc_coach], np.ones(len(ka_p) + len(da_p) + n_p, dtype=i64)])
    costs = np.concatenate([np.zeros(nc + len(net.cc_coach), dtype=i64), ka_cost, da_cost, np.zeros(n_p, dtype=i64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(net.source, n_p)
    flow.set_node_supply(net.sink, -n_p)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise MatchingError(f"min-cost flow status {status}")
    x = flow.flows(np.arange(len(tails), dtype=i64))
    a, b, c, d = nc, nc + len(net.cc_coach), nc + len(net.cc_coach) + len(ka_p), nc + len(net.cc_coach) + len(ka_p) + len(da_p)
    matched = x[d:] > 0
    return _Flow(class_keys, direct_keys, x[a:b], x[b:c], x[c:d], x[:a], matched, ka_cost, da_cost)


def _potentials(net: _Network, f: _Flow) -> np.ndarray:
    """Node potentials proving the flow optimal on its arcs: shortest distances from the source
    in the residual graph, where an unmatched project counts as sent at cost U straight from the
    source (so the lexicographic objective is one cost)."""
    inst = net.inst
    nc, n_p, big = inst.nc, inst.np, inst.unmatched_penalty
    ka_p, ka_k = f.class_keys // max(net.n_classes, 1), f.class_keys % max(net.n_classes, 1)
    da_c, da_p = f.direct_keys // max(n_p, 1), f.direct_keys % max(n_p, 1)
    pb = net.project_base
    i64 = np.int64
    # (tail, head, cost, capacity, flow) of every arc except project -> sink (always full).
    tail = np.concatenate([np.full(nc, net.source, dtype=i64), net.cc_coach, nc + ka_k, da_c,
                           np.full(n_p, net.source, dtype=i64)])
    head = np.concatenate([np.arange(nc, dtype=i64), nc + net.cc_class, pb + ka_p, pb + da_p,
                           pb + np.arange(n_p, dtype=i64)])
    cost = np.concatenate([np.zeros(nc + len(net.cc_coach), dtype=i64), f.class_cost, f.direct_cost,
                           np.full(n_p, big, dtype=i64)])
    cap = np.concatenate([inst.capacity, inst.capacity[net.cc_coach], np.ones(len(ka_p) + len(da_p) + n_p, dtype=i64)])
    x = np.concatenate([f.load, f.cc_flow, f.class_flow, f.direct_flow, (~f.matched).astype(i64)])
    fwd, bwd = x < cap, x > 0
    src = np.concatenate([tail[fwd], head[bwd]])
    dst = np.concatenate([head[fwd], tail[bwd]])
    w = np.concatenate([cost[fwd], -cost[bwd]])
    order = np.argsort(dst, kind="stable")
    src, dst, w = src[order], dst[order], w[order]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]]) if len(dst) else np.zeros(0, dtype=i64)
    targets = dst[starts]
    inf = np.int64(2) ** 62
    dist = np.full(net.sink + 1, inf, dtype=i64)
    dist[net.source] = 0
    for _round in range(net.sink + 2):
        reach = np.minimum.reduceat(np.where(dist[src] < inf, dist[src] + w, inf), starts) if len(dst) else dist[:0]
        better = reach < dist[targets]
        if not better.any():
            break
        dist[targets[better]] = reach[better]
    else:
        raise MatchingError("negative cycle in the residual graph: the flow is not optimal")
    projects = dist[pb:pb + n_p]
    lost = projects >= inf
    if (lost & f.matched).any():
        raise MatchingError("a matched project is unreachable in the residual graph")
    projects[lost] = big  # unmatched and without arcs: as if sent straight from the source
    return dist


def _price(net: _Network, f: _Flow, pi: np.ndarray, per_project: int):
    """Arcs of the full network with a negative reduced cost: new class arcs and direct arcs."""
    inst = net.inst
    nc, n_p = inst.nc, inst.np
    inf = np.int64(2) ** 62
    pb = net.project_base
    pi_p = pi[pb:pb + n_p].astype(float)
    pi_class = np.where(pi[nc:pb] >= inf, np.inf, pi[nc:pb].astype(float))
    local = np.full(n_p, -1, dtype=np.int64)
    # Current arcs (class keys are sorted by project, so re-sort them by group) are not new.
    ka_p, ka_k = f.class_keys // max(net.n_classes, 1), f.class_keys % max(net.n_classes, 1)
    order = np.argsort(ka_k // max(net.n_cls, 1), kind="stable")
    ka_p, ka_k = ka_p[order], ka_k[order]
    arc_slices = _slices(ka_k // max(net.n_cls, 1), net.n_groups)
    new_class = []
    for g, (_language, _theme, projects) in enumerate(inst.groups):
        table = net.group_table(g, projects)
        bars, arcs = net.bar_slices[g], arc_slices[g]
        _block(table, local, projects, net.bar_project[bars], net.bar_class[bars], g * net.n_cls)
        _block(table, local, projects, ka_p[arcs], ka_k[arcs], g * net.n_cls)
        gap = table + pi_class[g * net.n_cls:(g + 1) * net.n_cls][None, :] - pi_p[projects][:, None]
        rows, cols = np.nonzero(gap < 0)
        if not len(rows):
            continue
        keys = projects[rows] * net.n_classes + g * net.n_cls + cols
        # At most per_project of the most negative classes per project.
        order = np.lexsort((gap[rows, cols], rows))
        rows, keys = rows[order], keys[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        new_class.append(keys[rank < per_project])
    # Barred (project, class) pairs: the class's other coaches through direct arcs.
    new_direct = []
    if len(net.bar_class):
        pi_c = pi[:nc].astype(float)
        order = np.lexsort((pi_c[net.cc_coach], net.cc_class))
        members, classes = net.cc_coach[order], net.cc_class[order]
        first = np.flatnonzero(np.r_[True, classes[1:] != classes[:-1]])
        ends = np.r_[first[1:], len(classes)]
        start = np.zeros(net.n_classes, dtype=np.int64)
        stop = np.zeros(net.n_classes, dtype=np.int64)
        start[classes[first]], stop[classes[first]] = first, ends
        pairs = np.unique(net.bar_project * net.n_classes + net.bar_class)
        bp, bk = pairs // net.n_classes, pairs % net.n_classes
        base = net.class_cost(bp, bk).astype(float)
        lowest = pi_c[members[start[bk]]]
        maybe = np.flatnonzero(base + lowest - pi_p[bp] < 0)
        if len(maybe):
            have = set(f.direct_keys.tolist())
            for i in maybe.tolist():
                p, k = int(bp[i]), int(bk[i])
                # Members are sorted by potential, so those with a negative reduced cost come first.
                limit = pi_p[p] - base[i]
                negative = members[start[k]:start[k] + int(np.searchsorted(
                    pi_c[members[start[k]:stop[k]]], limit, side="left"))]
                new_direct += [c * n_p + p for c in net.other_members(p, negative, per_project, have)]
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(new_class) if new_class else empty,
            np.array(new_direct, dtype=np.int64) if new_direct else empty)


def _dual_value(net: _Network, f: _Flow, pi: np.ndarray) -> int:
    """The LP dual objective of the potentials; equal to the flow's cost exactly when optimal."""
    inst = net.inst
    nc, n_p, big = inst.nc, inst.np, inst.unmatched_penalty
    pb = net.project_base
    ka_p, ka_k = f.class_keys // max(net.n_classes, 1), f.class_keys % max(net.n_classes, 1)
    da_c, da_p = f.direct_keys // max(n_p, 1), f.direct_keys % max(n_p, 1)
    pi_p = pi[pb:pb + n_p]
    # Each arc pays its capacity times how far its reduced cost is below zero.
    penalties = [
        (inst.capacity, 0 + pi[net.source] - pi[:nc]),
        (inst.capacity[net.cc_coach], pi[net.cc_coach] - pi[nc + net.cc_class]),
        (np.ones(len(ka_p), dtype=np.int64), f.class_cost + pi[nc + ka_k] - pi_p[ka_p]),
        (np.ones(len(da_p), dtype=np.int64), f.direct_cost + pi[da_c] - pi_p[da_p]),
        (np.ones(n_p, dtype=np.int64), big + pi[net.source] - pi_p),
    ]
    value = int(pi_p.sum()) - n_p * int(pi[net.source])
    for cap, reduced in penalties:
        value -= int((cap * np.maximum(0, -reduced)).sum())
    return value


def _assign(net: _Network, f: _Flow) -> list[tuple[int, int]]:
    """Coach-level (coach index, project index) pairs from the class-level flow."""
    n_p = net.inst.np
    units_coach = np.repeat(net.cc_coach, f.cc_flow)
    units_class = np.repeat(net.cc_class, f.cc_flow)
    order = np.argsort(units_class, kind="stable")
    units_coach = units_coach[order]
    used = f.class_flow > 0
    proj = f.class_keys[used] // max(net.n_classes, 1)
    cls = f.class_keys[used] % max(net.n_classes, 1)
    if net.barred(proj, cls).any():
        raise MatchingError("a class arc barred by the own-LGU rule carries flow")
    order = np.argsort(cls, kind="stable")
    # Flow conservation at each class: as many coach units in as project units out, so the two
    # lists sorted by class line up; every coach of a class may take every project it serves.
    if not np.array_equal(np.sort(units_class), cls[order]):
        raise MatchingError("flow is not conserved at a class node")
    pairs = list(zip(units_coach.tolist(), proj[order].tolist(), strict=True))
    used = f.direct_flow > 0
    pairs += list(zip((f.direct_keys[used] // max(n_p, 1)).tolist(), (f.direct_keys[used] % max(n_p, 1)).tolist(),
                      strict=True))
    return pairs


def solve(coaches: Sequence[CoachInput], projects: Sequence[ProjectInput], *,
          weights: Weights = Weights(), candidates: int = 2, max_rounds: int = 100) -> Solution:
    """The assignment matching the most projects at the least total cost, proved optimal.

    `candidates` classes per project start the column generation and are added per round at
    most; the number changes the speed, never the result.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    inst = _Instance(coaches, projects, weights)
    net = _Network(inst)
    stats = {"coaches": inst.nc, "projects": inst.np, "homes": inst.n_homes, "class_nodes":
             int((net.class_size > 0).sum()), "coach_class_arcs": int(len(net.cc_coach))}
    class_keys, direct_keys = _initial_arcs(net, candidates)
    stats["initial_arcs"] = int(len(class_keys) + len(direct_keys))
    rounds = 0
    flow_seconds = price_seconds = 0.0
    while True:
        rounds += 1
        if rounds > max_rounds:
            raise MatchingError(f"no proof of optimality after {max_rounds} rounds")
        tick = time.perf_counter()
        f = _solve_flow(net, class_keys, direct_keys)
        flow_seconds += time.perf_counter() - tick
        tick = time.perf_counter()
        pi = _potentials(net, f)
        add_class, add_direct = _price(net, f, pi, candidates)
        price_seconds += time.perf_counter() - tick
        if not len(add_class) and not len(add_direct):
            break
        class_keys = np.union1d(class_keys, add_class)
        direct_keys = np.union1d(direct_keys, add_direct)
    dual_bound = _dual_value(net, f, pi)
    pairs_idx = _assign(net, f)
    stats.update(rounds=rounds, class_arcs=int(len(class_keys)), direct_arcs=int(len(direct_keys)),
                 flow_seconds=round(flow_seconds, 3), price_seconds=round(price_seconds, 3))

    load = np.bincount(np.array([i for i, _j in pairs_idx], dtype=np.int64), minlength=inst.nc)
    left = inst.capacity - load
    if (left < 0).any():
        raise MatchingError("a coach is over capacity")
    pairs = _pairs(inst, pairs_idx, left)
    matched = {j for _i, j in pairs_idx}
    unmatched = [p.id for j, p in enumerate(inst.projects) if j not in matched]
    total = int(f.class_cost[f.class_flow > 0].sum() + f.direct_cost[f.direct_flow > 0].sum())
    if sum(p.cost for p in pairs) != total:
        raise MatchingError("vectorised and scalar costs disagree")
    solution = Solution(pairs=pairs, unmatched=unmatched, total_cost=total,
                        solve_seconds=time.perf_counter() - started,
                        cpu_seconds=time.process_time() - cpu_started, dual_bound=dual_bound,
                        unmatched_penalty=inst.unmatched_penalty, stats=stats)
    if solution.objective != dual_bound:
        raise MatchingError("the dual bound does not meet the flow's cost")
    return solution


def _pairs(inst: _Instance, pairs_idx: list[tuple[int, int]], left: np.ndarray) -> list[Pair]:
    """The proposed pairs with the parts of their cost (vectorised; price_pair is the reference)."""
    if not pairs_idx:
        return []
    ci = np.array([i for i, _j in pairs_idx], dtype=np.int64)
    pj = np.array([j for _i, j in pairs_idx], dtype=np.int64)
    if (inst.excluded(ci, pj) | ~np.array([inst.projects[j].language in inst.coaches[i].languages
                                            for i, j in pairs_idx])).any():
        raise MatchingError("an infeasible pair was proposed")
    home = inst.c_home[ci]
    km = haversine_km(inst.h_lat[home], inst.h_lon[home], inst.p_lat[pj], inst.p_lon[pj])
    distance = distance_points(km, inst.weights)
    level = inst.levels[ci, inst.p_theme[pj]]
    expertise = inst.level_cost[level]
    same = inst.h_region[home] == inst.p_region[pj]
    region = np.where(same, 0, inst.weights.other_region)
    pairs = [Pair(project_id=inst.projects[j].id, coach_id=inst.coaches[i].id,
                  cost=int(expertise[n] + distance[n] + region[n]), expertise=EXPERTISE_CODES[level[n]],
                  expertise_cost=int(expertise[n]), distance_km=None if np.isnan(km[n]) else float(km[n]),
                  distance_cost=int(distance[n]), same_region=bool(same[n]), region_cost=int(region[n]),
                  remaining_capacity=int(left[i]))
             for n, (i, j) in enumerate(zip(ci.tolist(), pj.tolist(), strict=True))]
    pairs.sort(key=lambda pair: pair.project_id)
    return pairs


def brute_force(coaches: Sequence[CoachInput], projects: Sequence[ProjectInput],
                weights: Weights = Weights()) -> tuple[int, int]:
    """(matched, cost) of the best assignment by enumeration; for tests on tiny instances only."""
    import itertools

    options = []
    for project in projects:
        options.append([None] + [i for i, c in enumerate(coaches) if feasible(c, project)])
    best = (0, 0)
    for choice in itertools.product(*options):
        load: dict[int, int] = {}
        matched = cost = 0
        ok = True
        for project, i in zip(projects, choice, strict=True):
            if i is None:
                continue
            load[i] = load.get(i, 0) + 1
            if load[i] > coaches[i].capacity:
                ok = False
                break
            matched += 1
            cost += pair_cost(coaches[i], project, weights)
        if ok and (matched > best[0] or (matched == best[0] and cost < best[1])):
            best = (matched, cost)
    return best


def greedy(coaches: Sequence[CoachInput], projects: Iterable[ProjectInput],
           weights: Weights = Weights()) -> tuple[int, int]:
    """(matched, cost) of the baseline: each project in turn takes its cheapest feasible coach left.

    Walks the classes of the project's group cheapest first and takes the first coach with a
    place left who does not work for the project's LGU (all coaches of a class cost the same).
    """
    projects = list(projects)
    inst = _Instance(coaches, projects, weights)
    net = _Network(inst)
    left = inst.capacity.copy()
    pointer = net.class_start.copy()
    end = net.class_start + net.class_size
    members = net.class_members
    matched = cost = 0
    for j in range(inst.np):
        g = int(net.p_group[j])
        row = (inst.home_cost[j][:, None] + inst.level_cost[None, :]).ravel().astype(float)
        offset = g * net.n_cls
        row[net.class_size[offset:offset + net.n_cls] == 0] = np.inf
        barred = net.barred_by.get(j, ())
        for local in np.argsort(row, kind="stable").tolist():
            if row[local] == np.inf:
                break
            k = offset + local
            while pointer[k] < end[k] and left[members[pointer[k]]] == 0:
                pointer[k] += 1  # coaches never get places back, so skip the full ones for good
            taken = next((int(c) for c in members[pointer[k]:end[k]]
                          if left[c] > 0 and int(c) not in barred), None)
            if taken is not None:
                left[taken] -= 1
                matched += 1
                cost += int(row[local])
                break
    return matched, cost


def explain_lines(explanation: dict) -> list[str]:
    """The explanation of a proposal as short translated sentences."""
    from django.utils.translation import gettext

    lines = []
    expertise = explanation.get("expertise")
    if expertise in EXPERTISE_LABELS:
        lines.append(gettext("Expertise in the theme: %(level)s") % {"level": EXPERTISE_LABELS[expertise]})
    km = explanation.get("distance_km")
    if km is None:
        lines.append(gettext("Distance: unknown"))
    else:
        lines.append(gettext("Distance from home province: %(km)s km") % {"km": f"{km:,.0f}"})
    if explanation.get("same_region"):
        lines.append(gettext("Same region"))
    else:
        lines.append(gettext("Other region (%(coach)s → %(project)s)") % {
            "coach": explanation.get("coach_region", ""), "project": explanation.get("project_region", "")})
    if "capacity_left" in explanation:
        lines.append(gettext("Places left once this run is accepted: %(n)s") % {"n": explanation["capacity_left"]})
    return lines


__all__ = [
    "CoachInput", "ProjectInput", "Weights", "Pair", "Solution", "MatchingError", "solve",
    "brute_force", "greedy", "feasible", "pair_cost", "price_pair", "haversine_km",
    "distance_points", "explain_lines", "EXPERTISE_LABELS", "DEFAULT_LANGUAGE",
]
