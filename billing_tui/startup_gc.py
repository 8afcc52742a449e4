"""The cyclic garbage collector paused while a full-screen session starts, and resumed at its first frame.

Start-up allocates tens of thousands of objects that live as long as the process (modules, classes, the flow's
models, Textual's widgets and styles); the collector would scan them again and again and free none, about 8% of
the CPU to the first frame. After the first frame they are frozen (never scanned again) and collection resumes.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until resume(); a no-op when the collector is already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what start-up made and collect from now on; only undoes pause(), so calling it twice is harmless."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
