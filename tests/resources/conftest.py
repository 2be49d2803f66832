"""The resource tests use the shared ``wiki`` fixture from tests/conftest.py."""
