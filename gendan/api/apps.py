from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gendan.api"
    label = "api"
    verbose_name = "API"
