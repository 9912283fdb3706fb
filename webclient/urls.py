"""One route: the HTML shell. The client's screens are hash routes inside it (#/feed, …)."""

from django.urls import path

from webclient.views import index

app_name = "webclient"
urlpatterns = [path("", index, name="index")]
