from odoo import api, fields, models

from .garbage_input_mixin import check_input_values, context_defaults


class ResConfigSettings(models.TransientModel):
    """The Settings show the current town's settings of the mechanism (res.company fields, checked there)."""

    _inherit = "res.config.settings"

    garbage_obligation_reminder_days = fields.Integer(
        related="company_id.garbage_obligation_reminder_days", readonly=False
    )
    garbage_work_plan_deadline = fields.Char(related="company_id.garbage_work_plan_deadline", readonly=False)
    garbage_interview_location = fields.Char(related="company_id.garbage_interview_location", readonly=False)
    garbage_rectification_days = fields.Integer(related="company_id.garbage_rectification_days", readonly=False)
    garbage_weight_patrol = fields.Float(related="company_id.garbage_weight_patrol", readonly=False)
    garbage_weight_mutual = fields.Float(related="company_id.garbage_weight_mutual", readonly=False)
    garbage_weight_self = fields.Float(related="company_id.garbage_weight_self", readonly=False)
    garbage_penalty_missed = fields.Float(related="company_id.garbage_penalty_missed", readonly=False)
    garbage_penalty_overdue = fields.Float(related="company_id.garbage_penalty_overdue", readonly=False)
    garbage_red_min_score = fields.Float(related="company_id.garbage_red_min_score", readonly=False)
    garbage_red_max_rank = fields.Integer(related="company_id.garbage_red_max_rank", readonly=False)
    garbage_grey_below_score = fields.Float(related="company_id.garbage_grey_below_score", readonly=False)
    garbage_public_notice = fields.Boolean(related="company_id.garbage_public_notice", readonly=False)
    garbage_publish_confirm_uninspected = fields.Boolean(
        related="company_id.garbage_publish_confirm_uninspected", readonly=False
    )
    garbage_peer_group_village = fields.Selection(related="company_id.garbage_peer_group_village", readonly=False)
    garbage_peer_group_community = fields.Selection(related="company_id.garbage_peer_group_community", readonly=False)
    garbage_peer_group_agency = fields.Selection(related="company_id.garbage_peer_group_agency", readonly=False)
    garbage_peer_group_institution = fields.Selection(
        related="company_id.garbage_peer_group_institution", readonly=False
    )
    garbage_peer_group_enterprise = fields.Selection(related="company_id.garbage_peer_group_enterprise", readonly=False)
    garbage_taskforce_head_id = fields.Many2one(related="company_id.garbage_taskforce_head_id", readonly=False)
    garbage_town_leader_id = fields.Many2one(related="company_id.garbage_town_leader_id", readonly=False)
    garbage_volunteer_hours_max_age_days = fields.Integer(
        related="company_id.garbage_volunteer_hours_max_age_days", readonly=False
    )
    garbage_checkin_tolerance_minutes = fields.Integer(
        related="company_id.garbage_checkin_tolerance_minutes", readonly=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        # NaN, infinities and other non-numbers fail in the ORM's conversion, before the town's checks: refused here
        # (the context's defaults too, which RPC callers choose)
        for vals in vals_list:
            values = {**context_defaults(self, vals), **vals}
            check_input_values(self, {name: value for name, value in values.items() if name.startswith("garbage_")})
        return super().create(vals_list)

    def write(self, vals):
        check_input_values(self, {name: value for name, value in vals.items() if name.startswith("garbage_")})
        return super().write(vals)
