"""A month once published is history even after it is reopened (`published_once`, never deleted). On an existing
database, the months published now, and those reopened since a publication: with escalations (only a publication
creates them), or with a publication date in their chatter's tracking (`date_published` is cleared on reopening)."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE garbage_assessment_period period
           SET published_once = TRUE
         WHERE period.state = 'published'
            OR period.date_published IS NOT NULL
            OR EXISTS (SELECT 1 FROM garbage_escalation escalation WHERE escalation.period_id = period.id)
            OR EXISTS (
                   SELECT 1
                     FROM mail_tracking_value tracking
                     JOIN mail_message message ON message.id = tracking.mail_message_id
                     JOIN ir_model_fields field ON field.id = tracking.field_id
                    WHERE message.model = 'garbage.assessment.period'
                      AND message.res_id = period.id
                      AND field.model = 'garbage.assessment.period'
                      AND field.name = 'date_published'
                      AND tracking.new_value_datetime IS NOT NULL
               )
        """
    )
