"""Shared by every test folder: pytest puts this folder on sys.path, so `import contract` works everywhere.

The repository root goes on sys.path too, so a test can reuse the benchmarks' terminal tools
(`benchmarks.screen_rows`) however pytest was started.
"""

import sys
from pathlib import Path

_REPO = str(Path(__file__).resolve().parents[1])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)
