from django.urls import path

from thetsaban.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.RecommendationList.as_view(), name="list"),
    path("new/", views.RecommendationEdit.as_view(), name="create"),
    path("coverage/", views.Coverage.as_view(), name="coverage"),
    path("report/", views.Report.as_view(), name="report"),
    path("report.xlsx", views.ReportXlsx.as_view(), name="report_xlsx"),
    path("report.docx", views.ReportDocx.as_view(), name="report_docx"),
    path("issues/<int:issue_pk>/promote/", views.PromoteIssue.as_view(), name="promote_issue"),
    path("<int:pk>/", views.RecommendationDetail.as_view(), name="recommendation"),
    path("<int:pk>/files/<int:update_pk>/", views.UpdateAttachment.as_view(), name="update_attachment"),
    path("<int:pk>/edit/", views.RecommendationEdit.as_view(), name="edit"),
    path("<int:pk>/update/", views.RecommendationUpdate.as_view(), name="update"),
]
