"""Issue 20: the live bus works where `make run` serves the pages (threaded mode, one port)."""

import json

from odoo.addons.bus.tests.common import WebsocketCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestLiveBusOnThePagesPort(WebsocketCase):
    def test_a_notification_arrives_over_the_websocket_of_the_http_port(self):
        # The test server runs threaded, as `make run` does (workers = 0): the websocket is on the pages' port.
        self.assertTrue(self._BASE_WEBSOCKET_URL.endswith(f":{self.http_port()}/websocket"))
        websocket = self.websocket_connect()
        self.subscribe(websocket, ["garbage_sorting_live"], self.env["bus.bus"]._bus_last_id())
        self.env["bus.bus"]._sendone("garbage_sorting_live", "garbage_sorting/ping", "值守提醒")
        self.trigger_notification_dispatching(["garbage_sorting_live"])
        notifications = json.loads(websocket.recv())
        self.assertEqual(notifications[0]["message"]["payload"], "值守提醒")
