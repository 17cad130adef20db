from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Command


class GarbagePhotoMixin(models.AbstractModel):
    """Photos that belong to their record.

    A photo field is a many2many of `ir.attachment`, and a many2many links whatever id it is given: over RPC a
    user could link a file they can read but that belongs to another record (another unit's inspection photo,
    a chatter attachment) and hand it in as their own evidence. A model lists its photo fields in
    `_photo_fields()`; a user (not the engine) then links to a record only
    - a photo already attached to this record (`res_model` and `res_id` of the record: uploaded for it once it
      was saved), or
    - their own fresh upload for this kind of record: the web client uploads a photo taken before the record
      is saved with the record's `res_model` and `res_id` 0 (`/web/binary/upload_attachment`); nobody else's,
      never a file that stores a binary field, and onto one record only.
    Anything else is refused, naming the field, and nothing is stored (core checks the attachment ids given
    with a message the same way: `mail.thread._process_attachments_for_post`,
    `ir.attachment._check_attachments_access`). Photos are uploaded and then linked: commands that create or
    change attachments through the field are refused too.
    Once linked, a fresh upload is attached to its record (`res_id`), so whoever may read the record reads its
    photos (an unattached file is readable by its uploader only). The engine (superuser) links what it needs:
    a failed check's photos become its rectification's "before".
    """

    _name = "garbage.photo.mixin"
    _description = "Photos Kept With Their Record"

    @api.model
    def _photo_fields(self):
        """The many2many fields of `ir.attachment` that hold this model's photos."""
        return ()

    def _photo_keepers(self):
        """The records among these that keep photos (all of them, unless a model keeps photos on some of its
        records only): the files attached to them are guarded by `ir.attachment` (see there)."""
        return self

    def _photos_locked(self):
        """The records among these whose photos are history: only the task force replaces or deletes them."""
        return self.browse()

    def _photos_locked_for_all(self):
        """The records among these whose photos nobody but the engine replaces or deletes, the task force
        included (a done inspection's: the task force resets the inspection to draft first)."""
        return self.browse()

    @api.model
    def _photo_linked_ids(self, value):
        """(the attachment ids a many2many `value` links or sets, whether it creates or changes attachments)."""
        if isinstance(value, models.BaseModel):
            return set(value.ids), False
        if not value:
            return set(), False
        value = list(value)
        if not isinstance(value[0], tuple | list):
            value = [Command.set(value)]  # a list of ids: what the ORM makes of it
        linked, writes_files = set(), False
        for command in value:
            if not isinstance(command, tuple | list) or not command:
                continue  # the ORM skips it
            if command[0] in (Command.CREATE, Command.UPDATE):
                writes_files = True
            elif command[0] == Command.LINK:
                linked.add(command[1])
            elif command[0] == Command.SET:
                linked.update(command[2] or ())
        return linked, writes_files

    def _photo_links_wanted(self, vals_list):
        """[(slot, record or None, field name, attachment ids to link)] for the values given to `self` (one
        record per values; no record yet on create), the links already there left out."""
        names = [name for name in self._photo_fields() if any(name in vals for vals in vals_list)]
        # the links already there, read once for the batch
        records = list(self.sudo()) if self else [None] * len(vals_list)
        wanted = []
        for slot, (record, vals) in enumerate(zip(records, vals_list, strict=True)):
            for name in names:
                if name not in vals:
                    continue
                ids, writes_files = self._photo_linked_ids(vals[name])
                if writes_files:
                    raise AccessError(
                        self.env._(
                            "Photos are uploaded first and then added to “%(field)s”: they are not created or "
                            "changed through it.",
                            field=self._fields[name]._description_string(self.env),
                        )
                    )
                if record is not None:
                    ids -= set(record[name].ids)
                if ids:
                    wanted.append((slot, record, name, ids))
        return wanted

    def _check_photo_links(self, vals_list):
        """Refuse linking, to `self` (one record per values, or empty records for `create`), a photo that is
        neither attached to that record already nor the user's own fresh upload for it (see the class)."""
        if self.env.su:
            return
        wanted = self._photo_links_wanted(vals_list)
        if not wanted:
            return
        ids = {i for *_rest, ids in wanted for i in ids if isinstance(i, int)}
        attachments = self.env["ir.attachment"].sudo().browse(ids).exists()
        attachments.fetch(["res_model", "res_id", "res_field", "create_uid"])
        found = {attachment.id: attachment for attachment in attachments}
        claimed = {}  # fresh upload id: the record (slot) it goes to
        for slot, record, name, ids in wanted:
            refused = []
            for attachment_id in sorted(ids, key=str):
                attachment = found.get(attachment_id)
                ours = bool(attachment and not attachment.res_field and attachment.res_model == self._name)
                own_upload = (
                    ours
                    and not attachment.res_id
                    and attachment.create_uid == self.env.user
                    and claimed.setdefault(attachment_id, slot) == slot
                )
                attached_here = ours and record is not None and attachment.res_id == record.id
                if not (own_upload or attached_here):
                    refused.append(str(attachment_id))
            if refused:
                raise AccessError(
                    self.env._(
                        "Only photos you upload for this record, or photos already attached to it, can be added "
                        "to “%(field)s” (refused: attachment %(attachments)s).",
                        field=self._fields[name]._description_string(self.env),
                        attachments=", ".join(refused),
                    )
                )

    def _bind_uploaded_photos(self):
        """Attach to its record each unattached upload now in its photo fields, so whoever may read the record
        sees it. Files of others are never moved (the engine attaches what it links)."""
        env = self.env
        names = self._photo_fields()
        for record in self.sudo():
            photos = env["ir.attachment"].sudo().browse()
            for name in names:
                photos |= record[name]
            loose = photos.filtered(lambda a: not a.res_id and not a.res_field and (env.su or a.create_uid == env.user))
            if loose:
                loose.write({"res_model": record._name, "res_id": record.id})

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._check_photo_links(vals_list)
        records = super().create(vals_list)
        if any(name in vals for vals in vals_list for name in self._photo_fields()):
            records._bind_uploaded_photos()
        return records

    def write(self, vals):
        names = [name for name in self._photo_fields() if name in vals]
        if names:
            self._check_photo_links([vals] * len(self))
        result = super().write(vals)
        if names:
            self._bind_uploaded_photos()
        return result
