import base64

import odoo
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import GROUP, PHOTO_PNG, GarbageSortingCase, setup_volunteers


def upload(user, model, res_id=0, name="photo.png"):
    """What the web client's photo button does (`/web/binary/upload_attachment`): the user's own file, for a
    record of `model` (`res_id` 0 while the record is not saved yet)."""
    return (
        user.env["ir.attachment"]
        .with_user(user)
        .create({"name": name, "datas": PHOTO_PNG, "res_model": model, "res_id": res_id})
    )


@tagged("post_install", "-at_install")
class TestPhotoLinks(GarbageSortingCase):
    """A photo field links only a photo already attached to its record or the user's own fresh upload for it:
    never a file of another record that the user happens to read (another unit's inspection photo, a chatter
    attachment, a rectification's "before" handed in as its "after")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_unit.liaison_id = cls.liaison.partner_id
        cls.other_unit.liaison_id = cls.other_liaison.partner_id
        cls.inspector2 = new_test_user(cls.env, login="t_inspector2", groups=GROUP + "inspector")
        # a patrol of each village, its first check marked down with a photo taken on the spot: two rectifications
        cls.own_photo = upload(cls.inspector, "garbage.inspection.line")
        cls.own_inspection = cls._patrol(cls.own_unit, cls.inspector, cls.own_photo)
        cls.other_photo = upload(cls.inspector2, "garbage.inspection.line")
        cls.other_inspection = cls._patrol(cls.other_unit, cls.inspector2, cls.other_photo)
        cls.rectification = cls.own_inspection.rectification_ids
        # a second rectification of the liaison's own village, with a file in its chatter
        second = cls._patrol(cls.own_unit, cls.inspector)
        cls.second_rectification = second.rectification_ids
        cls.chatter_file = upload(cls.liaison, "garbage.rectification", cls.second_rectification.id, "note.pdf")
        cls.second_rectification.with_user(cls.liaison).message_post(
            body="整改说明", attachment_ids=cls.chatter_file.ids
        )
        # a file that stores a binary field (an avatar), and one of another model
        partner = cls.env["res.partner"].create({"name": "王师傅", "image_1920": PHOTO_PNG})
        cls.field_file = (
            cls.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id), ("res_field", "=", "image_1920")])
        )
        assert cls.field_file

    @classmethod
    def _patrol(cls, unit, inspector, photo=None):
        inspection = cls._inspection(unit, source="patrol", user=inspector)
        values = {"score": 1, **({"photo_ids": [(4, photo.id)]} if photo else {})}
        inspection.line_ids[:1].with_user(inspector).write(values)
        inspection.with_user(inspector).action_done()
        return inspection

    def assertRefused(self, records, field, vals, attachments):
        """`vals` written by `records`' user is refused with the photo message; nothing changed."""
        before = {record: record.sudo()[field] for record in records}
        attached = [(a.res_model, a.res_id) for a in attachments.sudo()]
        with self.assertRaisesRegex(AccessError, "Only photos you upload for this record|uploaded first"):
            records.write(vals)
        for record in records:
            self.assertEqual(record.sudo()[field], before[record])
        self.assertEqual([(a.res_model, a.res_id) for a in attachments.sudo()], attached)

    def test_fresh_upload_on_the_phone_is_bound_to_its_check(self):
        self.assertEqual(self.own_photo.res_model, "garbage.inspection.line")
        self.assertEqual(self.own_photo.res_id, self.own_inspection.line_ids[0].id)
        self.assertEqual(self.rectification.photo_before_ids, self.own_photo)
        # the unit's liaison reads what the inspector photographed
        self.assertEqual(self.rectification.with_user(self.liaison).photo_before_ids.datas, PHOTO_PNG)

    def test_new_inspection_with_its_photos_in_one_save(self):
        """The phone's save of a new inspection: lines created with the photos uploaded before (res_id 0)."""
        Inspection = self.env["garbage.inspection"].with_user(self.inspector)
        item = self.template.item_ids[0]
        photo = upload(self.inspector, "garbage.inspection.line")
        count = Inspection.search_count([])

        def vals(photo_ids):
            return {
                "unit_id": self.own_unit.id,
                "source": "patrol",
                "template_id": self.template.id,
                "line_ids": [(0, 0, {"item_id": item.id, "score": 1, "photo_ids": [(6, 0, photo_ids)]})],
            }

        for foreign in (self.other_photo, upload(self.inspector2, "garbage.inspection.line"), self.chatter_file):
            # the checks are created after their inspection: the refusal rolls the whole save back, as the
            # server does for every refused call (the savepoint stands for it)
            with self.assertRaisesRegex(AccessError, "Only photos you upload for this record"), self.env.cr.savepoint():
                Inspection.create(vals([photo.id, foreign.id]))
            self.assertEqual(Inspection.search_count([]), count)
            self.assertEqual((photo.res_model, photo.res_id), ("garbage.inspection.line", 0))
        inspection = Inspection.create(vals(photo.ids))
        line = inspection.line_ids.filtered(lambda line: line.item_id == item)
        self.assertEqual(line.photo_ids, photo)
        self.assertEqual((photo.res_model, photo.res_id), ("garbage.inspection.line", line.id))

    def test_inspector_links_no_file_of_another_record_to_a_check(self):
        inspection = self._inspection(self.own_unit, source="patrol", user=self.inspector)
        line = inspection.line_ids[0].with_user(self.inspector)
        others = {
            "another unit's inspection photo": self.other_photo,
            "a chatter attachment": self.chatter_file,
            "another inspector's fresh upload": upload(self.inspector2, "garbage.inspection.line"),
            "an upload for another kind of record": upload(self.inspector, "garbage.rectification"),
            "a file of another check": upload(self.inspector, "garbage.inspection.line", inspection.line_ids[1].id),
            "a binary field's file": self.field_file,
        }
        for what, attachment in others.items():
            with self.subTest(what):
                self.assertRefused(line, "photo_ids", {"photo_ids": [(4, attachment.id)]}, attachment)
                self.assertRefused(line, "photo_ids", {"photo_ids": [(6, 0, attachment.ids)]}, attachment)
                self.assertRefused(line, "photo_ids", {"photo_ids": attachment.ids}, attachment)
        # nor a file created or changed through the field, nor a missing one
        no_file = self.env["ir.attachment"]
        self.assertRefused(line, "photo_ids", {"photo_ids": [(0, 0, {"name": "x.png", "datas": PHOTO_PNG})]}, no_file)
        self.assertRefused(
            line, "photo_ids", {"photo_ids": [(1, self.other_photo.id, {"name": "x"})]}, self.other_photo
        )
        self.assertRefused(line, "photo_ids", {"photo_ids": [(4, 999999999)]}, no_file)
        # one fresh upload goes to one check only
        photo = upload(self.inspector, "garbage.inspection.line")
        self.assertRefused(
            inspection.line_ids[:2].with_user(self.inspector), "photo_ids", {"photo_ids": [(4, photo.id)]}, photo
        )
        # the legitimate paths: a fresh upload, one uploaded for this saved check, the photos it has kept
        here = upload(self.inspector, "garbage.inspection.line", line.id)
        line.write({"photo_ids": [(4, photo.id), (4, here.id)]})
        self.assertEqual(line.photo_ids, photo | here)
        self.assertEqual((photo.res_model, photo.res_id), ("garbage.inspection.line", line.id))
        line.write({"photo_ids": [(6, 0, (photo | here).ids)]})
        line.write({"photo_ids": [(3, here.id)]})
        self.assertEqual(line.photo_ids, photo)

    def test_liaison_hands_in_no_other_photo_as_the_after(self):
        rectification = self.rectification.with_user(self.liaison)
        # a rectification of their own village, yet another's photos
        verified_after = upload(self.liaison, "garbage.rectification", self.second_rectification.id, "after.png")
        self.second_rectification.with_user(self.liaison).photo_after_ids = [(4, verified_after.id)]
        others = {
            "its own before photo": self.own_photo,
            "another rectification's after photo": verified_after,
            "a chatter attachment of another rectification": self.chatter_file,
            "the inspector's fresh upload": upload(self.inspector, "garbage.rectification"),
        }
        for what, attachment in others.items():
            with self.subTest(what):
                self.assertRefused(
                    rectification, "photo_after_ids", {"photo_after_ids": [(4, attachment.id)]}, attachment
                )
        with self.assertRaisesRegex(UserError, "After"):
            rectification.action_submit()
        self.assertEqual(rectification.state, "open")
        # the photo taken at the site once it is put right, uploaded from the rectification's form
        after = upload(self.liaison, "garbage.rectification", rectification.id)
        rectification.photo_after_ids = [(4, after.id)]
        self.assertIs(rectification.action_submit(), True)
        self.assertEqual(self.rectification.photo_after_ids, after)
        # the rechecking inspector sees it
        self.assertEqual(self.rectification.with_user(self.inspector).photo_after_ids.datas, PHOTO_PNG)

    def test_photos_stay_with_their_record_and_history(self):
        """Nobody moves a file onto another record to pass the check, nor replaces or deletes the photos of a
        done inspection or a verified rectification (the task force may); the photos of open work may go."""
        liaison_file = self.chatter_file.with_user(self.liaison)
        with self.assertRaisesRegex(AccessError, "stays with the record"):
            liaison_file.write({"res_id": self.rectification.id})
        self.assertEqual(self.chatter_file.res_id, self.second_rectification.id)
        # the rectification is put right and verified: its photos are history
        rectification = self.rectification.with_user(self.liaison)
        after = upload(self.liaison, "garbage.rectification", rectification.id)
        rectification.photo_after_ids = [(4, after.id)]
        rectification.action_submit()
        self.rectification.with_user(self.inspector).action_verify()
        content = after.datas
        for user, photo in ((self.liaison, after), (self.inspector, after), (self.inspector, self.own_photo)):
            with self.subTest(user=user.login, photo=photo.name):
                with self.assertRaisesRegex(AccessError, "part of its history"):
                    photo.with_user(user).write({"datas": base64.b64encode(b"GIF89a")})
                with self.assertRaisesRegex(AccessError, "part of its history"):
                    photo.with_user(user).unlink()
                self.assertTrue(photo.exists())
        self.assertEqual((after.datas, self.rectification.photo_after_ids), (content, after))
        self.assertEqual(self.rectification.photo_before_ids, self.own_photo)
        # the photos of work still open may be replaced; the task force corrects history
        second = upload(self.liaison, "garbage.rectification", self.second_rectification.id)
        second.with_user(self.liaison).unlink()
        self.assertFalse(second.exists())
        after.with_user(self.manager).write({"name": "after-corrected.png"})
        after.with_user(self.manager).unlink()
        self.assertFalse(self.rectification.photo_after_ids)

    def test_inspector_before_photos(self):
        rectification = self.rectification.with_user(self.inspector)
        self.assertRefused(
            rectification, "photo_before_ids", {"photo_before_ids": [(4, self.other_photo.id)]}, self.other_photo
        )
        # the photos the engine copied from the check stay, a fresh one joins them
        more = upload(self.inspector, "garbage.rectification")
        rectification.write({"photo_before_ids": [(6, 0, [self.own_photo.id, more.id])]})
        self.assertEqual(self.rectification.photo_before_ids, self.own_photo | more)
        self.assertEqual((more.res_model, more.res_id), ("garbage.rectification", self.rectification.id))
        # the liaison does not choose the "before" at all (guarded)
        with self.assertRaises(AccessError):
            self.rectification.with_user(self.liaison).write({"photo_before_ids": [(3, more.id)]})

    def test_duty_photos(self):
        setup_volunteers(self)
        liaison = new_test_user(self.env, login="t_duty_liaison", groups=GROUP + "liaison")
        self.unit.user_ids = [(4, liaison.id)]
        Duty = self.env["garbage.volunteer.duty"]
        for user in (self.coordinator, liaison):
            with self.subTest(user.login):
                count = Duty.search_count([])
                with self.assertRaisesRegex(AccessError, "Only photos you upload for this record"):
                    Duty.with_user(user).create({"site_id": self.site.id, "photo_ids": [(4, self.other_photo.id)]})
                self.assertEqual(Duty.search_count([]), count)
                photo = upload(user, "garbage.volunteer.duty")
                duty = Duty.with_user(user).create({"site_id": self.site.id, "photo_ids": [(4, photo.id)]})
                self.assertEqual((photo.res_model, photo.res_id), (duty._name, duty.id))
                self.assertRefused(duty, "photo_ids", {"photo_ids": [(4, self.chatter_file.id)]}, self.chatter_file)
        # the engine links what it needs
        duty.sudo().photo_ids = [(4, self.other_photo.id)]
        self.assertIn(self.other_photo, duty.photo_ids)


