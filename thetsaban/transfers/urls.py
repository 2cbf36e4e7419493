from django.urls import path

from thetsaban.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.ProjectList.as_view(), name="list"),
    path("new/", views.ProjectEdit.as_view(), name="create"),
    path("import/", views.project_import, name="import"),
    path("export.<str:fmt>", views.ProjectExport.as_view(), name="export"),
    path("<int:pk>/", views.ProjectDetail.as_view(), name="project"),
    path("<int:pk>/edit/", views.ProjectEdit.as_view(), name="edit"),
    path("<int:pk>/status/", views.ProjectStatusChange.as_view(), name="status"),
    path("<int:pk>/evaluation/", views.EvaluationEdit.as_view(), name="evaluation"),
    path("<int:pk>/reports/add/", views.ReportEdit.as_view(), name="report_add"),
    path("<int:pk>/reports/<int:report_pk>/", views.ReportDetail.as_view(), name="report"),
    path("<int:pk>/reports/<int:report_pk>/edit/", views.ReportEdit.as_view(), name="report_edit"),
    path("<int:pk>/<slug:kind>/add/", views.PartEdit.as_view(), name="part_add"),
    path("<int:pk>/<slug:kind>/<int:part_pk>/edit/", views.PartEdit.as_view(), name="part_edit"),
    path("<int:pk>/<slug:kind>/<int:part_pk>/delete/", views.PartDelete.as_view(), name="part_delete"),
]
