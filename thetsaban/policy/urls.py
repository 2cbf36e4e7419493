from django.urls import path

from thetsaban.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("new/", views.recommendation_edit, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("report/", views.report_page, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.docx", views.report_docx, name="report_docx"),
    path("issues/<int:issue_pk>/promote/", views.promote_issue, name="promote_issue"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("<int:pk>/files/<int:update_pk>/", views.update_attachment, name="update_attachment"),
    path("<int:pk>/edit/", views.recommendation_edit, name="edit"),
    path("<int:pk>/update/", views.recommendation_update, name="update"),
]
