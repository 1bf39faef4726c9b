"""The signed-in person's own account: profile, two-factor sign-in and API tokens.

These pages change only the person's own security settings, so a read-only (leadership) account
may use them too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from haidang.apps.accounts.models import ApiToken
from haidang.apps.accounts.selectors import requires_two_factor, token_list, totp_device_confirmed
from haidang.apps.accounts.services import token_create, token_revoke
from haidang.apps.web.access import form_data, user_of
from haidang.apps.web.forms.auth import TokenCreateForm
from haidang.apps.web.forms.errors import add_service_errors


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = TokenCreateForm(form_data(request))
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = token_create(acting_user=user, user=user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = TokenCreateForm()
    context = {
        "form": form,
        "issued": issued,
        "tokens": token_list(visible_to=user).order_by("-created_at"),
        "has_two_factor": totp_device_confirmed(user) is not None,
        "two_factor_required": requires_two_factor(user),
    }
    return render(request, "web/account.html", context)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        token = token_list(visible_to=user).get(id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    token_revoke(acting_user=user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập %(prefix)s….") % {"prefix": token.prefix})
    return redirect("web:account")
