"""Download file names hold a unit's or a person's name cut short (see models/file_names.py).

- The printed year's and the volunteer certificate's file names are built by new expressions: the translations
  of the old ones (which held the whole name) are dropped here, so that the update loads the new ones from the
  addon's translation files right after this script;
- the level-3 reports already attached to escalations get their name cut short the same way.
"""

from odoo import SUPERUSER_ID, api
from odoo.addons.garbage_sorting.models.file_names import FILE_NAME_PART_MAX, short_file_name

REPORTS = ("garbage_unit_annual_report", "action_report_volunteer_certificate")


def reset_report_name_translations(cr, module, names):
    """Keep only the English expression of these reports' file names: the update then loads their translations."""
    cr.execute(
        """
        UPDATE ir_act_report_xml report
           SET print_report_name = jsonb_build_object('en_US', report.print_report_name->>'en_US')
          FROM ir_model_data data
         WHERE data.model = 'ir.actions.report' AND data.res_id = report.id
           AND data.module = %s AND data.name IN %s AND report.print_report_name ? 'en_US'
        """,
        [module, tuple(names)],
    )


def migrate(cr, version):
    reset_report_name_translations(cr, "garbage_sorting", REPORTS)
    env = api.Environment(cr, SUPERUSER_ID, {})
    # the prefix ("Annual waste sorting report 2024 - ") and the unit's name cut short
    limit = 2 * FILE_NAME_PART_MAX
    attachments = env["garbage.escalation"].with_context(active_test=False).search([]).report_attachment_id
    for attachment in attachments.filtered(lambda attachment: len(attachment.name or "") > limit):
        attachment.name = short_file_name(attachment.name, limit)
