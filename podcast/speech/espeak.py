"""espeak-ng from the espeakng-loader wheel, driven in-process through ctypes.

libespeak-ng keeps global state (one voice at a time per process), so every call
takes a process-wide lock; the engine reports a concurrency of 1.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from .base import Audio, Availability, EngineUnavailable, Voice

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
POS_CHARACTER = 1

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

#: Default Dutch voice: a little slower than espeak-ng's 175 wpm, which helps listeners.
DEFAULT_RATE = 160
VOICES = {"nl": "nl", "en": "en"}


class _Library:
    """libespeak-ng, loaded afresh for every clip.

    The library keeps state in static variables from one utterance to the next (its
    noise generator, pitch and phase), and neither ``espeak_Terminate`` nor reseeding
    clears them: the same text came out differently after other texts, so a cached
    clip depended on whatever that process had spoken before. Unloading the library
    after each clip and loading it again (under 1 ms) makes every clip a function of
    its text and voice alone, as the content-addressed cache assumes.
    """

    lock = threading.Lock()

    def __init__(self) -> None:
        import espeakng_loader

        self.path = str(espeakng_loader.get_library_path())
        self.data_path = str(espeakng_loader.get_data_path()).encode()
        self._chunks: list[bytes] = []
        self._callback = _SYNTH_CALLBACK(self._collect)  # keep a reference: ctypes does not
        with self.lock, self._loaded() as lib:
            lib.espeak_Info.restype = ctypes.c_char_p
            self.version = (lib.espeak_Info(None) or b"?").decode()

    @contextmanager
    def _loaded(self) -> Iterator[ctypes.CDLL]:
        """The library in a fresh state, initialised, and unloaded again afterwards."""
        lib = ctypes.CDLL(self.path)
        try:
            lib.espeak_Initialize.restype = ctypes.c_int
            self.sample_rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, self.data_path, 0)
            if self.sample_rate <= 0:
                raise EngineUnavailable("espeak-ng failed to initialise its data")
            lib.espeak_SetSynthCallback(self._callback)
            yield lib
        finally:
            lib.espeak_Terminate()
            _unload(lib)

    def _collect(self, wav, numsamples: int, events) -> int:
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    def synthesize(self, text: str, voice_name: str, rate: int, pitch: int) -> bytes:
        with self.lock, self._loaded() as lib:
            lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
            lib.espeak_Synth.argtypes = [
                ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
            ]
            if lib.espeak_SetVoiceByName(voice_name.encode()) != 0:
                raise EngineUnavailable(f"espeak-ng has no voice {voice_name!r}")
            lib.espeak_SetParameter(ESPEAK_RATE, rate, 0)
            lib.espeak_SetParameter(ESPEAK_PITCH, pitch, 0)
            self._chunks = []
            data = text.encode("utf-8") + b"\0"
            buf = ctypes.create_string_buffer(data)
            status = lib.espeak_Synth(buf, len(data), 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
            if status != 0:
                raise EngineUnavailable(f"espeak-ng could not speak (status {status})")
            pcm, self._chunks = b"".join(self._chunks), []
            return pcm


def _unload(lib: ctypes.CDLL) -> None:
    """dlclose the library, so the next load starts from its initial static state."""
    import _ctypes

    close = getattr(_ctypes, "dlclose", None) or getattr(_ctypes, "FreeLibrary", None)
    if close is not None:
        close(lib._handle)


_library: _Library | None = None
_library_lock = threading.Lock()


def _load() -> _Library:
    global _library  # the C library is process-global; so is our handle on it
    with _library_lock:
        if _library is None:
            _library = _Library()
        return _library


class EspeakEngine:
    """Offline Dutch (and English) speech from libespeak-ng."""

    name = "espeak"
    languages = tuple(VOICES)
    max_concurrency = 1

    @cached_property
    def _availability(self) -> Availability:
        try:
            _load()
        except (OSError, ImportError, EngineUnavailable) as exc:
            return Availability(False, f"espeak-ng cannot load: {exc}")
        return Availability(True)

    def available(self) -> Availability:
        return self._availability

    def version(self) -> str:
        # "fresh": clips made from a freshly loaded library, unlike those of earlier
        # releases, whose sound depended on what was spoken before them.
        return f"{_load().version} fresh"

    def voice(self, language: str) -> Voice:
        name = VOICES.get(language, language)
        return Voice("espeak", name, language, (("pitch", "50"), ("rate", str(DEFAULT_RATE))))

    def voices(self) -> list[Voice]:
        return [self.voice(lang) for lang in self.languages]

    def synthesize(self, text: str, voice: Voice) -> Audio:
        lib = _load()
        pcm = lib.synthesize(
            text, voice.name, int(voice.setting("rate", str(DEFAULT_RATE))), int(voice.setting("pitch", "50"))
        )
        if not pcm:
            raise EngineUnavailable("espeak-ng produced no audio")
        return Audio(pcm, lib.sample_rate)


#: What the speech registry makes of this module (podcast/engines.py names it).
ENGINE = EspeakEngine
