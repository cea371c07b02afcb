"""Helpers shared by the scripts in this folder (each is run as `python3 scripts/NAME.py`, so this folder is on the path)."""
import socket


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
