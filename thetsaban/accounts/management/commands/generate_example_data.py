import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from thetsaban import hooks


class Stages:
    """Progress bars for a generator: `progress(n)` advances the first bar; `progress(n, stage)`
    a bar of its own for a later stage (indexing, roll-ups ...), so no stage runs silently."""

    def __init__(self, label: str, total: int, *, disabled: bool, file):
        self.label, self.total, self.disabled, self.file = label, total, disabled, file
        self.bars: dict[str | None, tqdm] = {}

    def __call__(self, n: int, stage: str | None = None) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            for earlier in self.bars.values():
                earlier.close()  # a stage ends where the next begins: its bar shows its last count
            description = self.label if stage is None else f"{self.label}: {stage}"
            bar = self.bars[stage] = tqdm(total=self.total, desc=description, disable=self.disabled,
                                          file=self.file)
        bar.update(n)

    def __enter__(self):
        self(0)
        return self

    def __exit__(self, *exc_info):
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = ("Create example data for load tests and benchmarks, marked as example data. Each app adds its "
            "own option (--practices N, --observations N, --requests N, ...); several may be given at once.")

    def add_arguments(self, parser):
        # Each app declares what it makes in its AppConfig (example_data); none is named here.
        seen = set()
        for example in hooks.example_data():
            parser.add_argument(f"--{example.option}", type=int, default=None,
                                help=_("How many %(label)s to create.") % {"label": example.label})
            for name, help_text in example.options:
                if name not in seen:
                    seen.add(name)
                    parser.add_argument(f"--{name}", type=int, default=None, help=help_text)
        parser.add_argument("--lgus", type=int, default=None,
                            help=_("How many example LGUs to spread them over (each app has its default)."))
        parser.add_argument("--seed", type=int, default=1, help=_("Random seed: the same seed gives the same data."))

    def handle(self, *args, **options):
        chosen = [example for example in hooks.example_data() if options.get(example.option) is not None]
        if not chosen:
            raise CommandError(_("Say what to create: %(options)s.") % {
                "options": ", ".join(f"--{example.option} N" for example in hooks.example_data())})
        for example in chosen:
            if options[example.option] < 1:
                raise CommandError(_("--%(option)s must be at least 1.") % {"option": example.option})
        for name in ["lgus", *(name for example in chosen for name, _help in example.options)]:
            if options.get(name) is not None and options[name] < 1:
                raise CommandError(_("--%(option)s must be at least 1.") % {"option": name})
        for example in chosen:
            count = options[example.option]
            extra = {name: options[name] for name, _help in example.options if options.get(name) is not None}
            started = time.monotonic()
            with Stages(str(example.label), count, disabled=options["verbosity"] == 0,
                        file=self.stderr._out) as progress:
                try:
                    made = example.generator()(count, lgus=options["lgus"], seed=options["seed"],
                                               progress=progress, **extra)
                except ValueError as error:
                    raise CommandError(str(error)) from None
            self.stdout.write(self.style.SUCCESS(_("%(count)s example %(label)s created in %(seconds).1f s.") % {
                "count": made, "label": example.label, "seconds": time.monotonic() - started}))
