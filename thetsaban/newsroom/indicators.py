"""The indicators a joint undertaking shares: each partner LGU's approved value, side by side,
for the indicator's latest period with an approved figure of any of the partners."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from thetsaban.localdata import charts, periods, rollups
from thetsaban.localdata.choices import AreaLevel
from thetsaban.localdata.models import Indicator, Observation


@dataclass
class SharedIndicator:
    indicator: Indicator
    period: str = ""
    values: list = field(default_factory=list)  # RolledUp per LGU, in the order of the LGUs
    chart: dict | None = None

    @property
    def number_format(self) -> str:
        """The floatformat argument: the indicator's decimals, thousands grouped."""
        return f"{self.indicator.decimals}g"


def _latest_period(indicator: Indicator, lgu_ids) -> periods.Period | None:
    parts = [indicator.numerator, indicator.denominator] if indicator.is_calculated else [indicator]
    # Approved figures only: they are public; drafts and submissions never show here.
    last = (Observation.objects.approved().filter(indicator__in=parts, lgu_id__in=lgu_ids, category="",
                                                  period_type=indicator.period_type)
            .order_by("-period_start").values_list("period", flat=True).first())
    return periods.parse(last) if last else None


def shared_values(indicators, lgus) -> list[SharedIndicator]:
    """One row per indicator: the value of each LGU (None when it has no approved figure)."""
    lgus = list(lgus)
    thai = get_language() != "en"
    rows = []
    for indicator in indicators:
        row = SharedIndicator(indicator)
        period = _latest_period(indicator, [lgu.pk for lgu in lgus])
        if period is not None:
            row.period = period.label(thai)
            for lgu in lgus:
                value = rollups.value_for(indicator, period, AreaLevel.LGU, lgu.pk)
                value.name, value.url = lgu.name, lgu.get_absolute_url()
                row.values.append(value)
            if any(value.value is not None for value in row.values):
                row.chart = charts.bars(row.values)
        rows.append(row)
    return rows
