from django.urls import path

from gendan.core import views

app_name = "core"
urlpatterns = [
    path("calendar/", views.calendar_year_list, name="calendar_years"),
    path("calendar/<int:year>/", views.calendar_year_edit, name="calendar_year"),
    path("company/", views.company_profile_edit, name="company_profile"),
    path("company/logo/", views.company_logo, name="company_logo"),
]
