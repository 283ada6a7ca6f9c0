"""Reading and preparing what the app keeps on the phone, from inside a page."""

import struct
import zlib


def stored(page):
    """Return everything the app keeps in IndexedDB, photos as data URLs."""
    return page.evaluate(
        """async () => {
            const data = await (await import("/static/js/phone-data.js")).dump();
            const asUrl = (blob) => new Promise((resolve) => {
                const reader = new FileReader();
                reader.onload = () => resolve(reader.result);
                reader.readAsDataURL(blob);
            });
            data.photos = await Promise.all(
                data.photos.map(async ({ blob, ...photo }) => ({
                    ...photo, data: await asUrl(blob),
                })),
            );
            return data;
        }"""
    )


def wait_until_ready(page):
    """Wait until the page's module has opened the phone's storage and enabled the controls."""
    ready = [
        "[data-item]:not([disabled])",
        "[data-add-boat]:not([hidden])",
        "[data-export]:not([disabled])",
        "[data-stolen-boat]:not([hidden])",
        "[data-no-boats]:not([hidden])",
        "[data-alert]:not(:empty)",
    ]
    page.locator(", ".join(ready)).first.wait_for(state="attached")


def png(width, height):
    """Return a PNG of one colour, as a camera photo stand-in."""
    row = b"\x00" + b"\x20\x60\xa0" * width
    raw = zlib.compress(row * height)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
