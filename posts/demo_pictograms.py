"""The white pictograms of the demo illustrations, drawn with Pillow shapes.

`draw_pictogram` looks a kind up in PICTOGRAMS: adding a pictogram is adding one function and
one entry. Each function draws around the centre (cx, cy) at the scale s, with lines w wide.
"""

import hashlib
import math

WHITE = (255, 255, 255)


def seeded_bytes(seed: str, count: int) -> list[int]:
    """Deterministic bytes from a seed, so that a picture is the same on every machine."""
    digest = hashlib.sha256(seed.encode()).digest()
    while len(digest) < count:
        digest += hashlib.sha256(digest).digest()
    return list(digest[:count])


def person(draw, cx, cy, s):
    draw.ellipse((cx - 0.45 * s, cy - 1.3 * s, cx + 0.45 * s, cy - 0.4 * s), fill=WHITE)
    draw.chord((cx - 0.9 * s, cy - 0.25 * s, cx + 0.9 * s, cy + 1.55 * s), 180, 360, fill=WHITE)


def screen(draw, cx, cy, s, w):
    draw.rounded_rectangle(
        (cx - 1.6 * s, cy - 1.1 * s, cx + 1.6 * s, cy + 0.8 * s), radius=0.15 * s, outline=WHITE, width=w
    )
    draw.rectangle((cx - 0.15 * s, cy + 0.8 * s, cx + 0.15 * s, cy + 1.2 * s), fill=WHITE)
    draw.rounded_rectangle(
        (cx - 0.7 * s, cy + 1.15 * s, cx + 0.7 * s, cy + 1.35 * s), radius=0.08 * s, fill=WHITE
    )


def draw_ecran(draw, cx, cy, s, w):
    screen(draw, cx, cy, s, w)


def draw_diagnostic(draw, cx, cy, s, w):
    screen(draw, cx, cy, s, w)
    draw.line(
        [(cx - 0.6 * s, cy - 0.2 * s), (cx - 0.1 * s, cy + 0.3 * s), (cx + 0.7 * s, cy - 0.6 * s)],
        fill=WHITE,
        width=int(w * 1.5),
        joint="curve",
    )


def draw_souris(draw, cx, cy, s, w):
    draw.rounded_rectangle(
        (cx - 0.6 * s, cy - 0.6 * s, cx + 0.6 * s, cy + 1.2 * s), radius=0.6 * s, outline=WHITE, width=w
    )
    draw.line((cx, cy - 0.6 * s, cx, cy + 0.2 * s), fill=WHITE, width=w)
    draw.line((cx - 0.6 * s, cy + 0.2 * s, cx + 0.6 * s, cy + 0.2 * s), fill=WHITE, width=w)
    draw.arc((cx, cy - 1.6 * s, cx + 1.6 * s, cy - 0.2 * s), 180, 270, fill=WHITE, width=w)


def draw_bulles(draw, cx, cy, s, w):
    draw.rounded_rectangle(
        (cx - 1.8 * s, cy - 1.2 * s, cx + 0.4 * s, cy + 0.2 * s), radius=0.35 * s, fill=WHITE
    )
    draw.polygon(
        [(cx - 1.3 * s, cy + 0.1 * s), (cx - 1.5 * s, cy + 0.7 * s), (cx - 0.8 * s, cy + 0.15 * s)],
        fill=WHITE,
    )
    draw.rounded_rectangle(
        (cx - 0.2 * s, cy - 0.3 * s, cx + 1.8 * s, cy + 1.0 * s), radius=0.35 * s, outline=WHITE, width=w
    )
    draw.polygon(
        [(cx + 1.2 * s, cy + 0.95 * s), (cx + 1.5 * s, cy + 1.5 * s), (cx + 0.8 * s, cy + 1.0 * s)],
        fill=WHITE,
    )


def draw_famille(draw, cx, cy, s, w):
    person(draw, cx - 1.3 * s, cy, s)
    person(draw, cx + 1.3 * s, cy, s)
    person(draw, cx, cy + 0.55 * s, 0.6 * s)


def draw_groupe(draw, cx, cy, s, w):
    for dx in (-1.9, 0, 1.9):
        person(draw, cx + dx * s, cy, 0.9 * s)


