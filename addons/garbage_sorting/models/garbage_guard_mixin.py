from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "garbage_sorting.garbage_sorting_group_manager"
# The town's time zone when its company names none (the mechanism is a Chinese town's).
TOWN_TZ = "Asia/Shanghai"


def company_lang_env(env, company=None):
    """`env` in the town's language (its company's), for the text that code stores: record names, activity
    summaries and notes, chatter lines, attachment names. Whoever causes them (an English-speaking admin, a
    scheduled job without a language) the town reads them in its own language. Messages shown to the user
    (errors, notifications) stay in the user's language: use `env` itself for them. The town is `company`, by
    default the current one."""
    return env(context=dict(env.context, lang=(company or env.company).sudo().partner_id.lang or "en_US"))


def town_tz(env, company=None):
    """The town's time zone (its company's, by default the current one), never one a user or a scheduled job
    happens to have."""
    tz = (company or env.company).sudo().garbage_tz
    return pytz.timezone(tz if tz in pytz.all_timezones_set else TOWN_TZ)


def town_today(env, company=None):
    """Today in the town: at 00:30 on the 1st in Shanghai it is already the new month, whatever UTC says."""
    return datetime.now(town_tz(env, company)).date()


class GarbageGuardMixin(models.AbstractModel):
    """Who may change what, declared once per model and applied in `create()` and `write()`.

    A model lists in `_guarded_fields()` the fields that not every user with write access may set,
    each with the groups (xml ids) that may; an empty tuple means nobody but the engine. The engine is
    the superuser environment: an action method checks who may do it, then writes with `sudo()`, so a
    button and a direct RPC write pass the same gate and no context key (which any RPC caller can send)
    opens it. `state` is engine-only on every guarded model: states move through their action methods.
    The form's readonly comes from `guard_readonly_fields`, computed from the same declaration.
    """

    _name = "garbage.guard.mixin"
    _description = "Guarded Fields"
    # what is guarded is also checked: finite numbers in their ranges, dates in the supported calendar
    _inherit = ["garbage.input.mixin"]

    guard_readonly_fields = fields.Json(
        "Fields I May Not Change",
        compute="_compute_guard_readonly_fields",
        help="Technical: the guarded fields the current user may not change (drives the form's readonly).",
    )

    @api.model
    def _guarded_fields(self):
        """{field name: groups (xml ids) that may write it}; () = engine only.

        A record stays in the town (company) it was created in: moving it would carry its history into
        another town's results.
        """
        return {"state": (), "company_id": ()}

    @api.model
    def _guard_creation_fields(self):
        """Guarded fields that whoever may create a record sets when creating it (access rights and record
        rules decide who creates what); afterwards they follow `_guarded_fields()`. The town of a record that
        has its own is chosen at creation (the multi-company rules refuse a town the user is not in); a town
        that follows another record (a related field) is never given: it would be written on that record."""
        company = self._fields.get("company_id")
        return ("company_id",) if company and not company.related else ()

    @api.model
    def _guard_refused_fields(self, field_names):
        """The guarded fields among `field_names` that the current user may not write."""
        if self.env.su:
            return []
        guarded = self._guarded_fields()
        user = self.env.user
        return [
            name
            for name in field_names
            if name in guarded and not (guarded[name] and any(user.has_group(group) for group in guarded[name]))
        ]

    # display_name: in every form, so that a new record's form (whose first onchange recomputes only the
    # fields depending on the form's fields) gets the list too, not an empty value that leaves all editable
    @api.depends("display_name")
    @api.depends_context("uid")
    def _compute_guard_readonly_fields(self):
        refused = self._guard_refused_fields(list(self._guarded_fields()))
        # a new record's creation fields are still to be set by whoever creates it
        on_create = [name for name in refused if name not in self._guard_creation_fields()]
        for record in self:
            record.guard_readonly_fields = refused if record.id else on_create

    @api.model
    def _guard_check_values(self, vals, creating=False):
        """Refuse a write (or a create) that sets a field the user may not set, naming the fields.

        On create a guarded field may be given its default value (a new record starts in its first
        state), an empty value when it has no default, and any value when it is a creation field;
        anything else is the same refusal as on write.
        """
        names = list(vals)
        if creating:
            free = self._guard_creation_fields()
            defaults = self.default_get([name for name in names if name in self._guarded_fields()])
            names = [
                name
                for name in names
                if name not in free and (defaults[name] != vals[name] if name in defaults else vals[name])
            ]
        refused = self._guard_refused_fields(names)
        if refused:
            labels = ", ".join(f"“{self._fields[name]._description_string(self.env)}”" for name in refused)
            raise AccessError(
                self.env._(
                    "You may not change %(fields)s of %(model)s directly: they change only through their "
                    "buttons or by the role in charge of them.",
                    fields=labels,
                    model=self.env["ir.model"].sudo()._get(self._name).name,
                )
            )

    @api.model
    def _company_lang_env(self):
        """This model's environment in the town's language: see `company_lang_env`."""
        return company_lang_env(self.env)

    def _close_activities(self, feedback):
        """The work is done (or withdrawn): mark the automated activities of these records done, with
        `feedback` in the chatter in the town's language, so that nobody carries them late. Returns the records
        that had such an activity."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids), ("automated", "=", True)])
        )
        answered = self.browse(set(activities.mapped("res_id")))
        if activities:
            activities.with_env(company_lang_env(activities.env)).action_feedback(feedback=feedback)
        return answered

    @api.model
    def _is_manager(self):
        """The task force (or the engine): the one check every guard of these addons shares."""
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _without_guarded_defaults(self):
        """The same records, minus the `default_<field>` context keys of the guarded fields the user may not
        set: RPC callers choose their context, and the ORM fills a default in after the guard has looked at
        the values (a new record's state, its source...)."""
        if self.env.su:
            return self
        free = self._guard_creation_fields()
        refused = {name for name in self._guard_refused_fields(list(self._guarded_fields())) if name not in free}
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[len("default_") :] in refused)
        }
        return self if len(context) == len(self.env.context) else self.with_env(self.env(context=context))

    @api.model_create_multi
    def create(self, vals_list):
        records = self._without_guarded_defaults()
        for vals in vals_list:
            records._guard_check_values(vals, creating=True)
        return super(GarbageGuardMixin, records).create(vals_list)

    def write(self, vals):
        self._guard_check_values(vals)
        return super().write(vals)
