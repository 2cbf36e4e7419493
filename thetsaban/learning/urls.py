from django.urls import path

from thetsaban.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.Index.as_view(), name="index"),
    path("calendar.ics", views.LeagueCalendar.as_view(), name="calendar"),
    path("centres/<slug:region>/", views.CentrePage.as_view(), name="centre"),
    path("centres/<slug:region>/calendar.ics", views.CentreCalendar.as_view(), name="centre_calendar"),
    path("centres/<slug:region>/staff/", views.Grant.as_view(), name="grant"),
    path("centres/<slug:region>/staff/<int:pk>/revoke/", views.Revoke.as_view(), name="revoke"),
    path("centres/<slug:region>/events/new/", views.EventEdit.as_view(), name="event_new"),
    path("events/<int:pk>/", views.EventDetail.as_view(), name="event"),
    path("events/<int:pk>/edit/", views.EventEdit.as_view(), name="event_edit"),
    path("events/<int:pk>/register/", views.Register.as_view(), name="register"),
    path("events/<int:pk>/cancel/", views.Cancel.as_view(), name="cancel"),
    path("events/<int:pk>/attendance/", views.Attendance.as_view(), name="attendance"),
    path("events/<int:pk>/attendance/<int:registration>/coach-training/", views.RecordTraining.as_view(),
         name="record_training"),
    path("events/<int:pk>/feedback/", views.FeedbackPage.as_view(), name="feedback"),
    path("certificates/<int:pk>.pdf", views.Certificate.as_view(), name="certificate"),
    path("certificates/verify/", views.Verify.as_view(), name="verify"),
    path("courses/", views.CourseList.as_view(), name="courses"),
    path("courses/new/", views.CourseEdit.as_view(), name="course_new"),
    path("courses/<int:pk>/", views.CourseDetail.as_view(), name="course"),
    path("courses/<int:pk>/edit/", views.CourseEdit.as_view(), name="course_edit"),
    path("courses/<int:course>/modules/new/", views.ModuleEdit.as_view(), name="module_new"),
    path("modules/<int:pk>/edit/", views.ModuleEdit.as_view(), name="module_edit"),
    path("courses/<int:pk>/enrol/", views.Enrol.as_view(), name="enrol"),
    path("courses/<int:pk>/progress/", views.Progress.as_view(), name="progress"),
    path("courses/<int:pk>/learners/", views.Learners.as_view(), name="learners"),
    path("courses/<int:pk>/learners/<int:enrolment>/complete/", views.Complete.as_view(), name="complete"),
    path("modules/<int:module>/materials/new/", views.MaterialEdit.as_view(), name="material_new"),
    path("materials/<int:pk>/", views.MaterialFile.as_view(), name="material"),
    path("materials/<int:pk>/edit/", views.MaterialEdit.as_view(), name="material_edit"),
    path("materials/<int:pk>/delete/", views.MaterialDelete.as_view(), name="material_delete"),
]
