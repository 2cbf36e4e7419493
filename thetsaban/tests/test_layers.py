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
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("thetsaban."):
                    target = inner.module.split(".")[1]
                    if target in apps and target != own:
                        above = lines[max(0, inner.lineno - 3):inner.lineno - 1]
                        yield path.relative_to(PACKAGE.parent), inner.lineno, inner.module, above


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
