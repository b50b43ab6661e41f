from django.urls import path

from gendan.core import views

app_name = "core"
urlpatterns = [
    path("", views.calendar_year_list, name="calendar_years"),
    path("<int:year>/", views.calendar_year_edit, name="calendar_year"),
]
