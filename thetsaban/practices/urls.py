from django.urls import path

from thetsaban.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.PracticeList.as_view(), name="list"),
    path("map/", views.PracticeMap.as_view(), name="map"),
    path("map.json", views.MapData.as_view(), name="map_data"),
    path("review/", views.ReviewQueue.as_view(), name="review_queue"),
    path("mine/", views.MyWork.as_view(), name="mine"),
    path("new/", views.PracticeEdit.as_view(), name="create"),
    path("<int:pk>/", views.PracticeDetail.as_view(), name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.Attachment.as_view(), name="attachment"),
    path("<int:pk>/edit/", views.PracticeEdit.as_view(), name="edit"),
    path("<int:pk>/submit/", views.PracticeSubmit.as_view(), name="submit"),
    path("<int:pk>/publish/", views.PracticePublish.as_view(), name="publish"),
    path("<int:pk>/return/", views.PracticeReturn.as_view(), name="return"),
]
