from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


def _remove_months(periods):
    """The test's own months, committed: a month once published is history for everyone (no unlink), so the
    flag is cleared in SQL first."""
    periods.flush_recordset()
    periods.env.cr.execute(
        SQL("UPDATE garbage_assessment_period SET published_once = FALSE WHERE id IN %s", tuple(periods.ids))
    )
    periods.invalidate_recordset(["published_once"])
    periods.unlink()


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
            _remove_months(period)
            cr_a.commit()
            cr_a.close()
            cr_b.close()

    def test_a_later_month_being_published_holds_an_earlier_one_back(self):
        """Publishing February while March is being published would give March a ladder without February."""
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        env_a = api.Environment(cr_a, SUPERUSER_ID, {})
        Period = env_a["garbage.assessment.period"]
        february, march = Period.create([{"date_start": date(1990, 2, 1)}, {"date_start": date(1990, 3, 1)}])
        (february | march).write({"state": "computed"})  # no line: only the locks matter
        cr_a.commit()
        try:
            # B is publishing March (it holds March's row): A's February is refused, not published under it.
            cr_b.execute(SQL("SELECT id FROM garbage_assessment_period WHERE id = %s FOR UPDATE", march.id))
            with self.assertRaisesRegex(UserError, "A later month of 1990 is being computed"):
                february.action_publish()
            cr_a.rollback()
            cr_b.rollback()
            env_a.invalidate_all()
            self.assertEqual(february.state, "computed")
            # A publishes February first (holding March too): B cannot take March meanwhile.
            february.action_publish()
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            with self.assertRaises(UserError):
                env_b["garbage.assessment.period"].browse(march.id).action_publish()
            cr_b.rollback()
            cr_a.commit()
        finally:
            cr_a.rollback()
            cr_b.rollback()
            env_a.invalidate_all()
            for period in (march | february).filtered(lambda period: period.state == "published"):
                period.action_reopen()
            _remove_months(february | march)
            cr_a.commit()
            cr_a.close()
            cr_b.close()
