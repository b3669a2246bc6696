# html-validate, as tests/test_valid_html.py runs it, for the import pages.
from tests.test_valid_html import validate  # noqa: F401
