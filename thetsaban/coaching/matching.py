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
many arcs to build. The solver therefore works by column generation with an optimality proof:

1. Each project starts with its K cheapest feasible coaches (found per class of coaches sharing
   a home and an expertise level, so without the full cost matrix).
2. The flow is solved on these arcs.
3. LP duals are computed from the optimal flow (shortest paths in the residual graph) for the
   equivalent single-objective LP in which leaving a project unmatched costs
   U = max pair cost x number of projects + 1 (more than any set of matched costs, so fewer
   matches can never pay off).
4. Every feasible pair of the full problem is priced against these duals, again per class
   (a class minimum of the coaches' duals; the own-LGU exclusion handled exactly with the
   second-best coach of the class and an explicit check of the few remaining projects).
   Pairs with a negative reduced cost are added and the loop returns to 2.

When no pair prices out, the duals are feasible for the full problem and equal the flow's cost
(strong duality), which proves the pruned solution optimal for the full problem. `Solution`
reports that bound (`dual_bound`) and the number of rounds.

Homes are province centroids, so there are at most ~77 distinct homes; the work is
O(projects x homes) per round, not O(projects x coaches).
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

    def classes(self, language: int, theme: int):
        """Coaches speaking `language`, sorted by class (home x expertise level in `theme`)."""
        members = self.speakers[language]
        cls = self.c_home[members] * 4 + self.levels[members, theme]
        return members, cls

    def class_cost(self, projects: np.ndarray) -> np.ndarray:
        """Cost of each project against each class (n x homes*4)."""
        return (self.home_cost[projects][:, :, None] + self.level_cost[None, None, :]).reshape(len(projects), -1)


def _home_prices(inst: _Instance) -> np.ndarray:
    """An estimate of how scarce coaching places are at each home, from a home-to-home LP.

    Projects are grouped by their nearest home and coaches by their home; the duals of this
    77 x 77 transportation LP price the homes where demand exceeds the places. Only used to
    pick good starting candidates: the exactness proof does not depend on it.
    """
    from ortools.linear_solver import pywraplp

    n_h = inst.n_homes
    if not inst.np or not n_h:
        return np.zeros(n_h)
    nearest = np.argmin(inst.home_cost, axis=1)
    demand = np.bincount(nearest, minlength=n_h)
    supply = np.bincount(inst.c_home, weights=inst.capacity, minlength=n_h)
    mean_cost = np.zeros((n_h, n_h))
    np.add.at(mean_cost, nearest, inst.home_cost)
    mean_cost /= np.maximum(demand, 1)[:, None]
    solver = pywraplp.Solver.CreateSolver("GLOP")
    objective = solver.Objective()
    demand_rows = [solver.Constraint(float(d), float(d)) for d in demand]
    supply_rows = [solver.Constraint(0.0, float(s)) for s in supply]
    for g in np.flatnonzero(demand):
        slack = solver.NumVar(0, solver.infinity(), "")
        demand_rows[g].SetCoefficient(slack, 1)
        objective.SetCoefficient(slack, float(inst.weights.max_pair_cost * 2))
        for h in np.flatnonzero(supply):
            x = solver.NumVar(0, solver.infinity(), "")
            demand_rows[g].SetCoefficient(x, 1)
            supply_rows[h].SetCoefficient(x, 1)
            objective.SetCoefficient(x, float(mean_cost[g, h]))
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return np.zeros(n_h)
    return np.array([-row.dual_value() for row in supply_rows])


