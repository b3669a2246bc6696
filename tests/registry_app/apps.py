from django.apps import AppConfig


class RegistryAppConfig(AppConfig):
    """A new kind of content, installed only by tests/editorial/test_registry.py."""

    name = "tests.registry_app"
    label = "registry_app"
