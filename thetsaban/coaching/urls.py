from django.urls import path

from thetsaban.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.coach_list, name="list"),
    path("<int:pk>/", views.coach_detail, name="coach"),
    path("apply/", views.apply, name="apply"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/trainings/", views.add_training, name="add_training"),
    path("competencies/<int:pk>/confirm/", views.confirm_competency, name="confirm_competency"),
    path("coverage/", views.coverage, name="coverage"),
    path("import/", views.import_coaches, name="import"),
    path("export/", views.export_coaches, name="export"),
]
