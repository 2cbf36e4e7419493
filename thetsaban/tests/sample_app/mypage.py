from thetsaban.tests.sample_app.models import Note


def section(user) -> dict:
    return {"notes": Note.objects.restrict(user, "view").count()}


def lgu_section(lgu, user) -> dict:
    """The sample's section of an LGU's page: the notes naming the LGU (none: no section)."""
    notes = Note.objects.restrict(user, "view").filter(title__contains=lgu.name_th).count()
    return {"notes": notes} if notes else {}
