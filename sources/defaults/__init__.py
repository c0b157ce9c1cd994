"""The embedded default exports of the reference sources, for satker 6204 (SPEC §2).

``wilayah.csv``: the real Barito Selatan kabupaten, kecamatan and 93 desa/kelurahan
(Kemendagri codes, cahyadsn/wilayah). ``tps.csv``: the real 406 TPS of Pemilu 2024
(kawalpemilu/kp24). The warehouse loads them as satker 6204's wilayah and tps exports when
6204 has exports but none of these sources; the demo builds its regions from them.
"""

from pathlib import Path

DEFAULTS_DIR = Path(__file__).resolve().parent
SATKER = "6204"  # the satker they belong to
FILES = {"wilayah": "wilayah.csv", "tps": "tps.csv"}
