import base64
import secrets
from urllib.parse import quote, urlencode

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import consteq

from .garbage_guard_mixin import MANAGER_GROUP


class GarbageBinSite(models.Model):
    _name = "garbage.bin.site"
    _description = "Bin Site"
    _inherit = ["garbage.guard.mixin", "mail.thread"]
    _order = "unit_id, name"
    _check_company_auto = True

    company_id = fields.Many2one(related="unit_id.company_id", string="Town", store=True, index=True, precompute=True)
    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        help="Stable identifier printed as the site's QR code.",
    )
    unit_id = fields.Many2one("garbage.unit", "Unit", required=True, index=True, ondelete="restrict", tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    has_recyclable = fields.Boolean("Recyclables Bin", default=True)
    has_hazardous = fields.Boolean("Hazardous Waste Bin", default=True)
    has_kitchen = fields.Boolean("Kitchen Waste Bin", default=True)
    has_other = fields.Boolean("Other Waste Bin", default=True)
    disposal_windows = fields.Char(help="Scheduled disposal times (定时定点), e.g. 07:00-09:00, 18:00-20:00.")
    access_token = fields.Char(
        "Scan Token",
        copy=False,
        readonly=True,
        help="Secret part of the site's portal link printed in its QR code: a link without it opens nothing.",
    )
    portal_url = fields.Char("Scan Link", compute="_compute_portal_url", help="What the site's QR code opens.")
    qr_code_url = fields.Char("QR Code Image", compute="_compute_qr_code_url")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The bin site code must be unique."),
    ]

    @api.model
    def _input_ranges(self):
        return {**super()._input_ranges(), "latitude": (-90, 90, False), "longitude": (-180, 180, False)}

    @api.model
    def _guarded_fields(self):
        """The code is numbered (printed on the QR code); a site stays with the unit it was created for."""
        base = {name: groups for name, groups in super()._guarded_fields().items() if name in self._fields}
        return {**base, "code": (), "unit_id": (MANAGER_GROUP,), "access_token": ()}

    @api.model
    def _guard_creation_fields(self):
        # code: create() numbers every site (what a caller sends is replaced)
        # access_token: create() draws a random one (what a caller sends is replaced)
        return (*super()._guard_creation_fields(), "code", "unit_id", "access_token")

    @api.depends("access_token")
    def _compute_portal_url(self):
        for site in self:
            site.portal_url = (
                f"{site.get_base_url()}/my/bin-site/{site.id}?{urlencode({'token': site.access_token})}"
                if site.id and site.access_token
                else False
            )

    @api.depends("portal_url")
    def _compute_qr_code_url(self):
        for site in self:
            value = quote(site.portal_url or site.code or "", safe="")
            site.qr_code_url = f"/report/barcode/?barcode_type=QR&value={value}&width=300&height=300"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su or vals.get("code", self.env._("New")) == self.env._("New"):
                vals["code"] = self.env["ir.sequence"].sudo().next_by_code("garbage.bin.site") or self.env._("New")
            if not self.env.su or not vals.get("access_token"):
                vals["access_token"] = secrets.token_urlsafe(24)
        return super().create(vals_list)

    def toggle_active(self):
        super().toggle_active()
        return True  # core returns None (so do action_archive/action_unarchive), which XML-RPC cannot send back

    def action_reset_token(self):
        """Draw a new scan token (a label was lost or copied): the old labels stop working. Task force only."""
        self.check_access("write")
        if not self._is_manager():
            raise AccessError(self.env._("Only the task force can renew the QR codes of bin sites."))
        for site in self:
            site.sudo().write({"access_token": secrets.token_urlsafe(24)})
        return True

    def action_print_labels(self):
        """The labels of the sites selected in the list, in one PDF. The report comes back with the sites in its
        context, so that the web client asks for them: from a list's header, a button that opens the report action
        directly sends no record to print (the client keeps only the active model), and the PDF came out blank."""
        self.check_access("read")
        return self.env.ref("garbage_sorting.garbage_bin_site_report_label").report_action(self, config=False)

    def _qr_code_data_uri(self, size=300):
        """The QR code of the site's link as an inline PNG, for the printed labels (no image to fetch)."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode("QR", self.portal_url or self.code, width=size, height=size)
        return f"data:image/png;base64,{base64.b64encode(png).decode()}"

    def _check_token(self, token):
        """True when `token` is this site's scan token (compared in constant time)."""
        self.ensure_one()
        return bool(self.access_token and token and consteq(self.access_token, str(token)))

    def write(self, vals):
        result = super().write(vals)
        if "unit_id" in vals:
            self.check_access("write")  # rules are checked before a write: a site cannot leave its writer's reach
        return result
