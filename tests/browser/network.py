"""The phone's connection to the app, which a test can cut and give back, as a dead signal does.

Every browser reaches the live app through this relay on a fixed port of 127.0.0.1. Cut, it
closes the open connections and refuses new ones: the browser's fetches fail as they do at sea,
yet no browser is told it is offline (`navigator.onLine` stays true and no `online` event
comes back with the connection). That works the same in every engine, the service worker's
fetches included, where only Chromium could otherwise be taken offline.
"""

import contextlib
import socket
import threading


class Connection:
    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.lock = threading.Lock()
        self.sockets = set()
        self.listener = None
        self.port = 0
        self.restore()

    def restore(self):
        """Take connections again, on the same port."""
        with self.lock:
            if self.listener:
                return
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def cut(self):
        """Refuse new connections and break the open ones, answers on their way included."""
        with self.lock:
            listener, self.listener = self.listener, None
            doomed, self.sockets = self.sockets, set()
        if listener:
            close(listener)
        for sock in doomed:
            close(sock)

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                close(client)
                continue
            with self.lock:
                if listener is not self.listener:
                    close(client)
                    close(server)
                    continue
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.sockets -= {source, sink}
            close(source)
            close(sink)


def close(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
