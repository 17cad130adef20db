"""A unit not assessed has no score, base score nor rank (NULL, shown "—"), and a source that did not inspect
the unit no mean: the analyses' averages count only what was assessed. The lines computed before stored 0."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE garbage_assessment
           SET score = CASE WHEN result = 'none' THEN NULL ELSE score END,
               base_score = CASE WHEN result = 'none' THEN NULL ELSE base_score END,
               rank = CASE WHEN result = 'none' THEN NULL ELSE rank END,
               patrol_mean = CASE WHEN 'patrol' = ANY(string_to_array(COALESCE(sources, ''), ','))
                                  THEN patrol_mean END,
               mutual_mean = CASE WHEN 'mutual' = ANY(string_to_array(COALESCE(sources, ''), ','))
                                  THEN mutual_mean END,
               self_mean = CASE WHEN 'self' = ANY(string_to_array(COALESCE(sources, ''), ',')) THEN self_mean END
        """
    )
