from django.urls import path

from gendan.followup import views

app_name = "followup"
urlpatterns = [
    path("milestones/", views.milestone_list, name="milestone_list"),
    path("milestones/<int:pk>/form/<str:kind>/", views.milestone_form, name="milestone_form"),
    path("milestones/<int:pk>/evidence/", views.milestone_evidence, name="milestone_evidence"),
    path("milestones/<int:pk>/<str:action>/", views.milestone_action, name="milestone_action"),
    path("orders/<int:order_pk>/plan/", views.order_plan, name="order_plan"),
    path("orders/<int:order_pk>/activities/", views.activity_add, name="activity_add"),
    path("orders/<int:order_pk>/shipping-dates/", views.plan_shipping_dates, name="plan_shipping_dates"),
    path("orders/<int:order_pk>/events/", views.plan_event, name="plan_event"),
    path("orders/<int:order_pk>/delay-notice/", views.delay_notice_draft, name="delay_notice_draft"),
    path("delay-notices/<int:pk>/", views.delay_notice, name="delay_notice"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:template_pk>/steps/new/", views.template_step, name="template_step_add"),
    path("templates/<int:template_pk>/steps/<int:pk>/", views.template_step, name="template_step"),
    path("team/", views.team, name="team"),
    path("department-owners/", views.department_owners, name="department_owners"),
    path("orders/<int:order_pk>/reassign/", views.reassign, name="reassign"),
    path("timeline/", views.timeline, name="timeline"),
    path("notifications/", views.notification_list, name="notifications"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
]
