from . import test_assessment, test_obligation, test_publication, test_unit
