#!/usr/bin/env python
"""Django's command-line utility for Thetsaban."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thetsaban.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Django would swallow a refused setting (a weak SECRET_KEY, a wrong boolean) and go on
    # with empty settings; say what is wrong and stop instead.
    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings module)
    except ImproperlyConfigured as error:
        sys.exit(f"Settings refused: {error}")
    execute_from_command_line(sys.argv)
