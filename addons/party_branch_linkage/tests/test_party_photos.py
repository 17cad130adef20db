from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PartyCase

PHOTO_PNG = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPQqzUCAAG6AN7Eir+IAAAAAElFTkSuQmCC"
REFUSED = "Only photos you upload for this record"


@tagged("post_install", "-at_install")
class TestPartyPhotos(PartyCase):
    """A meeting's and a highlight's photos are the secretary's own uploads for them: no file of another
    organisation's record (linked over RPC) passes for the photo of their own activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Project = cls.env["party.brand.project"]
        cls.village_project = Project.create({"name": "Village Brand", "organization_ids": cls.village_branch.ids})
        cls.community_project = Project.create(
            {"name": "Community Brand", "organization_ids": cls.community_branch.ids}
        )
        cls.other_photo = cls._upload(cls.other_secretary, "party.brand.highlight")
        cls.other_highlight = (
            cls.env["party.brand.highlight"]
            .with_user(cls.other_secretary)
            .create({"name": "社区积分兑换", "project_id": cls.community_project.id, "photo_ids": cls.other_photo.ids})
        )
        cls.start = fields.Datetime.now() + timedelta(days=3)

    @classmethod
    def _upload(cls, user, model, res_id=0):
        return (
            cls.env["ir.attachment"]
            .with_user(user)
            .create({"name": "photo.png", "datas": PHOTO_PNG, "res_model": model, "res_id": res_id})
        )

    def test_highlight_photos(self):
        # the other secretary's upload went with their highlight
        self.assertEqual(
            (self.other_photo.res_model, self.other_photo.res_id), ("party.brand.highlight", self.other_highlight.id)
        )
        Highlight = self.env["party.brand.highlight"].with_user(self.secretary)
        count = Highlight.search_count([])
        values = {"name": "垃圾分类进家门", "project_id": self.village_project.id}
        with self.assertRaisesRegex(AccessError, REFUSED):
            Highlight.create({**values, "photo_ids": [(4, self.other_photo.id)]})
        self.assertEqual(Highlight.search_count([]), count)
        photo = self._upload(self.secretary, "party.brand.highlight")
        highlight = Highlight.create({**values, "photo_ids": [(4, photo.id)]})
        self.assertEqual((photo.res_model, photo.res_id), (highlight._name, highlight.id))
        with self.assertRaisesRegex(AccessError, REFUSED):
            highlight.write({"photo_ids": [(6, 0, (photo | self.other_photo).ids)]})
        self.assertEqual(highlight.photo_ids, photo)
        self.assertEqual(self.other_photo.res_id, self.other_highlight.id)
        # one uploaded from the saved highlight's form joins the first
        more = self._upload(self.secretary, "party.brand.highlight", highlight.id)
        highlight.write({"photo_ids": [(4, more.id)]})
        self.assertEqual(highlight.photo_ids, photo | more)

    def test_meeting_photos(self):
        Event = self.env["calendar.event"].with_user(self.secretary)
        count = Event.search_count([])
        for foreign in (self.other_photo, self._upload(self.other_secretary, "calendar.event")):
            with self.assertRaisesRegex(AccessError, REFUSED):
                Event.create(self._meeting_vals(foreign))
            self.assertEqual(Event.search_count([]), count)
        photo = self._upload(self.secretary, "calendar.event")
        meeting = Event.create(self._meeting_vals(photo))
        self.assertEqual(meeting.party_photo_ids, photo)
        self.assertEqual((photo.res_model, photo.res_id), ("calendar.event", meeting.id))
        # a file in another meeting's chatter is not a photo of this one
        other_meeting = Event.create({**self._meeting_vals(self.env["ir.attachment"]), "name": "支委会"})
        chatter_file = self._upload(self.secretary, "calendar.event", other_meeting.id)
        with self.assertRaisesRegex(AccessError, REFUSED):
            meeting.write({"party_photo_ids": [(4, chatter_file.id)]})
        self.assertEqual(meeting.party_photo_ids, photo)
        # nor is a file created through the field
        with self.assertRaisesRegex(AccessError, "uploaded first"):
            meeting.write({"party_photo_ids": [(0, 0, {"name": "x.png", "datas": PHOTO_PNG})]})
        self.assertEqual(meeting.party_photo_ids, photo)

    def _meeting_vals(self, photos):
        return {
            "name": "村党支部主题党日",
            "party_meeting_kind": "work",
            "party_organizer_unit_id": self.village.id,
            "start": self.start,
            "stop": self.start + timedelta(hours=2),
            "party_photo_ids": [(6, 0, photos.ids)],
        }
