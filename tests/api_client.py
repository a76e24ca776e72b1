"""A test client for /api/v1/ that logs in the way integrations do: a bearer token from /auth/token."""

import json

from django.test import Client

from tests.factories import PASSWORD

BASE = "/api/v1"


def declared_statuses(method: str, path: str) -> set[int]:
    """The status codes the OpenAPI schema declares for an operation (path as in ``ApiClient``)."""
    from sangathan.api import api

    return {int(code) for code in api.get_openapi_schema()["paths"][BASE + path][method.lower()]["responses"]}


class ApiClient:
    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.token = token

    @classmethod
    def login(cls, user, password: str = PASSWORD) -> "ApiClient":
        api = cls()
        response = api.post("/auth/token", {"mobile": user.mobile, "password": password})
        assert response.status_code == 200, response.content
        api.token = response.json()["token"]
        return api

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(BASE + path, params or {}, headers=self._headers())

    def _send(self, method: str, path: str, data, raw: bool):
        body = data if raw else json.dumps(data)
        return getattr(self.client, method)(BASE + path, body, content_type="application/json",
                                            headers=self._headers())

    def post(self, path: str, data=None, *, raw: bool = False):
        return self._send("post", path, data, raw)

    def patch(self, path: str, data=None, *, raw: bool = False):
        return self._send("patch", path, data, raw)

    def delete(self, path: str):
        return self.client.delete(BASE + path, headers=self._headers())
