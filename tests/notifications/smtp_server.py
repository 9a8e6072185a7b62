"""A tiny SMTP server on 127.0.0.1, in a thread: the outside world of email delivery.

It answers the replies a test scripts (``451`` then ``250``, ``550``, ...) to the end of
DATA and keeps the messages it accepted. A fault test can also slow it down (``delay``),
hold its reply to DATA once it has kept the message (``hold_data_reply``: the moment a
worker can die having had its message accepted) or its reply to QUIT (``hold_quit``).
A ``421`` closes the connection, as a server going away does.
"""

import socketserver
import threading
import time
from email import message_from_bytes, policy


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        try:
            self._converse()
        except (BrokenPipeError, ConnectionResetError):
            return  # the client died (a killed worker): nothing to answer

    def _converse(self):
        server = self.server
        self.reply("220 test.localhost ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test.localhost")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                if server.delay:
                    time.sleep(server.delay)
                answer = server.next_answer()
                if answer.startswith("250"):
                    server.accepted.append(message_from_bytes(bytes(data), policy=policy.default))
                    server.wait_for(server.hold_data_reply)
                self.reply(answer)
                if answer.startswith("421"):
                    return
            elif verb == "QUIT":
                server.wait_for(server.hold_quit)
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answers=("250 OK",)):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers = list(answers)
        self.accepted = []
        self._lock = threading.Lock()
        self.delay = 0
        self.hold_data_reply = None  # an Event: the reply waits until it is set
        self.hold_quit = None

    @staticmethod
    def wait_for(gate, timeout=60):
        if gate is not None:
            gate.wait(timeout)

    def message_ids(self):
        return [email["Message-ID"] for email in self.accepted]

    def next_answer(self):
        """The scripted replies in turn; the last one repeats."""
        with self._lock:
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    @property
    def port(self):
        return self.server_address[1]

    def mailer(self):
        options = {"host": "127.0.0.1", "port": self.port, "timeout": 5}
        return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()
