from odoo import api, models
from odoo.exceptions import AccessError

from .garbage_guard_mixin import MANAGER_GROUP

# what makes a file what it is, and where it belongs
CONTENT_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type"}
OWNER_FIELDS = {"res_model", "res_id", "res_field"}
# what may still be written on a document of the town's history: its sharing token changes nothing of it
LOCK_FREE_FIELDS = {"access_token"}


class IrAttachment(models.Model):
    """The photos of the records that keep photos (`garbage.photo.mixin`) stay what and where they were taken.

    A photo field accepts only a photo attached to its record (see `garbage.photo.mixin`), so no user moves a
    file of one record onto another (`res_model`, `res_id`) to pass that check; and the photos of a record
    that is history (a done inspection's checks, a verified rectification) are neither replaced nor deleted
    but by the task force. `ir.attachment`'s own check only asks for write access to the record, which a
    unit's liaison keeps on its rectifications once verified. The engine (superuser) is not concerned, nor
    are the files of records that keep no photos (an ordinary calendar event: Odoo's own rules alone apply).
    """

    _inherit = "ir.attachment"

    # The documents of the town's history (`_garbage_locked_documents`): a level-3 escalation's annual report,
    # and (party addon) the report file of an approved party-building assessment. Core's check lets whoever may
    # write the record replace or delete its files, past the record's own lock: here nobody but the engine
    # (superuser, in the addons' own code) writes, replaces or deletes them; other files are Odoo's alone.

    @api.model
    def _garbage_locked_places(self, places):
        """{(res_model, res_id, res_field): why}: the places among `places` (such tuples) whose file is history,
        the binary field of a locked record, where no file is added, replaced nor deleted but by the engine.
        None here (see the party addon)."""
        return {}

    def _garbage_locked_documents(self):
        """{attachment: why} of these attachments (sudo) that are history: the annual report the engine attached
        to a level-3 escalation (`garbage.escalation._attach_annual_reports`), and the files of locked places."""
        locked = {}
        reports = self.filtered(lambda attachment: attachment.res_model == "garbage.escalation" and attachment.res_id)
        if reports:
            escalations = self.env["garbage.escalation"].sudo().search([("report_attachment_id", "in", reports.ids)])
            for escalation in escalations:
                locked[escalation.report_attachment_id] = self.env._(
                    "The annual report of the escalation “%(escalation)s” is part of the town's history: nobody "
                    "replaces, changes or deletes it (publishing the month again attaches the year's new report).",
                    escalation=escalation.display_name,
                )
        places = {attachment: attachment._garbage_place() for attachment in self if attachment.res_field}
        why = self._garbage_locked_places(set(places.values())) if places else {}
        locked.update({attachment: why[place] for attachment, place in places.items() if place in why})
        return locked

    def _garbage_place(self, vals=None):
        """(res_model, res_id, res_field) of this attachment, or the one `vals` would move it to."""
        vals = vals or {}
        return (
            vals.get("res_model", self.res_model) or False,
            int(vals.get("res_id", self.res_id) or 0),
            vals.get("res_field", self.res_field) or False,
        )

    def _check_garbage_locked_documents(self, vals=None):
        """Refuse writing (`vals`) or deleting (None) a document of the town's history, and adding or moving a
        file onto a locked place, unless the engine does it."""
        if self.env.su or not self or (vals is not None and not vals.keys() - LOCK_FREE_FIELDS):
            return
        attachments = self.sudo()
        if locked := attachments._garbage_locked_documents():
            raise AccessError(next(iter(locked.values())))
        if vals is not None and vals.keys() & OWNER_FIELDS:
            targets = {attachment._garbage_place(vals) for attachment in attachments}
            if locked := self._garbage_locked_places({place for place in targets if place[2]}):
                raise AccessError(next(iter(locked.values())))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            places = {
                (vals.get("res_model") or False, int(vals["res_id"]), vals["res_field"])
                for vals in vals_list
                if vals.get("res_field") and vals.get("res_id")
            }
            if places and (locked := self._garbage_locked_places(places)):
                raise AccessError(next(iter(locked.values())))
        return super().create(vals_list)

    def _garbage_photo_records(self):
        """{attachment: the record of a photo-keeping model it is attached to} for these attachments."""
        records = {}
        keeper = self.pool["garbage.photo.mixin"]
        for attachment in self.sudo():
            model = attachment.res_model
            if model and attachment.res_id and model in self.env and isinstance(self.env[model], keeper):
                record = self.env[model].sudo().browse(attachment.res_id)
                if record._photo_keepers():
                    records[attachment] = record
        return records

    def _check_garbage_photos(self, vals=None):
        if self.env.su or not self:
            return
        records = self._garbage_photo_records()
        if not records:
            return
        if vals is not None and vals.keys() & OWNER_FIELDS:
            raise AccessError(
                self.env._("A photo stays with the record it was taken for: it cannot be moved to another one.")
            )
        if vals is None or vals.keys() & CONTENT_FIELDS:
            for record in records.values():
                if record.exists() and record._photos_locked_for_all():
                    raise AccessError(
                        self.env._(
                            "The photos of “%(record)s” are part of its history: they are locked with its done "
                            "inspection until the task force resets it to draft.",
                            record=record.display_name,
                        )
                    )
        if (vals is None or vals.keys() & CONTENT_FIELDS) and not self.env.user.has_group(MANAGER_GROUP):
            for record in records.values():
                if record.exists() and record._photos_locked():
                    raise AccessError(
                        self.env._(
                            "The photos of “%(record)s” are part of its history: only the task force replaces or "
                            "deletes them.",
                            record=record.display_name,
                        )
                    )

    def write(self, vals):
        self._check_garbage_photos(vals)
        self._check_garbage_locked_documents(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_garbage_photo_history(self):
        self._check_garbage_photos()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_garbage_locked_documents(self):
        self._check_garbage_locked_documents()
