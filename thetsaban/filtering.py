"""The filters every app's FilterSets are built from: an integer or an id that the database
cannot hold is a 400 naming the filter, never an overflow in the database driver (SQLite's);
and the stable order every paginated list ends with."""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.widgets import BooleanWidget


def integer_range() -> tuple[int, int]:
    """The smallest and largest integer the database stores (its widest integer column)."""
    return connection.ops.integer_field_range("BigIntegerField")


def in_integer_range(value) -> bool:
    """Whether `value` is a whole number the database can compare with its integer columns."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    low, high = integer_range()
    return low <= number <= high


class BoundedIntegerField(forms.IntegerField):
    """A whole number, within the bounds given and always within the database's range."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        low, high = integer_range()
        min_value = low if min_value is None else max(min_value, low)
        max_value = high if max_value is None else min(max_value, high)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class AnyBooleanWidget(BooleanWidget):
    """Any / Yes / No: an unset yes-or-no filter reads "Any" (not "Unknown") in page forms."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year …) the database can hold; anything else is a 400."""

    field_class = BoundedIntegerField


def _keyed_by_integer(field) -> bool:
    key = field.queryset.model._meta.pk if not field.to_field_name else (
        field.queryset.model._meta.get_field(field.to_field_name))
    return isinstance(key, (models.IntegerField, models.AutoField))


class BoundedModelChoiceField(filter_fields.ModelChoiceField):
    """A row chosen by its id: an id out of the database's range is "not one of the choices"."""

    def to_python(self, value):
        if value not in self.empty_values and _keyed_by_integer(self) and not in_integer_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter with ids bounded by the database's range."""

    field_class = BoundedModelChoiceField


@models.IntegerField.register_lookup
class IntegerFieldIn(models.lookups.In):
    """`field__in=[…]` on integer columns (ids included) leaves out numbers the database cannot
    hold: they match no row, as Django's own exact and range lookups already treat them, instead
    of an overflow in SQLite's driver (a form's multiple choice with a huge id, for example)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def stable_order(queryset):
    """`queryset` with its primary key as the last sort key, so that pages partition a list.

    Records that sort equal (two organisations with the same name, two proposals made in the
    same second, every match of a search with the same score) would otherwise come back in
    whatever order the database finds them, which may differ between the queries of page 1 and
    page 2: a record could be shown twice and another never. Every paginator of the site and the
    API passes its list through here. Lists of values, unions and already-keyed orderings pass
    unchanged.
    """
    if not isinstance(queryset, models.QuerySet) or queryset._fields is not None:
        return queryset
    query = queryset.query
    if query.combinator:
        return queryset
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    # Django leaves the model's default ordering out of a grouped query (one annotated with
    # counts): spelled out, it applies there too.
    keyed = queryset.order_by(*ordering) if query.group_by is not None and not query.order_by else queryset
    meta = queryset.model._meta
    last = ordering[-1] if ordering else None
    if isinstance(last, str):
        name = last.lstrip("-")
        if name == "pk" or name == meta.pk.name or name == meta.pk.attname:
            return keyed
        if "__" not in name:
            try:
                if meta.get_field(name).unique:
                    return keyed
            except FieldDoesNotExist:  # an annotation or an alias
                pass
    return queryset.order_by(*ordering, "pk")


class StablePaginator(Paginator):
    """Django's paginator over a list made stable by `stable_order`."""

    def __init__(self, object_list, *args, **kwargs):
        super().__init__(stable_order(object_list), *args, **kwargs)
