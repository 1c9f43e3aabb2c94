"""The workers' server: one interpreter that loads the analysis once and
forks a worker for each request (POSIX).

``multiprocessing``'s forkserver did this job, and its machinery was a
seventh of a Django run: importing ``multiprocessing`` took 18 ms in the
command's process and again in the server before the server could start
its own imports, and the resource tracker it launches (a third interpreter,
for semaphores and shared memory the pool never uses) took a core for
30 ms while both others were busy.  This server needs ``socket``, ``select``
and ``pickle`` only.

How it runs:

* ``Server.start`` spawns ``python -c`` (never a fork of the command's
  process, which may run threads) with one end of a socket pair.  The
  interpreter gets the command's ``sys.path`` before it imports anything,
  so a module in the scanned directory cannot shadow ours.
* The server imports ``preload`` (libcst and the analysis, warmed up) and
  sends ``R``: from then on a worker starts at once.
* For each worker, the command's process sends ``F`` with one end of a new
  socket pair (``socket.send_fds``); the server forks, the child serves
  that socket (``Channel``) and the server answers with the child's pid.
  ``W`` and a pid ask for a dead child's exit status (a negative number for
  a signal, as ``multiprocessing`` gives it).
* When the command's process closes its end, the server exits; a worker
  whose channel closes exits too.
"""

from __future__ import annotations

import os
import pickle
import select
import socket
import struct
import sys

#: pids and exit statuses travel as signed 8-byte integers
_INT = struct.Struct("!q")
#: a message on a channel: its length, then its pickle
_LENGTH = struct.Struct("!Q")


def available() -> bool:
    """Can workers come from this server here (fork, descriptor passing)?"""
    return bool(sys.executable) and hasattr(os, "fork") and hasattr(socket, "send_fds") and hasattr(os, "posix_spawn")


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    """``size`` bytes (a task carries a whole file: filled in place, not
    joined chunk by chunk); ``EOFError`` if the other end closes first."""
    data = bytearray(size)
    view = memoryview(data)
    done = 0
    while done < size:
        got = sock.recv_into(view[done:])
        if not got:
            raise EOFError
        done += got
    return bytes(data)


