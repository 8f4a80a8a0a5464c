"""Decode a recording in a separate, resource-limited process.

Run as ``python -m asr.audioworker probe PATH`` or ``… normalise PATH OUT``;
it prints one JSON object. Recordings come from outside and FFmpeg (through
PyAV) is a large decoder: a hostile file must cost this child its life at
worst (see ``project.sandbox``). ``normalise`` writes 16 kHz mono 16-bit WAV,
the input every engine expects, streaming so a three-hour paripurna needs no
more memory than a one-minute clip.
"""

import json
import sys
import wave

from project.sandbox import limit_self

RATE = 16000
# decoded audio shorter than this share of the container's declared length means a truncated file
TRUNCATED_BELOW = 0.9


def _open(path):
    import av

    container = av.open(path, metadata_errors="ignore")
    if not container.streams.audio:
        container.close()
        return None, None
    return container, container.streams.audio[0]


def _wav_declared_seconds(path):
    """The length a WAV header promises (FFmpeg trims it to the file, hiding a cut-off recording)."""
    import struct

    with open(path, "rb") as handle:
        if handle.read(12)[8:] != b"WAVE":
            return None
        byte_rate = None
        while True:
            header = handle.read(8)
            if len(header) < 8:
                return None
            name, size = header[:4], struct.unpack("<I", header[4:])[0]
            if name == b"fmt ":
                byte_rate = struct.unpack("<I", handle.read(16)[8:12])[0]
                handle.seek(size - 16 + (size & 1), 1)
            elif name == b"data":
                return size / byte_rate if byte_rate else None
            else:
                handle.seek(size + (size & 1), 1)


def _declared_seconds(container, stream, path=None):
    if path and container.format.name == "wav":
        return _wav_declared_seconds(path)
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def probe(path):
    container, stream = _open(path)
    if stream is None:
        return {"error": "no_audio"}
    with container:
        answer = {
            "codec": stream.codec_context.name,
            "rate": stream.codec_context.sample_rate,
            "channels": stream.codec_context.channels,
            "declared_seconds": _declared_seconds(container, stream),
        }
        # decode the first second: a file that only looks like audio fails here
        decoded = 0
        for frame in container.decode(stream):
            decoded += frame.samples
            if decoded >= (stream.codec_context.sample_rate or RATE):
                break
        if decoded == 0:
            answer["error"] = "empty"
    return answer


def normalise(path, out_path):
    import av

    container, stream = _open(path)
    if stream is None:
        return {"error": "no_audio"}
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    samples = 0
    problems = []
    with container, wave.open(out_path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        declared = _declared_seconds(container, stream, path)
        source = {"codec": stream.codec_context.name, "rate": stream.codec_context.sample_rate,
                  "channels": stream.codec_context.channels}
        try:
            for frame in container.decode(stream):
                for converted in resampler.resample(frame):
                    out.writeframes(converted.to_ndarray().tobytes())
                    samples += converted.samples
        except av.error.FFmpegError as exc:
            problems.append(f"decoding stopped: {exc}"[:200])
        for converted in resampler.resample(None):
            out.writeframes(converted.to_ndarray().tobytes())
            samples += converted.samples
    seconds = samples / RATE
    answer = {"seconds": seconds, "source": source, "problems": problems}
    if samples == 0:
        answer["error"] = "empty"
    elif problems or (declared and seconds < declared * TRUNCATED_BELOW):
        answer["truncated"] = True
        answer["declared_seconds"] = declared
    return answer


def main(argv):
    limit_self()
    mode, path = argv[1], argv[2]
    try:
        output = probe(path) if mode == "probe" else normalise(path, argv[3])
    except MemoryError:
        output = {"error": "memory"}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as the file's problem
        output = {"error": "corrupt", "detail": f"{type(exc).__name__}: {str(exc)[:300]}"}
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
