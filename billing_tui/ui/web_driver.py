"""Textual's web driver (a browser tab's session), reading Escape followed at once by a key as those two keys."""

from __future__ import annotations

from codecs import getincrementaldecoder

from textual import log
from textual.drivers._byte_stream import ByteStream
from textual.drivers.web_driver import WebDriver, _ExitInput

from billing_tui.ui.escape_keys import EscapeAwareParser


class EscapeAwareWebDriver(WebDriver):
    """WebDriver whose input loop (Textual 8.2.8's, as is) parses with EscapeAwareParser (ui/escape_keys.py)."""

    def run_input_thread(self) -> None:
        """Read the web server's packets: keys to the parser, the rest (resize, focus, exit) as Textual does."""
        input_reader = self._input_reader
        parser = EscapeAwareParser(debug=self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        byte_stream = ByteStream()
        try:
            for data in input_reader:
                if data:
                    for packet_type, payload in byte_stream.feed(data):
                        if packet_type == "D":
                            for event in parser.feed(decode(payload)):
                                self.process_message(event)
                        else:
                            self._on_meta(packet_type, payload)
                for event in parser.tick():
                    self.process_message(event)
        except _ExitInput:
            pass
        except Exception:
            from traceback import format_exc

            log(format_exc())
        finally:
            input_reader.close()
