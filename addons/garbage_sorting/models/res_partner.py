import base64
import re
import secrets
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .file_names import file_name_part
from .garbage_guard_mixin import company_lang_env, town_today
from .garbage_input_mixin import check_text_values, context_defaults

COORDINATOR_GROUP = "garbage_sorting.garbage_sorting_group_coordinator"
# Who is a volunteer, of which kind and for which units: the coordinators' call (only volunteers get hours).
VOLUNTEER_PARTNER_FIELDS = ("is_volunteer", "volunteer_category", "volunteer_unit_ids")

# An invitation link opens the first-login page for a week, once; a mainland mobile number is the login.
INVITATION_DAYS = 7
INVITATION_ROUTE = "/volunteer/welcome"
MIN_PASSWORD_LENGTH = 8
MOBILE_PATTERN = re.compile(r"1[3-9][0-9]{9}")

VOLUNTEER_CATEGORIES = [
    ("retired_cadre", "Retired Cadre"),
    ("teacher", "Teacher"),
    ("veteran", "Veteran"),
    ("retired_party_member", "Retired Party Member"),
    ("grid_worker", "Grid Worker"),
    ("party_member", "In-service Party Member"),
    ("volunteer", "Volunteer"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_volunteer = fields.Boolean("Volunteer", index=True)
    volunteer_category = fields.Selection(VOLUNTEER_CATEGORIES, index=True)
    volunteer_unit_ids = fields.Many2many(
        "garbage.unit",
        "garbage_unit_volunteer_rel",
        "partner_id",
        "unit_id",
        string="Served Units",
        help="Responsible units this volunteer serves (bin-side supervision, overdue-time correction).",
    )
    volunteer_hour_ids = fields.One2many("garbage.volunteer.hour", "partner_id", string="Volunteer Hours")
    volunteer_hours_approved = fields.Float(
        "Approved Hours", compute="_compute_volunteer_hours", digits=(16, 1), compute_sudo=True
    )
    volunteer_hours_year = fields.Float(
        "Approved Hours This Year", compute="_compute_volunteer_hours", digits=(16, 1), compute_sudo=True
    )

    volunteer_duty_count = fields.Integer(
        "Duties",
        compute="_compute_volunteer_duty_count",
        groups="garbage_sorting.garbage_sorting_group_coordinator,garbage_sorting.garbage_sorting_group_liaison,"
        "garbage_sorting.garbage_sorting_group_leader",
    )

    volunteer_access = fields.Selection(
        [("none", "No Login"), ("invited", "Invited"), ("active", "Active")],
        "Portal Access",
        compute="_compute_volunteer_access",
        compute_sudo=True,
        help="No login yet; invited (the invitation link was not used yet); active (the volunteer set a password).",
    )
    # The first-login link of a pending invitation: coordinators show it again as a QR code; cleared once used.
    volunteer_invite_token = fields.Char(copy=False, groups=COORDINATOR_GROUP)
    volunteer_invite_expiry = fields.Datetime("Invitation Valid Until", copy=False, groups=COORDINATOR_GROUP)
    volunteer_invite_url = fields.Char(
        "Invitation Link", compute="_compute_volunteer_invite_url", groups=COORDINATOR_GROUP
    )
    volunteer_invite_qr = fields.Binary(
        "Invitation QR Code", compute="_compute_volunteer_invite_url", groups=COORDINATOR_GROUP
    )

    volunteer_editable = fields.Boolean(
        compute="_compute_volunteer_editable",
        help="Technical: whether the current user may change who is a volunteer (drives the form's readonly).",
    )

    @api.depends_context("uid")
    def _compute_volunteer_editable(self):
        editable = self._may_edit_volunteer()
        for partner in self:
            partner.volunteer_editable = editable

    def _garbage_file_name_part(self):
        """The volunteer's name as the certificate's file name holds it: cut short, see `file_names`."""
        self.ensure_one()
        return file_name_part(self.name)

    @api.model
    def _may_edit_volunteer(self):
        return self.env.su or self.env.user.has_group(COORDINATOR_GROUP)

    @api.model
    def _guarded_invitation_fields(self):
        return {"volunteer_invite_token", "volunteer_invite_expiry"}

    def _check_volunteer_values(self, vals_list):
        if self._may_edit_volunteer():
            return
        for vals in vals_list:
            if any(vals.get(name) for name in VOLUNTEER_PARTNER_FIELDS):
                raise AccessError(
                    self.env._("Only a volunteer coordinator decides who is a volunteer and for which units.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a volunteer's or a unit partner's name with a NUL: a clear error, not a server error
            check_text_values(self, {**context_defaults(self, vals), **vals})
        if not self.env.su and any(self._guarded_invitation_fields() & set(vals) for vals in vals_list):
            raise AccessError(self.env._("Invitations are only made by the Invite button."))
        records = self
        if not self.env.su:
            # Nor can a context default bring an invitation of the caller's choosing.
            guarded = {f"default_{name}" for name in self._guarded_invitation_fields()}
            if guarded & set(self.env.context):
                records = self.with_context(**dict.fromkeys(guarded & set(self.env.context), False))
        if not self._may_edit_volunteer():
            # A context default is chosen by the caller: it must not make a volunteer either.
            defaults = {f"default_{name}" for name in VOLUNTEER_PARTNER_FIELDS}
            context = {key: value for key, value in records.env.context.items() if key not in defaults}
            records = records.with_env(records.env(context=context))
        records._check_volunteer_values(vals_list)
        for vals in vals_list:
            # a volunteer serves one town: the other towns do not see them (core's partner rule by company)
            if vals.get("is_volunteer", records.env.context.get("default_is_volunteer")) and "company_id" not in vals:
                vals["company_id"] = records.env.company.id
        return super(ResPartner, records).create(vals_list)

    def write(self, vals):
        check_text_values(self, vals)
        if not self.env.su and self._guarded_invitation_fields() & set(vals):
            raise AccessError(self.env._("Invitations are only made by the Invite button."))
        if any(name in vals for name in VOLUNTEER_PARTNER_FIELDS):
            changed = {
                name: value
                for name, value in vals.items()
                if name in VOLUNTEER_PARTNER_FIELDS
                and (name == "volunteer_unit_ids" or any(partner[name] != value for partner in self))
            }
            self._check_volunteer_values([{name: True for name in changed}])
        return super().write(vals)

    def _compute_volunteer_hours(self):
        Hour = self.env["garbage.volunteer.hour"]
        domain = [("partner_id", "in", self.ids), ("state", "=", "approved")]
        totals = dict(Hour._read_group(domain, ["partner_id"], ["hours:sum"]))
        year_start = town_today(self.env).replace(month=1, day=1)
        year = dict(Hour._read_group(domain + [("date", ">=", year_start)], ["partner_id"], ["hours:sum"]))
        for partner in self:
            partner.volunteer_hours_approved = totals.get(partner._origin, 0.0)
            partner.volunteer_hours_year = year.get(partner._origin, 0.0)

    def _compute_volunteer_duty_count(self):
        counts = dict(
            self.env["garbage.volunteer.duty"]._read_group(
                [("volunteer_ids", "in", self.ids), ("state", "!=", "cancelled")], ["volunteer_ids"], ["__count"]
            )
        )
        for partner in self:
            partner.volunteer_duty_count = counts.get(partner._origin, 0)

    @api.onchange("is_volunteer")
    def _onchange_is_volunteer(self):
        if self.is_volunteer and not self.volunteer_category:
            self.volunteer_category = "volunteer"

    # Logins by mobile number

    def _compute_volunteer_access(self):
        for partner in self:
            users = partner.with_context(active_test=False).user_ids.filtered("active")
            if not users:
                partner.volunteer_access = "none"
            elif partner.volunteer_invite_token and not any(users.mapped("login_date")):
                partner.volunteer_access = "invited"
            else:
                partner.volunteer_access = "active"

    @api.depends("volunteer_invite_token")
    def _compute_volunteer_invite_url(self):
        report = self.env["ir.actions.report"]
        for partner in self:
            url = (
                f"{partner.get_base_url()}{INVITATION_ROUTE}/{partner.volunteer_invite_token}"
                if partner.volunteer_invite_token
                else False
            )
            partner.volunteer_invite_url = url
            partner.volunteer_invite_qr = (
                base64.b64encode(report.barcode("QR", url, width=240, height=240)) if url else False
            )

    @api.model
    def _normalized_mobile(self, number):
        """The mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped), or None."""
        digits = re.sub(r"[^0-9]", "", number or "")
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return digits if MOBILE_PATTERN.fullmatch(digits) else None

    def action_volunteer_invite_mobile(self):
        """Give volunteers a portal login: their mobile number, and a one-time link (shown as a QR code) where
        they set their password. No e-mail is needed. Coordinators only; inviting again renews the link."""
        if not self._may_edit_volunteer():
            raise AccessError(self.env._("Only a volunteer coordinator invites volunteers to the portal."))
        self.check_access("write")
        portal_group = self.env.ref("base.group_portal")
        Users = self.env["res.users"].sudo().with_context(active_test=False, no_reset_password=True)
        expiry = fields.Datetime.now() + timedelta(days=INVITATION_DAYS)
        for partner in self:
            if not partner.is_volunteer:
                raise UserError(self.env._("Only volunteers can be invited to the volunteer portal."))
            login = self._normalized_mobile(partner.mobile or partner.phone)
            if not login:
                raise UserError(
                    self.env._(
                        "%(name)s has no mobile number (11 digits, e.g. 13905707919): enter it first.",
                        name=partner.name,
                    )
                )
            user = partner.with_context(active_test=False).user_ids[:1]
            if user and not user.share:
                raise UserError(self.env._("%(name)s already has a back-office login.", name=partner.name))
            if Users.search_count([("login", "=", login), ("id", "!=", user.id)]):
                raise UserError(
                    self.env._("The mobile number %(login)s is already the login of someone else.", login=login)
                )
            if user:
                user.sudo().write({"login": login, "active": True})
            else:
                Users.create(
                    {
                        "login": login,
                        "partner_id": partner.id,
                        "company_id": self.env.company.id,
                        "company_ids": [Command.set(self.env.company.ids)],
                        "groups_id": [Command.set(portal_group.ids)],
                    }
                )
            partner.sudo().write(
                {"volunteer_invite_token": secrets.token_urlsafe(32), "volunteer_invite_expiry": expiry}
            )
            # A note in the chatter, not a message: coordinators rarely have an e-mail address to send from.
            partner.with_env(company_lang_env(self.env))._message_log(
                body=company_lang_env(self.env)._(
                    "Invited to the volunteer portal: login %(login)s, link valid for %(days)s days.",
                    login=login,
                    days=INVITATION_DAYS,
                )
            )
        if len(self) != 1:
            return True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Volunteer Portal Invitation"),
            "res_model": "res.partner",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("garbage_sorting.res_partner_view_form_volunteer_invitation").id, "form")],
            "target": "new",
        }

    @api.model
    def _volunteer_invitation(self, token):
        """The volunteer whose pending, unexpired invitation `token` is, or an empty recordset. Called by the
        public first-login page: `token` is the only key, compared in full (no prefix, no expired link)."""
        if not token or not isinstance(token, str) or len(token) < 32:
            return self.browse()
        return (
            self.sudo()
            .search(
                [
                    ("volunteer_invite_token", "=", token),
                    ("volunteer_invite_expiry", ">", fields.Datetime.now()),
                    ("is_volunteer", "=", True),
                ],
                limit=1,
            )
            .filtered(lambda partner: secrets.compare_digest(partner.volunteer_invite_token, token))
        )

    @api.model
    def _volunteer_accept_invitation(self, token, password, confirmation):
        """Set the password of the invited volunteer's login and close the invitation (the link works once).
        Returns the login; a ValidationError says what is wrong and nothing is stored."""
        partner = self._volunteer_invitation(token)
        if not partner:
            raise ValidationError(
                self.env._("This invitation link is not valid any more: ask your coordinator for a new one.")
            )
        if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
            raise ValidationError(
                self.env._("Choose a password of at least %(min)s characters.", min=MIN_PASSWORD_LENGTH)
            )
        if password != confirmation:
            raise ValidationError(self.env._("The two passwords differ: type the same password twice."))
        user = partner.with_context(active_test=False).user_ids.filtered("share")[:1]
        if not user or not user.active:
            raise ValidationError(
                self.env._("This invitation link is not valid any more: ask your coordinator for a new one.")
            )
        user.sudo().write({"password": password})
        partner.sudo().write({"volunteer_invite_token": False, "volunteer_invite_expiry": False})
        return user.login

    def action_view_volunteer_hours(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_volunteer_hour_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "default_source": "coordinator"}
        return action

    def action_view_volunteer_duties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("garbage_sorting.garbage_volunteer_duty_action")
        action["domain"] = [("volunteer_ids", "in", self.ids)]
        action["context"] = {"default_volunteer_ids": [self.id]}
        return action
