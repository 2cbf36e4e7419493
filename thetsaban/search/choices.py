"""The kinds of record in the index, as choices (declared by the apps, see documents.indexes)."""

from thetsaban.search.documents import kind_choices

# Read once the app configurations are loaded (the models module imports this one).
DocumentKind = kind_choices()
KIND_VALUES = [kind for kind, _label in DocumentKind]
