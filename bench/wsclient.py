"""A minimal Streamlit protocol client: one browser tab's worth of WebSocket traffic, no browser.

It speaks Streamlit's own messages (``streamlit.proto`` ``BackMsg`` out, ``ForwardMsg`` in) over
``/_stcore/stream``, the way the frontend does: the ``streamlit`` subprotocol, a ``rerun_script``
``BackMsg`` carrying a ``ClientState`` (query string, page, widget states, the hashes of the
messages it already holds), then ``ForwardMsg``s until ``script_finished``. A rerun is timed from
sending the request to that message, which is what Streamlit's running indicator spans.

Pages are addressed as the frontend addresses them: the first run of a session by the URL path
(``page_name``, e.g. ``"map"``; ``""`` is the default page), later page switches by the page's
``page_script_hash`` from the app's ``navigation`` message. A new authority or indicator is a
selectbox change (``widget_states``), as when a user picks one in the sidebar.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
}


ERROR_ALERT = Alert.Format.ERROR


class RerunFailed(Exception):
    """A rerun did not finish cleanly: an exception element, a compile error, a closed stream."""


@dataclass
class Run:
    """What one rerun produced, as a browser would have received it."""

    seconds: float
    messages: int
    bytes: int
    headings: list[str] = field(default_factory=list)
    charts: int = 0
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # st.error boxes: the page's own one-sentence failures
    page_hash: str = ""


@dataclass
class Widget:
    id: str
    options: list[str]
    value: str | None


class Session:
    """One Streamlit session over a WebSocket (``async with Session(url) as s: await s.rerun()``)."""

    def __init__(
        self,
        base_url: str,
        *,
        origin: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = origin
        self.headers = headers or {}
        self.timeout = timeout
        self.ws: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # url path -> page_script_hash, from the navigation message
        self.page_hash = ""
        self.query = ""
        self.widgets: dict[str, Widget] = {}  # selectbox label -> state seen in the last run
        self.cache: dict[str, ForwardMsg] = {}  # messages a browser would keep and announce
        self.session_id = ""
        self.response_headers: dict[str, str] = {}

    async def __aenter__(self) -> Session:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        ws_url = self.base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/_stcore/stream"
        self.ws = await asyncio.wait_for(
            connect(
                ws_url,
                subprotocols=["streamlit"],  # the frontend's first entry; no XSRF token (no Origin sent)
                origin=self.origin,
                additional_headers=self.headers,
                max_size=None,  # the map page's figure is large; the browser has no cap either
                open_timeout=self.timeout,
                ping_interval=None,  # Streamlit's own app heartbeat keeps browsers alive, not pings
                proxy=None,  # straight to the server, whatever proxy the environment names
            ),
            self.timeout,
        )
        self.response_headers = {k.lower(): v for k, v in self.ws.response.headers.raw_items()}

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def rerun(
        self,
        page: str | None = None,
        *,
        query: str | None = None,
        choose: dict[str, str] | None = None,
    ) -> Run:
        """Run the script once and wait for ``script_finished``.

        ``page`` is a URL path (``""`` the default page, ``"map"``...); ``None`` stays on the page.
        ``query`` replaces the query string (``"authority=E09000007"``). ``choose`` picks selectbox
        options by label, e.g. ``{"Local authority": "Camden"}``; an option not offered raises ``KeyError``.
        """
        if self.ws is None:
            raise RuntimeError("session not open")
        msg = BackMsg()
        cs = msg.rerun_script
        if query is not None:
            self.query = query
        cs.query_string = self.query
        if page is not None:
            if self.pages:  # a page switch inside the app, as the frontend does it
                self.page_hash = self.pages[page]
                cs.page_script_hash = self.page_hash
            else:  # the first load: the URL path names the page
                cs.page_name = page
        else:
            cs.page_script_hash = self.page_hash
        for label, option in (choose or {}).items():
            w = self.widgets[label]
            if option not in w.options:
                raise KeyError(f"{label!r} does not offer {option!r}")
            ws = cs.widget_states.widgets.add()
            ws.id = w.id
            ws.string_value = option
        cs.cached_message_hashes.extend(self.cache)
        cs.context_info.timezone = "Europe/London"
        cs.context_info.locale = "en-GB"
        cs.context_info.url = f"{self.base_url}/{page or ''}" + (f"?{self.query}" if self.query else "")
        t = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await asyncio.wait_for(self._read_until_finished(), self.timeout)
        run.seconds = time.perf_counter() - t
        if run.exceptions:
            raise RerunFailed("; ".join(run.exceptions))
        return run

    async def _read_until_finished(self) -> Run:
        assert self.ws is not None
        run = Run(0.0, 0, 0)
        while True:
            data = await self.ws.recv()
            if isinstance(data, str):
                raise RerunFailed("text frame from the server")
            run.messages += 1
            run.bytes += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "ref_hash":  # a message this client said it holds: use its copy
                fm = self.cache[fm.ref_hash]
                kind = fm.WhichOneof("type")
            elif fm.metadata.cacheable and fm.hash:
                self.cache[fm.hash] = fm
            if kind == "new_session":
                self.session_id = fm.new_session.initialize.session_id or self.session_id
                self.page_hash = fm.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._element(fm.delta.new_element, run)
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # superseded by a newer run of this session; keep reading
                if FINISHED.get(fm.script_finished) != "ok":
                    run.exceptions.append(f"script finished: {FINISHED.get(fm.script_finished, fm.script_finished)}")
                run.page_hash = self.page_hash
                return run

    def _element(self, el, run: Run) -> None:
        kind = el.WhichOneof("type")
        if kind == "heading":
            run.headings.append(el.heading.body)
        elif kind == "plotly_chart":
            run.charts += 1
        elif kind == "exception":
            run.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
        elif kind == "alert" and el.alert.format == ERROR_ALERT:
            run.errors.append(el.alert.body[:300])
        elif kind == "selectbox":
            sb = el.selectbox
            options = list(sb.options)
            if sb.set_value or sb.raw_value:
                value: str | None = sb.raw_value
            elif 0 <= sb.default < len(options):
                value = options[sb.default]
            else:
                value = None
            self.widgets[sb.label] = Widget(sb.id, options, value)


async def one_rerun(base_url: str, page: str = "", query: str = "") -> Run:
    """Open a session, run ``page`` once, close (a smoke check of a server)."""
    async with Session(base_url) as s:
        return await s.rerun(page, query=query)


if __name__ == "__main__":  # python bench/wsclient.py http://127.0.0.1:8501 [page]
    import sys

    r = asyncio.run(one_rerun(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""))
    print(f"{r.seconds * 1000:.0f} ms, {r.messages} messages, {r.bytes} bytes, headings {r.headings[:3]}")
