"""The declared architecture holds: the import-linter contracts in .importlinter pass, and every
import of another app hidden inside a function says why it is there."""

import ast
import contextlib
import io
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from thetsaban import hooks

PACKAGE = Path(settings.BASE_DIR) / "thetsaban"


def function_level_imports():
    """(file, line, imported module, the lines above it) of every import of another app made
    inside a function, tests and migrations aside."""
    apps = {config.name.rpartition(".")[2] for config in hooks.thetsaban_apps()
            if config.name.startswith("thetsaban.")}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if {"tests", "migrations", "browser_tests"} & set(parts):
            continue
        own = parts[0] if parts[0] in apps else None
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                for module in imported_modules(inner):
                    target = module.split(".")[1]
                    if target in apps and target != own:
                        above = lines[max(0, inner.lineno - 3):inner.lineno - 1]
                        yield path.relative_to(PACKAGE.parent), inner.lineno, module, above


def imported_modules(node) -> list[str]:
    """The thetsaban modules an import statement names: `from thetsaban.x import y`,
    `from thetsaban import x` and `import thetsaban.x` alike."""
    if isinstance(node, ast.ImportFrom) and not node.level:
        if node.module == "thetsaban":
            return [f"thetsaban.{alias.name}" for alias in node.names]
        if (node.module or "").startswith("thetsaban."):
            return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("thetsaban.")]
    return []


def contract_lines() -> list[str]:
    return (Path(settings.BASE_DIR) / ".importlinter").read_text(encoding="utf-8").splitlines()


def layer_modules() -> list[str]:
    """Every module named in the layers contract, top layer first."""
    lines, modules, inside = contract_lines(), [], False
    for line in lines:
        if line.strip() == "layers =":
            inside = True
        elif inside and line.startswith("    ") and not line.strip().startswith("#"):
            modules += [name.strip() for name in line.replace("|", ":").split(":")]
        elif inside:
            break
    return modules


class LayerTests(SimpleTestCase):
    def test_the_import_contracts_are_kept(self):
        from importlinter import cli

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cli.lint_imports(config_filename=str(Path(settings.BASE_DIR) / ".importlinter"))
        self.assertEqual(code, 0, out.getvalue()[-3000:])

    def test_every_import_of_another_app_inside_a_function_says_why(self):
        found = list(function_level_imports())
        for path, line, module, above in found:
            with self.subTest(file=str(path), line=line, module=module):
                self.assertTrue(any(text.strip().startswith("#") for text in above),
                                "import it at the top of the module, or say in a comment why not")
        # The few left are upward imports the contract lists, or an optional app.
        self.assertLessEqual(len(found), 10)

    def test_every_ignored_import_says_why(self):
        lines = contract_lines()
        for number, line in enumerate(lines):
            if "->" in line and not line.strip().startswith("#"):
                with self.subTest(line=line.strip()):
                    self.assertTrue(lines[number - 1].strip().startswith("#"),
                                    "put a comment saying why on the line above")

    def test_the_import_finder_sees_every_form_of_import(self):
        tree = ast.parse("from thetsaban import practices\nimport thetsaban.places.models\n"
                         "from thetsaban.policy.services import x\nfrom . import y\nimport os\n")
        found = [module for node in tree.body for module in imported_modules(node)]
        self.assertEqual(found, ["thetsaban.practices", "thetsaban.places.models", "thetsaban.policy.services"])

    def test_every_module_of_the_package_is_in_a_layer_or_composes_the_platform(self):
        composing = {"settings", "urls", "views", "observability", "testing", "tests", "browser_tests",
                     "wsgi", "static", "templates", "locale", "__init__"}
        layered = {module.split(".")[1] for module in layer_modules()}
        for path in sorted(PACKAGE.iterdir()):
            name = path.stem if path.suffix == ".py" else path.name
            if name.startswith((".", "__pycache__")) or not (path.suffix == ".py" or path.is_dir()):
                continue
            with self.subTest(module=name):
                self.assertTrue(name in layered or name in composing,
                                "add it to its layer in .importlinter (and docs/architecture.md)")

    def test_the_architecture_document_shows_every_layer_and_app(self):
        document = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text(encoding="utf-8")
        diagram = document.split("## Layers", 1)[1].split("```")[1]
        for module in layer_modules():
            with self.subTest(layer_module=module):
                self.assertRegex(diagram, rf"\b{module.split('.')[1]}\b")
        apps_table = document.split("## Apps", 1)[1].split("\n## ", 1)[0]
        for name in settings.INSTALLED_APPS:
            if name.startswith("thetsaban.") and ".tests." not in name:
                with self.subTest(app=name):
                    self.assertIn(f"| `{name.split('.')[1]}` |", apps_table)
