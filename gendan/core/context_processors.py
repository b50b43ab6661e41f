from django.conf import settings


def navigation(request):
    user = getattr(request, "user", None)
    roles = set(user.role_codes()) if user is not None and user.is_authenticated else set()
    return {"company_name": settings.GENDAN_COMPANY_NAME, "user_roles": roles}