@tagged("post_install", "-at_install")
class TestPhotoLinksRpc(HttpCase):
    """Over the wire, as the phone does it: upload, then save; and the same save with another record's file."""

    def test_upload_then_link_over_rpc(self):
        inspector = self.env.ref("garbage_sorting.user_inspector_demo")
        inspection = (
            self.env["garbage.inspection"]
            .with_user(inspector)
            .create(
                {
                    "unit_id": self.env["garbage.unit"].search([("name", "=", "青山村")], limit=1).id,
                    "source": "patrol",
                    "template_id": self.env.ref("garbage_sorting.garbage_inspection_template_standard").id,
                }
            )
        )
        line = inspection.line_ids[0]
        # a photo of another check, that the inspector reads
        other_line = self.env["garbage.inspection.line"].search([("inspection_id", "!=", inspection.id)], limit=1)
        foreign = self.env["ir.attachment"].create(
            {"name": "other.png", "datas": PHOTO_PNG, "res_model": other_line._name, "res_id": other_line.id}
        )
        self.assertTrue(foreign.with_user(inspector).datas)
        self.authenticate("inspector", "inspector")
        response = self.opener.post(
            f"{self.base_url()}/web/binary/upload_attachment",
            files={"ufile": ("bin-site.png", base64.b64decode(PHOTO_PNG), "image/png")},
            data={"csrf_token": odoo.http.Request.csrf_token(self), "model": "garbage.inspection.line", "id": 0},
        )
        response.raise_for_status()
        photo = self.env["ir.attachment"].browse(response.json()[0]["id"])
        self.assertEqual((photo.res_model, photo.res_id, photo.create_uid), (line._name, 0, inspector))

        def save(attachment):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw/garbage.inspection/web_save",
                {
                    "model": "garbage.inspection",
                    "method": "web_save",
                    "args": [inspection.ids, {"line_ids": [(1, line.id, {"photo_ids": [(4, attachment.id)]})]}],
                    "kwargs": {"specification": {"line_ids": {"fields": {"photo_ids": {}}}}},
                },
            )

        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            save(foreign)
        self.assertFalse(line.photo_ids)
        save(photo)
        self.assertEqual(line.photo_ids, photo)
        self.assertEqual((photo.res_model, photo.res_id), (line._name, line.id))