def draw_cv(draw, cx, cy, s, w):
    draw.rectangle((cx - 1.1 * s, cy - 1.4 * s, cx + 1.1 * s, cy + 1.4 * s), outline=WHITE, width=w)
    draw.rectangle((cx - 0.8 * s, cy - 1.1 * s, cx - 0.2 * s, cy - 0.4 * s), fill=WHITE)
    for i, length in enumerate((1.6, 1.3, 1.6, 1.0, 1.4)):
        y = cy - 0.1 * s + i * 0.3 * s
        draw.line((cx - 0.8 * s, y, cx - 0.8 * s + length * s, y), fill=WHITE, width=max(2, w // 2))
    draw.line((cx + 0.0 * s, cy - 0.9 * s, cx + 0.8 * s, cy - 0.9 * s), fill=WHITE, width=max(2, w // 2))
    draw.line((cx + 0.0 * s, cy - 0.6 * s, cx + 0.6 * s, cy - 0.6 * s), fill=WHITE, width=max(2, w // 2))


def draw_formulaire(draw, cx, cy, s, w):
    draw.rectangle((cx - 1.1 * s, cy - 1.4 * s, cx + 1.1 * s, cy + 1.4 * s), outline=WHITE, width=w)
    for i in range(3):
        y = cy - 0.9 * s + i * 0.8 * s
        draw.rectangle((cx - 0.8 * s, y, cx - 0.4 * s, y + 0.4 * s), outline=WHITE, width=max(2, w // 2))
        draw.line((cx - 0.2 * s, y + 0.2 * s, cx + 0.8 * s, y + 0.2 * s), fill=WHITE, width=max(2, w // 2))
        if i < 2:
            draw.line(
                [(cx - 0.75 * s, y + 0.2 * s), (cx - 0.6 * s, y + 0.35 * s), (cx - 0.3 * s, y - 0.1 * s)],
                fill=WHITE,
                width=max(2, w // 2),
            )


def draw_camera(draw, cx, cy, s, w):
    draw.rounded_rectangle(
        (cx - 1.6 * s, cy - 0.7 * s, cx + 0.6 * s, cy + 0.8 * s), radius=0.2 * s, fill=WHITE
    )
    draw.polygon([(cx + 0.7 * s, cy), (cx + 1.6 * s, cy - 0.6 * s), (cx + 1.6 * s, cy + 0.7 * s)], fill=WHITE)
    draw.ellipse((cx - 1.4 * s, cy - 1.6 * s, cx - 0.6 * s, cy - 0.8 * s), outline=WHITE, width=w)
    draw.ellipse((cx - 0.5 * s, cy - 1.6 * s, cx + 0.3 * s, cy - 0.8 * s), outline=WHITE, width=w)


def draw_fete(draw, cx, cy, s, w):
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        radius = 1.3 * s if i % 2 == 0 else 0.55 * s
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=WHITE)
    for i, n in enumerate(seeded_bytes("confettis", 16)):
        angle = i * math.pi / 8 + n / 255
        radius = (1.7 + n / 255) * s
        x, y = cx + radius * math.cos(angle), cy + 0.8 * radius * math.sin(angle)
        draw.rectangle((x - 0.08 * s, y - 0.08 * s, x + 0.08 * s, y + 0.08 * s), fill=WHITE)


def draw_maison(draw, cx, cy, s, w):
    draw.polygon([(cx - 1.6 * s, cy - 0.2 * s), (cx, cy - 1.5 * s), (cx + 1.6 * s, cy - 0.2 * s)], fill=WHITE)
    draw.rectangle((cx - 1.2 * s, cy - 0.2 * s, cx + 1.2 * s, cy + 1.4 * s), outline=WHITE, width=w)
    draw.rectangle((cx - 0.4 * s, cy + 0.4 * s, cx + 0.4 * s, cy + 1.4 * s), fill=WHITE)
    draw.polygon(
        [
            (cx + 0.4 * s, cy + 0.4 * s),
            (cx + 0.8 * s, cy + 0.55 * s),
            (cx + 0.8 * s, cy + 1.3 * s),
            (cx + 0.4 * s, cy + 1.4 * s),
        ],
        outline=WHITE,
        width=max(2, w // 2),
    )


def draw_fauteuil(draw, cx, cy, s, w):
    draw.ellipse((cx - 0.35 * s, cy - 1.6 * s, cx + 0.25 * s, cy - 1.0 * s), fill=WHITE)
    draw.line(
        [
            (cx - 0.1 * s, cy - 0.8 * s),
            (cx - 0.1 * s, cy + 0.2 * s),
            (cx + 0.7 * s, cy + 0.2 * s),
            (cx + 1.0 * s, cy + 1.0 * s),
        ],
        fill=WHITE,
        width=w,
        joint="curve",
    )
    draw.line([(cx - 0.1 * s, cy - 0.4 * s), (cx + 0.5 * s, cy - 0.4 * s)], fill=WHITE, width=w)
    draw.arc((cx - 1.2 * s, cy - 0.4 * s, cx + 0.4 * s, cy + 1.2 * s), 110, 400, fill=WHITE, width=w)


def draw_panneau(draw, cx, cy, s, w):
    draw.rectangle((cx - 0.1 * s, cy - 1.5 * s, cx + 0.1 * s, cy + 1.5 * s), fill=WHITE)
    draw.polygon(
        [
            (cx - 0.1 * s, cy - 1.3 * s),
            (cx + 1.2 * s, cy - 1.3 * s),
            (cx + 1.5 * s, cy - 1.0 * s),
            (cx + 1.2 * s, cy - 0.7 * s),
            (cx - 0.1 * s, cy - 0.7 * s),
        ],
        fill=WHITE,
    )
    draw.polygon(
        [
            (cx + 0.1 * s, cy - 0.5 * s),
            (cx - 1.2 * s, cy - 0.5 * s),
            (cx - 1.5 * s, cy - 0.2 * s),
            (cx - 1.2 * s, cy + 0.1 * s),
            (cx + 0.1 * s, cy + 0.1 * s),
        ],
        fill=WHITE,
    )
    draw.polygon(
        [
            (cx - 0.1 * s, cy + 0.3 * s),
            (cx + 1.0 * s, cy + 0.3 * s),
            (cx + 1.3 * s, cy + 0.6 * s),
            (cx + 1.0 * s, cy + 0.9 * s),
            (cx - 0.1 * s, cy + 0.9 * s),
        ],
        fill=WHITE,
    )


def draw_scene(draw, cx, cy, s, w):
    draw.rectangle((cx - 1.8 * s, cy - 1.4 * s, cx + 1.8 * s, cy - 1.1 * s), fill=WHITE)
    draw.polygon(
        [
            (cx - 1.8 * s, cy - 1.1 * s),
            (cx - 0.8 * s, cy - 1.1 * s),
            (cx - 1.4 * s, cy + 1.1 * s),
            (cx - 1.8 * s, cy + 1.1 * s),
        ],
        fill=WHITE,
    )
    draw.polygon(
        [
            (cx + 1.8 * s, cy - 1.1 * s),
            (cx + 0.8 * s, cy - 1.1 * s),
            (cx + 1.4 * s, cy + 1.1 * s),
            (cx + 1.8 * s, cy + 1.1 * s),
        ],
        fill=WHITE,
    )
    draw.rectangle((cx - 2.0 * s, cy + 1.1 * s, cx + 2.0 * s, cy + 1.35 * s), fill=WHITE)
    person(draw, cx, cy + 0.1 * s, 0.55 * s)


def draw_portrait(draw, cx, cy, s, w):
    person(draw, cx, cy + 0.1 * s, 1.3 * s)


PICTOGRAMS = {
    "ecran": draw_ecran,
    "diagnostic": draw_diagnostic,
    "souris": draw_souris,
    "bulles": draw_bulles,
    "famille": draw_famille,
    "groupe": draw_groupe,
    "cv": draw_cv,
    "formulaire": draw_formulaire,
    "camera": draw_camera,
    "fete": draw_fete,
    "maison": draw_maison,
    "fauteuil": draw_fauteuil,
    "panneau": draw_panneau,
    "scene": draw_scene,
    "portrait": draw_portrait,
}


def draw_pictogram(draw, kind: str, cx: float, cy: float, s: float) -> None:
    """Draw the pictogram `kind` in white around (cx, cy), s pixels to a unit."""
    try:
        drawing = PICTOGRAMS[kind]
    except KeyError:
        raise ValueError(f"Motif inconnu : {kind}") from None
    drawing(draw, cx, cy, s, max(2, int(s * 0.12)))
