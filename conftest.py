"""pytest-odoo set-up shared by the whole suite."""

import pytest

import odoo.http


@pytest.fixture(scope="session", autouse=True)
def warm_http_statics(load_http):
    """Read every addon manifest once before the test HTTP server gets concurrent requests.

    Python 3.11 before 3.11.8 can fail ast.parse when two threads parse at once (CPython gh-106905),
    and Odoo reads the manifests lazily on the first requests of a threaded server.
    """
    _ = odoo.http.root.statics
    yield
