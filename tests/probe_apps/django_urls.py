"""URLs for the Django probe apps."""

from django.http import JsonResponse
from django.urls import path


def account(request):
    return JsonResponse({"balance": 10})


urlpatterns = [path("api/account/", account)]
