"""Propose coaches for the active transfer projects that have none (optionally store the run)."""

import json

from django.core.management.base import BaseCommand, CommandError

from thetsaban.accounts.models import User
from thetsaban.coaching import matching_services as services


class Command(BaseCommand):
    help = ("Solve the coach matching exactly and print the proposals and the total cost. "
            "Nothing is stored unless --save is given.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--save", action="store_true",
                            help="store the run and its proposals for staff to decide on")
        parser.add_argument("--user", help="username of the staff member the saved run is credited to")

    def handle(self, *args, **options):
        acting_user = None
        if options["user"]:
            acting_user = User.objects.filter(username=options["user"]).first()
            if acting_user is None:
                raise CommandError(f"No user named {options['user']!r}.")
            if not services.may_match(acting_user):
                raise CommandError(f"{options['user']!r} is not league staff.")
        run = None
        if options["save"]:
            run, solution, data = services.run_matching(acting_user=acting_user, with_solution=True)
        else:
            solution, data = services.propose()
        explanations = services.explanation_for(solution, data)
        proposals = []
        for pair in solution.pairs:
            project = data.project_records[pair.project_id]
            coach = data.coach_records[pair.coach_id]
            proposals.append({
                "project_id": project.pk, "project": project.title, "lgu": project.target_lgu.name,
                "coach_id": coach.pk, "coach": coach.person.name, "cost": pair.cost,
                "explanation": explanations[pair.project_id],
            })
        result = {
            "run_id": run.pk if run else None,
            "total_cost": solution.total_cost,
            "projects": len(data.projects),
            "matched": len(solution.pairs),
            "unmatched": len(solution.unmatched),
            "unmatched_projects": solution.unmatched,
            "coaches_with_places": len(data.coaches),
            "solve_ms": round(solution.solve_seconds * 1000),
            "proved_optimal": solution.objective == solution.dual_bound,
            "proposals": proposals,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        width = max([len(p["project"]) for p in proposals] + [7])
        self.stdout.write(f"{'project':<{width}}  {'coach':<30}  cost  km      theme expertise")
        for p in proposals:
            e = p["explanation"]
            km = "-" if e["distance_km"] is None else f"{e['distance_km']:.0f}"
            self.stdout.write(f"{p['project']:<{width}}  {p['coach'][:30]:<30}  {p['cost']:>4}  {km:>6}  "
                              f"{e['expertise']}{'' if e['same_region'] else ' (other region)'}")
        self.stdout.write(f"\n{result['matched']} of {result['projects']} projects matched, "
                          f"{result['unmatched']} unmatched; total cost {result['total_cost']} "
                          f"(proved optimal: {result['proved_optimal']}); solved in {result['solve_ms']} ms")
        if run:
            self.stdout.write(f"Saved as run {run.pk}.")
