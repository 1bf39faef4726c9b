"""Bearer-token authentication for the API, and who the token belongs to."""

from django.http import HttpRequest
from ninja import Router
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from haidang.apps.accounts.models import User
from haidang.apps.accounts.schemas import MeOut
from haidang.apps.accounts.services import token_authenticate


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``. The API has no session login, so no CSRF exposure."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_authenticate(token)


def request_user(request: HttpRequest) -> User:
    """The user whose token authenticated ``request``."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        # Only reachable if an operation is mounted without auth by mistake: fail closed.
        raise AuthenticationError
    return user


router = Router(tags=["Tài khoản"])


@router.get("/me", response=MeOut, summary="Tài khoản của mã truy cập đang dùng")
def me(request: HttpRequest) -> User:
    return request_user(request)
