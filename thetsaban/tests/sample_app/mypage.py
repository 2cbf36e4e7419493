from thetsaban.tests.sample_app.models import Note


def section(user) -> dict:
    return {"notes": Note.objects.restrict(user, "view").count()}
