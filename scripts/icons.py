# Draws Charter's icon (the favicon's check mark on the brand colour) as PNGs, full bleed so
# it also serves as a maskable icon.
import struct, zlib, math, sys
def png(size, path):
    bg = (0x1f, 0x3a, 0x5f); fg = (255, 255, 255)
    s = size / 32.0
    # favicon path M9 17 l5 5 9 -11, scaled into the maskable safe zone (80 %)
    def pt(x, y):
        c = 16
        return ((c + (x - c) * 0.8) * s, (c + (y - c) * 0.8) * s)
    segs = [(pt(9, 17), pt(14, 22)), (pt(14, 22), pt(23, 11))]
    half = 3 * 0.8 * s / 2
    def dist(px, py, a, b):
        (ax, ay), (bx, by) = a, b
        dx, dy = bx - ax, by - ay
        t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = min(dist(x + 0.5, y + 0.5, a, b) for a, b in segs)
            k = max(0.0, min(1.0, half + 0.5 - d))  # one pixel of anti-aliasing
            row += bytes(round(bg[i] + (fg[i] - bg[i]) * k) for i in range(3))
        rows.append(bytes(row))
    raw = b''.join(rows)
    def chunk(t, data):
        return struct.pack('>I', len(data)) + t + data + struct.pack('>I', zlib.crc32(t + data) & 0xffffffff)
    out = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    open(path, 'wb').write(out)
# Run from the repository root: python3 scripts/icons.py
for n in (192, 512):
    png(n, f'public/icons/icon-{n}.png')
