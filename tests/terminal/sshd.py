"""A real OpenSSH server on 127.0.0.1 for the terminal tests, running the billing-tui of this checkout.

`SshServer.start(extra_config)` generates host and client keys in a short directory under
/tmp (Unix socket paths must stay under ~100 bytes, so never pytest's tmp_path), writes a
minimal sshd_config, starts `/usr/sbin/sshd -D -e -f CONFIG` on a free port and waits
until the port answers with an `SSH-2.0` banner. `stop()` ends the per-connection sshd
processes, any billing-tui still running from this server's launcher, then the listener,
always by PID.

The launcher (`server.launcher`) is a console script pinned to this checkout: the Python
running the tests and this repository on sys.path, so the remote side never picks up
another installed billing-tui. Its argv is `[sys.executable, launcher, ...]`, which tests
use as an anchored match to find the remote process in /proc.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import procs
from guide import GUIDE_SOCKET

SSHD = "/usr/sbin/sshd"
REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 15.0
START_ATTEMPTS = 5

BASE_CONFIG = """\
ListenAddress 127.0.0.1:{port}
HostKey {dir}/host_ed25519
AuthorizedKeysFile {dir}/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PidFile {dir}/sshd.pid
"""
ACCEPT_ENV = "AcceptEnv LANG LC_* COLORTERM BILLING_TUI_LANG\n"

LAUNCHER = '''\
#!{python}
"""billing-tui of the checkout under test ({repo}), as a console script for the SSH server to run."""
import os
import sys

# A session server only when the test (or the guide's SetEnv) names one: never one found at the default path.
os.environ.setdefault("BILLING_TUI_SOCKET", "/nonexistent/billing-tui-tests/server.sock")
sys.path.insert(0, {repo!r})
from billing_tui.__main__ import entry

entry()
'''


def missing_tools() -> list[str]:
    """The programs these tests need that are not installed (sshd, ssh, ssh-keygen)."""
    missing = [] if os.access(SSHD, os.X_OK) else [SSHD]
    return missing + [tool for tool in ("ssh", "ssh-keygen") if shutil.which(tool) is None]


def client_env(**extra: str) -> dict[str, str]:
    """A small, controlled environment for the ssh client: PATH and HOME, plus what the test sends on purpose."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}
    env.update(extra)
    return env


