"""Bad input refused with a clear, translated message before anything is stored.

Over the web client, XML-RPC or JSON-RPC a user can send any number (NaN, ±infinity, 1e309, "nan") and any
date (year 9999, "31/12/2024"). Left to the ORM, the first ones fail with a server error while it converts
or rounds them (`int()`, `float_round`), or are stored and break what is computed from them later; a date at
the calendar's edge fails as soon as a period's end, the month after it or a deadline is computed from it.
Everything here refuses them with a `ValidationError` naming the field, in the user's language.
"""

import math
from datetime import date
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The dates the town's records may carry: from the founding year of the People's Republic (the party's annual
# reviews start there) to the year before Python's last one, so that the day, the month or the year after any
# supported date (a period's end, the next month, a deadline, the year after a review) still exists.
MIN_YEAR, MAX_YEAR = 1949, 9998
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
# What a PostgreSQL integer column holds.
MIN_INTEGER, MAX_INTEGER = -(2**31), 2**31 - 1
# No figure of the mechanism comes near it; beyond it the ORM's rounding of a float with digits overflows.
MAX_MAGNITUDE = 1e12
# A check of a checklist is scored out of at most this many points (an inspection's score is a percentage).
MAX_CHECK_POINTS = 100


def _label(env, model, name):
    field = model._fields.get(name)
    return field._description_string(env) if field else name


def as_number(value):
    """`value` (a number or a numeric text, as RPC sends them) as a float, or None when it is no number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        return None


def check_number(env, value, label, low=None, high=None, low_open=False):
    """`value` as a finite float within [low, high] (]low, high] when `low_open`), or a ValidationError naming
    `label` and the bounds. NaN is refused explicitly: every comparison with it is false."""
    number = as_number(value)
    if number is None or not math.isfinite(number):
        raise ValidationError(env._("%(field)s must be a finite number.", field=label))
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and number > high
    if below or above:
        if low is None:
            raise ValidationError(env._("%(field)s must be at most %(max)s.", field=label, max=high))
        if high is None:
            raise ValidationError(env._("%(field)s must be at least %(min)s.", field=label, min=low))
        if low_open:
            raise ValidationError(
                env._("%(field)s must be more than %(min)s and at most %(max)s.", field=label, min=low, max=high)
            )
        raise ValidationError(env._("%(field)s must be between %(min)s and %(max)s.", field=label, min=low, max=high))
    return number


def check_date(env, value, label):
    """`value` (a date, a datetime or its text) as a date within the supported calendar, or a ValidationError."""
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError, OverflowError):
        day = None
    if not day:
        raise ValidationError(env._("%(field)s must be a date written YYYY-MM-DD.", field=label))
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            env._("%(field)s must be a date from %(min)s to %(max)s.", field=label, min=MIN_DATE, max=MAX_DATE)
        )
    return day


def _encodable(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(env, value, label):
    """`value` as text PostgreSQL can store: no NUL character, no lone surrogate (JSON can carry both), which
    would otherwise fail in the database driver with a server error."""
    if "\x00" in value or not _encodable(value):
        raise ValidationError(env._("%(field)s contains characters that cannot be stored.", field=label))
    return value


def check_web_url(env, value, label):
    """`value` as a link users may open: an http(s) address with a host. Any other scheme (`javascript:`,
    `data:`, `file:`) would run or open something else when clicked in the form or the review."""
    if not isinstance(value, str) or any(char.isspace() or not char.isprintable() for char in value):
        parts = None
    else:
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
    if not parts or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(env._("%(field)s must be a web address starting with http:// or https://.", field=label))
    return value


def _check_number_value(model, name, value):
    env, field = model.env, model._fields[name]
    number = as_number(value)
    if number is None or not math.isfinite(number):
        check_number(env, value, _label(env, model, name))  # raises, naming the field
    if field.type == "integer":
        if isinstance(value, str) and not value.strip().lstrip("+-").isdigit():
            # the ORM's int() takes "12", not "12.5" nor "1e3"
            raise ValidationError(env._("%(field)s must be a whole number.", field=_label(env, model, name)))
        if not MIN_INTEGER <= number <= MAX_INTEGER:
            check_number(env, number, _label(env, model, name), MIN_INTEGER, MAX_INTEGER)
    elif abs(number) > MAX_MAGNITUDE:
        check_number(env, number, _label(env, model, name), -MAX_MAGNITUDE, MAX_MAGNITUDE)


def _check_date_value(model, name, value):
    env, field = model.env, model._fields[name]
    try:
        # a datetime's text must also be a valid time of that day
        moment = fields.Datetime.to_datetime(value) if field.type == "datetime" and isinstance(value, str) else value
        day = fields.Date.to_date(moment)
    except (TypeError, ValueError, OverflowError):
        day = None
    if not day:
        raise ValidationError(env._("%(field)s must be a date written YYYY-MM-DD.", field=_label(env, model, name)))
    if not MIN_DATE <= day <= MAX_DATE:
        check_date(env, day, _label(env, model, name))  # raises, naming the field


def check_input_values(model, vals):
    """Refuse, before the ORM converts them, the values of `vals` for `model` that it would fail on or store as
    nonsense: numbers that are not finite (or no number at all, or beyond any figure of the town), integers a
    column cannot hold, dates that are no date or lie outside the supported calendar, text with characters the
    database cannot store. An empty value is left alone (the field's own rules decide whether it is required)."""
    for name, value in vals.items():
        field = model._fields.get(name)
        if field is None or value is None or value is False:
            continue
        if field.type in ("float", "monetary", "integer"):
            _check_number_value(model, name, value)
        elif field.type in ("date", "datetime"):
            _check_date_value(model, name, value)
    check_text_values(model, vals)


def check_text_values(model, vals):
    """Refuse the texts of `vals` for `model` that PostgreSQL cannot store (see `check_text`), naming the field.
    For the models that take no `garbage.input.mixin` (the core's partners and meetings): their numbers and
    dates are the core's to check, but no text of theirs may fail in the database driver either."""
    for name, value in vals.items():
        field = model._fields.get(name)
        if (
            field is not None
            and field.type in ("char", "text", "html")
            and isinstance(value, str)
            and ("\x00" in value or (not value.isprintable() and not _encodable(value)))
        ):
            check_text(model.env, value, _label(model.env, model, name))  # raises, naming the field


def context_defaults(model, vals):
    """The `default_<field>` values of the context that `create` would add to `vals`: RPC callers choose
    their context, so a default is input like any value."""
    return {
        key[len("default_") :]: value
        for key, value in model.env.context.items()
        if key.startswith("default_") and key[len("default_") :] in model._fields and key[len("default_") :] not in vals
    }


class GarbageInputMixin(models.AbstractModel):
    """Numbers and dates checked on the way in, for every role (the task force, the administrator and the
    engine included: nobody has a use for NaN or for the year 9999).

    - `create()` and `write()` refuse what the ORM could not convert or round, and dates outside the supported
      calendar (`check_input_values`), before anything is stored or computed from them;
    - a model declares in `_input_ranges()` the range of each number users write; `_check_input_ranges` (a
      constraint, so it sees the stored values whatever path set them) and `create()`/`write()` (before an SQL
      CHECK or a computation could fail on them) refuse a number out of it.
    """

    _name = "garbage.input.mixin"
    _description = "Checked Numbers and Dates"

    @api.model
    def _input_ranges(self):
        """{field name: (lowest, highest, lowest excluded)} of the numbers users write."""
        return {}

    @api.model
    def _check_input_range_values(self, vals):
        for name, (low, high, low_open) in self._input_ranges().items():
            if name in vals and vals[name] is not None and vals[name] is not False:
                check_number(self.env, vals[name], _label(self.env, self, name), low, high, low_open)

    @api.constrains(lambda self: list(self._input_ranges()))
    def _check_input_ranges(self):
        ranges = self._input_ranges()
        for record in self:
            self._check_input_range_values({name: record[name] for name in ranges})

    @api.model
    def _check_input(self, vals, creating=False):
        if creating:
            vals = {**context_defaults(self, vals), **vals}
        check_input_values(self, vals)
        self._check_input_range_values(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_input(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input(vals)
        return super().write(vals)
