from odoo import models

from .garbage_guard_mixin import company_lang_env

TOWN_MODULES = ("garbage_sorting", "party_branch_linkage")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """The "... created" line of the records of the town's addons is in the town's language, like every
        other line their code writes, whoever creates them (see `company_lang_env`)."""
        if self._original_module in TOWN_MODULES:
            return super(MailThread, self.with_env(company_lang_env(self.env)))._creation_message()
        return super()._creation_message()
