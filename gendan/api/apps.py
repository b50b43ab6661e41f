from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gendan.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from gendan.api import schema  # noqa: F401  (registers the OpenAPI extensions)
