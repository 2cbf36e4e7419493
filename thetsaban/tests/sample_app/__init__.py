"""A throw-away app installed only in test runs: it shows that an app plugs in through its AppConfig alone.

It touches nothing outside this folder but `INSTALLED_APPS` (settings.py adds it when testing);
`thetsaban/tests/test_app_hooks.py` checks that it appears in the pages, the API, search, the demo
and the navigation. Keep it as small as the checklist in docs/architecture.md.
"""
