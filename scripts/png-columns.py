#!/usr/bin/env python3
"""Prints the colours down given pixel columns of a PNG, for tests that check a rendered picture.

Usage: png-columns.py FILE.png X [X ...]

For each X, one line: `X` then the column's runs of equal colour from top to bottom as `Y0-Y1:#rrggbb`
(inclusive rows). Reads 8-bit greyscale, RGB and RGBA, non-interlaced PNGs (what rsvg-convert writes) with the
standard library only (zlib and struct): no imaging package is needed on the test machine.
"""
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    offset = 8
    idat = b""
    width = height = None
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (0, 2, 6) or interlace != 0:
                sys.exit(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
            channels = {0: 1, 2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * channels
    rows = []
    previous = bytearray(stride)
    position = 0
    for _ in range(height):
        method = raw[position]
        line = bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        unfilter(method, line, previous, channels)
        rows.append(line)
        previous = line
    return width, height, channels, rows


def unfilter(method, line, previous, bpp):
    """Undoes one scanline's filter (PNG specification §9.2) in place."""
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        corner = previous[i - bpp] if i >= bpp else 0
        if method == 1:
            line[i] = (line[i] + left) & 0xFF
        elif method == 2:
            line[i] = (line[i] + up) & 0xFF
        elif method == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
        elif method == 4:
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            line[i] = (line[i] + predictor) & 0xFF


def colour(row, x, channels):
    pixel = row[x * channels:(x + 1) * channels]
    if channels == 1:
        return f"#{pixel[0]:02x}{pixel[0]:02x}{pixel[0]:02x}"
    red, green, blue = pixel[0], pixel[1], pixel[2]
    if channels == 4 and pixel[3] != 255:
        # Composite over white, as a viewer shows it.
        alpha = pixel[3] / 255
        red, green, blue = (round(c * alpha + 255 * (1 - alpha)) for c in (red, green, blue))
    return f"#{red:02x}{green:02x}{blue:02x}"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    width, height, channels, rows = read_png(sys.argv[1])
    print(f"size {width} {height}")
    for argument in sys.argv[2:]:
        x = int(argument)
        if not 0 <= x < width:
            sys.exit(f"column {x} outside 0..{width - 1}")
        runs = []
        for y in range(height):
            value = colour(rows[y], x, channels)
            if runs and runs[-1][2] == value:
                runs[-1][1] = y
            else:
                runs.append([y, y, value])
        print(x, " ".join(f"{a}-{b}:{c}" for a, b, c in runs))


if __name__ == "__main__":
    main()
