from django.urls import path

from thetsaban.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.CoachList.as_view(), name="list"),
    path("<int:pk>/", views.CoachDetail.as_view(), name="coach"),
    path("apply/", views.Apply.as_view(), name="apply"),
    path("review/", views.ReviewQueue.as_view(), name="review_queue"),
    path("<int:pk>/approve/", views.Approve.as_view(), name="approve"),
    path("<int:pk>/reject/", views.Reject.as_view(), name="reject"),
    path("<int:pk>/trainings/", views.AddTraining.as_view(), name="add_training"),
    path("competencies/<int:pk>/confirm/", views.ConfirmCompetency.as_view(), name="confirm_competency"),
    path("coverage/", views.coverage, name="coverage"),
    path("import/", views.import_coaches, name="import"),
    path("export/", views.ExportCoaches.as_view(), name="export"),
]
