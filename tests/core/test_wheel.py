"""The built wheel carries the content (and styles) and works when installed in a fresh venv, away from the repo.

The editable install of the repo lives in the system site-packages as a .pth line that appends /work/main
to sys.path. A venv made with --system-site-packages puts its own site-packages before the system's and the
.pth entries after both, so the venv's installed copy wins; the tests check that, by the path billing_tui
is imported from and by editing the installed content and seeing the console script follow it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from core_helpers import REPO, clean_env

pytestmark = pytest.mark.slow


def run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = clean_env({"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"})
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    result = run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out)],
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = sorted(out.glob("billing_tui-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    root = tmp_path_factory.mktemp("venv") / "venv"
    result = run([sys.executable, "-m", "venv", "--system-site-packages", str(root)], cwd=root.parent)
    assert result.returncode == 0, result.stderr
    result = run([str(root / "bin" / "pip"), "install", "--no-deps", "--no-index", str(wheel)], cwd=root.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_wheel_contains_the_content_and_styles(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "billing_tui/__init__.py",
        "billing_tui/__main__.py",
        "billing_tui/flow/machine.py",
        "billing_tui/content/graph.toml",
        "billing_tui/content/texts/pt-BR.toml",
        "billing_tui/content/texts/en.toml",
    ):
        assert required in names, required
    styles = sorted(p.name for p in (REPO / "styles").glob("*.tcss"))
    for name in styles:
        assert f"billing_tui/styles/{name}" in names, name
    assert not any(name.startswith(("tests/", "benchmarks/", "scripts/")) for name in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "billing-tui = billing_tui.__main__:entry" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_runs_outside_the_repo(venv: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = run(
        [str(venv / "bin" / "python"), "-c", "import billing_tui, json; print(json.dumps(billing_tui.__file__))"],
        cwd=elsewhere,
    )
    assert probe.returncode == 0, probe.stderr
    package_file = Path(json.loads(probe.stdout))
    assert package_file.is_relative_to(venv), package_file
    assert not package_file.is_relative_to(REPO)
    package = package_file.parent
    assert (package / "content" / "texts" / "pt-BR.toml").is_file()
    for style in (REPO / "styles").glob("*.tcss"):
        assert (package / "styles" / style.name).is_file()

    script = venv / "bin" / "billing-tui"
    result = run([str(script), "answer", "admin-center", "subscriptions", "--format", "json"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["flow"] == "admin-center" and data["lang"] == "pt-BR"
    assert data["verdict"]["id"] == "billing-admin" and data["verdict"]["kind"] == "yes"

    validate = run([str(script), "validate"], cwd=elsewhere)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert f"ok: {package / 'content'}" in validate.stdout

    # The console script reads the venv's installed content, not the repo's: reword it there and look.
    texts = package / "content" / "texts" / "en.toml"
    original = texts.read_text(encoding="utf-8")
    marker = '[verdicts.billing-admin]\ntitle = "'
    assert marker in original
    texts.write_text(original.replace(marker, marker + "INSTALLED COPY: "), encoding="utf-8")
    reworded = run(
        [str(script), "answer", "admin-center", "subscriptions", "--format", "json", "--lang", "en"], elsewhere
    )
    assert reworded.returncode == 0, reworded.stderr
    assert json.loads(reworded.stdout)["verdict"]["title"].startswith("INSTALLED COPY: ")
