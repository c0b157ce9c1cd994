"""wilayah: Kemendagri region codes of the satker (kabupaten, kecamatan, desa, kelurahan)."""

from sources.checks import matches
from sources.model import Check, Column, Kind, Source

SOURCE = Source(
    name="wilayah",
    title="Wilayah administrasi (kode Kemendagri) satker: kabupaten, kecamatan, desa, kelurahan",
    feeds="referensi untuk IKU-4 dan IKU-6",
    origin="Kepmendagri kode dan data wilayah administrasi pemerintahan",
    key=("Kode Wilayah",),
    freshness_days=400,
    # Its desa/kelurahan are IKU-4's items: a quarantined row with its code read stands for one.
    item_columns=(),
    checks=(
        Check(
            "kode_tidak_sesuai_tingkat",
            "warning",
            "Panjang Kode Wilayah tidak sesuai Tingkat (kabupaten 4 digit, kecamatan 6, "
            "desa/kelurahan 10; digit ke-7 kelurahan 1, desa 2)",
            "Kode Wilayah",
            # Tingkat|Kode: kabupaten 4 digits, kecamatan 6, kelurahan 10 with 1 as its 7th
            # digit, desa 10 with 2.
            matches(
                ("tingkat", "kode_wilayah"),
                r"^(?:kabupaten\|\d{4}|kecamatan\|\d{6}|kelurahan\|\d{6}1\d{3}|desa\|\d{6}2\d{3})$",
            ),
        ),
    ),
    columns=(
        Column(
            "Kode Wilayah",
            Kind.CODE,
            "Kode wilayah Kemendagri tanpa titik, mis. 6204012001",
            aliases=("kode", "kode kemendagri"),
            required=True,
            nullable=False,
        ),
        Column(
            "Nama Wilayah",
            Kind.TEXT,
            "Nama wilayah",
            aliases=("nama",),
            required=True,
            nullable=False,
        ),
        Column(
            "Tingkat",
            Kind.CHOICE,
            "Tingkat wilayah: kabupaten, kecamatan, desa, atau kelurahan",
            aliases=("level", "jenis wilayah"),
            required=True,
            nullable=False,
            choices=("kabupaten", "kecamatan", "desa", "kelurahan"),
            choice_aliases=(("kab", "kabupaten"), ("kec", "kecamatan"), ("kel", "kelurahan")),
        ),
    ),
)
