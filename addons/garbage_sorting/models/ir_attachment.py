from odoo import api, models
from odoo.exceptions import AccessError

from .garbage_guard_mixin import MANAGER_GROUP

# what makes a file what it is, and where it belongs
CONTENT_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type"}
OWNER_FIELDS = {"res_model", "res_id", "res_field"}


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
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_garbage_photo_history(self):
        self._check_garbage_photos()
