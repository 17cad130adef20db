from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .garbage_guard_mixin import MANAGER_GROUP

# When (and whether) a grey-list interview meeting takes place: an interview is held by its date passing.
INTERVIEW_TIMING_FIELDS = {"start", "stop", "start_date", "stop_date", "allday", "duration"}
INTERVIEW_GUARDED_FIELDS = INTERVIEW_TIMING_FIELDS | {"active"}


class CalendarEvent(models.Model):
    """The interview meeting of a level-2 escalation is an ordinary calendar event, which Odoo lets any employee
    move, archive or delete. Its date decides whether the interview was held (`garbage.escalation`
    `interview_held`): only the engine and the task force move, archive or delete it, and nobody moves its end
    into the past. Every other event is Odoo's alone, as before."""

    _inherit = "calendar.event"

    def _garbage_interviews(self):
        """The events of `self` that are a grey-list escalation's interview meeting (one query)."""
        ids = [event_id for event_id in self.ids if event_id]
        if not ids:
            return self.browse()
        escalations = self.env["garbage.escalation"].sudo().search_fetch([("event_id", "in", ids)], ["event_id"])
        interview_ids = set(escalations.event_id.ids)
        return self.filtered(lambda event: event.id in interview_ids)

    def _garbage_check_interview_owner(self, interviews):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        raise AccessError(
            self.env._(
                "Only the task force moves, archives or deletes “%(name)s”: it is the meeting of a grey-list "
                "interview, which is held when its date has passed.",
                name=interviews[0].name,
            )
        )

    def write(self, vals):
        interviews = (
            self._garbage_interviews() if not self.env.su and INTERVIEW_GUARDED_FIELDS & set(vals) else self.browse()
        )
        if interviews:
            self._garbage_check_interview_owner(interviews)
        stops = {event.id: event.stop for event in interviews} if INTERVIEW_TIMING_FIELDS & set(vals) else {}
        result = super().write(vals)
        if stops:
            now = fields.Datetime.now()
            moved = interviews.filtered(lambda event: event.stop != stops[event.id] and event.stop and event.stop < now)
            if moved:
                raise UserError(
                    self.env._(
                        "The interview meeting “%(name)s” cannot end in the past: an interview is held by its date "
                        "passing, not by a date written afterwards.",
                        name=moved[0].name,
                    )
                )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_interview(self):
        if not self.env.su and (interviews := self._garbage_interviews()):
            self._garbage_check_interview_owner(interviews)
