"""Helpers shared by the scripts in this folder (each is run as `python3 scripts/NAME.py`, so this folder is on the path)."""
import signal
import socket
import subprocess


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def stop_process(proc, timeout, sig=signal.SIGTERM):
    """Sends `sig` to a running process and waits up to `timeout` seconds, then kills it."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
