"""A highlight's media link is a web address (http or https) from now on: a link stored before with another
scheme (`javascript:`, `data:`...) would run or open something else when clicked, so it is emptied (and logged)."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        r"""
        UPDATE party_brand_highlight
           SET media_url = NULL
         WHERE media_url IS NOT NULL AND media_url != ''
           AND media_url !~* '^https?://[^/?#\s]+([/?#]\S*)?$'
     RETURNING id
        """
    )
    if ids := [row[0] for row in cr.fetchall()]:
        _logger.warning("Media links that were no web address emptied on highlights %s", ids)
