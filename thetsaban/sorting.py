"""Sortable columns of list pages: `?sort=<column>` or `?sort=-<column>` (descending).

Only the columns a page declares can be sorted on (a whitelist of column names, each mapped to
the fields it orders by); any other value leaves the page's own order. The column headers say
which column is sorted and which way with `aria-sort` (see the `sort_header` template tag).
"""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When


def _descending(name: str) -> str:
    return name[1:] if name.startswith("-") else "-" + name


def rank_of(field_name: str, values) -> Case:
    """An expression ordering `field_name` in the order of `values` (a choices' own order)."""
    values = list(values)
    return Case(*[When(**{field_name: value}, then=Value(i)) for i, value in enumerate(values)],
                default=Value(len(values)), output_field=IntegerField())


@dataclass(frozen=True)
class Sorting:
    """The column a list is sorted by, read from the request against the page's whitelist."""

    columns: dict = field(repr=False)
    column: str = ""  # "" while the page shows its own default order
    descending: bool = False

    @classmethod
    def from_request(cls, request, columns: dict) -> "Sorting":
        """`columns` maps each sortable column name to the order_by() terms it sorts by."""
        raw = (request.GET.get("sort") or "").strip()
        column = raw.removeprefix("-")
        if column not in columns:
            return cls(columns)
        return cls(columns, column, raw.startswith("-"))

    def order(self, queryset):
        """The queryset in the chosen column's order, or unchanged when none is chosen."""
        if not self.column:
            return queryset
        terms = self.columns[self.column]
        if self.descending:
            terms = [_descending(t) if isinstance(t, str) else t.desc() for t in terms]
        return queryset.order_by(*terms)

    def aria_sort(self, column: str) -> str:
        """"ascending" or "descending" for the sorted column, "" for the others."""
        if column != self.column:
            return ""
        return "descending" if self.descending else "ascending"

    def next_value(self, column: str) -> str:
        """The `sort` value a click on this column's header asks for: a sorted column flips."""
        if column == self.column and not self.descending:
            return "-" + column
        return column