@dataclass
class SshServer:
    """One running sshd with its key, config and launcher in a private directory under /tmp."""

    workdir: Path
    port: int
    process: subprocess.Popen[bytes]
    log_file: Path = field(repr=False)
    user: str = "root"
    installed: Path | None = None

    @property
    def client_key(self) -> Path:
        """The private key the client logs in with (its public half is the only authorized key)."""
        return self.workdir / "client_ed25519"

    @property
    def launcher(self) -> Path:
        """The billing-tui the remote side runs: this checkout's console script, or an installed one."""
        return self.installed or self.workdir / "bin" / "billing-tui"

    @property
    def launcher_argv(self) -> list[str]:
        """The argv prefix of a billing-tui started through the launcher (its #! interpreter): an anchored match."""
        interpreter = self.launcher.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("#!").strip()
        return [interpreter, str(self.launcher)]

    def log(self) -> str:
        """What sshd wrote to stderr so far (for failure messages)."""
        return self.log_file.read_text(errors="replace")

    def ssh_argv(self, remote: Sequence[str] = (), tty: bool | None = None, options: Sequence[str] = ()) -> list[str]:
        """The ssh client argv: tty=True forces a pty (-tt), False refuses one (-T), None lets ssh decide."""
        argv = ["ssh", "-F", "/dev/null", "-i", str(self.client_key), "-p", str(self.port)]
        argv += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
        argv += ["-o", "LogLevel=ERROR", "-o", "BatchMode=yes"]
        if tty is not None:
            argv.append("-tt" if tty else "-T")
        argv += [*options, f"{self.user}@127.0.0.1"]
        if remote:
            argv.append(shlex.join(remote))
        return argv

    def billing_tui(self, *args: str) -> list[str]:
        """The remote command words that run this checkout's billing-tui with these arguments."""
        return [str(self.launcher), *args]

    def run(
        self,
        remote: Sequence[str] = (),
        stdin: str = "",
        tty: bool | None = None,
        options: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        timeout: float = 30,
    ) -> subprocess.CompletedProcess[str]:
        """Run one ssh command with this input and a bounded wait (a hang fails the test instead of blocking it)."""
        return subprocess.run(
            self.ssh_argv(remote, tty, options),
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=dict(env) if env is not None else client_env(),
            timeout=timeout,
            check=False,
        )

    @classmethod
    def start(
        cls,
        extra_config: str = "",
        accept_env: bool = True,
        user: str = "root",
        installed: Path | None = None,
        socket_path: str | None = None,
    ) -> SshServer:
        """Create keys, config and launcher in a fresh /tmp directory and start sshd; retry on a taken port.

        extra_config's `{launcher}` becomes billing-tui's path (installed, else this checkout's launcher)
        and `{keys}` a folder holding the client's public key as `{keys}/USER`, for `AuthorizedKeysFile`.
        The guide's session-server socket becomes socket_path (by default one in workdir where no server runs).
        """
        workdir = Path(tempfile.mkdtemp(prefix="bt-ssh-", dir="/tmp"))
        if user != "root":
            workdir.chmod(0o755)  # sshd reads a user's authorized keys as that user
        extra_config = extra_config.replace(GUIDE_SOCKET, socket_path or str(workdir / "no-server.sock"))
        _make_keys(workdir, user)
        _write_launcher(workdir / "bin" / "billing-tui")
        launcher = installed or workdir / "bin" / "billing-tui"
        Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)
        failures = []
        for _ in range(START_ATTEMPTS):
            port = _free_port()
            config = workdir / "sshd_config"
            text = BASE_CONFIG.format(port=port, dir=workdir) + (ACCEPT_ENV if accept_env else "")
            extra = extra_config.replace("{launcher}", str(launcher)).replace("{keys}", str(workdir / "keys"))
            config.write_text(text + extra)
            _check_config(config)
            log_file = workdir / "sshd.log"
            with log_file.open("wb") as log:
                process = subprocess.Popen(
                    [SSHD, "-D", "-e", "-f", str(config)], stdin=subprocess.DEVNULL, stdout=log, stderr=log
                )
            server = cls(workdir, port, process, log_file, user=user, installed=installed)
            if _wait_ready(server):
                return server
            failures.append(server.log())
            server.stop(remove=False)
        shutil.rmtree(workdir, ignore_errors=True)
        raise RuntimeError("sshd did not start:\n" + "\n---\n".join(failures))

    def stop(self, remove: bool = True) -> None:
        """End the per-connection sshd processes, leftover billing-tui processes, then the listener, all by PID."""
        connections = procs.descendants(self.process.pid)
        leftovers = procs.pids_with_argv_prefix(self.launcher_argv)
        procs.end([*connections, *leftovers])
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if remove:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _make_keys(workdir: Path, user: str) -> None:
    """A host key and a client key (ed25519, no passphrase); the client's public key is the only authorized one.

    It is written twice: `authorized_keys` (the base config's) and `keys/USER` (root-owned, 644), as the
    guide's `AuthorizedKeysFile /etc/ssh/authorized_keys/%u` wants it.
    """
    for name in ("host_ed25519", "client_ed25519"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(workdir / name)],
            check=True,
            capture_output=True,
            timeout=30,
        )
    public = (workdir / "client_ed25519.pub").read_text()
    (workdir / "authorized_keys").write_text(public)
    (workdir / "keys").mkdir(mode=0o755)
    (workdir / "keys" / user).write_text(public)
    (workdir / "keys" / user).chmod(0o644)


def _write_launcher(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LAUNCHER.format(python=sys.executable, repo=str(REPO)))
    path.chmod(0o755)


def _free_port() -> int:
    """A port that was free a moment ago (sshd may still lose a race for it; start() then retries)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _check_config(config: Path) -> None:
    """Fail early with sshd's own message when the config is invalid (sshd -t)."""
    done = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"invalid sshd config {config}:\n{done.stderr}\n{config.read_text()}")


def _wait_ready(server: SshServer) -> bool:
    """Poll (bounded) until a TCP connect reads an SSH-2.0 banner; False when sshd exits or never answers."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1) as sock:
                sock.settimeout(2)
                if sock.recv(256).startswith(b"SSH-2.0"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False
