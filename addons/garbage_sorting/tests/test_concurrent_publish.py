from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestConcurrentPublish(TransactionCase):
    """Two real transactions: while one holds the period, the other's publication is refused."""

    def test_second_publisher_gets_a_clear_error(self):
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        env_a = api.Environment(cr_a, SUPERUSER_ID, {})
        period = env_a["garbage.assessment.period"].create({"date_start": date(1990, 1, 1)})
        period.write({"state": "computed"})  # no line: nothing to assess in 1990, only the lock matters
        cr_a.commit()
        try:
            # B is publishing (it holds the row); A's publication must not wait nor run twice.
            cr_b.execute(SQL("SELECT id FROM garbage_assessment_period WHERE id = %s FOR UPDATE", period.id))
            with self.assertRaises(UserError):
                period.action_publish()
            cr_a.rollback()
            cr_b.rollback()
            env_a.invalidate_all()
            self.assertEqual(period.state, "computed")
            period.action_publish()
            cr_a.commit()
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            with self.assertRaises(UserError):
                env_b["garbage.assessment.period"].browse(period.id).action_publish()
            cr_b.rollback()
        finally:
            cr_a.rollback()
            env_a.invalidate_all()
            if period.state == "published":
                period.action_reopen()
            period.unlink()
            cr_a.commit()
            cr_a.close()
            cr_b.close()
