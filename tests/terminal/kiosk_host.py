"""docs/ssh-kiosk.md's kiosk on this machine, for a real unprivileged user: install, keys, sshd, snapshots.

`KioskHost.create()` (root only) makes, under one root-owned 0755 folder in /tmp:
- the install, by running the guide's own install commands (`python3 -m venv`, then pip installs
  this checkout) with `sudo` dropped and `/opt/billing-tui` moved into the folder; `python3` is
  looked up on sudo's secure PATH, as `sudo python3` would; pip runs offline (PIP_NO_INDEX) from the
  wheels scripts/test.sh downloads into .wheelhouse, so the test itself needs no network;
- a user `btk<digits>` made with useradd (home in the folder, shell /bin/sh), removed afterwards;
- an OpenSSH server whose only extra config is the guide's kiosk block for that user, with its
  `AuthorizedKeysFile /etc/ssh/authorized_keys/%u` moved to a root-owned folder of the server.

`snapshot(*roots)` records each file and folder under the roots (type, size, mtime, mode, owner),
and `owned_by(uid, folder)` every path under a folder owned by a user: what a process of that user
could have created there. `probe_writes(uid, gid, root)` tries, as that user, to create a file in
every folder and to open every file for writing under root, and returns what succeeded.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import procs
from guide import (
    GUIDE_INSTALL,
    GUIDE_KEYS,
    GUIDE_PUBLIC_KEYS,
    GUIDE_SOURCE,
    GUIDE_USER,
    as_root,
    for_test_server,
    guide_blocks,
    install_commands,
    keys_commands,
)
from sshd import REPO, SshServer

# What `sudo` runs commands with on Debian and Ubuntu (secure_path), so `sudo python3` is the system's.
SECURE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
INSTALL_TIMEOUT = 600
# The guide's `pip install` runs offline from this folder of wheels, which scripts/test.sh downloads (tests never
# reach the network): billing-tui's dependencies and its build backend, pointed at by pip's own variables.
WHEELHOUSE = REPO / ".wheelhouse"

Entry = tuple[str, int, int, int, int]  # kind, size, mtime_ns, mode, uid


def why_not() -> str | None:
    """The reason a real kiosk user cannot be set up here, or None."""
    if os.geteuid() != 0:
        return "making a kiosk user (useradd) and a root-owned install needs root"
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        return "useradd/userdel are not installed"
    python = shutil.which("python3", path=SECURE_PATH)
    if python is None:
        return "no python3 on sudo's PATH for the guide's `sudo python3 -m venv`"
    check = "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"
    if subprocess.run([python, "-c", check], capture_output=True, timeout=60, check=False).returncode != 0:
        return f"{python} is older than 3.11 or lacks venv/ensurepip (apt-get install python3-venv)"
    if not any(WHEELHOUSE.glob("textual-*.whl")):
        return f"no offline wheels in {WHEELHOUSE} for the guide's pip install (scripts/test.sh downloads them)"
    return None


@dataclass
class KioskHost:
    """A kiosk user, the guide's install and an sshd serving the guide's block for that user."""

    root: Path
    user: str
    uid: int
    gid: int
    home: Path
    install: Path
    server: SshServer | None = None

    @classmethod
    def create(cls) -> KioskHost:
        root = _fresh_folder()
        install = root / GUIDE_INSTALL.lstrip("/")
        _run_install(install)
        user = f"btk{secrets.randbelow(10**8):08d}"
        home = root / "home" / user
        home.parent.mkdir()
        # -p '*': no password, yet not locked ('!'), which sshd refuses when it runs without PAM as here.
        subprocess.run(
            ["useradd", "-m", "-d", str(home), "-s", "/bin/sh", "-p", "*", "-U", user],
            check=True,
            capture_output=True,
            timeout=60,
        )
        entry = pwd.getpwnam(user)
        host = cls(root, user, entry.pw_uid, entry.pw_gid, home, install)
        try:
            block = for_test_server(guide_blocks()[0], user=user)
            host.server = SshServer.start(block, accept_env=False, user=user, installed=install / "bin" / "billing-tui")
            keys = host.server.workdir / "keys"
            shutil.rmtree(keys)  # made again, by the guide's own commands
            public = host.server.workdir / "client_ed25519.pub"
            _run(
                as_root(
                    keys_commands(),
                    {
                        f"{GUIDE_KEYS}/{GUIDE_USER}": f"{keys}/{user}",
                        GUIDE_KEYS: str(keys),
                        GUIDE_PUBLIC_KEYS: str(public),
                    },
                ),
                "keys",
            )
        except BaseException:
            host.remove()
            raise
        return host

    def remove(self) -> None:
        """Stop the server, end the user's processes, delete the user and every file made for it."""
        if self.server is not None:
            self.server.stop()
        procs.end([pid for pid in procs.all_pids() if _uid_of(pid) == self.uid])
        subprocess.run(["userdel", self.user], capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def as_user(self, argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        """Run argv as the kiosk user (no extra groups), in its home, with a login's small environment."""
        env = {"HOME": str(self.home), "USER": self.user, "LOGNAME": self.user, "PATH": "/usr/bin:/bin"}
        return subprocess.run(
            argv,
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )


def _fresh_folder() -> Path:
    """/tmp/bt-kh-DIGITS, root-owned and 0755 (digits only: the tests type paths under it as keys)."""
    while True:
        root = Path(f"/tmp/bt-kh-{secrets.randbelow(10**8):08d}")
        try:
            root.mkdir(mode=0o755)
        except FileExistsError:
            continue
        root.chmod(0o755)  # whatever the umask
        return root


def _run_install(install: Path) -> None:
    """The guide's install commands, as root, into install (a fresh folder), from this checkout."""
    install.parent.mkdir(parents=True)
    env = {
        "PATH": SECURE_PATH,
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PIP_NO_INDEX": "1",  # offline: the guide's command line, with pip's index swapped for the wheelhouse
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    _run(as_root(install_commands(), {GUIDE_INSTALL: str(install), GUIDE_SOURCE: str(REPO)}), "install", env)


def _run(commands: list[str], what: str, env: dict[str, str] | None = None) -> None:
    """Run the guide's commands one by one (as root, with sh), failing with the output of the first that fails."""
    for command in commands:
        done = subprocess.run(
            ["sh", "-c", command],
            env=env or {"PATH": SECURE_PATH},
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the guide's {what} failed: {command}\n{done.stdout}\n{done.stderr}")


def _uid_of(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def _entry(path: Path) -> Entry | None:
    try:
        info = path.lstat()
    except OSError:  # gone meanwhile (another process's temporary file)
        return None
    kind = "link" if path.is_symlink() else "dir" if path.is_dir() else "file"
    size = 0 if kind == "dir" else info.st_size  # a folder's size changes with its entries, listed anyway
    mtime = 0 if kind == "dir" else info.st_mtime_ns  # likewise; a new or changed entry shows itself
    return kind, size, mtime, info.st_mode, info.st_uid


def _walk(root: Path) -> Iterable[Path]:
    yield root
    for folder, dirs, names in os.walk(root, onerror=lambda error: None):
        for name in [*dirs, *names]:
            yield Path(folder) / name


def snapshot(*roots: Path) -> dict[str, Entry]:
    """Every file, folder and link under the roots: kind, size, mtime (ns), mode and owner."""
    found = {}
    for root in roots:
        for path in _walk(root):
            entry = _entry(path)
            if entry is not None:
                found[str(path)] = entry
    return found


def owned_by(uid: int, folder: Path) -> set[str]:
    """Every path under folder owned by uid (the kiosk user's files in a shared folder such as /tmp)."""
    found = set()
    for path in _walk(folder):
        try:
            if path.lstat().st_uid == uid:
                found.add(str(path))
        except OSError:
            continue
    return found


PROBE = """\
import os, sys
done = []
for folder, dirs, names in os.walk(sys.argv[1]):
    probe = os.path.join(folder, ".kiosk-write-probe")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
        done.append("created a file in " + folder)
    except OSError:
        pass
    for name in names:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            done.append("opened for writing " + path)
        except OSError:
            pass
print("\\n".join(done))
"""


def probe_writes(host: KioskHost, root: Path) -> list[str]:
    """What the kiosk user can write under root: each folder it could add a file to, each file it could open."""
    done = host.as_user([str(host.install / "bin" / "python3"), "-c", PROBE, str(root)])
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]
