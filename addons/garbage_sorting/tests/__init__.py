from . import test_assessment, test_concurrent_publish, test_obligation, test_publication, test_unit