def _candidates(inst: _Instance, k: int, per_class: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Each project's k most promising feasible coaches, at most `per_class` from one class.

    Coaches of a class (same home, same expertise level) cost a project the same; taking only a
    few from each spreads the candidates over neighbouring provinces, where the optimum goes
    when a province has more projects than coaching places. Classes are ranked by cost plus the
    estimated scarcity of their home. Ties rotate over a class's members.
    """
    out_c, out_p = [], []
    n_cls = inst.n_homes * 4
    price = np.repeat(_home_prices(inst), 4)
    for language, theme, projects in inst.groups:
        members, cls = inst.classes(language, theme)
        if not len(members):
            continue
        order = np.argsort(cls, kind="stable")
        members, cls = members[order], cls[order]
        size = np.bincount(cls, minlength=n_cls)
        start = np.concatenate(([0], np.cumsum(size)[:-1]))
        cost = inst.class_cost(projects) + price[None, :]
        cost[:, size == 0] = np.inf
        # Rank classes by cost, cheapest first; a few extra coaches make up for own-LGU exclusions.
        want = k + 2
        m = min(n_cls, want) - 1
        ranked = np.argpartition(cost, m, axis=1)[:, :m + 1]
        ranked = np.take_along_axis(ranked, np.argsort(np.take_along_axis(cost, ranked, axis=1), axis=1,
                                                       kind="stable"), axis=1)
        take_sizes = np.minimum(size[ranked], per_class)
        cum = np.cumsum(take_sizes, axis=1)
        before = cum - take_sizes
        take = np.clip(want - before, 0, take_sizes)
        rows, cols = np.nonzero(take)
        counts = take[rows, cols]
        classes = ranked[rows, cols]
        # Expand every (project, class, count) into count coaches, rotating by project index
        # so that projects tied on a class do not all queue for its first member.
        rep_rows = np.repeat(rows, counts)
        rep_cls = np.repeat(classes, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        project_idx = projects[rep_rows]
        position = start[rep_cls] + (project_idx + offsets) % size[rep_cls]
        out_c.append(members[position])
        out_p.append(project_idx)
    if not out_c:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    coach_idx, project_idx = np.concatenate(out_c), np.concatenate(out_p)
    keep = ~inst.excluded(coach_idx, project_idx)
    return coach_idx[keep], project_idx[keep]


def _solve_flow(inst: _Instance, coach_idx: np.ndarray, project_idx: np.ndarray, cost: np.ndarray):
    """Max flow at least cost on the given arcs; returns the boolean flow per arc."""
    from ortools.graph.python import min_cost_flow

    nc, n_p = inst.nc, inst.np
    source, sink = nc + n_p, nc + n_p + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    coaches = np.arange(nc, dtype=np.int64)
    projects = np.arange(n_p, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(nc, source, dtype=np.int64), coaches, inst.capacity, np.zeros(nc, dtype=np.int64))
    first_pair_arc = nc
    flow.add_arcs_with_capacity_and_unit_cost(
        coach_idx, nc + project_idx, np.ones(len(coach_idx), dtype=np.int64), cost.astype(np.int64))
    flow.add_arcs_with_capacity_and_unit_cost(
        nc + projects, np.full(n_p, sink, dtype=np.int64), np.ones(n_p, dtype=np.int64),
        np.zeros(n_p, dtype=np.int64))
    flow.set_node_supply(source, n_p)
    flow.set_node_supply(sink, -n_p)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise MatchingError(f"min-cost flow status {status}")
    arcs = np.arange(first_pair_arc, first_pair_arc + len(coach_idx), dtype=np.int64)
    return flow.flows(arcs).astype(bool) if len(arcs) else np.zeros(0, dtype=bool)


def _duals(inst: _Instance, coach_idx, project_idx, cost, used):
    """LP duals (u per project, v per coach) of the optimal flow on the current arcs.

    v is the shortest distance in the residual graph from coaches with free capacity (and from
    the "unmatched" alternative of each project), so reduced costs are >= 0 on every current arc
    and 0 on the used ones.
    """
    nc, n_p, big = inst.nc, inst.np, inst.unmatched_penalty
    matched_coach = np.full(n_p, -1, dtype=np.int64)
    matched_cost = np.zeros(n_p, dtype=np.int64)
    matched_coach[project_idx[used]] = coach_idx[used]
    matched_cost[project_idx[used]] = cost[used]
    load = np.bincount(coach_idx[used], minlength=nc)
    inf = np.iinfo(np.int64).max // 4
    dist = np.full(nc, inf, dtype=np.int64)
    dist[load < inst.capacity] = 0
    matched = matched_coach >= 0
    np.minimum.at(dist, matched_coach[matched], big - matched_cost[matched])
    # Edge alternative coach -> matched coach, weight cost(p, alternative) - cost(p, matched).
    alt = matched_coach[project_idx] >= 0
    alt &= matched_coach[project_idx] != coach_idx
    src = coach_idx[alt]
    dst = matched_coach[project_idx[alt]]
    weight = cost[alt] - matched_cost[project_idx[alt]]
    order = np.argsort(dst, kind="stable")
    src, dst, weight = src[order], dst[order], weight[order]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]]) if len(dst) else np.zeros(0, dtype=np.int64)
    targets = dst[starts]
    rounds = 0
    while len(dst):
        rounds += 1
        if rounds > nc + 2:
            raise MatchingError("negative cycle in the residual graph: the flow is not optimal")
        reach = np.minimum.reduceat(dist[src] + weight, starts)
        improved = reach < dist[targets]
        if not improved.any():
            break
        dist[targets[improved]] = reach[improved]
    if (dist < 0).any():
        raise MatchingError("negative duals: the flow is not optimal")
    v = dist
    if not nc:
        return np.full(n_p, big, dtype=np.int64), v, rounds
    u = np.where(matched, matched_cost + v[np.maximum(matched_coach, 0)], big)
    return u, v, rounds


def _price(inst: _Instance, u, v, per_project: int, per_class: int = 2):
    """Pairs of the full problem with a negative reduced cost (at most `per_project` per project)."""
    n_cls = inst.n_homes * 4
    new_c, new_p = [], []
    exact_checks = 0
    local = np.full(inst.np, -1, dtype=np.int64)
    position = np.full(inst.nc, -1, dtype=np.int64)
    for language, theme, projects in inst.groups:
        members, cls = inst.classes(language, theme)
        if not len(members):
            continue
        local[projects] = np.arange(len(projects))
        # Best and second-best dual per class; the second covers a best coach excluded by own LGU.
        order = np.lexsort((v[members], cls))
        members_sorted, cls_sorted = members[order], cls[order]
        first = np.flatnonzero(np.r_[True, cls_sorted[1:] != cls_sorted[:-1]])
        best_v = np.full(n_cls, np.inf)
        best_c = np.full(n_cls, -1, dtype=np.int64)
        second_v = np.full(n_cls, np.inf)
        present = cls_sorted[first]
        best_v[present] = v[members_sorted[first]]
        best_c[present] = members_sorted[first]
        has_second = np.r_[first[1:], len(cls_sorted)] - first > 1
        second_v[present[has_second]] = v[members_sorted[first[has_second] + 1]]

        base = inst.class_cost(projects).astype(float)
        value = base + best_v[None, :]
        ex_rows = local[inst.ex_project] if len(inst.ex_project) else np.zeros(0, dtype=np.int64)
        hit = ex_rows >= 0
        ex_rows, ex_coaches = ex_rows[hit], inst.ex_coach[hit]
        if len(ex_rows):
            ex_cls = inst.c_home[ex_coaches] * 4 + inst.levels[ex_coaches, theme]
            is_best = best_c[ex_cls] == ex_coaches
            r, k = ex_rows[is_best], ex_cls[is_best]
            value[r, k] = base[r, k] + second_v[k]
        gap = value - u[projects][:, None]
        suspects = np.flatnonzero(gap.min(axis=1) < 0)
        if not len(suspects):
            local[projects] = -1
            continue
        # Class level: each suspect project takes its most negative classes, and from each class
        # a few of the coaches whose reduced cost is negative (a prefix of the class sorted by
        # dual), rotated by project so that projects do not all pile onto the same coach.
        gap = gap[suspects]
        kth = min(per_project, n_cls) - 1
        pick = np.argpartition(gap, kth, axis=1)[:, :kth + 1]
        rows = np.repeat(suspects, kth + 1)
        classes = pick.ravel()
        ok = gap[np.repeat(np.arange(len(suspects)), kth + 1), classes] < 0
        rows, classes = rows[ok], classes[ok]
        j = projects[rows]
        class_start = np.full(n_cls, 0, dtype=np.int64)
        class_start[present] = first
        scale = int(inst.unmatched_penalty) * 4 + 4
        keys = cls_sorted * scale + v[members_sorted]
        threshold = np.clip(u[j] - base[rows, classes], 0, scale - 1).astype(np.int64)
        negatives = np.searchsorted(keys, classes * scale + threshold, side="left") - class_start[classes]
        counts = np.minimum(negatives, per_class)
        rep = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        chosen = members_sorted[class_start[classes[rep]] + (j[rep] + offsets) % negatives[rep]]
        chosen_p = j[rep]
        keep = ~inst.excluded(chosen, chosen_p)
        new_c.append(chosen[keep])
        new_p.append(chosen_p[keep])
        # A suspect that got no coach (all excluded) is checked coach by coach.
        got = np.zeros(inst.np, dtype=bool)
        got[chosen_p[keep]] = True
        leftover = suspects[~got[projects[suspects]]]
        exact_checks += len(leftover)
        if len(leftover):
            position[members] = np.arange(len(members))
            in_members = position[ex_coaches] >= 0
            member_cost = inst.level_cost[inst.levels[members, theme]] + v[members]
            block = max(1, 4_000_000 // len(members))
            for lo in range(0, len(leftover), block):
                rows = leftover[lo:lo + block]
                j = projects[rows]
                rc = inst.home_cost[j][:, inst.c_home[members]] + member_cost[None, :] - u[j][:, None]
                row_of = np.full(len(projects), -1, dtype=np.int64)
                row_of[rows] = np.arange(len(rows))
                sel = (row_of[ex_rows] >= 0) & in_members
                rc[row_of[ex_rows[sel]], position[ex_coaches[sel]]] = np.iinfo(np.int64).max // 4
                negative = np.flatnonzero((rc < 0).any(axis=1))
                if not len(negative):
                    continue
                rc = rc[negative]
                kth = min(per_project, rc.shape[1]) - 1
                pick = np.argpartition(rc, kth, axis=1)[:, :kth + 1]
                keep = np.take_along_axis(rc, pick, axis=1) < 0
                new_c.append(members[pick[keep]])
                new_p.append(np.repeat(j[negative], keep.sum(axis=1)))
        position[members] = -1
        local[projects] = -1
    if not new_c:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), exact_checks
    return np.concatenate(new_c), np.concatenate(new_p), exact_checks


def solve(coaches: Sequence[CoachInput], projects: Sequence[ProjectInput], *,
          weights: Weights = Weights(), candidates: int = 4, per_class: int = 4,
          max_rounds: int = 100) -> Solution:
    """The assignment matching the most projects at the least total cost, proved optimal.

    `candidates` classes per project and `per_class` coaches per class start the column
    generation and are added per round; they change the speed, never the result.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    inst = _Instance(coaches, projects, weights)
    stats = {"coaches": inst.nc, "projects": inst.np, "homes": inst.n_homes}
    coach_idx, project_idx = _candidates(inst, candidates, per_class)
    stats["initial_arcs"] = int(len(coach_idx))
    rounds = bf_rounds = 0
    flow_seconds = price_seconds = 0.0
    exact_checks = 0
    while True:
        rounds += 1
        if rounds > max_rounds:
            raise MatchingError(f"no proof of optimality after {max_rounds} rounds")
        cost = inst.costs(coach_idx, project_idx)
        tick = time.perf_counter()
        used = _solve_flow(inst, coach_idx, project_idx, cost) if inst.np and inst.nc else np.zeros(0, bool)
        flow_seconds += time.perf_counter() - tick
        tick = time.perf_counter()
        u, v, bf = _duals(inst, coach_idx, project_idx, cost, used)
        bf_rounds += bf
        add_c, add_p, checks = _price(inst, u, v, per_project=candidates, per_class=per_class)
        price_seconds += time.perf_counter() - tick
        exact_checks += checks
        if not len(add_c):
            break
        keys = np.unique(np.concatenate([coach_idx * inst.np + project_idx, add_c * inst.np + add_p]))
        coach_idx, project_idx = keys // inst.np, keys % inst.np
    stats.update(rounds=rounds, arcs=int(len(coach_idx)), shortest_path_rounds=bf_rounds,
                 exact_checks=exact_checks, flow_seconds=round(flow_seconds, 3),
                 price_seconds=round(price_seconds, 3))
    dual_bound = int(u.sum() - (inst.capacity * v).sum())

    load = np.bincount(coach_idx[used], minlength=inst.nc)
    left = inst.capacity - load
    pairs = []
    for i, j in sorted(zip(coach_idx[used].tolist(), project_idx[used].tolist(), strict=True),
                       key=lambda ij: inst.projects[ij[1]].id):
        pair = price_pair(inst.coaches[i], inst.projects[j], weights)
        pairs.append(_with_capacity(pair, int(left[i])))
    matched = set(project_idx[used].tolist())
    unmatched = [p.id for j, p in enumerate(inst.projects) if j not in matched]
    total = int(cost[used].sum())
    if sum(p.cost for p in pairs) != total:
        raise MatchingError("vectorised and scalar costs disagree")
    solution = Solution(pairs=pairs, unmatched=unmatched, total_cost=total,
                        solve_seconds=time.perf_counter() - started, dual_bound=dual_bound,
                        cpu_seconds=time.process_time() - cpu_started,
                        unmatched_penalty=inst.unmatched_penalty, stats=stats)
    if solution.objective != dual_bound:
        raise MatchingError("the dual bound does not meet the flow's cost")
    return solution


def _with_capacity(pair: Pair, left: int) -> Pair:
    return Pair(**{**pair.__dict__, "remaining_capacity": left})


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
    """(matched, cost) of the baseline: each project in turn takes its cheapest feasible coach left."""
    projects = list(projects)
    inst = _Instance(coaches, projects, weights)
    left = inst.capacity.copy()
    matched = cost = 0
    for j in range(inst.np):
        members = inst.speakers[inst.p_language[j]]
        if not len(members):
            continue
        members = members[left[members] > 0]
        members = members[~inst.excluded(members, np.full(len(members), j))]
        if not len(members):
            continue
        costs = inst.costs(members, np.full(len(members), j))
        best = int(np.argmin(costs))
        left[members[best]] -= 1
        matched += 1
        cost += int(costs[best])
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
        lines.append(gettext("Capacity left after this project: %(n)s") % {"n": explanation["capacity_left"]})
    return lines


__all__ = [
    "CoachInput", "ProjectInput", "Weights", "Pair", "Solution", "MatchingError", "solve",
    "brute_force", "greedy", "feasible", "pair_cost", "price_pair", "haversine_km",
    "distance_points", "explain_lines", "EXPERTISE_LABELS", "DEFAULT_LANGUAGE",
]
