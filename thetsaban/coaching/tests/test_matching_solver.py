"""The matching solver on plain data: hard constraints, preferences, and optimality."""

import random

from django.test import SimpleTestCase

from thetsaban.coaching.matching import (
    CoachInput,
    ProjectInput,
    Weights,
    brute_force,
    explain_lines,
    feasible,
    greedy,
    pair_cost,
    solve,
)

SONGKHLA = (7.19, 100.60)
HAT_YAI = (7.01, 100.47)
CHIANG_RAI = (19.91, 99.84)


def coach(id, place=SONGKHLA, region="south", languages=("th",), capacity=1, declared=(),
          confirmed=(), own=()):
    return CoachInput(id=id, lat=place[0], lon=place[1], region=region, languages=frozenset(languages),
                      capacity=capacity, themes_declared=frozenset(declared) | frozenset(confirmed),
                      themes_confirmed=frozenset(confirmed), own_lgus=frozenset(own))


def project(id, lgu=None, place=HAT_YAI, region="south", theme="budget", language="th"):
    return ProjectInput(id=id, lgu_id=lgu or 100 + id, lat=place[0], lon=place[1], region=region,
                        theme=theme, language=language)


def random_instance(seed):
    """A tiny instance where every hard constraint bites sometimes."""
    rng = random.Random(seed)
    themes = ["budget", "environment", "governance", "participation"]
    coaches = []
    for i in range(rng.randint(1, 4)):
        confirmed = {t for t in themes if rng.random() < 0.2}
        declared = {t for t in themes if rng.random() < 0.3}
        coaches.append(coach(
            i + 1, place=(rng.uniform(6, 20), rng.uniform(98, 105)), region=rng.choice("NSEC"),
            languages=rng.sample(["th", "en", "lo"], rng.randint(1, 2)), capacity=rng.randint(1, 2),
            declared=declared, confirmed=confirmed, own={rng.randint(1, 6)} if rng.random() < 0.5 else ()))
    projects = [project(j + 1, lgu=rng.randint(1, 6), place=(rng.uniform(6, 20), rng.uniform(98, 105)),
                        region=rng.choice("NSEC"), theme=rng.choice(themes + [None]),
                        language=rng.choice(["th", "th", "en", "km"]))
                for j in range(rng.randint(1, 6))]
    return coaches, projects


class HardConstraintTests(SimpleTestCase):
    def test_capacity_is_never_exceeded(self):
        coaches = [coach(1, capacity=2, confirmed={"budget"})]
        solution = solve(coaches, [project(j) for j in range(1, 5)])
        self.assertEqual(len(solution.pairs), 2)
        self.assertEqual(len(solution.unmatched), 2)

    def test_coach_never_coaches_an_lgu_they_work_for(self):
        coaches = [coach(1, confirmed={"budget"}, own={7})]
        solution = solve(coaches, [project(1, lgu=7)])
        self.assertEqual(solution.pairs, [])
        self.assertEqual(solution.unmatched, [1])

    def test_own_lgu_coach_leaves_the_project_to_another_coach(self):
        near = coach(1, place=HAT_YAI, confirmed={"budget"}, own={7})
        far = coach(2, place=CHIANG_RAI, region="north")
        solution = solve([near, far], [project(1, lgu=7)])
        self.assertEqual([(p.project_id, p.coach_id) for p in solution.pairs], [(1, 2)])

    def test_coach_and_project_must_share_a_language(self):
        solution = solve([coach(1, languages=("en",))], [project(1, language="th")])
        self.assertEqual(solution.pairs, [])
        solution = solve([coach(1, languages=("en", "th"))], [project(1, language="th")])
        self.assertEqual(len(solution.pairs), 1)

    def test_matching_the_most_projects_comes_before_cost(self):
        # Coach 1 is cheaper for project 1 but is the only one able to take project 2 (English).
        coaches = [coach(1, languages=("th", "en"), confirmed={"budget"}),
                   coach(2, place=CHIANG_RAI, region="north")]
        projects = [project(1), project(2, language="en")]
        solution = solve(coaches, projects)
        self.assertEqual(sorted((p.project_id, p.coach_id) for p in solution.pairs), [(1, 2), (2, 1)])

    def test_empty_inputs(self):
        self.assertEqual(solve([], [project(1)]).unmatched, [1])
        self.assertEqual(solve([coach(1)], []).pairs, [])


