import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .garbage_obligation_rule import WORK_PLAN_DEADLINE_DEFAULT, parse_month_day

_logger = logging.getLogger(__name__)

PEER_GROUPS = [
    ("village_community", "Villages and Communities"),
    ("agency_institution", "Agencies and Institutions"),
    ("enterprise", "Enterprises"),
]
# The most a check-in may come before a duty's start (or after its end): half a working day.
MAX_TOLERANCE_MINUTES = 240
WEIGHT_SETTINGS = ("garbage_weight_patrol", "garbage_weight_mutual", "garbage_weight_self")


class ResCompany(models.Model):
    """Each town government is a company, with its own settings of the mechanism (the district office is their
    parent company: a town created under it starts from the district's settings)."""

    _name = "res.company"
    _inherit = ["res.company", "garbage.input.mixin"]

    # The town's clock (`town_tz`), stored with the company so that reading it costs no fetch of the partner.
    garbage_tz = fields.Selection(
        related="partner_id.tz",
        store=True,
        string="Town Time Zone",
        help="The time zone of the town's address: months, days and deadlines of the mechanism follow it.",
    )
    garbage_obligation_reminder_days = fields.Integer(
        "Reminder Before Period End (days)",
        default=10,
        help="A liaison is reminded once when an obligation is still short this many days before its period ends.",
    )
    garbage_work_plan_deadline = fields.Char(
        "Work Plan Deadline (MM-DD)",
        default=WORK_PLAN_DEADLINE_DEFAULT,
        help="Every unit has its annual work plan approved by this day of the year (MM-DD, e.g. 03-31); a unit "
        "without one misses the yearly obligation, a penalty in that month's assessment.",
    )
    garbage_interview_location = fields.Char(
        "Interview Place",
        help="Where the grey-list interviews are held; empty: the meeting room at the town's address.",
    )
    garbage_rectification_days = fields.Integer(
        "Rectification Deadline (days)",
        default=7,
        help="Days after the inspection by which a failed check must be rectified.",
    )
    # Monthly assessment (red/grey lists). The weights are renormalised over the inspection sources present, so
    # only their ratio counts; scores are out of 100.
    garbage_weight_patrol = fields.Float("Weight of Town Patrols", default=0.5)
    garbage_weight_mutual = fields.Float("Weight of Mutual Inspections", default=0.3)
    garbage_weight_self = fields.Float("Weight of Self-inspections", default=0.2)
    garbage_penalty_missed = fields.Float("Penalty per Missed Obligation", default=5.0)
    garbage_penalty_overdue = fields.Float("Penalty per Overdue Rectification", default=2.0)
    garbage_red_min_score = fields.Float("Red List from Score", default=90.0)
    garbage_red_max_rank = fields.Integer("Red List up to Rank", default=3)
    garbage_grey_below_score = fields.Float("Grey List below Score", default=70.0)
    garbage_publish_confirm_uninspected = fields.Boolean(
        "Confirm Publishing Uninspected Units",
        default=True,
        help="Publishing a month in which some active units had no town patrol nor mutual inspection asks the "
        "task force to confirm it, naming them.",
    )
    # Units are ranked against their peers only; each town decides who its peers are (by default a village is
    # never compared with a bureau).
    garbage_peer_group_village = fields.Selection(
        PEER_GROUPS, "Peer Group of Villages", required=True, default="village_community"
    )
    garbage_peer_group_community = fields.Selection(
        PEER_GROUPS, "Peer Group of Communities", required=True, default="village_community"
    )
    garbage_peer_group_agency = fields.Selection(
        PEER_GROUPS, "Peer Group of Town Agencies", required=True, default="agency_institution"
    )
    garbage_peer_group_institution = fields.Selection(
        PEER_GROUPS, "Peer Group of Town-level Institutions", required=True, default="agency_institution"
    )
    garbage_peer_group_enterprise = fields.Selection(
        PEER_GROUPS, "Peer Group of Enterprises", required=True, default="enterprise"
    )
    garbage_public_notice = fields.Boolean(
        "Public Notice of the Lists",
        default=True,
        help="The published months' red and grey lists are on a public page, without login "
        "(/garbage_sorting/notice), and the printed notice's QR code leads to it.",
    )
    garbage_taskforce_head_id = fields.Many2one(
        "res.users",
        "Task-Force Head",
        help="Visits grey-listed units and reports them to their superior authority; "
        "by default the first task-force manager of the town.",
    )
    garbage_town_leader_id = fields.Many2one(
        "res.users",
        "Town Leader in Charge",
        help="Interviews the head of a unit grey-listed twice; by default the first town leader of the town.",
    )
    garbage_volunteer_hours_max_age_days = fields.Integer(
        "Volunteer Hours Maximum Age (days)",
        default=60,
        help="Volunteers cannot log hours older than this many days in the portal.",
    )
    garbage_checkin_tolerance_minutes = fields.Integer(
        "Check-in Tolerance (minutes)",
        default=30,
        help="Volunteers check in and earn hours from this many minutes before a duty starts until this many "
        "minutes after it ends; a check-in outside that window is refused.",
    )

    @api.model
    def _input_ranges(self):
        return {
            **super()._input_ranges(),
            "garbage_obligation_reminder_days": (0, 366, False),
            "garbage_rectification_days": (1, 366, False),
            "garbage_weight_patrol": (0, 100, False),
            "garbage_weight_mutual": (0, 100, False),
            "garbage_weight_self": (0, 100, False),
            "garbage_penalty_missed": (0, 100, False),
            "garbage_penalty_overdue": (0, 100, False),
            "garbage_red_min_score": (0, 100, False),
            "garbage_red_max_rank": (1, 10000, False),
            "garbage_grey_below_score": (0, 100, False),
            "garbage_volunteer_hours_max_age_days": (1, 3660, False),
            "garbage_checkin_tolerance_minutes": (0, MAX_TOLERANCE_MINUTES, False),
        }

    @api.model
    def _town_setting_fields(self):
        """The settings of the mechanism that each town keeps for itself (extended by the party addon)."""
        return [name for name in self._fields if name.startswith("garbage_") and not self._fields[name].compute]

    @api.model_create_multi
    def create(self, vals_list):
        """A town created under another company (the district office) starts from that company's settings, and
        every new town from its district's checklists and cadence rules."""
        for vals in vals_list:
            parent = self.browse(vals.get("parent_id") or []).sudo().exists()
            if parent:
                for name in self._town_setting_fields():
                    if name not in vals:
                        vals[name] = self._fields[name].convert_to_write(parent[name], parent)
        companies = super().create(vals_list)
        companies._garbage_copy_town_defaults()
        return companies

    def _garbage_copy_town_defaults(self):
        """Copies of the active checklists and cadence rules of each new town's district (its parent company),
        or, when that has none, of the company holding the addons' own (the first town's)."""
        Template = self.env["garbage.inspection.template"].sudo()
        Rule = self.env["garbage.obligation.rule"].sudo()
        default = self.env.ref("garbage_sorting.garbage_obligation_rule_self_inspection", raise_if_not_found=False)
        for company in self:
            source = company.parent_id
            if not source or not Rule.search_count([("company_id", "=", source.id)], limit=1):
                source = default.sudo().company_id if default else source
            if not source:
                continue
            for records in (
                Template.search([("company_id", "=", source.id)]),
                Rule.search([("company_id", "=", source.id)]),
            ):
                for record in records:
                    try:
                        with self.env.cr.savepoint():
                            record.copy({"company_id": company.id})
                    except ValidationError as error:
                        # a rule counting what is not loaded yet (an addon being installed): the task force
                        # adds it to the town once it is
                        _logger.warning("%s not copied to %s: %s", record.display_name, company.name, error)

    @api.constrains(*WEIGHT_SETTINGS)
    def _check_garbage_weights(self):
        for company in self:
            if not any(company[name] > 0 for name in WEIGHT_SETTINGS):
                raise ValidationError(
                    self.env._("At least one kind of inspection must weigh more than 0 in the monthly score.")
                )

    @api.constrains("garbage_work_plan_deadline")
    def _check_garbage_work_plan_deadline(self):
        for company in self:
            if company.garbage_work_plan_deadline and not parse_month_day(company.garbage_work_plan_deadline):
                raise ValidationError(
                    self.env._("The work plan deadline is a day of the year written MM-DD, e.g. 03-31.")
                )
