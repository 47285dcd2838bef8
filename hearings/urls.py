"""URLs of the hearings app outside the page tree: attachment downloads."""

from django.urls import path

from hearings import views

app_name = "hearings"

urlpatterns = [
    path("<int:pk>/", views.download_attachment, name="attachment"),
]
