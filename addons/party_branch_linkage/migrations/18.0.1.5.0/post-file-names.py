"""The annual review printed from the Print menu holds the organisation's name cut short in its file name (see
garbage_sorting's models/file_names.py): the translations of the old expression, which held the whole name, are
dropped here, so that the update loads the new ones from the addon's translation files right after this script."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE ir_act_report_xml report
           SET print_report_name = jsonb_build_object('en_US', report.print_report_name->>'en_US')
          FROM ir_model_data data
         WHERE data.model = 'ir.actions.report' AND data.res_id = report.id
           AND data.module = 'party_branch_linkage' AND data.name = 'party_annual_review_report'
           AND report.print_report_name ? 'en_US'
        """
    )
