from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import is_public


def note_document(note):
    if not is_public(note):
        return None
    return {"title": note.title, "body": note.title, "url": note.get_absolute_url()}


# 99: far from the platform's own kinds' stored numbers.
INDEXES = [SearchIndex("note", 99, "Note", "sample_app.Note", note_document)]
