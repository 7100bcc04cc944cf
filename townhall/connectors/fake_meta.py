"""What the fakes of Meta's Graph API share (facebook/tests/fake_graph.py and
instagram/tests/fake_graph.py): every call carries the Page token, and times are written
as the Graph API writes them."""

from datetime import UTC, datetime
from typing import Any

from townhall.connectors.fake import FakeApi, FakeRequest

OAUTH_ERROR = {"error": {"message": "Invalid OAuth access token - Cannot parse access token",
                         "type": "OAuthException", "code": 190}}


def graph_now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FakeMetaGraph(FakeApi):
    """Subclasses set `token`, the Page access token every call must carry."""

    token = ""

    def _guard(self, handler: Any) -> Any:
        """`handler`, answering Meta's OAuth error instead when the token is wrong."""
        def guarded(request: FakeRequest) -> tuple[int, Any]:
            if request.query.get("access_token") != self.token:
                return 400, OAUTH_ERROR
            return handler(request)
        return guarded
