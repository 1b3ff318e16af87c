from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("definitions/", views.definitions_page, name="definitions"),
    path("export/<slug:table>.csv", views.export, name="export"),
]
