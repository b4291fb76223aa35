"""`streamlit run` with each browser session's send queue watched, for diagnosis only.

    python bench/send_queue_probe.py LOG.jsonl run app.py --server.port 8501 ...

Streamlit 1.67 queues every message for a browser tab in an asyncio.Queue of at most 500 entries
(web/server/starlette/starlette_server_config.py, WEBSOCKET_MAX_SEND_QUEUE_SIZE); when it is full,
StarletteSessionClient.write_forward_msg marks the client closed and raises
SessionClientDisconnectedError, and the runtime disconnects the session: its script is stopped and
every later message from that tab (a click) is discarded, while the websocket itself stays open.

This wrapper logs, as JSON lines: every half second and per client, the messages and bytes queued and
the queue's depth ({"t", "client", "msgs", "bytes", "depth"}); the overflow that drops a session
({"event": "overflow"}); and each message from a browser with whether its session was still
connected ({"event": "backmsg", "connected"}). Times are time.monotonic().
"""
from __future__ import annotations

import json
import sys
import threading
import time

from streamlit.runtime import runtime as runtime_module
from streamlit.web.server.starlette import starlette_websocket as ws

LOG = open(sys.argv.pop(1), "w", buffering=1)
_lock = threading.Lock()
_stats: dict[int, dict] = {}


def _log(**record) -> None:
    with _lock:
        LOG.write(json.dumps({"t": round(time.monotonic(), 3), **record}) + "\n")


_write = ws.StarletteSessionClient.write_forward_msg


def write_forward_msg(self, msg):
    now = time.monotonic()
    s = _stats.setdefault(id(self), {"since": now, "msgs": 0, "bytes": 0})
    s["msgs"] += 1
    s["bytes"] += msg.ByteSize()
    try:
        _write(self, msg)
    except Exception as exc:
        _log(event="overflow", client=id(self), depth=self._send_queue.qsize(), error=type(exc).__name__)
        raise
    if now - s["since"] >= 0.5:
        _log(client=id(self), msgs=s["msgs"], bytes=s["bytes"], seconds=round(now - s["since"], 3),
             depth=self._send_queue.qsize())
        s.update(since=now, msgs=0, bytes=0)


_handle = runtime_module.Runtime.handle_backmsg


def handle_backmsg(self, session_id, msg, *, client=None):
    connected = self._session_mgr.get_active_session_info(session_id) is not None
    _log(event="backmsg", kind=msg.WhichOneof("type"), connected=connected, client=id(client))
    return _handle(self, session_id, msg, client=client)


ws.StarletteSessionClient.write_forward_msg = write_forward_msg
runtime_module.Runtime.handle_backmsg = handle_backmsg

if __name__ == "__main__":
    from streamlit.web import cli

    sys.exit(cli.main())
