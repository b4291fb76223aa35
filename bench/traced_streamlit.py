"""`streamlit run …` with a trace of the events that can lose or freeze a student's run.

    python bench/traced_streamlit.py run app.py --server.port 8501

Used by `bench/bench_class.py --trace`. Each event is one line on stderr, "TRACE <time> <event>
key=value …", so a benchmark can count them from the server's log:

  connect        a websocket got a session: resumed=True when it asked for its old one and got it
  fresh_instead  a websocket asked for an old session id and got a new session (a lost run)
  disconnect     a session lost its websocket (kept for server.disconnectedSessionTTL)
  queue_full     Streamlit's per-client send queue (500 messages) overflowed: the session is
                 disconnected, but its websocket stays open and later clicks are dropped
  ping_timeout   uvicorn closed a websocket whose pong did not come within 30 s
  loop_lag       the worst delay of the server's event loop over the last 5 s (GIL starvation)
  send_queue     the deepest per-client send queue over the last 5 s

The patches only observe (they call the original and log); nothing here changes behaviour,
except OPTLAB_TRACE_SNDBUF=<bytes>, which gives each websocket a small kernel send buffer: the
loopback's megabytes of buffer otherwise hide a lagging reader for the first ~20 s (tests).
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time


def log(event: str, **kw) -> None:
    fields = " ".join(f"{k}={v}" for k, v in kw.items())
    print(f"TRACE {time.time():.3f} {event} {fields}", file=sys.stderr, flush=True)


def install() -> None:
    from streamlit.runtime import Runtime
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager
    from streamlit.web.server.starlette import starlette_websocket as sw
    from uvicorn.protocols.websockets import websockets_sansio_impl as uv_ws

    deepest = [0]
    write = sw.StarletteSessionClient.write_forward_msg

    def write_forward_msg(self, msg):
        depth = self._send_queue.qsize()
        deepest[0] = max(deepest[0], depth)
        if self._send_queue.full() and not self._closed.is_set():
            log("queue_full", depth=depth)
        return write(self, msg)

    sw.StarletteSessionClient.write_forward_msg = write_forward_msg

    connect = WebsocketSessionManager.connect_session

    def connect_session(self, client, script_data, user_info, existing_session_id=None, **kw):
        sid = connect(self, client, script_data, user_info, existing_session_id, **kw)
        if existing_session_id and sid != existing_session_id:
            log("fresh_instead", asked=existing_session_id, got=sid)
        else:
            log("connect", session=sid, resumed=bool(existing_session_id))
        return sid

    WebsocketSessionManager.connect_session = connect_session

    disconnect = WebsocketSessionManager.disconnect_session

    def disconnect_session(self, session_id):
        if session_id in self._active_session_info_by_id:
            log("disconnect", session=session_id)
        return disconnect(self, session_id)

    WebsocketSessionManager.disconnect_session = disconnect_session

    sndbuf = int(os.environ.get("OPTLAB_TRACE_SNDBUF", "0"))
    if sndbuf:  # tests: a small kernel send buffer, so a lagging reader shows within seconds
        made = uv_ws.WebSocketsSansIOProtocol.connection_made

        def connection_made(self, transport):
            sock = transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
            return made(self, transport)

        uv_ws.WebSocketsSansIOProtocol.connection_made = connection_made

    timeout = uv_ws.WebSocketsSansIOProtocol.keepalive_timeout

    def keepalive_timeout(self):
        log("ping_timeout", client=":".join(map(str, self.client or ())))
        return timeout(self)

    uv_ws.WebSocketsSansIOProtocol.keepalive_timeout = keepalive_timeout

    def watch_loop() -> None:
        """Measure how late the event loop runs a callback handed to it (it shares the GIL with
        every script thread), and report the worst lag and queue depth every 5 s."""
        while not Runtime.exists():
            time.sleep(0.5)
        loop = None
        while loop is None:
            try:
                loop = Runtime.instance()._get_async_objs().eventloop
            except Exception:
                time.sleep(0.5)
        worst, since = 0.0, time.monotonic()
        while True:
            done = threading.Event()
            t0 = time.monotonic()
            loop.call_soon_threadsafe(done.set)
            done.wait(60)
            worst = max(worst, time.monotonic() - t0)
            if time.monotonic() - since > 5:
                log("loop_lag", worst_ms=round(worst * 1000))
                log("send_queue", deepest=deepest[0])
                worst, deepest[0], since = 0.0, 0, time.monotonic()
            time.sleep(0.1)

    threading.Thread(target=watch_loop, daemon=True, name="trace-loop-lag").start()


if __name__ == "__main__":
    install()
    from streamlit.web.cli import main

    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(main())
