"""Read a pyte screen's rows from its cells, because pyte's own `Screen.display` crashes on some of them.

pyte 0.8.2 leaves a cell with empty data when a narrow character overwrites the first half of a wide one
(the wide character's stub survives), and `display` then fails on `wcwidth(""[0])`. The benchmarks' terminal
stand-in and every test that emulates a terminal read their screen through `screen_lines`.
"""

from __future__ import annotations

from pyte import Screen
from wcwidth import wcwidth


def row_text(screen: Screen, y: int) -> str:
    """One row as a user sees it: a wide character once with its right half skipped, an orphan empty cell a space."""
    line = screen.buffer[y]
    cells: list[str] = []
    skip_stub = False
    for x in range(screen.columns):
        if skip_stub:  # the right half of a wide character, as pyte's display skips it
            skip_stub = False
            continue
        data = line[x].data or " "
        cells.append(data)
        skip_stub = wcwidth(data[0]) == 2
    return "".join(cells)


def screen_lines(screen: Screen) -> list[str]:
    """Every row of the screen, top to bottom, never raising whatever was drawn."""
    return [row_text(screen, y) for y in range(screen.lines)]
