from django.urls import path

from thetsaban.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("calendar.ics", views.league_calendar, name="calendar"),
    path("centres/<slug:region>/", views.centre, name="centre"),
    path("centres/<slug:region>/calendar.ics", views.centre_calendar, name="centre_calendar"),
    path("centres/<slug:region>/staff/", views.grant, name="grant"),
    path("centres/<slug:region>/staff/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("centres/<slug:region>/events/new/", views.event_form, name="event_new"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/edit/", views.event_form, name="event_edit"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/attendance/<int:registration>/coach-training/", views.record_training,
         name="record_training"),
    path("events/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("certificates/<int:pk>.pdf", views.certificate, name="certificate"),
    path("certificates/verify/", views.verify, name="verify"),
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("materials/<int:pk>/", views.material, name="material"),
]
