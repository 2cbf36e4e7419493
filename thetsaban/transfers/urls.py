from django.urls import path

from thetsaban.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_edit, name="create"),
    path("import/", views.project_import, name="import"),
    path("export.<str:fmt>", views.project_export, name="export"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/status/", views.project_status, name="status"),
    path("<int:pk>/evaluation/", views.evaluation_edit, name="evaluation"),
    path("<int:pk>/reports/add/", views.report_edit, name="report_add"),
    path("<int:pk>/reports/<int:report_pk>/", views.report_detail, name="report"),
    path("<int:pk>/reports/<int:report_pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/<slug:kind>/add/", views.part_edit, name="part_add"),
    path("<int:pk>/<slug:kind>/<int:part_pk>/edit/", views.part_edit, name="part_edit"),
    path("<int:pk>/<slug:kind>/<int:part_pk>/delete/", views.part_delete, name="part_delete"),
]
