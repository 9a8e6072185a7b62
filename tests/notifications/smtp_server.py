"""A tiny SMTP server on 127.0.0.1, in a thread: the outside world of email delivery.

It answers the replies a test scripts (``451`` then ``250``, ``550``, ...) to the end of
DATA and keeps the messages it accepted.
"""

import socketserver
import threading
from email import message_from_bytes, policy


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
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
                answer = server.next_answer()
                if answer.startswith("250"):
                    server.accepted.append(message_from_bytes(bytes(data), policy=policy.default))
                self.reply(answer)
            elif verb == "QUIT":
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
