from thetsaban.tests.sample_app.models import Note


def load() -> int:
    """The demo note, once."""
    _note, created = Note.objects.get_or_create(title="บันทึกตัวอย่าง")
    return int(created)


def generate(count, *, lgus=None, seed=1, progress=None, **options) -> int:
    """`generate_example_data --notes N`: N notes marked as example data."""
    from thetsaban.hooks import EXAMPLE_MARK

    Note.objects.bulk_create(Note(title=f"{EXAMPLE_MARK} {number}") for number in range(count))
    if progress:
        progress(count)
    return count