class Channel:
    """Pickled messages over a stream socket, with ``send``/``recv`` and
    ``fileno`` as ``multiprocessing``'s connections have them."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, obj: object) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)  # fails before anything is sent
        self.sock.sendall(_LENGTH.pack(len(data)) + data)

    def recv(self) -> object:
        (size,) = _LENGTH.unpack(_recv_exact(self.sock, _LENGTH.size))
        return pickle.loads(_recv_exact(self.sock, size))

    def poll(self, timeout: float) -> bool:
        return bool(select.select([self.sock], [], [], timeout)[0])

    def close(self) -> None:
        self.sock.close()


def _interpreter_flags() -> list[str]:
    """The command-line flags that make another interpreter behave as this
    one (``subprocess`` has the same list; importing it costs more)."""
    flags = sys.flags
    args = ["-" + "O" * flags.optimize] if flags.optimize else []
    for name, letter in (("dont_write_bytecode", "B"), ("no_site", "S"), ("bytes_warning", "b")):
        if getattr(flags, name) > 0:
            args.append("-" + letter * getattr(flags, name))
    if flags.isolated:
        args.append("-I")
    else:
        args += [opt for opt, on in (("-E", flags.ignore_environment), ("-s", flags.no_user_site)) if on]
    args += ["-W" + option for option in sys.warnoptions]
    for name in ("dev", "faulthandler", "utf8", "frozen_modules"):
        value = getattr(sys, "_xoptions", {}).get(name)
        if value is not None:
            args += ["-X", name if value is True else f"{name}={value}"]
    return args


class Server:
    """The command's handle on a running server."""

    def __init__(self, pid: int, control: socket.socket) -> None:
        self.pid = pid
        self.control = control
        self.ready = False

    @classmethod
    def start(cls, preload: str) -> Server:
        """Spawn a server that imports ``preload`` before it forks anything."""
        mine, theirs = socket.socketpair()
        theirs.set_inheritable(True)
        code = (
            f"import sys; sys.path[:] = {sys.path!r}; "
            f"from cors_lint.server import serve; serve({theirs.fileno()}, {preload!r})"
        )
        try:
            pid = os.posix_spawn(sys.executable, [sys.executable, *_interpreter_flags(), "-c", code], os.environ)
        finally:
            theirs.close()
        return cls(pid, mine)

    def is_ready(self) -> bool:
        """Has it loaded the analysis (a worker then starts at once)?"""
        try:
            if not self.ready and select.select([self.control], [], [], 0)[0]:
                self._await_ready()
        except (EOFError, OSError):  # gone: starting a worker will say so
            return False
        return self.ready

    def _await_ready(self) -> None:
        if not self.ready:
            if _recv_exact(self.control, 1) != b"R":
                raise EOFError
            self.ready = True

    def fork(self) -> tuple[int, Channel]:
        """A new worker: its pid and the channel to it.  Waits for the
        server to finish loading.  Raises ``EOFError`` or ``OSError`` if
        the server is gone."""
        mine, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"F"], [theirs.fileno()])
        finally:
            theirs.close()
        self._await_ready()
        (pid,) = _INT.unpack(_recv_exact(self.control, _INT.size))
        return pid, Channel(mine)

    def exit_status(self, pid: int) -> int | None:
        """The exit status of a worker whose channel has closed (negative:
        the signal that killed it); None if the server cannot tell."""
        try:
            self.control.sendall(b"W" + _INT.pack(pid))
            self._await_ready()
            (status,) = _INT.unpack(_recv_exact(self.control, _INT.size))
        except (EOFError, OSError):
            return None
        return None if status == _NO_STATUS else status

    def stop(self) -> None:
        """Stop it: once it has loaded the analysis, by closing its socket
        (it reaps its workers and exits); in the middle of its imports, at
        once (it holds the command's stdout and stderr until it exits)."""
        import signal
        import time

        ready = self.is_ready()
        self.control.close()
        try:
            if ready:
                deadline = time.monotonic() + 2.0
                while time.monotonic() < deadline:
                    if os.waitpid(self.pid, os.WNOHANG)[0]:
                        return
                    time.sleep(0.001)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


#: what ``W`` answers for a pid that is not (or no longer) the server's child
_NO_STATUS = -(2**63)


def serve(control_fd: int, preload: str) -> None:
    """The server's whole life (in the spawned interpreter)."""
    import importlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
    control = socket.socket(fileno=control_fd)
    try:
        importlib.import_module(preload)
    except Exception:  # workers then load what they need themselves
        pass
    control.sendall(b"R")
    while True:
        try:
            request, fds, _, _ = socket.recv_fds(control, 1, 1)
        except OSError:
            request, fds = b"", []
        if request == b"F" and fds:
            pid = os.fork()
            if pid == 0:
                control.close()
                _work(fds[0])  # never returns
            os.close(fds[0])
            control.sendall(_INT.pack(pid))
        elif request == b"W":
            (pid,) = _INT.unpack(_recv_exact(control, _INT.size))
            try:
                status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            except (ChildProcessError, ValueError):
                status = _NO_STATUS
            control.sendall(_INT.pack(status))
        else:  # the command's process is done (or said nothing we know)
            for fd in fds:
                os.close(fd)
            # Reap the workers (their channels are closed, so they are
            # exiting): their CPU time then counts in the command's, as a
            # benchmark or ``time`` measures it.
            while True:
                try:
                    os.waitpid(-1, 0)
                except ChildProcessError:
                    break
            os._exit(0)


def _work(fd: int) -> None:
    """A forked worker: the first message is the function to run, then
    tasks until ``None`` or the channel closes."""
    import signal

    code = 0
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from .runner import _serve

        channel = Channel(socket.socket(fileno=fd))
        work = channel.recv()
        _serve(channel, work)
    except BaseException:
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
