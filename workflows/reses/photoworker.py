"""Clean one photo in a separate, resource-limited process.

Run as ``python -m workflows.reses.photoworker clean IN_PATH OUT_PATH MAX_SIDE``;
it prints one JSON object. Photos come from residents' and aides' phones:
the child reads the location the camera wrote (EXIF GPS), turns the picture
upright (EXIF orientation), shrinks it to ``MAX_SIDE`` pixels on its long
side and writes it again as a plain JPEG without any metadata (no EXIF, no
GPS, no comments). A decompression bomb or a broken file costs this child
its life at worst (see ``project.sandbox``).

No Django here; the limits are the ones ``project.sandbox.run_child``
passes in the environment, applied by ``project.sandbox.limit_self`` as in
the PDF and audio workers.
"""

import json
import sys
import warnings

from project.sandbox import limit_self

MAX_PIXELS = 60_000_000  # larger than any phone photo; a bigger "image" is refused
GPS_IFD = 0x8825
FORMATS = {"JPEG", "MPO", "PNG"}  # MPO: the JPEG variant some phones write


def _degrees(value, ref):
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    return -result if str(ref).upper().startswith(("S", "W")) else result


def gps_of(image):
    """(latitude, longitude) the camera recorded, or (None, None)."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        latitude = _degrees(gps[2], gps.get(1, "N"))
        longitude = _degrees(gps[4], gps.get(3, "E"))
    except Exception:  # noqa: BLE001 - no usable location in this photo
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
        return None, None
    return round(latitude, 6), round(longitude, 6)


def clean(in_path, out_path, max_side):
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        with Image.open(in_path) as image:
            if image.format not in FORMATS:
                return {"error": "format", "format": image.format}
            latitude, longitude = gps_of(image)
            orientation = image.getexif().get(0x0112, 1)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return {"error": "too_many_pixels"}
    except Exception as exc:  # noqa: BLE001 - any decoder failure means "not a readable image"
        return {"error": "unreadable", "detail": str(exc)[:200]}
    if upright.mode in ("RGBA", "LA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    else:
        upright = upright.convert("RGB")
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    upright.save(out_path, "JPEG", quality=85)  # no exif=, icc_profile= or comment: nothing but pixels
    return {
        "width": upright.width, "height": upright.height, "latitude": latitude, "longitude": longitude,
        "orientation": orientation,
    }


def main(argv):
    mode, in_path, out_path, max_side = argv[1:5]
    limit_self()
    if mode != "clean":
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(clean(in_path, out_path, int(max_side))))


if __name__ == "__main__":
    main(sys.argv)
