#!/usr/bin/env python3
"""A stand-in for a LinuxServer.io Selkies web client, for StreamSpace's tests. Python's standard library only.

GET / serves a page whose script opens a WebSocket to /websocket on the same origin and sends what the Selkies client
sends (docs/gateway.md lists the shapes): "SETTINGS,{...}" on open, "kd,<keysym>" / "ku,<keysym>" for keys,
"m,<x>,<y>,<buttons>,0" for the pointer, "cw,<base64>" for a paste, "_f,<fps>" stats every few seconds.

The server appends, for every "kd,<keysym>" it receives, the character the keysym stands for to $HOME/typed.txt;
writes a "cw" clipboard to $HOME/clipboard.txt; answers "cr" with "clipboard,<base64 of 'from the app'>"; and logs the
type of every text message (the length of a binary one) to $HOME/received.log. PORT (default 3000) and BIND (default 0.0.0.0) choose where it listens.
"""
import base64
import hashlib
import os
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOME = os.environ.get("HOME") or "/config"
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
NAMED_KEYSYMS = {0xFF0D: "\n", 0xFF09: "\t", 0xFF08: "\b"}
LOCK = threading.Lock()

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Selkies stand-in</title></head>
<body>
<h1>Selkies stand-in</h1>
<p id="state">connecting</p>
<textarea id="typed" aria-label="typed keys" rows="3" cols="40"></textarea>
<script>
const state = document.getElementById('state');
const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/websocket');
const send = (message) => { if (socket.readyState === WebSocket.OPEN) socket.send(message); };
function keysym(event) {
  const named = { Enter: 0xff0d, Tab: 0xff09, Backspace: 0xff08, Escape: 0xff1b, Shift: 0xffe1, Control: 0xffe3, Alt: 0xffe9 };
  if (named[event.key] !== undefined) return named[event.key];
  if (event.key.length !== 1) return null;
  const code = event.key.codePointAt(0);
  return code <= 0xff ? code : 0x01000000 + code;
}
socket.addEventListener('open', () => {
  state.textContent = 'connected';
  send('SETTINGS,' + JSON.stringify({ displayId: 'primary' }));
});
socket.addEventListener('message', (event) => {
  if (typeof event.data === 'string' && event.data.startsWith('clipboard,')) {
    document.getElementById('typed').value = atob(event.data.slice(10));
  }
});
socket.addEventListener('close', () => { state.textContent = 'closed'; });
document.addEventListener('keydown', (event) => { const k = keysym(event); if (k !== null) send('kd,' + k); });
document.addEventListener('keyup', (event) => { const k = keysym(event); if (k !== null) send('ku,' + k); });
let buttons = 0;
document.addEventListener('mousemove', (event) => send(`m,${event.clientX},${event.clientY},${buttons},0`));
document.addEventListener('mousedown', (event) => { buttons |= 1 << event.button; send(`m,${event.clientX},${event.clientY},${buttons},0`); });
document.addEventListener('mouseup', (event) => { buttons &= ~(1 << event.button); send(`m,${event.clientX},${event.clientY},${buttons},0`); });
document.addEventListener('paste', (event) => {
  const text = event.clipboardData.getData('text/plain');
  send('cw,' + btoa(unescape(encodeURIComponent(text))));
});
setInterval(() => send('_f,60'), 5000);
</script>
</body></html>
"""


def append(name, text):
    with LOCK, open(os.path.join(HOME, name), "a", encoding="utf-8") as f:
        f.write(text)


def character(keysym):
    if keysym in NAMED_KEYSYMS:
        return NAMED_KEYSYMS[keysym]
    if 0x20 <= keysym <= 0xFF:
        return chr(keysym)
    if keysym & 0xFF000000 == 0x01000000:
        return chr(keysym & 0x00FFFFFF)
    return ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        if self.path == "/websocket" and self.headers.get("Upgrade", "").lower() == "websocket":
            self.websocket()
            return
        body = PAGE.encode() if self.path == "/" else b"not found\n"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8" if self.path == "/" else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def websocket(self):
        key = self.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        # What the browser offered, so a test can check the proxy offered no extension.
        append("received.log", "extensions:" + self.headers.get("Sec-WebSocket-Extensions", "") + "\n")
        message, message_opcode = b"", 0
        while True:
            frame = self.read_frame()
            if frame is None:
                return
            fin, opcode, payload = frame
            if opcode == 8:
                self.send_frame(8, payload[:2])
                return
            if opcode == 9:
                self.send_frame(10, payload)
                continue
            if opcode in (1, 2):
                message, message_opcode = payload, opcode
            elif opcode == 0:
                message += payload
            if fin and opcode in (0, 1, 2):
                self.on_message(message_opcode, message)

    def read_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.rfile.read(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def read_frame(self):
        head = self.read_exact(2)
        if head is None:
            return None
        fin, opcode = head[0] & 0x80, head[0] & 0x0F
        masked, length = head[1] & 0x80, head[1] & 0x7F
        if length == 126:
            length = struct.unpack(">H", self.read_exact(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self.read_exact(8))[0]
        mask = self.read_exact(4) if masked else b"\0\0\0\0"
        payload = self.read_exact(length) if length else b""
        if mask is None or payload is None:
            return None
        return bool(fin), opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    def send_frame(self, opcode, payload):
        length = len(payload)
        if length < 126:
            head = struct.pack(">BB", 0x80 | opcode, length)
        elif length < 65536:
            head = struct.pack(">BBH", 0x80 | opcode, 126, length)
        else:
            head = struct.pack(">BBQ", 0x80 | opcode, 127, length)
        self.wfile.write(head + payload)
        self.wfile.flush()

    def on_message(self, opcode, message):
        if opcode != 1:
            append("received.log", f"binary:{len(message)}\n")
            return
        text = message.decode("utf-8", "replace")
        kind, _, rest = text.partition(",")
        append("received.log", kind + "\n")
        if kind == "kd":
            try:
                append("typed.txt", character(int(rest.split(",")[0])))
            except ValueError:
                pass
        elif kind == "cw":
            append("clipboard.txt", base64.b64decode(rest).decode("utf-8", "replace"))
        elif kind == "cr":
            self.send_frame(1, b"clipboard," + base64.b64encode(b"from the app"))


def main():
    port = int(os.environ.get("PORT", "3000"))
    server = ThreadingHTTPServer((os.environ.get("BIND", "0.0.0.0"), port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[0]}:{port}, home {HOME}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
