import base64
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .garbage_volunteer_hour import COORDINATOR_GROUP


class GarbageVolunteerCertificate(models.Model):
    """A volunteer hours certificate as issued: its number and token are printed on the PDF (the QR code
    opens the public verification page), so what it certified stays as it was, or is revoked."""

    _name = "garbage.volunteer.certificate"
    _description = "Volunteer Hours Certificate"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "issue_date desc, id desc"
    _rec_name = "number"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", "Town", required=True, index=True, default=lambda self: self.env.company
    )
    number = fields.Char(required=True, copy=False, readonly=True, index=True, default="/")
    partner_id = fields.Many2one("res.partner", "Volunteer", required=True, readonly=True, ondelete="restrict")
    hours = fields.Float(digits=(16, 2), readonly=True, help="Approved hours in the period, when it was issued.")
    date_from = fields.Date("From", readonly=True)
    date_to = fields.Date("To", readonly=True)
    issue_date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    token = fields.Char(required=True, copy=False, readonly=True, groups=COORDINATOR_GROUP)
    state = fields.Selection(
        [("valid", "Valid"), ("revoked", "Revoked")], required=True, default="valid", readonly=True, tracking=True
    )
    revoke_reason = fields.Char(readonly=True, tracking=True)

    _sql_constraints = [
        ("number_unique", "unique(number)", "A certificate number is issued once."),
        ("token_unique", "unique(token)", "A certificate token is issued once."),
    ]

    @api.model
    def _guarded_fields(self):
        """A certificate is issued and revoked by the engine only: nothing of it is typed."""
        names = ("number", "partner_id", "hours", "date_from", "date_to", "issue_date", "token", "revoke_reason")
        return {**super()._guarded_fields(), **dict.fromkeys(names, ())}

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An issued certificate is history: revoke it instead of deleting it."))

    @api.model
    def _issue(self, partner, date_from, date_to, hours):
        """The valid certificate of `partner` for this period and these hours (reused when it was issued
        already, so downloading twice gives the same number). Called by the certificate report only."""
        hours = round(hours, 2)
        Certificate = self.sudo()
        existing = Certificate.search(
            [
                ("partner_id", "=", partner.id),
                ("date_from", "=", date_from or False),
                ("date_to", "=", date_to or False),
                ("state", "=", "valid"),
            ]
        ).filtered(lambda certificate: round(certificate.hours, 2) == hours)[:1]
        if existing:
            return existing
        return Certificate.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
            {
                "number": self.env["ir.sequence"].sudo().next_by_code("garbage.volunteer.certificate") or "/",
                "partner_id": partner.id,
                "hours": hours,
                "date_from": date_from or False,
                "date_to": date_to or False,
                "token": secrets.token_urlsafe(24),
            }
        )

    def _verify_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/certificate/verify/{self.sudo().token}"

    def _qr_code_data_uri(self):
        """The QR code of the verification page as an inline PNG, printed on the certificate."""
        png = self.env["ir.actions.report"].barcode("QR", self._verify_url(), width=200, height=200)
        return f"data:image/png;base64,{base64.b64encode(png).decode()}"

    def action_revoke(self):
        """Revoke certificates (issued in error, hours rejected later): volunteer coordinators and the task
        force. The verification page then says the certificate was revoked."""
        self.check_access("write")
        if not (self._is_manager() or self.env.user.has_group(COORDINATOR_GROUP)):
            raise AccessError(self.env._("Only a volunteer coordinator or the task force can revoke a certificate."))
        if any(certificate.state != "valid" for certificate in self):
            raise UserError(self.env._("Only a valid certificate can be revoked."))
        self.sudo().write({"state": "revoked"})
        return True
