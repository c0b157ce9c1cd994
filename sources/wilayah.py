"""wilayah: Kemendagri region codes of the satker (kabupaten, kecamatan, desa, kelurahan)."""

import polars as pl

from sources.model import Check, Column, Kind, Source

CODE_LENGTH = {"kabupaten": 4, "kecamatan": 6, "desa": 10, "kelurahan": 10}

SOURCE = Source(
    name="wilayah",
    title="Wilayah administrasi (kode Kemendagri) satker: kabupaten, kecamatan, desa, kelurahan",
    feeds="referensi untuk IKU-4 dan IKU-6",
    origin="Kepmendagri kode dan data wilayah administrasi pemerintahan",
    key=("Kode Wilayah",),
    freshness_days=400,
    checks=(
        Check(
            "kode_tidak_sesuai_tingkat",
            "warning",
            "Panjang Kode Wilayah tidak sesuai Tingkat (kabupaten 4 digit, kecamatan 6, "
            "desa/kelurahan 10; digit ke-7 kelurahan 1, desa 2)",
            "Kode Wilayah",
            lambda ctx: (
                (
                    pl.col("kode_wilayah").str.len_chars()
                    == pl.col("tingkat").replace_strict(CODE_LENGTH, default=None)
                )
                & pl.when(pl.col("tingkat") == "kelurahan")
                .then(pl.col("kode_wilayah").str.slice(6, 1) == "1")
                .when(pl.col("tingkat") == "desa")
                .then(pl.col("kode_wilayah").str.slice(6, 1) == "2")
                .otherwise(True)
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
