from django.urls import path

from thetsaban.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("map/", views.practice_map, name="map"),
    path("map.json", views.map_data, name="map_data"),
    path("review/", views.review_queue, name="review_queue"),
    path("mine/", views.my_work, name="mine"),
    path("new/", views.practice_edit, name="create"),
    path("<int:pk>/", views.practice_detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/edit/", views.practice_edit, name="edit"),
    path("<int:pk>/submit/", views.practice_submit, name="submit"),
    path("<int:pk>/publish/", views.practice_publish, name="publish"),
    path("<int:pk>/return/", views.practice_return, name="return"),
]