class PreferenceTests(SimpleTestCase):
    def test_confirmed_beats_declared_beats_none(self):
        confirmed = coach(1, confirmed={"budget"})
        declared = coach(2, declared={"budget"})
        none = coach(3)
        one = solve([none, declared, confirmed], [project(1)])
        self.assertEqual(one.pairs[0].coach_id, 1)
        self.assertEqual(one.pairs[0].expertise, "confirmed")
        two = solve([none, declared], [project(1)])
        self.assertEqual(two.pairs[0].coach_id, 2)
        self.assertLess(pair_cost(confirmed, project(1)), pair_cost(declared, project(1)))
        self.assertLess(pair_cost(declared, project(1)), pair_cost(none, project(1)))

    def test_nearer_and_same_region_is_cheaper(self):
        near = coach(1, place=HAT_YAI)
        far = coach(2, place=CHIANG_RAI, region="north")
        solution = solve([far, near], [project(1)])
        self.assertEqual(solution.pairs[0].coach_id, 1)
        weights = Weights()
        self.assertEqual(pair_cost(far, project(1)),
                         weights.no_expertise + weights.distance_cap + weights.other_region)

    def test_distance_cost_is_capped_and_unknown_places_cost_the_cap(self):
        unknown = CoachInput(id=1, lat=None, lon=None, region="south", languages=frozenset({"th"}), capacity=1)
        self.assertEqual(pair_cost(unknown, project(1, theme=None)), Weights().distance_cap)

    def test_explanation_is_json_ready_with_translated_lines(self):
        solution = solve([coach(1, declared={"budget"}, capacity=3)], [project(1)])
        pair = solution.pairs[0]
        explanation = pair.explanation(project(1), coach(1, declared={"budget"}, capacity=3))
        self.assertEqual(explanation["expertise"], "declared")
        self.assertEqual(explanation["capacity_left"], 2)
        self.assertTrue(explanation["same_region"])
        self.assertGreater(explanation["distance_km"], 10)
        self.assertEqual(explanation["cost"], pair.cost)
        self.assertEqual(len(explain_lines(explanation)), 4)


class OptimalityTests(SimpleTestCase):
    def test_cost_equals_brute_force_on_small_random_instances(self):
        for seed in range(120):
            coaches, projects = random_instance(seed)
            with self.subTest(seed=seed):
                # One candidate per project forces the pricing rounds to do the work.
                solution = solve(coaches, projects, candidates=1)
                self.assertEqual((len(solution.pairs), solution.total_cost), brute_force(coaches, projects))
                self.assertEqual(solution.objective, solution.dual_bound)
                for pair in solution.pairs:
                    c = next(c for c in coaches if c.id == pair.coach_id)
                    p = next(p for p in projects if p.id == pair.project_id)
                    self.assertTrue(feasible(c, p))

    def test_exact_never_worse_than_greedy(self):
        for seed in range(30):
            coaches, projects = random_instance(1000 + seed)
            solution = solve(coaches, projects)
            matched, cost = greedy(coaches, projects)
            self.assertGreaterEqual(len(solution.pairs), matched)
            if len(solution.pairs) == matched:
                self.assertLessEqual(solution.total_cost, cost)

    def test_greedy_takes_the_cheapest_coach_left_and_can_miss_the_optimum(self):
        both = coach(1, place=HAT_YAI, confirmed={"budget", "environment"})
        budget_only = coach(2, place=HAT_YAI, declared={"budget"})
        projects = [project(1, theme="budget"), project(2, theme="environment")]
        self.assertEqual(greedy([both, budget_only], projects), (2, 0 + 100))
        solution = solve([both, budget_only], projects)
        self.assertEqual(solution.total_cost, 40)
        self.assertEqual(sorted((p.project_id, p.coach_id) for p in solution.pairs), [(1, 2), (2, 1)])

    def test_larger_instance_is_proved_optimal_and_deterministic(self):
        rng = random.Random(7)
        coaches = [coach(i, place=(rng.uniform(6, 20), rng.uniform(98, 105)), region=rng.choice("NSEC"),
                         capacity=rng.randint(1, 3), confirmed={rng.choice(["a", "b"])}, own={i})
                   for i in range(1, 60)]
        projects = [project(j, lgu=j, place=(rng.uniform(6, 20), rng.uniform(98, 105)),
                            region=rng.choice("NSEC"), theme=rng.choice(["a", "b"])) for j in range(1, 150)]
        first = solve(coaches, projects, candidates=1)
        second = solve(coaches, projects)
        self.assertEqual(first.objective, first.dual_bound)
        self.assertEqual(first.total_cost, second.total_cost)
        self.assertEqual(len(first.pairs), len(second.pairs))
        load = {}
        for pair in first.pairs:
            load[pair.coach_id] = load.get(pair.coach_id, 0) + 1
            self.assertNotEqual(pair.coach_id, pair.project_id)  # own LGU (lgu id == coach id here)
        self.assertTrue(all(load[c.id] <= c.capacity for c in coaches if c.id in load))
