from thetsaban.tests.sample_app.models import Note


def load() -> int:
    """The demo note, once."""
    _note, created = Note.objects.get_or_create(title="บันทึกตัวอย่าง")
    return int(created)
