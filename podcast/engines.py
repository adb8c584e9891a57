"""The speech engines there are: their names, and the module of podcast/speech each lives in.

The one list of engine names: the speech registry registers each from here (importing its
module only when it is used), and the options and the CLI offer these names. A new engine
is a module in podcast/speech with an ``ENGINE`` class, and one line here.
"""

from __future__ import annotations

#: Engine name -> its module in podcast/speech (which defines ``ENGINE``).
ENGINE_MODULES: dict[str, str] = {"gtts": "gtts", "espeak": "espeak"}
#: ``auto``: the first of these that speaks the article's language and works here.
AUTO = "auto"
AUTO_ORDER: tuple[str, ...] = ("gtts", "espeak")
#: What ``--engine`` accepts.
ENGINE_CHOICES: tuple[str, ...] = (AUTO, *ENGINE_MODULES)
